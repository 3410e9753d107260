import { z } from 'zod';
import type { Db, Tx } from '../../db/client.js';
import { Role } from '../../db/generated/enums.js';
import { audit } from '../audit.js';
import { deactivatePerson, type DeactivationResult } from '../people.js';
import { normalizePhone } from '../phone.js';
import type { ImportResult, RowError } from './errors.js';
import type { TableRow } from './readTable.js';

export const PEOPLE_COLUMNS = ['full_name', 'phone', 'unit_code', 'role'] as const;
const ROLES = Object.values(Role) as [Role, ...Role[]];

const personRow = z.object({
  full_name: z.string().min(2, 'empty_name').max(120, 'name_too_long'),
  phone: z.string().transform((p, ctx) => {
    const phone = normalizePhone(p);
    if (!phone) {
      ctx.addIssue({ code: 'custom', message: 'bad_phone' });
      return z.NEVER;
    }
    return phone;
  }),
  unit_code: z.string().min(1, 'empty_unit'),
  role: z.string().transform((r, ctx) => {
    const role = r.trim().toLowerCase() as Role;
    if (!ROLES.includes(role)) {
      ctx.addIssue({ code: 'custom', message: 'bad_role' });
      return z.NEVER;
    }
    return role;
  }),
  position: z.string().max(200).optional(),
});

export interface PeopleSummary {
  peopleCreated: number;
  peopleUpdated: number;
  rolesAdded: number;
  /** Deactivated people the file gave roles again (they need a new invite). */
  peopleReactivated: number;
}

/** One person of the file, with every role the file gives them. */
export interface FilePerson {
  fullName: string;
  position?: string;
  line: number;
  roles: { unitId: number; role: Role; line: number }[];
}

export type AuditActor = string | { actorId: number | null; actor: string };
const actorColumns = (a: AuditActor) => (typeof a === 'string' ? { actor: a } : a);

/**
 * Reads and checks the rows: every bad row is listed, with its line. With `within`, a row for a unit
 * outside those units is bad too (a sync of one subtree must not touch the others).
 */
export async function parsePeople(
  db: Tx,
  rows: TableRow[],
  within?: { unitIds: ReadonlySet<number>; code: string },
): Promise<{ people: Map<string, FilePerson>; errors: RowError[] }> {
  const errors: RowError[] = [];
  const units = new Map((await db.unit.findMany({ select: { id: true, code: true } })).map((u) => [u.code, u.id]));
  const people = new Map<string, FilePerson>();

  for (const row of rows) {
    const parsed = personRow.safeParse(row.values);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        errors.push({ line: row.line, key: issue.message, params: { value: String(row.values[String(issue.path[0])] ?? '') } });
      }
      continue;
    }
    const p = parsed.data;
    const unitId = units.get(p.unit_code);
    if (unitId === undefined) {
      errors.push({ line: row.line, key: 'unknown_unit', params: { value: p.unit_code } });
      continue;
    }
    if (within && !within.unitIds.has(unitId)) {
      errors.push({ line: row.line, key: 'outside_subtree', params: { value: p.unit_code, unit: within.code } });
      continue;
    }
    const known = people.get(p.phone);
    if (known && known.fullName !== p.full_name) {
      errors.push({ line: row.line, key: 'phone_name_conflict', params: { value: p.phone, name: known.fullName, first: known.line } });
      continue;
    }
    const entry = known ?? { fullName: p.full_name, line: row.line, roles: [] };
    if (p.position) entry.position = p.position;
    if (!entry.roles.some((r) => r.unitId === unitId && r.role === p.role)) entry.roles.push({ unitId, role: p.role, line: row.line });
    people.set(p.phone, entry);
  }
  return { people, errors };
}

