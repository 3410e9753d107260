import type { Db } from '../../db/client.js';
import { ancestorIds, subtreeIds } from '../org/tree.js';

/**
 * Units whose documents a person sees: those above each unit where they hold a role (a document
 * for the đảng bộ is for its chi bộ too) and those below it (a role holds for the whole subtree).
 */
export async function visibleUnitIds(db: Db, personId: number): Promise<number[]> {
  const held = [...new Set((await db.roleAssignment.findMany({ where: { personId }, select: { unitId: true } })).map((r) => r.unitId))];
  const ids = new Set(await subtreeIds(db, held));
  for (const unitId of held) for (const id of await ancestorIds(db, unitId)) ids.add(id);
  return [...ids];
}
