import type { Db } from '../../db/client.js';

/** Per chat; "blocked" counts chats that refused the bot (403) or were already deactivated. */
export interface BroadcastStatus {
  recipients: number;
  queued: number;
  sent: number;
  failed: number;
  blocked: number;
  /** People who pressed "Đã nhận". */
  acknowledged: number;
  people: number;
  groups: number;
  /** People of the audience who have no chat with the bot. */
  unlinked: number;
}

// A chat's state is that of its message's last part (the one with the button), keyed `bc:<id>:c:<chat>`.
const JOIN_DELIVERY = `LEFT JOIN outbox o ON o.dedupe_key = 'bc:' || r.broadcast_id || ':c:' || r.chat_identity_id`;

/** Which recipients to count: all, or those reached through one of these units. */
export type UnitFilter = readonly number[] | 'all';

// $2: every unit; $3: otherwise only these.
const IN_UNITS = `($2::boolean OR r.unit_id = ANY($3::int[]))`;
const unitParams = (units: UnitFilter) => [units === 'all', units === 'all' ? [] : [...units]] as const;

export async function broadcastStatus(db: Db, broadcastId: number, units: UnitFilter = 'all'): Promise<BroadcastStatus> {
  const rows = await db.$queryRawUnsafe<Record<keyof BroadcastStatus, bigint>[]>(
    `SELECT count(r.chat_identity_id) AS recipients,
            count(*) FILTER (WHERE o.status IN ('pending', 'sending')) AS queued,
            count(*) FILTER (WHERE o.status = 'sent') AS sent,
            count(*) FILTER (WHERE o.status = 'failed' AND coalesce(o.last_error, '') NOT LIKE 'blocked:%') AS failed,
            count(*) FILTER (WHERE o.status = 'cancelled' OR (o.status = 'failed' AND o.last_error LIKE 'blocked:%')) AS blocked,
            count(DISTINCT r.person_id) FILTER (WHERE r.acked_at IS NOT NULL) AS acknowledged,
            count(DISTINCT r.person_id) AS people,
            count(*) FILTER (WHERE r.person_id IS NULL) AS groups,
            count(*) FILTER (WHERE r.chat_identity_id IS NULL) AS unlinked
     FROM broadcast_recipients r ${JOIN_DELIVERY}
     WHERE r.broadcast_id = $1 AND ${IN_UNITS}`,
    broadcastId,
    ...unitParams(units),
  );
  const r = rows[0]!;
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)])) as unknown as BroadcastStatus;
}

export interface PendingPerson {
  name: string;
  /** unlinked: no chat with the bot; failed: nothing reached them; ok: delivered or on its way. */
  state: 'unlinked' | 'failed' | 'ok';
}

export interface PendingUnit {
  code: string | null;
  name: string | null;
  people: PendingPerson[];
}

/** Who has not pressed "Đã nhận", by the unit they were reached through. */
export async function notAcknowledged(db: Db, broadcastId: number, viewerUnits: UnitFilter = 'all'): Promise<PendingUnit[]> {
  const rows = await db.$queryRawUnsafe<
    { code: string | null; name: string | null; full_name: string; linked: boolean; delivering: boolean | null }[]
  >(
    `SELECT u.code, u.name, p.full_name,
            bool_or(r.chat_identity_id IS NOT NULL) AS linked,
            bool_or(o.status IN ('pending', 'sending', 'sent')) AS delivering
     FROM broadcast_recipients r
     JOIN people p ON p.id = r.person_id
     LEFT JOIN units u ON u.id = r.unit_id
     ${JOIN_DELIVERY}
     WHERE r.broadcast_id = $1 AND ${IN_UNITS}
     GROUP BY r.person_id, p.full_name, u.code, u.name
     HAVING bool_and(r.acked_at IS NULL)
     ORDER BY u.code NULLS LAST, p.full_name`,
    broadcastId,
    ...unitParams(viewerUnits),
  );
  const units: PendingUnit[] = [];
  for (const r of rows) {
    let unit = units.at(-1);
    if (!unit || unit.code !== r.code) units.push((unit = { code: r.code, name: r.name, people: [] }));
    unit.people.push({ name: r.full_name, state: !r.linked ? 'unlinked' : r.delivering ? 'ok' : 'failed' });
  }
  return units;
}

