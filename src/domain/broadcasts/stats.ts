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

export async function broadcastStatus(db: Db, broadcastId: number): Promise<BroadcastStatus> {
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
     WHERE r.broadcast_id = $1`,
    broadcastId,
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
export async function notAcknowledged(db: Db, broadcastId: number): Promise<PendingUnit[]> {
  const rows = await db.$queryRawUnsafe<{ code: string | null; name: string | null; full_name: string; linked: boolean; delivering: boolean | null }[]>(
    `SELECT u.code, u.name, p.full_name,
            bool_or(r.chat_identity_id IS NOT NULL) AS linked,
            bool_or(o.status IN ('pending', 'sending', 'sent')) AS delivering
     FROM broadcast_recipients r
     JOIN people p ON p.id = r.person_id
     LEFT JOIN units u ON u.id = r.unit_id
     ${JOIN_DELIVERY}
     WHERE r.broadcast_id = $1
     GROUP BY r.person_id, p.full_name, u.code, u.name
     HAVING bool_and(r.acked_at IS NULL)
     ORDER BY u.code NULLS LAST, p.full_name`,
    broadcastId,
  );
  const units: PendingUnit[] = [];
  for (const r of rows) {
    let unit = units.at(-1);
    if (!unit || unit.code !== r.code) units.push((unit = { code: r.code, name: r.name, people: [] }));
    unit.people.push({ name: r.full_name, state: !r.linked ? 'unlinked' : r.delivering ? 'ok' : 'failed' });
  }
  return units;
}

/** The latest broadcasts, of one author or (null) of everyone. */
export async function recentBroadcasts(db: Db, authorId: number | null, take = 10) {
  return db.broadcast.findMany({
    where: authorId === null ? {} : { authorId },
    orderBy: { id: 'desc' },
    take,
    include: { document: { select: { title: true, number: true } } },
  });
}
