import type { Services } from '../../core/services.js';
import { audit } from '../../domain/audit.js';
import type { RowError } from '../../domain/imports/errors.js';
import {
  applyPeopleSync,
  importPeople,
  parsePeople,
  planPeopleSync,
  type PeopleSummary,
  type SyncPlan,
  type SyncSummary,
} from '../../domain/imports/people.js';
import type { TableRow } from '../../domain/imports/readTable.js';
import { subtreeIds } from '../../domain/org/tree.js';
import { auditActor, type Actor } from '../actor.js';
import { coversAll, deny, mayTry, scopeOf } from '../policy.js';
import { ok, refused, type Result } from '../result.js';
import { peoplePolicy } from './policy.js';

export type ImportOutcome = { kind: 'rejected'; errors: RowError[] } | { kind: 'imported'; summary: PeopleSummary };

/** `import people <file>`: adds people and roles; removes nothing. */
export async function importPeopleFile(svc: Services, actor: Actor, input: { rows: TableRow[] }): Promise<Result<ImportOutcome>> {
  if (actor.kind === 'person') {
    const rule = peoplePolicy.rules.import;
    if (!mayTry(rule.who, actor.person)) return deny(svc.db, actor, 'people.import');
    const { people, errors } = await parsePeople(svc.db, input.rows);
    if (errors.length) return ok({ kind: 'rejected', errors });
    const units = [...people.values()].flatMap((p) => p.roles.map((r) => r.unitId));
    if (!coversAll(await scopeOf(svc.db, actor, rule), units)) return deny(svc.db, actor, 'people.import');
  }
  const res = await importPeople(svc.db, input.rows, auditActor(actor));
  return ok(res.ok ? { kind: 'imported', summary: res.summary } : { kind: 'rejected', errors: res.errors });
}

/**
 * The dry run of `import people <file>` (the dashboard's preview): the bad rows, or every change the
 * import would make (it only adds, so no removals). Nothing changes.
 */
export async function previewPeopleImport(
  svc: Services,
  actor: Actor,
  input: { rows: TableRow[] },
): Promise<Result<{ kind: 'rejected'; errors: RowError[] } | { kind: 'plan'; plan: SyncPlan }>> {
  const rule = peoplePolicy.rules.import;
  if (actor.kind === 'person' && !mayTry(rule.who, actor.person)) return deny(svc.db, actor, 'people.import');
  const { people, errors } = await parsePeople(svc.db, input.rows);
  if (errors.length) return ok({ kind: 'rejected', errors });
  const units = [...new Set([...people.values()].flatMap((p) => p.roles.map((r) => r.unitId)))];
  if (actor.kind === 'person' && !coversAll(await scopeOf(svc.db, actor, rule), units)) return deny(svc.db, actor, 'people.import');
  const plan = await planPeopleSync(svc.db, people, units);
  return ok({ kind: 'plan', plan: { ...plan, rolesRemoved: [], deactivated: [] } });
}

export type SyncOutcome =
  | { kind: 'rejected'; errors: RowError[] }
  | { kind: 'plan'; plan: SyncPlan; scope: SyncScope }
  | { kind: 'applied'; plan: SyncPlan; scope: SyncScope; summary: SyncSummary };

/** What the file replaces: one unit's subtree, or the whole organisation. */
export type SyncScope = { unit: { code: string; name: string } } | { unit: null };

/**
 * `import people <file> --sync [--unit X]`: the file is the whole truth for X's subtree (for the
 * whole organisation without X). Without `apply` it only returns the plan; with it, the plan is
 * computed again and applied in one transaction, so what is applied is what the data said then.
 */
export async function syncPeopleFile(
  svc: Services,
  actor: Actor,
  input: { rows: TableRow[]; unitCode?: string; apply: boolean },
): Promise<Result<SyncOutcome>> {
  const rule = peoplePolicy.rules.sync;
  if (actor.kind === 'person' && !mayTry(rule.who, actor.person)) return deny(svc.db, actor, 'people.sync');
  let unitIds: number[] | null = null;
  let scope: SyncScope = { unit: null };
  if (input.unitCode) {
    const unit = await svc.db.unit.findUnique({ where: { code: input.unitCode } });
    if (!unit) return refused('cli:unknown_unit', { code: input.unitCode });
    unitIds = await subtreeIds(svc.db, [unit.id]);
    scope = { unit: { code: unit.code, name: unit.name } };
  }
  if (actor.kind === 'person') {
    const covered = unitIds ?? (await svc.db.unit.findMany({ select: { id: true } })).map((u) => u.id);
    if (!coversAll(await scopeOf(svc.db, actor, rule), covered))
      return deny(svc.db, actor, 'people.sync', input.unitCode ? `unit:${input.unitCode}` : 'all');
  }
  // An empty file would take everyone's roles away: that is never what a sync means.
  if (input.rows.length === 0) return refused('cli:import.sync_empty');
  const within = unitIds ? { unitIds: new Set(unitIds), code: input.unitCode! } : undefined;
  const { people, errors } = await parsePeople(svc.db, input.rows, within);
  if (errors.length) return ok({ kind: 'rejected', errors });

  if (!input.apply) return ok({ kind: 'plan', plan: await planPeopleSync(svc.db, people, unitIds), scope });

  const now = svc.clock.now().toJSDate();
  const done = await svc.db.$transaction(
    async (tx) => {
      const plan = await planPeopleSync(tx, people, unitIds);
      const { summary } = await applyPeopleSync(tx, people, plan, now, auditActor(actor));
      await audit(tx, {
        ...auditActor(actor),
        action: 'import.people.sync',
        target: input.unitCode ? `unit:${input.unitCode}` : 'all',
        details: { rows: input.rows.length, ...summary, deactivated: plan.deactivated.map((p) => p.personId) },
      });
      return { plan, summary };
    },
    { timeout: 120_000 },
  );
  return ok({ kind: 'applied', plan: done.plan, scope, summary: done.summary });
}
