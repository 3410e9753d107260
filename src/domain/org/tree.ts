import type { Tx } from '../../db/client.js';
import type { Role } from '../../db/generated/enums.js';

/** The units at and below `rootIds`. */
export async function subtreeIds(db: Tx, rootIds: number[]): Promise<number[]> {
  if (rootIds.length === 0) return [];
  const rows = await db.$queryRaw<{ id: number }[]>`
    WITH RECURSIVE t AS (
      SELECT id FROM units WHERE id = ANY(${rootIds}::int[])
      UNION
      SELECT u.id FROM units u JOIN t ON u.parent_id = t.id
    ) SELECT id FROM t`;
  return rows.map((r) => Number(r.id));
}

/** The unit itself and every unit above it, nearest first. */
export async function ancestorIds(db: Tx, unitId: number): Promise<number[]> {
  const rows = await db.$queryRaw<{ id: number; depth: number }[]>`
    WITH RECURSIVE t AS (
      SELECT id, parent_id, 0 AS depth FROM units WHERE id = ${unitId}
      UNION ALL
      SELECT u.id, u.parent_id, t.depth + 1 FROM units u JOIN t ON u.id = t.parent_id WHERE t.depth < 64
    ) SELECT id, depth FROM t ORDER BY depth`;
  return rows.map((r) => Number(r.id));
}

/** Units where `personId` holds one of `roles`, together with everything below them. */
export async function unitsInScope(db: Tx, personId: number, roles: readonly Role[]): Promise<number[]> {
  const held = await db.roleAssignment.findMany({
    where: { personId, role: { in: [...roles] } },
    select: { unitId: true },
  });
  return subtreeIds(db, [...new Set(held.map((h) => h.unitId))]);
}

/** True when the person holds one of `roles` in `unitId` or in a unit above it. */
export async function hasRoleFor(db: Tx, personId: number, unitId: number, roles: readonly Role[]): Promise<boolean> {
  const above = await ancestorIds(db, unitId);
  const n = await db.roleAssignment.count({ where: { personId, role: { in: [...roles] }, unitId: { in: above } } });
  return n > 0;
}

/**
 * People holding one of `roles` directly in `unitId` or above it (e.g. the `phu_trach` of a chi bộ
 * is whoever supervises it or its đảng bộ).
 */
export async function peopleAbove(db: Tx, unitId: number, roles: readonly Role[]): Promise<number[]> {
  const above = await ancestorIds(db, unitId);
  const rows = await db.roleAssignment.findMany({
    where: { role: { in: [...roles] }, unitId: { in: above } },
    select: { personId: true },
    distinct: ['personId'],
  });
  return rows.map((r) => r.personId);
}
