import type { Services } from '../../core/services.js';
import { acknowledge } from '../../domain/broadcasts/ack.js';
import { messageKey } from '../../domain/broadcasts/queue.js';
import type { PersonActor } from '../actor.js';
import { ok, refused, type Result } from '../result.js';
import { refuse } from './common.js';

export interface Acknowledged {
  outcome: 'acked' | 'already';
  ackedAt: Date;
  /** What the pressed message said (to note the acknowledgement under it); null when unknown. */
  sentText: string | null;
}

/**
 * "Đã nhận": counts for the person who pressed, wherever they pressed it (their private chat or a
 * unit group the broadcast went to), if they are one of its recipients.
 */
export async function acknowledgeBroadcast(
  svc: Services,
  actor: PersonActor,
  input: { broadcastId: number; chatIdentityId: number; reminder: boolean },
): Promise<Result<Acknowledged>> {
  const { db, clock } = svc;
  const outcome = await acknowledge(db, clock, input.broadcastId, actor.person.id);
  if (outcome === 'unknown' || outcome === 'not_requested') return refused('core:error.stale_button');
  if (outcome === 'not_recipient')
    return refuse(db, actor, 'acknowledge', `broadcast:${input.broadcastId}`, 'broadcasts:ack.not_recipient');
  const row = await db.broadcastRecipient.findFirst({
    where: { broadcastId: input.broadcastId, personId: actor.person.id, ackedAt: { not: null } },
  });
  const sent = await db.outboxMessage.findUnique({
    where: { dedupeKey: messageKey(input.broadcastId, input.chatIdentityId, input.reminder) },
    select: { payload: true },
  });
  const text = (sent?.payload as { text?: string } | undefined)?.text ?? null;
  return ok({ outcome, ackedAt: row?.ackedAt ?? clock.now().toJSDate(), sentText: text });
}
