import type { Tx } from '../../db/client.js';
import { DeadlineError } from '../../domain/deadlines/input.js';
import type { Actor } from '../actor.js';
import { inScope, mayTry, scopeOf, type UnitScope } from '../policy.js';
import { refused, type Refusal } from '../result.js';
import { deadlinesPolicy, type DeadlinesAction } from './policy.js';

/** The units the actor's roles reach for an action (nothing when the first gate already says no). */
export async function scopeFor(db: Tx, actor: Actor, action: DeadlinesAction): Promise<UnitScope> {
  const r = deadlinesPolicy.rules[action];
  if (actor.kind === 'person' && !mayTry(r.who, actor.person)) return { all: false, ids: new Set() };
  return scopeOf(db, actor, r);
}

/** May the actor record that this unit has reported: deadlines.report or deadlines.reportOffice. */
export async function mayReport(db: Tx, actor: Actor, unitId: number): Promise<boolean> {
  return inScope(await scopeFor(db, actor, 'report'), unitId) || inScope(await scopeFor(db, actor, 'reportOffice'), unitId);
}

export function personId(actor: Actor): number | null {
  return actor.kind === 'person' ? actor.person.id : null;
}

export function localeOf(actor: Actor): string {
  return actor.kind === 'person' ? actor.person.locale : 'vi';
}

/** A DeadlineError (bad input) as a refusal with its message under `deadlines:errors.`; others are rethrown. */
export function inputRefusal(err: unknown): { ok: false; refusal: Refusal } {
  if (!(err instanceof DeadlineError)) throw err;
  return refused(`deadlines:errors.${err.key}`, err.params);
}
