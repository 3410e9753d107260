import type { Tx } from '../db/client.js';
import { Role } from '../db/generated/enums.js';
import type { PersonView } from '../domain/people.js';
import { audit } from '../domain/audit.js';
import { ancestorIds, subtreeIds } from '../domain/org/tree.js';
import { auditActor, type Actor } from './actor.js';
import { forbidden, type Refusal } from './result.js';

/** Who may try an action at all: anyone (also unlinked), any linked person, or holders of these roles. */
export type Who = 'anyone' | 'linked' | readonly Role[];

/**
 * Which units an actor's roles reach for an action:
 * - `subtree`: the units where a role is held and everything below them (the usual rule);
 * - `direct`: only the units where a role is held (a chi bộ's secretary answers for that chi bộ);
 * - `reach`: the subtree and the units above (what is addressed to my units or to those above them);
 * - `own`: not about units, only the actor's own things (preferences, drafts, saved documents);
 * - `none`: not about units or objects at all (help, language).
 */
export type ScopeKind = 'subtree' | 'direct' | 'reach' | 'own' | 'none';

export interface Grant {
  who: Who;
  scope: ScopeKind;
}

export interface Rule extends Grant {
  /** Further grants, any of which also allows (a chi bộ's secretaries directly, or the office above). */
  or?: readonly Grant[];
  /** What the rule says, in a line, for the README's roles table and reviewers. */
  doc: string;
}

export interface Policy<A extends string = string> {
  feature: string;
  rules: Record<A, Rule>;
}

/** One table per feature: action → who may, and how far their roles reach. */
export function definePolicy<const R extends Record<string, Rule>>(
  feature: string,
  rules: R,
): Policy<Extract<keyof R, string>> & { rules: R } {
  return { feature, rules };
}

export const ALL_ROLES: readonly Role[] = Object.values(Role);

/**
 * The roles that lead or oversee units (issue 13 #4): they follow the progress of their subtree
 * (/tiendo), its check-in summaries (/tonghop) and — all but admin — its overdue lists. One list for
 * all three, so /tiendo and /tonghop count the same units for the same person.
 */
export const LEADERSHIP_ROLES: readonly Role[] = ['admin', 'bi_thu', 'pho_bi_thu', 'cap_uy_vien', 'phu_trach', 'van_phong'];

export function rolesOf(who: Who): readonly Role[] {
  return who === 'anyone' || who === 'linked' ? ALL_ROLES : who;
}

/** The rule's grants: its own and those of `or`. */
export function grantsOf(rule: Grant & { or?: readonly Grant[] }): Grant[] {
  return [{ who: rule.who, scope: rule.scope }, ...(rule.or ?? [])];
}

/** The first gate of a whole rule. */
export function mayTryRule(rule: Rule, person: PersonView | null): boolean {
  return grantsOf(rule).some((g) => mayTry(g.who, person));
}

/** The first gate: may this person (null: not linked) try the action at all? */
export function mayTry(who: Who, person: PersonView | null): boolean {
  if (who === 'anyone') return true;
  if (!person) return false;
  if (who === 'linked') return true;
  return person.roles.some((r) => who.includes(r.role));
}

/** The units an actor reaches for a rule; `all` for the operator. */
export type UnitScope = { all: true } | { all: false; ids: ReadonlySet<number> };

/** The union of the units every grant of the rule reaches. */
export async function scopeOf(db: Tx, actor: Actor, rule: Grant & { or?: readonly Grant[] }): Promise<UnitScope> {
  if (actor.kind === 'operator') return { all: true };
  if (rule.or?.length) {
    const ids = new Set<number>();
    for (const g of grantsOf(rule)) for (const id of ((await grantScope(db, actor, g)) as { ids: ReadonlySet<number> }).ids) ids.add(id);
    return { all: false, ids };
  }
  return grantScope(db, actor, rule);
}

async function grantScope(db: Tx, actor: Actor, rule: Grant): Promise<UnitScope> {
  if (actor.kind === 'operator') return { all: true };
  const roles = rolesOf(rule.who);
  const held = [...new Set(actor.person.roles.filter((r) => roles.includes(r.role)).map((r) => r.unitId))];
  if (rule.scope === 'direct') return { all: false, ids: new Set(held) };
  const ids = new Set(await subtreeIds(db, held));
  if (rule.scope === 'reach') for (const unitId of held) for (const id of await ancestorIds(db, unitId)) ids.add(id);
  return { all: false, ids };
}

export function inScope(scope: UnitScope, unitId: number): boolean {
  return scope.all || scope.ids.has(unitId);
}

/** Every unit inside the scope (an empty list is "nothing to check" and passes). */
export function coversAll(scope: UnitScope, unitIds: readonly number[]): boolean {
  return scope.all || unitIds.every((id) => scope.ids.has(id));
}

export function scopeIds(scope: UnitScope): number[] | 'all' {
  return scope.all ? 'all' : [...scope.ids];
}

/**
 * Records a refused attempt (forged buttons and replays included) and returns the refusal to show.
 * The audit row names the action and the target, never the content the person sent.
 */
export async function deny(db: Tx, actor: Actor, action: string, target?: string, key?: string): Promise<{ ok: false; refusal: Refusal }> {
  await audit(db, { ...auditActor(actor), action: `denied:${action}`, ...(target ? { target } : {}) });
  return forbidden(key);
}
