import type { Db } from '../../db/client.js';
import type { Role } from '../../db/generated/enums.js';
import { subtreeIds } from '../org/tree.js';

export interface AudienceSpec {
  unitIds: number[];
  subtree: boolean;
  /** Only people holding one of these roles in the units; all roles when empty. */
  roles?: Role[];
}

/** People with a role in the units (or their subtrees), optionally limited to some roles. */
export async function peopleInAudience(db: Db, spec: AudienceSpec): Promise<number[]> {
  const unitIds = spec.subtree ? await subtreeIds(db, spec.unitIds) : spec.unitIds;
  const rows = await db.roleAssignment.findMany({
    where: { unitId: { in: unitIds }, ...(spec.roles?.length ? { role: { in: spec.roles } } : {}) },
    select: { personId: true },
    distinct: ['personId'],
  });
  return rows.map((r) => r.personId);
}
