import type { Services } from '../../core/services.js';
import type { Broadcast } from '../../db/generated/client.js';
import {
  acknowledgementsByUnit,
  audienceWithin,
  broadcastStatus,
  notAcknowledged,
  recentBroadcasts,
  recordedAudience,
  type AckUnit,
  type BroadcastStatus,
  type PendingUnit,
  type RecordedAudience,
  type UnitFilter,
} from '../../domain/broadcasts/stats.js';
import { personIdOf, type Actor } from '../actor.js';
import { scopeIds, scopeOf } from '../policy.js';
import { ok, refused, type Result } from '../result.js';
import { refuse } from './common.js';
import { rule } from './policy.js';

export interface BroadcastSummary {
  broadcast: Broadcast & { document: { title: string } | null };
  status: BroadcastStatus;
}

export interface BroadcastDetails extends BroadcastSummary {
  audience: RecordedAudience;
  /** Who has not pressed "Đã nhận", in the viewer's units only; empty when not asked. */
  pending: PendingUnit[];
}

/** The units whose recipients a viewer may count and name. */
async function viewerUnits(svc: Services, actor: Actor): Promise<UnitFilter> {
  return scopeIds(await scopeOf(svc.db, actor, rule('stats')));
}

/**
 * The latest broadcasts the actor may follow (M2): their own, and those whose every audience unit
 * lies in their subtree; the counts include only recipients of the viewer's units.
 */
export async function listBroadcasts(svc: Services, actor: Actor): Promise<Result<BroadcastSummary[]>> {
  const units = await viewerUnits(svc, actor);
  const list = await recentBroadcasts(svc.db, { authorId: personIdOf(actor), units });
  const out: BroadcastSummary[] = [];
  for (const b of list) out.push({ broadcast: b, status: await broadcastStatus(svc.db, b.id, units) });
  return ok(out);
}

/** One broadcast's delivery and acknowledgements, for its author or someone over all its units. */
export async function broadcastDetails(svc: Services, actor: Actor, id: number): Promise<Result<BroadcastDetails>> {
  const { db } = svc;
  const b = await db.broadcast.findUnique({ where: { id }, include: { document: { select: { title: true } } } });
  if (!b) return refused('broadcasts:stats.not_found', { id });
  const units = await viewerUnits(svc, actor);
  const audience = recordedAudience(b.audience);
  const mine = b.authorId !== null && b.authorId === personIdOf(actor);
  if (!mine && !(await audienceWithin(db, audience, units)))
    return refuse(db, actor, 'stats', `broadcast:${id}`, 'broadcasts:stats.not_found', { id });
  const status = await broadcastStatus(db, id, units);
  const pending = b.ackRequested ? await notAcknowledged(db, id, units) : [];
  return ok({ broadcast: b, status, audience, pending });
}

export interface BroadcastAcknowledgements extends BroadcastDetails {
  /** Every recipient person of the viewer's units, by unit, with when they acknowledged; empty when not asked. */
  units: AckUnit[];
}

/** The dashboard's view of one broadcast: what /thongke <id> shows, and who has acknowledged per unit. */
export async function broadcastAcknowledgements(svc: Services, actor: Actor, id: number): Promise<Result<BroadcastAcknowledgements>> {
  const details = await broadcastDetails(svc, actor, id);
  if (!details.ok) return details;
  const units = details.value.broadcast.ackRequested ? await acknowledgementsByUnit(svc.db, id, await viewerUnits(svc, actor)) : [];
  return ok({ ...details.value, units });
}
