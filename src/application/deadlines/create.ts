import type { DateTime } from 'luxon';
import type { Services } from '../../core/services.js';
import type { UnitKind } from '../../db/generated/enums.js';
import { resolveUnits } from '../../domain/deadlines/input.js';
import { dueText } from '../../domain/deadlines/render.js';
import { createDeadline } from '../../domain/deadlines/service.js';
import { t as translate } from '../../i18n.js';
import { auditActor, type Actor } from '../actor.js';
import { coversAll, deny, inScope } from '../policy.js';
import { ok, refused, type Result } from '../result.js';
import { inputRefusal, localeOf, personId, scopeFor } from './access.js';
import { deadlinesPolicy } from './policy.js';

export interface ScopeUnit {
  id: number;
  code: string;
  name: string;
  kind: UnitKind;
  parentId: number | null;
}

export interface CreatorUnits {
  /** Every unit the actor may set a deadline for, by code. */
  units: ScopeUnit[];
  /** The units where the actor holds a creating role (the committee asking, usually not a target). */
  roots: number[];
}

/** The units the actor may create deadlines for (empty: /hanmoi is not for them). */
export async function unitsForCreator(svc: Services, actor: Actor): Promise<CreatorUnits> {
  const scope = await scopeFor(svc.db, actor, 'create');
  const units = await svc.db.unit.findMany({
    ...(scope.all ? {} : { where: { id: { in: [...scope.ids] } } }),
    select: { id: true, code: true, name: true, kind: true, parentId: true },
    orderBy: { code: 'asc' },
  });
  const who = deadlinesPolicy.rules.create.who;
  const roots =
    actor.kind === 'person'
      ? [...new Set(actor.person.roles.filter((r) => who.includes(r.role)).map((r) => r.unitId))]
      : units.filter((u) => u.parentId === null).map((u) => u.id);
  return { units, roots };
}

/** Typed unit codes for a new deadline, each within the actor's reach. */
export async function chooseUnits(svc: Services, actor: Actor, codes: string[]): Promise<Result<number[]>> {
  let units;
  try {
    units = await resolveUnits(svc.db, codes);
  } catch (err) {
    return inputRefusal(err);
  }
  const scope = await scopeFor(svc.db, actor, 'create');
  const outside = units.filter((u) => !inScope(scope, u.id));
  if (outside.length) return refused('deadlines:errors.out_of_scope', { code: outside.map((u) => u.code).join(', ') });
  return ok(units.map((u) => u.id));
}

/** The quick choices of /hanmoi step 3: every chi bộ in reach, or the units right below the actor's own. */
export async function shortcutUnits(svc: Services, actor: Actor, mode: 'cb' | 'direct'): Promise<Result<number[]>> {
  const { units, roots } = await unitsForCreator(svc, actor);
  const ids = units
    .filter((u) => (mode === 'cb' ? u.kind === 'chi_bo' : u.parentId !== null && roots.includes(u.parentId)))
    .map((u) => u.id);
  return ids.length ? ok(ids) : refused('deadlines:errors.no_units');
}

export interface NewDeadline {
  title: string;
  dueAt: DateTime;
  unitIds: number[];
  docNumber?: string | null;
  link?: string | null;
  remindDays?: number[];
  /** Only the operator names the creator (`--by`); a person creates as themself. */
  createdById?: number | null;
}

/**
 * Creates a deadline and queues its announcement. A person must reach every target unit with a
 * creating role (checked now, not when the draft began); a refused attempt is audited.
 */
export async function create(svc: Services, actor: Actor, input: NewDeadline): Promise<Result<{ id: number; announced: number }>> {
  const unitIds = [...new Set(input.unitIds)];
  const scope = await scopeFor(svc.db, actor, 'create');
  if (!coversAll(scope, unitIds)) {
    const outside = await svc.db.unit.findMany({
      where: { id: { in: unitIds.filter((id) => !inScope(scope, id)) } },
      select: { code: true },
    });
    const code = outside.map((u) => u.code).join(', ') || unitIds.join(', ');
    const no = await deny(svc.db, actor, 'deadlines.create', `units:${code}`, 'deadlines:errors.out_of_scope');
    return { ok: false, refusal: { ...no.refusal, params: { code } } };
  }
  if (input.dueAt <= svc.clock.now()) {
    const locale = localeOf(actor);
    return refused('deadlines:errors.past_due', { due: dueText(translate(locale), locale, input.dueAt) });
  }
  try {
    const res = await createDeadline(svc, {
      title: input.title,
      dueAt: input.dueAt,
      unitIds,
      docNumber: input.docNumber ?? null,
      link: input.link ?? null,
      ...(input.remindDays ? { remindDays: input.remindDays } : {}),
      createdById: actor.kind === 'person' ? personId(actor) : (input.createdById ?? null),
      actor: auditActor(actor).actor,
    });
    return ok(res);
  } catch (err) {
    return inputRefusal(err);
  }
}
