import type { Db } from '../db/client.js';
import type { Prisma } from '../db/generated/client.js';

type Tx = Db | Prisma.TransactionClient;

/**
 * Reach: the one chat a person receives the bot's pushes on. A person may be linked on several
 * channels (a private chat each); every push (deadline notices, broadcasts, schedule digests,
 * changes and reminders, check-in prompts, the late digest, operator notices) goes to exactly one
 * of their active private chats, chosen here and nowhere else:
 *   1. a chat on the channel they chose with /kenh (`people.preferred_channel`),
 *   2. else the chat they last wrote from (`people.last_chat_id`, kept by the router),
 *   3. else their most recently linked chat.
 * Within a preferred channel with several chats the same order breaks the tie. Groups linked to
 * units are not people's chats and are reached as before, by their unit.
 *
 * The rule is SQL, so that a broadcast to 8,445 people picks their chats in the statement that
 * writes the recipients (`reachChatSql`), and code that needs it for a list of people asks once
 * (`reachOf`): never a query per person.
 */
const REACH_ORDER = `(c.channel IS NOT DISTINCT FROM p.preferred_channel) DESC,
  (c.id IS NOT DISTINCT FROM p.last_chat_id) DESC, c.linked_at DESC, c.id DESC`;

/** The chats reach chooses among: a person's active private chats (c joined with their person p). */
const REACHABLE = `chat_identities c JOIN people p ON p.id = c.person_id WHERE c.active AND NOT c.is_group`;

/**
 * SQL for the chat the person in column `person` (e.g. `a.person_id`) is reached on, NULL when they
 * have none: a scalar subquery, one index probe on `chat_identities.person_id` per row.
 */
export function reachChatSql(person: string): string {
  return `(SELECT c.id FROM ${REACHABLE} AND c.person_id = ${person} ORDER BY ${REACH_ORDER} LIMIT 1)`;
}

export interface Reach {
  personId: number;
  chatIdentityId: number;
  channel: string;
  locale: string;
}

/** Each of these people's reach chat, in one query; people without an active private chat are absent. */
export async function reachOf(db: Tx, personIds: readonly number[]): Promise<Map<number, Reach>> {
  const out = new Map<number, Reach>();
  if (personIds.length === 0) return out;
  const rows = await db.$queryRawUnsafe<{ person_id: number; id: number; channel: string; locale: string }[]>(
    `SELECT DISTINCT ON (c.person_id) c.person_id, c.id, c.channel, p.locale
     FROM ${REACHABLE} AND c.person_id = ANY($1::int[])
     ORDER BY c.person_id, ${REACH_ORDER}`,
    [...new Set(personIds)],
  );
  for (const r of rows) out.set(r.person_id, { personId: r.person_id, chatIdentityId: r.id, channel: r.channel, locale: r.locale });
  return out;
}

/** Why reach picked the chat it did (for /kenh). */
export type ReachReason = 'chosen' | 'last' | 'newest';

export interface PersonChats {
  /** Active private chats, newest link first. */
  chats: { id: number; channel: string; linkedAt: Date }[];
  preferredChannel: string | null;
  /** The chat pushes go to, and why; null without chats. */
  reach: { chatIdentityId: number; channel: string; reason: ReachReason } | null;
}

/** A person's linked chats and which of them reach picks (the same rule as `reachOf`). */
export async function chatsOf(db: Tx, personId: number): Promise<PersonChats> {
  const person = await db.person.findUniqueOrThrow({ where: { id: personId }, select: { preferredChannel: true, lastChatId: true } });
  const chats = await db.chatIdentity.findMany({
    where: { personId, active: true, isGroup: false },
    select: { id: true, channel: true, linkedAt: true },
    orderBy: [{ linkedAt: 'desc' }, { id: 'desc' }],
  });
  const picked = (await reachOf(db, [personId])).get(personId);
  const reason: ReachReason =
    picked?.channel === person.preferredChannel ? 'chosen' : picked?.chatIdentityId === person.lastChatId ? 'last' : 'newest';
  return {
    chats,
    preferredChannel: person.preferredChannel,
    reach: picked ? { chatIdentityId: picked.chatIdentityId, channel: picked.channel, reason } : null,
  };
}

/**
 * Notes that a linked person wrote from their private chat `chatIdentityId`. One statement that
 * writes only when the chat changed (PostgreSQL touches no row when the WHERE fails), so the common
 * case, the same chat again, costs a primary-key probe and no write.
 */
export async function noteChatUsed(db: Tx, personId: number, chatIdentityId: number): Promise<void> {
  await db.$executeRawUnsafe(
    `UPDATE people SET last_chat_id = $2 WHERE id = $1 AND last_chat_id IS DISTINCT FROM $2`,
    personId,
    chatIdentityId,
  );
}

/** Sets (or, with null, clears) the channel a person wants pushes on. */
export async function setPreferredChannel(db: Tx, personId: number, channel: string | null): Promise<void> {
  await db.person.update({ where: { id: personId }, data: { preferredChannel: channel } });
}

/** `reachOf` as a list of outbox targets: one chat per reachable person. */
export async function reachChats(db: Tx, personIds: readonly number[]): Promise<{ id: number; personId: number; channel: string }[]> {
  return [...(await reachOf(db, personIds)).values()].map((r) => ({ id: r.chatIdentityId, personId: r.personId, channel: r.channel }));
}
