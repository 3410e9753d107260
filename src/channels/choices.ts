import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client.js';
import { escapeHtml } from '../core/html.js';
import type { Channel, IncomingMessage, OutgoingMessage } from '../core/messages.js';
import { t } from '../i18n.js';

/**
 * Numbered choices: how a channel without buttons (Zalo) shows a message's buttons and takes them
 * back. The message ends with one line per button, `N — label` (a url button becomes a readable link
 * line, no number); the person replies with the number and gets exactly the button press, so the same
 * handler with the same permission and staleness checks runs.
 *
 * A number always means what the person saw beside it, also on an older message: numbers are unique
 * among a chat's open choices and kept in the database. They run on from the chat's last number up to
 * `CHOICES.maxNumber` and then start again at 1, so a number comes back only after that many others
 * (its older holder is then dropped) or after `CHOICES.ttlDays`, when a choice expires. A message the
 * handler replaces (`closeChoices`, what `edit` means on such a channel) keeps its numbers reserved
 * but they no longer act.
 *
 * A bare number is also what a person types to answer a question ("how many members attended?"):
 * - a message that asks for a typed answer (`OutgoingMessage.typedAnswer`) marks its choices `#N`,
 *   and only "#N" selects them;
 * - while a guided conversation (flow) is open and not suspended, a bare number selects only a choice
 *   shown since the flow last moved on; any other bare number goes to the flow as its answer.
 */
export const CHOICES = { maxNumber: 99, ttlDays: 30 } as const;

export interface ChoiceChat {
  channel: Channel;
  chatId: string;
}

export interface PresentedChoices {
  /** The message text (HTML subset) ending with the choice lines; the caller sends this. */
  text: string;
  /** Identifies the message; the press of one of its numbers carries it as `messageRef`. */
  messageRef: string;
  /** The numbers given, in button order (url buttons have none). */
  numbers: number[];
}

export type ChoiceReading =
  /** Not a choice: handle the message as it came. */
  | { kind: 'pass' }
  /** The number of an open choice: handle this button press instead. */
  | { kind: 'press'; message: IncomingMessage }
  /** A number that means nothing: send this short hint (like any reply, in the person's language). */
  | { kind: 'hint'; text: string };

