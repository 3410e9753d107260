import type { Tx } from '../../db/client.js';
import { loadDirectory, resolveParticipants, type Resolved } from '../../domain/schedule/participants.js';
import type { Actor } from '../actor.js';
import { deny, scopeOf } from '../policy.js';
import { ok, type Result } from '../result.js';
import { schedulePolicy } from './policy.js';

/** The units and people an actor may name as taking part in an item; `all` for the operator. */
export type ParticipantScope = { all: true } | { all: false; unitIds: ReadonlySet<number>; personIds: ReadonlySet<number> };

export async function participantScope(db: Tx, actor: Actor): Promise<ParticipantScope> {
  const scope = await scopeOf(db, actor, schedulePolicy.rules.participants);
  if (scope.all) return { all: true };
  const people = await db.roleAssignment.findMany({
    where: { unitId: { in: [...scope.ids] } },
    select: { personId: true },
    distinct: ['personId'],
  });
  return { all: false, unitIds: scope.ids, personIds: new Set(people.map((p) => p.personId)) };
}

export interface Named {
  unitIds: readonly number[];
  personIds: readonly number[];
}

/**
 * Resolves chair and participants text against the whole organisation, then refuses (audited)
 * what the actor's scope does not reach, naming it the way a name nobody has would be named:
 * "not found within your scope". `keep`: what the item already names (set by someone else, e.g. an
 * import) may stay; only new names must be within reach.
 */
export async function resolveWithin(
  db: Tx,
  actor: Actor,
  texts: string[],
  target: string,
  keep: Named = { unitIds: [], personIds: [] },
): Promise<Result<Resolved>> {
  const resolved = resolveParticipants(await loadDirectory(db), texts);
  const scope = await participantScope(db, actor);
  if (scope.all) return { ok: true, value: resolved };
  const units = resolved.unitIds.filter((id) => !scope.unitIds.has(id) && !keep.unitIds.includes(id));
  const people = resolved.personIds.filter((id) => !scope.personIds.has(id) && !keep.personIds.includes(id));
  if (units.length === 0 && people.length === 0) return ok(resolved);
  const names = [
    ...(await db.person.findMany({ where: { id: { in: people } }, select: { fullName: true }, orderBy: { id: 'asc' } })).map(
      (p) => p.fullName,
    ),
    ...(await db.unit.findMany({ where: { id: { in: units } }, select: { name: true }, orderBy: { id: 'asc' } })).map((u) => u.name),
  ];
  const refusal = await deny(db, actor, 'schedule.participants', target, 'schedule:input.out_of_scope');
  return { ok: false, refusal: { ...refusal.refusal, params: { names: names.join('; ') } } };
}

/** Display names of the people and units an item names, people first. */
export async function namesOf(db: Tx, named: Named): Promise<string[]> {
  return [
    ...(await db.person.findMany({ where: { id: { in: [...named.personIds] } }, select: { fullName: true } })).map((p) => p.fullName),
    ...(await db.unit.findMany({ where: { id: { in: [...named.unitIds] } }, select: { name: true } })).map((u) => u.name),
  ];
}
