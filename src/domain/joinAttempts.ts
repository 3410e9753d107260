import type { Tx } from '../db/client.js';

/** At most this many wrong join codes per chat in a sliding hour. */
export const CODE_ATTEMPTS = { max: 5, windowMs: 60 * 60 * 1000 };

export interface AttemptChat {
  channel: string;
  chatId: string;
}

export type Reservation = { ok: true; id: number } | { ok: false; retryAt: Date };

/**
 * Reserves one code attempt for the chat before the code is tried. The row is written first and the
 * chat's rows of the last hour counted after it, each statement on its own: two processes trying at
 * the same moment both see both rows, so together they never get more than `max` tries. A refused
 * reservation is taken back (waiting does not lengthen the wait); a good code takes its row back too
 * (`forgetAttempt`), so only wrong codes count.
 */
export async function reserveAttempt(db: Tx, chat: AttemptChat, now: Date): Promise<Reservation> {
  const since = new Date(now.getTime() - CODE_ATTEMPTS.windowMs);
  await db.joinCodeAttempt.deleteMany({ where: { channel: chat.channel, chatId: chat.chatId, at: { lte: since } } });
  const row = await db.joinCodeAttempt.create({ data: { channel: chat.channel, chatId: chat.chatId, at: now } });
  const recent = await db.joinCodeAttempt.findMany({
    where: { channel: chat.channel, chatId: chat.chatId, at: { gt: since } },
    orderBy: { at: 'asc' },
    select: { id: true, at: true },
  });
  if (recent.length <= CODE_ATTEMPTS.max) return { ok: true, id: row.id };
  await forgetAttempt(db, row.id);
  // A try is free again once enough of the others have left the window.
  const others = recent.filter((r) => r.id !== row.id);
  const freesUp = others[others.length - CODE_ATTEMPTS.max] ?? row;
  return { ok: false, retryAt: new Date(freesUp.at.getTime() + CODE_ATTEMPTS.windowMs) };
}

export async function forgetAttempt(db: Tx, id: number): Promise<void> {
  await db.joinCodeAttempt.deleteMany({ where: { id } });
}