/** Creates the file's new people, updates names and positions, reactivates; returns phone → id. */
async function upsertPeople(tx: Tx, people: Map<string, FilePerson>, summary: PeopleSummary): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const existing = new Map((await tx.person.findMany({ where: { phone: { in: [...people.keys()] } } })).map((p) => [p.phone, p]));
  for (const [phone, p] of people) {
    const old = existing.get(phone);
    if (!old) {
      ids.set(phone, (await tx.person.create({ data: { phone, fullName: p.fullName, position: p.position ?? null } })).id);
      summary.peopleCreated++;
      continue;
    }
    ids.set(phone, old.id);
    const renamed = old.fullName !== p.fullName || (p.position !== undefined && old.position !== p.position);
    if (renamed || old.deactivatedAt) {
      await tx.person.update({
        where: { id: old.id },
        data: {
          ...(renamed ? { fullName: p.fullName, ...(p.position ? { position: p.position } : {}) } : {}),
          ...(old.deactivatedAt ? { deactivatedAt: null } : {}),
        },
      });
      if (renamed) summary.peopleUpdated++;
      if (old.deactivatedAt) summary.peopleReactivated++;
    }
  }
  return ids;
}

/** Adds what the file says; removes nothing (see `planPeopleSync` for that). */
export async function importPeople(db: Db, rows: TableRow[], actor: AuditActor = 'cli'): Promise<ImportResult<PeopleSummary>> {
  const { people, errors } = await parsePeople(db, rows);
  if (errors.length) return { ok: false, errors };

  const summary: PeopleSummary = { peopleCreated: 0, peopleUpdated: 0, rolesAdded: 0, peopleReactivated: 0 };
  await db.$transaction(
    async (tx) => {
      const ids = await upsertPeople(tx, people, summary);
      const res = await tx.roleAssignment.createMany({
        data: [...people].flatMap(([phone, p]) => p.roles.map((r) => ({ personId: ids.get(phone)!, unitId: r.unitId, role: r.role }))),
        skipDuplicates: true,
      });
      summary.rolesAdded += res.count;
      await audit(tx, { ...actorColumns(actor), action: 'import.people', details: { rows: rows.length, ...summary } });
    },
    { timeout: 120_000 },
  );
  return { ok: true, summary };
}

// ---- sync: the file is the whole truth for a subtree ----

export interface PlanPerson {
  personId: number | null;
  phone: string;
  fullName: string;
}

export interface PlanRole extends PlanPerson {
  /** The assignment's id, for roles to remove. */
  assignmentId?: number;
  unitId: number;
  unitCode: string;
  unitName: string;
  role: Role;
}

export interface SyncPlan {
  /** The units whose role assignments the file replaces; null: the whole organisation. */
  unitIds: number[] | null;
  newPeople: PlanPerson[];
  rolesAdded: PlanRole[];
  rolesRemoved: PlanRole[];
  /** People left without any role: they will be deactivated. */
  deactivated: PlanPerson[];
  /** Deactivated people the file gives roles again. */
  reactivated: PlanPerson[];
}

export function planIsEmpty(plan: SyncPlan): boolean {
  return (
    !plan.newPeople.length && !plan.rolesAdded.length && !plan.rolesRemoved.length && !plan.deactivated.length && !plan.reactivated.length
  );
}

/**
 * What a sync would change: compares the role assignments inside `unitIds` (all when null) with the
 * file's rows. A person who keeps a role outside those units keeps access; whoever is left with no
 * role at all is deactivated.
 */
