import type { Db } from '../../db/client.js';
import type { Role } from '../../db/generated/enums.js';
import { subtreeIds } from '../org/tree.js';

/** Who may broadcast: the propaganda department and administrators, within their subtree. */
export const BROADCAST_ROLES = ['tuyen_giao', 'admin'] as const satisfies readonly Role[];

export interface BroadcastScope {
  /** Units where the person holds a broadcasting role and none above it does: "my whole subtree". */
  roots: number[];
  /** Every unit the person may broadcast to. */
  units: Set<number>;
}

export async function broadcastScope(db: Db, personId: number): Promise<BroadcastScope> {
  const held = await db.roleAssignment.findMany({
    where: { personId, role: { in: [...BROADCAST_ROLES] } },
    select: { unitId: true },
    orderBy: { id: 'asc' },
  });
  const heldIds = [...new Set(held.map((h) => h.unitId))];
  const units = new Set(await subtreeIds(db, heldIds));
  // A held unit inside another held unit's subtree is not a root of its own.
  const roots: number[] = [];
  for (const id of heldIds) {
    const others = heldIds.filter((o) => o !== id);
    const below = new Set(await subtreeIds(db, others));
    if (!below.has(id)) roots.push(id);
  }
  return { roots, units };
}
