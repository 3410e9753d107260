import type { Services } from '../../core/services.js';
import type { Actor } from '../actor.js';
import { deny, mayTryRule } from '../policy.js';
import { ok, type Result } from '../result.js';
import { webPolicy } from './policy.js';

export interface OutboxHealth {
  /** Messages waiting or being sent. */
  backlog: number;
  /** Minutes the oldest of them has waited (0 when none). */
  oldestMinutes: number;
  /** Messages given up on in the last 7 days (blocked chats, bad requests). */
  failedWeek: number;
}

/** Outbox counts for the overview (web.outbox): numbers only, no recipients or texts. */
export async function outboxHealth(svc: Services, actor: Actor): Promise<Result<OutboxHealth>> {
  if (actor.kind === 'person' && !mayTryRule(webPolicy.rules.outbox, actor.person)) return deny(svc.db, actor, 'web.outbox');
  // created_at is the database's own time, so the windows are measured in wall-clock time too.
  const weekAgo = new Date(Date.now() - 7 * 24 * 3600_000);
  const [backlog, oldest, failedWeek] = await Promise.all([
    svc.db.outboxMessage.count({ where: { status: { in: ['pending', 'sending'] } } }),
    svc.db.outboxMessage.findFirst({
      where: { status: { in: ['pending', 'sending'] } },
      orderBy: { createdAt: 'asc' },
      select: { createdAt: true },
    }),
    svc.db.outboxMessage.count({ where: { status: 'failed', createdAt: { gte: weekAgo } } }),
  ]);
  const oldestMinutes = oldest ? Math.max(0, Math.round((Date.now() - oldest.createdAt.getTime()) / 60_000)) : 0;
  return ok({ backlog, oldestMinutes, failedWeek });
}

/** Whether the overview shows the outbox at all (the first gate of web.outbox). */
export function mayViewOutbox(actor: Actor): boolean {
  return actor.kind === 'operator' || mayTryRule(webPolicy.rules.outbox, actor.person);
}
