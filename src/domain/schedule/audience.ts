import type { Tx } from './model.js';

async function subtree(db: Tx, unitId: number): Promise<number[]> {
  const rows = await db.$queryRaw<{ id: number }[]>`
    WITH RECURSIVE t AS (
      SELECT id FROM units WHERE id = ${unitId}
      UNION
      SELECT u.id FROM units u JOIN t ON u.parent_id = t.id
    ) SELECT id FROM t`;
  return rows.map((r) => Number(r.id));
}

/** Units whose schedule a person follows: every unit they hold a role in, and all units above. */
export async function followedUnitIds(db: Tx, personId: number): Promise<number[]> {
  const rows = await db.$queryRaw<{ id: number }[]>`
    WITH RECURSIVE t AS (
      SELECT unit_id AS id FROM role_assignments WHERE person_id = ${personId}
      UNION
      SELECT u.parent_id FROM units u JOIN t ON u.id = t.id WHERE u.parent_id IS NOT NULL
    ) SELECT id FROM t`;
  return rows.map((r) => Number(r.id));
}

/** People in the unit's subtree who have not turned the weekly digest off. */
export async function digestSubscribers(db: Tx, unitId: number): Promise<number[]> {
  const units = await subtree(db, unitId);
  const rows = await db.roleAssignment.findMany({
    where: { unitId: { in: units }, person: { OR: [{ schedulePrefs: null }, { schedulePrefs: { digestOff: false } }] } },
    select: { personId: true },
    distinct: ['personId'],
  });
  return rows.map((r) => r.personId);
}

export interface Reader {
  personId: number;
  locale: string;
  /** Units the person holds a role in (directly). */
  unitIds: number[];
}

export async function readers(db: Tx, personIds: number[]): Promise<Map<number, Reader>> {
  if (personIds.length === 0) return new Map();
  const people = await db.person.findMany({
    where: { id: { in: personIds } },
    select: { id: true, locale: true, roles: { select: { unitId: true } } },
  });
  return new Map(people.map((p) => [p.id, { personId: p.id, locale: p.locale, unitIds: [...new Set(p.roles.map((r) => r.unitId))] }]));
}

/** Of these people, those who turned the weekly digest (and notices of items they do not attend) off. */
export async function digestOptedOut(db: Tx, personIds: number[]): Promise<Set<number>> {
  if (personIds.length === 0) return new Set();
  const rows = await db.schedulePrefs.findMany({ where: { personId: { in: personIds }, digestOff: true }, select: { personId: true } });
  return new Set(rows.map((r) => r.personId));
}
