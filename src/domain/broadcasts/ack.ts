import type { Clock } from '../../core/clock.js';
import type { Db } from '../../db/client.js';

export type AckOutcome = 'acked' | 'already' | 'not_recipient' | 'not_requested' | 'unknown';

/** Records that a person has received a broadcast (on whichever of their chats they pressed). */
export async function acknowledge(db: Db, clock: Clock, broadcastId: number, personId: number): Promise<AckOutcome> {
  const b = await db.broadcast.findUnique({ where: { id: broadcastId }, select: { ackRequested: true } });
  if (!b) return 'unknown';
  if (!b.ackRequested) return 'not_requested';
  const res = await db.broadcastRecipient.updateMany({
    where: { broadcastId, personId, ackedAt: null },
    data: { ackedAt: clock.now().toJSDate() },
  });
  if (res.count > 0) return 'acked';
  const known = await db.broadcastRecipient.count({ where: { broadcastId, personId } });
  return known ? 'already' : 'not_recipient';
}
