import type { DateTime } from 'luxon';
import type { Services } from '../../core/services.js';
import type { Role } from '../../db/generated/enums.js';
import { openCampaign, resolveTargets } from '../../domain/checkin/campaigns.js';
import { loadDefaultQuestionnaire, type Questionnaire } from '../../domain/checkin/questionnaire.js';
import { auditActor, personIdOf, type Actor } from '../actor.js';
import { coversAll, inScope, mayTry, scopeOf, type UnitScope } from '../policy.js';
import { ok, refused, type Result } from '../result.js';
import { asId, denied, inputRefusal } from './common.js';
import { checkinPolicy } from './policy.js';

const rule = checkinPolicy.rules.open;

export interface UnitRef {
  id: number;
  code: string;
  name: string;
}

/** The actor's reach for opening campaigns, or null (audited) when they may not open any. */
async function openScope(svc: Pick<Services, 'db'>, actor: Actor, target: string): Promise<UnitScope | null> {
  if (actor.kind === 'person' && !mayTry(rule.who, actor.person)) {
    await denied(svc.db, actor, 'open', target, 'core:error.forbidden_short');
    return null;
  }
  return scopeOf(svc.db, actor, rule);
}

/** The đảng bộ an admin may open a campaign for (the buttons of /mobaocao), by code. */
export async function openableUnits(svc: Pick<Services, 'db'>, actor: Actor, input: { limit: number }): Promise<Result<UnitRef[]>> {
  const scope = await openScope(svc, actor, 'units');
  if (!scope) return refused('core:error.forbidden_short');
  const units = await svc.db.unit.findMany({
    where: { kind: 'dang_bo', ...(scope.all ? {} : { id: { in: [...scope.ids] } }) },
    orderBy: { code: 'asc' },
    take: input.limit,
    select: { id: true, code: true, name: true },
  });
  return ok(units);
}

/**
 * The unit a campaign is being opened for, chosen by button (id) or typed (code): it must be in the
 * admin's subtree. An out-of-scope unit is refused the same way as an unknown one, and audited.
 */
export async function chooseUnit(
  svc: Pick<Services, 'db'>,
  actor: Actor,
  input: { unitId: number } | { code: string },
): Promise<Result<UnitRef>> {
  const select = { id: true, code: true, name: true } as const;
  const id = 'code' in input ? null : asId(input.unitId);
  const code = 'code' in input ? input.code.trim() : '';
  const unit =
    id !== null
      ? await svc.db.unit.findUnique({ where: { id }, select })
      : code
        ? await svc.db.unit.findUnique({ where: { code }, select })
        : null;
  if (!unit) return refused('checkin:open.unit_unknown');
  const scope = await openScope(svc, actor, `unit:${unit.code}`);
  if (!scope) return refused('core:error.forbidden_short');
  if (!inScope(scope, unit.id)) return denied(svc.db, actor, 'open', `unit:${unit.code}`, 'checkin:open.unit_unknown');
  return ok(unit);
}

export interface OpenInput {
  period: string;
  /** The units named; with `subtree`, every chi bộ at or below them answers. */
  unitCodes: string[];
  subtree: boolean;
  questionnaire?: Questionnaire;
  responderRoles?: readonly Role[];
  opensAt?: DateTime;
  closesAt: DateTime;
}

/** The target chi bộ of a campaign, after the scope check: what the admin confirms. */
export async function previewCampaign(
  svc: Pick<Services, 'db'>,
  actor: Actor,
  input: Pick<OpenInput, 'unitCodes' | 'subtree'>,
): Promise<Result<{ units: UnitRef[]; targets: { id: number; code: string }[] }>> {
  const named = await svc.db.unit.findMany({
    where: { code: { in: input.unitCodes.map((c) => c.trim()) } },
    select: { id: true, code: true, name: true },
  });
  const what = named.map((u) => `unit:${u.code}`).join(',') || 'units';
  const scope = await openScope(svc, actor, what);
  if (!scope) return refused('core:error.forbidden_short');
  // Checked again here (not only when the unit was chosen): roles may have changed since.
  if (
    !coversAll(
      scope,
      named.map((u) => u.id),
    )
  )
    return denied(svc.db, actor, 'open', what, 'checkin:open.forbidden');
  let targets: { id: number; code: string }[];
  try {
    targets = await resolveTargets(svc.db, input.unitCodes, input.subtree);
  } catch (err) {
    return inputRefusal(err);
  }
  if (
    !coversAll(
      scope,
      targets.map((u) => u.id),
    )
  )
    return denied(svc.db, actor, 'open', what, 'checkin:open.forbidden');
  return ok({ units: named, targets });
}

/**
 * Opens a campaign for units in the actor's subtree (the operator: any): its closing time becomes a
 * deadline, one report per target chi bộ, and the responders are prompted when it opens.
 */
export async function openCheckin(
  svc: Services,
  actor: Actor,
  input: OpenInput,
): Promise<Result<{ id: number; deadlineId: number; units: number; prompted: number }>> {
  const preview = await previewCampaign(svc, actor, input);
  if (!preview.ok) return preview;
  const by = auditActor(actor);
  try {
    return ok(
      await openCampaign(svc, {
        period: input.period,
        questionnaire: input.questionnaire ?? loadDefaultQuestionnaire(),
        unitIds: preview.value.targets.map((u) => u.id),
        ...(input.responderRoles ? { responderRoles: input.responderRoles } : {}),
        ...(input.opensAt ? { opensAt: input.opensAt } : {}),
        closesAt: input.closesAt,
        createdById: personIdOf(actor),
        actor: by.actor,
      }),
    );
  } catch (err) {
    return inputRefusal(err);
  }
}
