import type { Services } from '../../core/services.js';
import { closeDeadline } from '../../domain/deadlines/service.js';
import { auditActor, type Actor } from '../actor.js';
import { coversAll, deny } from '../policy.js';
import { ok, refused, type Result } from '../result.js';
import { personId, scopeFor } from './access.js';

/** Stops reminders and escalation: the creator, an admin over all its units, or the operator. */
export async function close(svc: Services, actor: Actor, input: { deadlineId: number }): Promise<Result<{ closed: boolean }>> {
  const d = await svc.db.deadline.findUnique({ where: { id: input.deadlineId }, include: { units: { select: { unitId: true } } } });
  if (!d) return refused('deadlines:errors.not_found', { id: input.deadlineId });
  const creator = d.createdById !== null && d.createdById === personId(actor);
  if (
    !creator &&
    !coversAll(
      await scopeFor(svc.db, actor, 'closeAdmin'),
      d.units.map((u) => u.unitId),
    )
  ) {
    return deny(svc.db, actor, 'deadlines.close', `deadline:${d.id}`);
  }
  const { actorId, actor: via } = auditActor(actor);
  return ok({ closed: await closeDeadline(svc, { deadlineId: d.id, actorId, actor: via }) });
}