/** The audience as recorded with a broadcast. */
export interface RecordedAudience {
  unitCodes: string[];
  subtree: boolean;
  roles: string[];
}

export function recordedAudience(json: unknown): RecordedAudience {
  const a = (json ?? {}) as Partial<RecordedAudience>;
  return { unitCodes: Array.isArray(a.unitCodes) ? a.unitCodes : [], subtree: !!a.subtree, roles: Array.isArray(a.roles) ? a.roles : [] };
}

/**
 * The latest broadcasts someone may follow: their own, and those whose every audience unit is one
 * of `units` (with `units` closed under "below", the subtrees follow); `all` for everyone's.
 */
export async function recentBroadcasts(db: Db, viewer: { authorId: number | null; units: UnitFilter }, take = 10) {
  const rows = await db.$queryRawUnsafe<{ id: number }[]>(
    `SELECT b.id FROM broadcasts b
     WHERE $1::boolean OR b.author_id = $2
        OR (jsonb_array_length(coalesce(b.audience->'unitCodes', '[]'::jsonb)) > 0 AND NOT EXISTS (
              SELECT 1 FROM jsonb_array_elements_text(b.audience->'unitCodes') c(code)
              WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.code = c.code AND u.id = ANY($3::int[]))))
     ORDER BY b.id DESC
     LIMIT $4`,
    viewer.units === 'all',
    viewer.authorId ?? -1,
    viewer.units === 'all' ? [] : [...viewer.units],
    take,
  );
  return db.broadcast.findMany({
    where: { id: { in: rows.map((r) => Number(r.id)) } },
    orderBy: { id: 'desc' },
    include: { document: { select: { title: true, number: true } } },
  });
}

/** Is every unit of the recorded audience one of `units`? (an empty audience is nobody's) */
export async function audienceWithin(db: Db, audience: RecordedAudience, units: UnitFilter): Promise<boolean> {
  if (units === 'all') return true;
  if (audience.unitCodes.length === 0) return false;
  const found = await db.unit.findMany({ where: { code: { in: audience.unitCodes } }, select: { id: true, code: true } });
  const inScope = new Set(units);
  return audience.unitCodes.every((code) => found.some((u) => u.code === code && inScope.has(u.id)));
}

export interface AckPerson {
  name: string;
  /** When they pressed "Đã nhận" (the first press, wherever), or null. */
  ackedAt: Date | null;
  /** As in PendingPerson: how the notice reached them. */
  state: 'unlinked' | 'failed' | 'ok';
}

export interface AckUnit {
  code: string | null;
  name: string | null;
  acknowledged: number;
  people: AckPerson[];
}

/** Every recipient person, acknowledged or not, by the unit they were reached through (the dashboard's table). */
export async function acknowledgementsByUnit(db: Db, broadcastId: number, viewerUnits: UnitFilter = 'all'): Promise<AckUnit[]> {
  const rows = await db.$queryRawUnsafe<
    { code: string | null; name: string | null; full_name: string; acked_at: Date | null; linked: boolean; delivering: boolean | null }[]
  >(
    `SELECT u.code, u.name, p.full_name, min(r.acked_at) AS acked_at,
            bool_or(r.chat_identity_id IS NOT NULL) AS linked,
            bool_or(o.status IN ('pending', 'sending', 'sent')) AS delivering
     FROM broadcast_recipients r
     JOIN people p ON p.id = r.person_id
     LEFT JOIN units u ON u.id = r.unit_id
     ${JOIN_DELIVERY}
     WHERE r.broadcast_id = $1 AND ${IN_UNITS}
     GROUP BY r.person_id, p.full_name, u.code, u.name
     ORDER BY u.code NULLS LAST, p.full_name`,
    broadcastId,
    ...unitParams(viewerUnits),
  );
  const units: AckUnit[] = [];
  for (const r of rows) {
    let unit = units.at(-1);
    if (!unit || unit.code !== r.code) units.push((unit = { code: r.code, name: r.name, acknowledged: 0, people: [] }));
    const ackedAt = r.acked_at ? new Date(r.acked_at) : null;
    if (ackedAt) unit.acknowledged++;
    unit.people.push({ name: r.full_name, ackedAt, state: !r.linked ? 'unlinked' : r.delivering ? 'ok' : 'failed' });
  }
  return units;
}