const NUMBER = /^\s*(#)?\s*(\d{1,3})\s*\.?\s*$/;

/**
 * Numbers `msg`'s buttons for `chat` and records them. Calling it again with the same `messageRef`
 * (an outbox retry) gives the same numbers. Without buttons the text comes back unchanged.
 */
export async function presentChoices(
  db: Db,
  chat: ChoiceChat,
  msg: OutgoingMessage,
  opts: { now: Date; messageRef?: string },
): Promise<PresentedChoices> {
  const messageRef = opts.messageRef ?? `c:${randomUUID()}`;
  const buttons = (msg.buttons ?? []).flat();
  const pressable = buttons.filter((b) => b.data).slice(0, CHOICES.maxNumber);
  const numbers = pressable.length ? await allocate(db, chat, messageRef, pressable, !!msg.typedAnswer, opts.now) : [];
  const lines: string[] = [];
  let i = 0;
  for (const b of buttons) {
    if (b.data && i < numbers.length) lines.push(`${msg.typedAnswer ? '#' : ''}${numbers[i++]} — ${escapeHtml(b.text)}`);
    else if (b.url) lines.push(`🔗 ${escapeHtml(b.text)}: ${escapeHtml(b.url)}`);
  }
  return { text: lines.length ? `${msg.text}\n\n${lines.join('\n')}` : msg.text, messageRef, numbers };
}

async function allocate(
  db: Db,
  chat: ChoiceChat,
  messageRef: string,
  pressable: { data?: string }[],
  marked: boolean,
  now: Date,
): Promise<number[]> {
  const where = { channel: chat.channel, chatId: chat.chatId };
  return db.$transaction(async (tx) => {
    // One allocation per chat at a time, across processes (a reply and the delivery worker).
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`choices:${chat.channel}:${chat.chatId}`}))`;
    await tx.openChoice.deleteMany({ where: { ...where, expiresAt: { lte: now } } });
    const again = await tx.openChoice.findMany({ where: { ...where, messageRef }, orderBy: { id: 'asc' } });
    // A closed message shown again (an edit back to the same buttons) gets fresh numbers that act.
    if (again.length === pressable.length && again.every((r, i) => r.data === pressable[i]!.data && !r.closedAt))
      return again.map((r) => r.number);
    await tx.openChoice.deleteMany({ where: { ...where, messageRef } });
    const last = await tx.openChoice.findFirst({ where, orderBy: { id: 'desc' }, select: { number: true } });
    let start = (last?.number ?? 0) + 1;
    if (start + pressable.length - 1 > CHOICES.maxNumber) start = 1;
    const numbers = pressable.map((_, i) => start + i);
    await tx.openChoice.deleteMany({ where: { ...where, number: { in: numbers } } });
    const expiresAt = new Date(now.getTime() + CHOICES.ttlDays * 86_400_000);
    // createdAt is wall time, as the flow's updatedAt is (see readChoice).
    const createdAt = new Date();
    await tx.openChoice.createMany({
      data: pressable.map((b, i) => ({ ...where, number: numbers[i]!, data: b.data!, messageRef, marked, expiresAt, createdAt })),
    });
    return numbers;
  });
}

/**
 * An incoming text that is just a number ("2", " 2 ", "2.", "#2") → the press of the button shown
 * beside that number; otherwise `pass` (or a hint when the number means nothing). Groups included:
 * the router decides whether a button works there.
 */
export async function readChoice(db: Db, msg: IncomingMessage, now: Date): Promise<ChoiceReading> {
  if (msg.kind !== 'text') return { kind: 'pass' };
  const m = NUMBER.exec(msg.text ?? '');
  if (!m) return { kind: 'pass' };
  const hashed = !!m[1];
  const number = Number(m[2]);
  const where = { channel: msg.channel, chatId: msg.chat.id };
  const row = await db.openChoice.findFirst({ where: { ...where, number, closedAt: null, expiresAt: { gt: now } } });
  const flowSince = msg.chat.isGroup ? null : await openFlowSince(db, msg);
  const selects = row && (hashed || (!row.marked && (!flowSince || row.createdAt >= flowSince)));
  if (selects) {
    const { text: _text, ...rest } = msg;
    return { kind: 'press', message: { ...rest, kind: 'button', data: row.data, messageRef: row.messageRef } };
  }
  // A bare number is an answer to the open flow, or to a question that takes typed numbers.
  if (!hashed && (flowSince || row?.marked)) return { kind: 'pass' };
  if (msg.chat.isGroup) return { kind: 'pass' };
  // A stranger has no choices: the router gives them the "how to join" answer, and only that.
  const person = await personOf(db, msg);
  if (!person) return { kind: 'pass' };
  return { kind: 'hint', text: t(person.locale)('core:choices.unknown_number', { number }) };
}

/** The message `messageRef` was replaced: its numbers stay reserved but no longer act. */
export async function closeChoices(db: Db, chat: ChoiceChat, messageRef: string, now: Date): Promise<number> {
  const res = await db.openChoice.updateMany({ where: { ...chat, messageRef, closedAt: null }, data: { closedAt: now } });
  return res.count;
}

async function openFlowSince(db: Db, msg: IncomingMessage): Promise<Date | null> {
  const chat = await db.chatIdentity.findUnique({
    where: { channel_chatId: { channel: msg.channel, chatId: msg.chat.id } },
    select: { state: { select: { updatedAt: true, suspendedAt: true } } },
  });
  // A suspended flow takes no typed answers (the router says so), so numbers are choices again.
  return chat?.state && !chat.state.suspendedAt ? chat.state.updatedAt : null;
}

async function personOf(db: Db, msg: IncomingMessage): Promise<{ locale: string } | null> {
  const chat = await db.chatIdentity.findUnique({
    where: { channel_chatId: { channel: msg.channel, chatId: msg.chat.id } },
    select: { person: { select: { locale: true } } },
  });
  return chat?.person ?? null;
}
