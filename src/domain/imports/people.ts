import { z } from 'zod';
import type { Db, Tx } from '../../db/client.js';
import { Role } from '../../db/generated/enums.js';
import { audit, auditMany } from '../audit.js';
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

/**
 * Creates the file's new people, updates names and positions, reactivates; returns phone → id.
 * In set operations (a whole bloc is 8,445 people): one read, one insert, one update of the renamed
 * and one of the reactivated, whatever the file's size.
 */
async function upsertPeople(tx: Tx, people: Map<string, FilePerson>, summary: PeopleSummary): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const phones = [...people.keys()];
  const existing = new Map(
    (
      await tx.person.findMany({
        where: { phone: { in: phones } },
        select: { id: true, phone: true, fullName: true, position: true, deactivatedAt: true },
      })
    ).map((p) => [p.phone, p]),
  );
  const fresh = phones.filter((phone) => !existing.has(phone));
  if (fresh.length) {
    // unnest(arrays): three parameters however many people (createMany would send three per person).
    const made = await tx.$queryRaw<{ id: number; phone: string }[]>`
      INSERT INTO people (phone, full_name, position, updated_at)
      SELECT v.phone, v.full_name, v.position, now()
      FROM unnest(${fresh}::text[], ${fresh.map((phone) => people.get(phone)!.fullName)}::text[], ${fresh.map((phone) => people.get(phone)!.position ?? null)}::text[])
        AS v(phone, full_name, position)
      RETURNING id, phone`;
    for (const p of made) ids.set(p.phone, p.id);
    summary.peopleCreated += fresh.length;
  }
  const renamed: { id: number; fullName: string; position: string | null }[] = [];
  const reactivated: number[] = [];
  for (const [phone, old] of existing) {
    const p = people.get(phone)!;
    ids.set(phone, old.id);
    if (old.fullName !== p.fullName || (p.position !== undefined && old.position !== p.position)) {
      // An empty position in the file keeps the one stored.
      renamed.push({ id: old.id, fullName: p.fullName, position: p.position ? p.position : null });
    }
    if (old.deactivatedAt) reactivated.push(old.id);
  }
  if (renamed.length) {
    await tx.$executeRaw`
      UPDATE people AS p SET full_name = v.full_name, position = COALESCE(v.position, p.position), updated_at = now()
      FROM unnest(${renamed.map((r) => r.id)}::int[], ${renamed.map((r) => r.fullName)}::text[], ${renamed.map((r) => r.position)}::text[])
        AS v(id, full_name, position)
      WHERE p.id = v.id`;
    summary.peopleUpdated += renamed.length;
  }
  if (reactivated.length) {
    await tx.person.updateMany({ where: { id: { in: reactivated } }, data: { deactivatedAt: null } });
    summary.peopleReactivated += reactivated.length;
  }
  return ids;
}

/** The file's role assignments the database lacks (one INSERT of arrays); returns how many were added. */
async function addRoles(tx: Tx, people: Map<string, FilePerson>, ids: Map<string, number>): Promise<number> {
  const rows = [...people].flatMap(([phone, p]) => p.roles.map((r) => ({ personId: ids.get(phone)!, unitId: r.unitId, role: r.role })));
  if (!rows.length) return 0;
  return tx.$executeRaw`
    INSERT INTO role_assignments (person_id, unit_id, role)
    SELECT v.person_id, v.unit_id, v.role::"Role"
    FROM unnest(${rows.map((r) => r.personId)}::int[], ${rows.map((r) => r.unitId)}::int[], ${rows.map((r) => r.role)}::text[])
      AS v(person_id, unit_id, role)
    ON CONFLICT (person_id, unit_id, role) DO NOTHING`;
}

/** Adds what the file says; removes nothing (see `planPeopleSync` for that). */
export async function importPeople(db: Db, rows: TableRow[], actor: AuditActor = 'cli'): Promise<ImportResult<PeopleSummary>> {
  const { people, errors } = await parsePeople(db, rows);
  if (errors.length) return { ok: false, errors };

  const summary: PeopleSummary = { peopleCreated: 0, peopleUpdated: 0, rolesAdded: 0, peopleReactivated: 0 };
  await db.$transaction(
    async (tx) => {
      const ids = await upsertPeople(tx, people, summary);
      summary.rolesAdded += await addRoles(tx, people, ids);
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
    const removedOf = new Map<number, PlanRole[]>();
    for (const r of plan.rolesRemoved) removedOf.set(r.personId!, [...(removedOf.get(r.personId!) ?? []), r]);
    const addedOf = new Map<number | null, PlanRole[]>();
    for (const r of plan.rolesAdded) addedOf.set(r.personId, [...(addedOf.get(r.personId) ?? []), r]);
    for (const id of losing) {
      const removed = removedOf.get(id) ?? [];
      const added = addedOf.get(id)?.length ?? 0;
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
  summary.rolesAdded = await addRoles(tx, people, ids);
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
  await auditMany(
    tx,
    plan.rolesRemoved.map((r) => ({
      ...actorColumns(actor),
      action: 'role.remove',
      target: `person:${r.personId}`,
      details: { before: { unit: r.unitCode, role: r.role }, after: null },
    })),
  );
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