export async function planPeopleSync(db: Tx, people: Map<string, FilePerson>, unitIds: number[] | null): Promise<SyncPlan> {
  const units = new Map((await db.unit.findMany({ select: { id: true, code: true, name: true } })).map((u) => [u.id, u]));
  const existingPeople = new Map(
    (await db.person.findMany({ where: { phone: { in: [...people.keys()] } }, include: { roles: true } })).map((p) => [p.phone, p]),
  );
  const current = await db.roleAssignment.findMany({
    where: unitIds ? { unitId: { in: unitIds } } : {},
    include: { person: { select: { id: true, phone: true, fullName: true } } },
    orderBy: { id: 'asc' },
  });
  const unitOf = (id: number) => ({ unitId: id, unitCode: units.get(id)!.code, unitName: units.get(id)!.name });
  const wanted = new Set([...people].flatMap(([phone, p]) => p.roles.map((r) => `${phone}|${r.unitId}|${r.role}`)));

  const plan: SyncPlan = { unitIds, newPeople: [], rolesAdded: [], rolesRemoved: [], deactivated: [], reactivated: [] };
  for (const [phone, p] of people) {
    const old = existingPeople.get(phone);
    const who: PlanPerson = { personId: old?.id ?? null, phone, fullName: p.fullName };
    if (!old) plan.newPeople.push(who);
    else if (old.deactivatedAt) plan.reactivated.push(who);
    for (const r of p.roles) {
      if (old?.roles.some((h) => h.unitId === r.unitId && h.role === r.role)) continue;
      plan.rolesAdded.push({ ...who, ...unitOf(r.unitId), role: r.role });
    }
  }
  for (const a of current) {
    if (wanted.has(`${a.person.phone}|${a.unitId}|${a.role}`)) continue;
    plan.rolesRemoved.push({
      personId: a.person.id,
      phone: a.person.phone,
      fullName: a.person.fullName,
      assignmentId: a.id,
      ...unitOf(a.unitId),
      role: a.role,
    });
  }

  const losing = [...new Set(plan.rolesRemoved.map((r) => r.personId!))];
  if (losing.length) {
    const held = await db.roleAssignment.groupBy({ by: ['personId'], where: { personId: { in: losing } }, _count: { _all: true } });
    const count = new Map(held.map((h) => [h.personId, h._count._all]));
    for (const id of losing) {
      const removed = plan.rolesRemoved.filter((r) => r.personId === id);
      const added = plan.rolesAdded.filter((r) => r.personId === id).length;
      if ((count.get(id) ?? 0) - removed.length + added === 0) {
        plan.deactivated.push({ personId: id, phone: removed[0]!.phone, fullName: removed[0]!.fullName });
      }
    }
  }
  const byName = (a: PlanPerson, b: PlanPerson) => a.fullName.localeCompare(b.fullName, 'vi');
  plan.newPeople.sort(byName);
  plan.deactivated.sort(byName);
  plan.reactivated.sort(byName);
  return plan;
}

export interface SyncSummary extends PeopleSummary {
  rolesRemoved: number;
  peopleDeactivated: number;
}

/**
 * Applies a plan computed in the same transaction (so nothing changed in between), and audits
 * each removed role and each deactivation with what was there before.
 */
export async function applyPeopleSync(
  tx: Tx,
  people: Map<string, FilePerson>,
  plan: SyncPlan,
  now: Date,
  actor: AuditActor,
): Promise<{ summary: SyncSummary; deactivations: { person: PlanPerson; result: DeactivationResult }[] }> {
  const summary: SyncSummary = {
    peopleCreated: 0,
    peopleUpdated: 0,
    rolesAdded: 0,
    peopleReactivated: 0,
    rolesRemoved: 0,
    peopleDeactivated: 0,
  };
  const ids = await upsertPeople(tx, people, summary);
  const added = await tx.roleAssignment.createMany({
    data: [...people].flatMap(([phone, p]) => p.roles.map((r) => ({ personId: ids.get(phone)!, unitId: r.unitId, role: r.role }))),
    skipDuplicates: true,
  });
  summary.rolesAdded = added.count;
  // Deactivation first, so its audit row lists every role the person had.
  const deactivations: { person: PlanPerson; result: DeactivationResult }[] = [];
  for (const person of plan.deactivated) {
    const result = await deactivatePerson(tx, person.personId!, now);
    deactivations.push({ person, result });
    await audit(tx, {
      ...actorColumns(actor),
      action: 'person.deactivate',
      target: `person:${person.personId}`,
      details: deactivationDetails(result),
    });
  }
  await tx.roleAssignment.deleteMany({ where: { id: { in: plan.rolesRemoved.map((r) => r.assignmentId!) } } });
  summary.rolesRemoved = plan.rolesRemoved.length;
  for (const r of plan.rolesRemoved) {
    await audit(tx, {
      ...actorColumns(actor),
      action: 'role.remove',
      target: `person:${r.personId}`,
      details: { before: { unit: r.unitCode, role: r.role }, after: null },
    });
  }
  summary.peopleDeactivated = deactivations.length;
  return { summary, deactivations };
}

/** The audit details of a deactivation: what the person had before, and what was undone. */
export function deactivationDetails(r: DeactivationResult) {
  return {
    before: { roles: r.roles, chats: r.chats },
    after: { roles: [], chats: [] },
    cancelledMessages: r.cancelled,
    invitesRevoked: r.invitesRevoked,
    calendarRevoked: r.calendarRevoked,
    webSessionsEnded: r.webSessionsEnded,
  };
}
