import type { DateTime } from 'luxon';
import type { Db } from '../db/client.js';

/**
 * Outbox rows and job marks are kept OUTBOX_RETENTION_DAYS after they were sent or made, then
 * deleted, except what something still reads:
 * - `bc:*` rows stay (payload too): broadcast statistics, the reminder to those who have not
 *   acknowledged (it joins the sent row) and the acknowledgement's re-rendered message read them;
 *   their text is also kept in `broadcasts.text`, so keeping the payload keeps nothing new.
 * - `deadline:<id>:*` rows and marks stay while the deadline is in a job's window (due in the future,
 *   or overdue for up to OVERDUE_WINDOW_DAYS): a pruned mark would send the reminder again.
 * - `schedule:remind:<item>:*` rows stay while the item is not older than the retention period: a
 *   change notice asks them who was reminded.
 * - `checkin:<id>:*` rows stay while the campaign is open.
 * - A mark named by a local date stays until that date is past the retention period.
 * A finished row that stays has its payload blanked once the retention period is over (notices can
 * carry names and phone numbers: the morning digest, second-chat warnings).
 * Pending and sending rows are never touched. Each statement is idempotent.
 */
export interface RetentionResult {
  deletedMessages: number;
  blankedPayloads: number;
  deletedMarks: number;
}

/** The overdue notice looks back 30 days (`escalation.ts`); one day more for time zones. */
const OVERDUE_WINDOW_DAYS = 31;
const BATCH = 10_000;

const FINISHED = `o.status IN ('sent', 'failed', 'cancelled') AND coalesce(o.sent_at, o.created_at) < $1::timestamp`;

// $1: the retention cutoff; $2: the start of the deadline jobs' window.
const deadlineLive = (key: string) =>
  `(${key} LIKE 'deadline:%' AND EXISTS (SELECT 1 FROM deadlines d
     WHERE d.id::text = split_part(${key}, ':', 2) AND (d.due_at >= $2::timestamp OR d.due_at >= $1::timestamp)))`;
const STILL_READ = `(o.dedupe_key LIKE 'bc:%'
  OR ${deadlineLive('o.dedupe_key')}
  OR (o.dedupe_key LIKE 'schedule:remind:%' AND EXISTS (SELECT 1 FROM schedule_items s
     WHERE s.id::text = split_part(o.dedupe_key, ':', 3) AND s.starts_at >= $1::timestamp))
  OR (o.dedupe_key LIKE 'checkin:%' AND EXISTS (SELECT 1 FROM checkin_campaigns c
     WHERE c.id::text = split_part(o.dedupe_key, ':', 2) AND c.closes_at >= $1::timestamp)))`;

export async function pruneOutbox(db: Db, now: DateTime, retentionDays: number): Promise<RetentionResult> {
  const cutoff = now.minus({ days: retentionDays }).toUTC().toISO({ includeOffset: false })!;
  const window = now.minus({ days: OVERDUE_WINDOW_DAYS }).toUTC().toISO({ includeOffset: false })!;
  const result: RetentionResult = { deletedMessages: 0, blankedPayloads: 0, deletedMarks: 0 };
  // In batches, so that a first run on a large outbox does not hold one long transaction.
  for (;;) {
    const n = await db.$executeRawUnsafe(
      `DELETE FROM outbox WHERE id IN (
         SELECT o.id FROM outbox o WHERE ${FINISHED} AND NOT ${STILL_READ} LIMIT ${BATCH})`,
      cutoff,
      window,
    );
    result.deletedMessages += n;
    if (n < BATCH) break;
  }
  for (;;) {
    const n = await db.$executeRawUnsafe(
      `UPDATE outbox SET payload = '{}'::jsonb WHERE id IN (
         SELECT o.id FROM outbox o WHERE ${FINISHED} AND o.dedupe_key NOT LIKE 'bc:%' AND o.payload <> '{}'::jsonb LIMIT ${BATCH})`,
      cutoff,
    );
    result.blankedPayloads += n;
    if (n < BATCH) break;
  }
  // A mark named by a local date ("deadlines:digest:2026-12-05") stays until that date is old too,
  // whatever the database clock said when it was made.
  result.deletedMarks = await db.$executeRawUnsafe(
    `DELETE FROM job_marks m WHERE m.at < $1::timestamp AND NOT ${deadlineLive('m.key')}
       AND NOT (m.key ~ ':[0-9]{4}-[0-9]{2}-[0-9]{2}$' AND right(m.key, 10) >= $3)`,
    cutoff,
    window,
    now.minus({ days: retentionDays }).toISODate(),
  );
  return result;
}
