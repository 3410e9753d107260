import { escapeHtml } from '../../core/html.js';
import type { OutgoingMessage } from '../../core/messages.js';
import type { Db } from '../../db/client.js';
import type { TFunction } from '../../i18n.js';
import { docBlock } from '../docs/render.js';
import type { DocView } from '../docs/store.js';
import { broadcastButtons } from './buttons.js';
import { BROADCAST_ROLES } from './scope.js';
import { MESSAGE_BUDGET, packBlocks, splitPlain } from './split.js';
import { shorten } from '../../core/shorten.js';

export interface BroadcastContent {
  /** As typed: plain text, escaped here. May be empty when a document is attached. */
  text: string;
  doc: DocView | null;
  ack: boolean;
  /** Who sends it; none for the command line. */
  sender: { name: string; unit: string } | null;
}

/** Callback data of the "Đã nhận" button; `reminder` marks the button on the follow-up. */
export function ackData(broadcastId: number, reminder = false): string {
  return broadcastButtons.pack('rcv', { id: broadcastId, reminder: reminder ? 'r' : undefined });
}

/**
 * The message(s) a recipient gets: heading, text, document, and the "Đã nhận" button on the last
 * part. Text longer than one message (`budget` as written: the widest channel's by default, a
 * smaller channel's for its chats) is split at paragraph or line breaks.
 */
export function composeBroadcast(t: TFunction, c: BroadcastContent, buttonData: string, budget = MESSAGE_BUDGET): OutgoingMessage[] {
  const header = [`📢 <b>${t('broadcasts:message.title')}</b>`];
  if (c.sender) {
    const from = c.sender.unit ? 'broadcasts:message.from' : 'broadcasts:message.from_name';
    header.push(`<i>${t(from, { name: c.sender.name, unit: c.sender.unit })}</i>`);
  }
  const head = header.join('\n');
  const body = splitPlain(c.text, budget - head.length - 2).map(escapeHtml);
  const blocks = [head, ...body];
  if (c.doc) blocks.push(docBlock(c.doc));
  if (c.ack) blocks.push(t('broadcasts:message.ack_hint'));
  const parts = packBlocks(blocks, budget);
  return parts.map((text, i) => {
    const numbered = parts.length > 1 ? `${text}\n\n<i>(${i + 1}/${parts.length})</i>` : text;
    const last = i === parts.length - 1;
    return last && c.ack
      ? { text: numbered, buttons: [[{ text: t('broadcasts:message.ack_button'), data: buttonData }]] }
      : { text: numbered };
  });
}

/** The sender line: the author's name and the unit where they hold tuyen_giao or admin. */
export async function senderOf(db: Db, authorId: number | null): Promise<BroadcastContent['sender']> {
  if (authorId === null) return null;
  const person = await db.person.findUnique({
    where: { id: authorId },
    include: { roles: { where: { role: { in: [...BROADCAST_ROLES] } }, include: { unit: true }, orderBy: { id: 'asc' } } },
  });
  if (!person) return null;
  return { name: person.fullName, unit: person.roles[0]?.unit.name ?? '' };
}

/** A short name for a broadcast in lists and reminders: its document's title, or its first line. */
export function broadcastTitle(text: string, docTitle: string | null, max = 90): string {
  const base = docTitle ?? text.trim().split('\n', 1)[0] ?? '';
  return shorten(base, max);
}
