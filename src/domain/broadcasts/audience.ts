import type { Db } from '../../db/client.js';
import type { Prisma } from '../../db/generated/client.js';
import type { Role } from '../../db/generated/enums.js';
import { subtreeIds } from '../org/tree.js';
import { reachChatSql } from '../reach.js';

type Tx = Db | Prisma.TransactionClient;

export interface Audience {
  unitIds: number[];
  /** Also every unit below them. */
  subtree: boolean;
  /** Only people holding one of these roles in the units; everyone when empty. */
  roles: Role[];
}

/** The units an audience covers. */
export async function audienceUnits(db: Db, a: Audience): Promise<number[]> {
  return a.subtree ? subtreeIds(db, a.unitIds) : [...new Set(a.unitIds)];
}

/**
 * SQL for the people of an audience ($1 units, $2 roles), each once, with the unit they are
 * reached through (their first role there).
 */
export const AUDIENCE_PEOPLE = `
  SELECT DISTINCT ON (ra.person_id) ra.person_id, ra.unit_id
  FROM role_assignments ra
  WHERE ra.unit_id = ANY($1::int[]) AND (cardinality($2::text[]) = 0 OR ra.role::text = ANY($2::text[]))
  ORDER BY ra.person_id, ra.id`;

/** Linked groups of the units get a broadcast only when it is for everyone in them, not some roles. */
export function includesGroups(a: Audience): boolean {
  return a.roles.length === 0;
}

export interface AudienceCounts {
  people: number;
  /** People reach finds a chat for (at least one active private chat). */
  reachable: number;
  groups: number;
}

export async function countAudience(db: Tx, unitIds: number[], a: Audience): Promise<AudienceCounts> {
  const rows = await db.$queryRawUnsafe<{ people: bigint; reachable: bigint; groups: bigint }[]>(
    `WITH a AS (${AUDIENCE_PEOPLE})
     SELECT (SELECT count(*) FROM a) AS people,
            (SELECT count(*) FROM a WHERE ${reachChatSql('a.person_id')} IS NOT NULL) AS reachable,
            (SELECT count(*) FROM chat_identities c
             WHERE $3::boolean AND c.is_group AND c.active AND c.unit_id = ANY($1::int[])) AS groups`,
    unitIds,
    a.roles,
    includesGroups(a),
  );
  const r = rows[0]!;
  return { people: Number(r.people), reachable: Number(r.reachable), groups: Number(r.groups) };
}
