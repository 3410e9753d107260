import type { Prisma } from '../../db/generated/client.js';
import type { Services } from '../../core/services.js';
import { subtreeIds } from '../../domain/org/tree.js';
import type { Actor } from '../actor.js';
import { deny, inScope, mayTryRule, scopeOf, type UnitScope } from '../policy.js';
import { ok, type Result } from '../result.js';
import { webPolicy } from './policy.js';

/** Rows per page of the audit log. */
export const AUDIT_PAGE = 50;

export interface AuditFilter {
  /** Only what this person did. */
  personId?: number;
  /** An exact action ("deadlines.remind") or a feature's prefix ("deadlines."). */
  action?: string;
  /** Only what people holding a role in this unit or below it did. */
  unitId?: number;
  /** Older than this row (the id of the last row shown). */
  before?: bigint;
}

export interface AuditRow {
  id: bigint;
  at: Date;
  person: { id: number; name: string } | null;
  /** "telegram:…", "web", "cli", "job"… */
  via: string;
  action: string;
  target: string | null;
  details: unknown;
}

export interface AuditPage {
  rows: AuditRow[];
  /** The `before` of the next (older) page, or null at the end. */
  older: bigint | null;
  /** The actions recorded, for the filter. */
  actions: string[];
  /** The units the viewer may filter by (in tree order: a parent before its children). */
  units: { id: number; name: string; code: string }[];
  /** The person filtered by, when any. */
  person: { id: number; name: string } | null;
  /** True when the viewer's roles reach every unit: also the command line, jobs and people without a role. */
  full: boolean;
}

/**
 * The audit log (web.audit), newest first. What a viewer sees follows the units their roles reach:
 * what people holding a role in those units did; whoever covers the whole organisation (every top
 * unit) also sees the command line, the jobs and people who no longer hold a role.
 */
export async function auditLog(svc: Services, actor: Actor, filter: AuditFilter): Promise<Result<AuditPage>> {
  if (actor.kind === 'person' && !mayTryRule(webPolicy.rules.audit, actor.person)) return deny(svc.db, actor, 'web.audit');
  const db = svc.db;
  const scope = await scopeOf(db, actor, webPolicy.rules.audit);
  const roots = await db.unit.findMany({ where: { parentId: null }, select: { id: true } });
  const full = scope.all || roots.every((r) => scope.ids.has(r.id));
  if (filter.unitId !== undefined && !inScope(scope, filter.unitId)) return deny(db, actor, 'web.audit', `unit:${filter.unitId}`);

  const where: Prisma.AuditLogWhereInput[] = [];
  const peopleOf = async (unitIds: number[] | 'all'): Promise<number[]> =>
    (
      await db.roleAssignment.findMany({
        where: unitIds === 'all' ? {} : { unitId: { in: unitIds } },
        select: { personId: true },
        distinct: ['personId'],
      })
    ).map((r) => r.personId);
  if (!full) where.push({ actorId: { in: await peopleOf([...(scope as { ids: ReadonlySet<number> }).ids]) } });
  if (filter.unitId !== undefined) where.push({ actorId: { in: await peopleOf(await subtreeIds(db, [filter.unitId])) } });
  if (filter.personId !== undefined) where.push({ actorId: filter.personId });
  if (filter.action) where.push(filter.action.endsWith('.') ? { action: { startsWith: filter.action } } : { action: filter.action });
  if (filter.before !== undefined) where.push({ id: { lt: filter.before } });

  const found = await db.auditLog.findMany({ where: { AND: where }, orderBy: { id: 'desc' }, take: AUDIT_PAGE + 1 });
  const page = found.slice(0, AUDIT_PAGE);
  const ids = [...new Set(page.map((r) => r.actorId).filter((x): x is number => x !== null))];
  if (filter.personId !== undefined) ids.push(filter.personId);
  const people = new Map(
    (await db.person.findMany({ where: { id: { in: ids } }, select: { id: true, fullName: true } })).map((p) => [p.id, p.fullName]),
  );
  const actions = (await db.auditLog.groupBy({ by: ['action'], orderBy: { action: 'asc' } })).map((r) => r.action);
  const units = await unitsForFilter(db, scope);
  const personName = filter.personId !== undefined ? people.get(filter.personId) : undefined;
  return ok({
    rows: page.map((r) => ({
      id: r.id,
      at: r.at,
      person: r.actorId !== null ? { id: r.actorId, name: people.get(r.actorId) ?? `#${r.actorId}` } : null,
      via: r.actor,
      action: r.action,
      target: r.target,
      details: r.details,
    })),
    older: found.length > AUDIT_PAGE ? page.at(-1)!.id : null,
    actions,
    units,
    person: personName !== undefined ? { id: filter.personId!, name: personName } : null,
    full,
  });
}

async function unitsForFilter(db: Services['db'], scope: UnitScope): Promise<AuditPage['units']> {
  const all = await db.unit.findMany({
    where: scope.all ? {} : { id: { in: [...scope.ids] } },
    select: { id: true, name: true, code: true, parentId: true },
    orderBy: { id: 'asc' },
  });
  // Tree order: each unit after its parent (a parent outside the scope starts a new branch).
  const byParent = new Map<number | null, typeof all>();
  const ids = new Set(all.map((u) => u.id));
  for (const u of all) {
    const key = u.parentId !== null && ids.has(u.parentId) ? u.parentId : null;
    const list = byParent.get(key);
    if (list) list.push(u);
    else byParent.set(key, [u]);
  }
  const out: AuditPage['units'] = [];
  const walk = (parent: number | null) => {
    for (const u of byParent.get(parent) ?? []) {
      out.push({ id: u.id, name: u.name, code: u.code });
      walk(u.id);
    }
  };
  walk(null);
  return out;
}
