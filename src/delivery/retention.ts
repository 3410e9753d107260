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

// Parameters of every statement: $1 the retention cutoff by the app clock, $2 the start of the
// deadline jobs' window, $3 the retention in days.
// A row's age is measured against the time the database wrote it with, and the app clock's cutoff:
// the same in production, and with an app clock set ahead (tests, the sandbox) nothing written
// "today" by the database counts as old.
const OLD = (at: string) => `${at} < LEAST($1::timestamp, LOCALTIMESTAMP - make_interval(days => $3::int))`;
const FINISHED = `o.status IN ('sent', 'failed', 'cancelled') AND ${OLD('coalesce(o.sent_at, o.created_at)')}`;

// Whether what a key names is still live is a matter of the app clock.
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
  const params = [
    now.minus({ days: retentionDays }).toUTC().toISO({ includeOffset: false })!,
    now.minus({ days: OVERDUE_WINDOW_DAYS }).toUTC().toISO({ includeOffset: false })!,
    retentionDays,
  ];
  const result: RetentionResult = { deletedMessages: 0, blankedPayloads: 0, deletedMarks: 0 };
  // In batches, so that a first run on a large outbox does not hold one long transaction.
  for (;;) {
    const n = await db.$executeRawUnsafe(
      `DELETE FROM outbox WHERE id IN (
         SELECT o.id FROM outbox o WHERE ${FINISHED} AND NOT ${STILL_READ} LIMIT ${BATCH})`,
      ...params,
    );
    result.deletedMessages += n;
    if (n < BATCH) break;
  }
  for (;;) {
    const n = await db.$executeRawUnsafe(
      `UPDATE outbox SET payload = '{}'::jsonb WHERE id IN (
         SELECT o.id FROM outbox o WHERE ${FINISHED} AND o.dedupe_key NOT LIKE 'bc:%' AND o.payload <> '{}'::jsonb
           AND $2::timestamp IS NOT NULL /* every statement takes the same three parameters */ LIMIT ${BATCH})`,
      ...params,
    );
    result.blankedPayloads += n;
    if (n < BATCH) break;
  }
  // A mark named by a local date ("deadlines:digest:2026-12-05") stays until that date is old too.
  result.deletedMarks = await db.$executeRawUnsafe(
    `DELETE FROM job_marks m WHERE ${OLD('m.at')} AND NOT ${deadlineLive('m.key')}
       AND NOT (m.key ~ ':[0-9]{4}-[0-9]{2}-[0-9]{2}$' AND right(m.key, 10) >= $4)`,
    ...params,
    now.minus({ days: retentionDays }).toISODate(),
  );
  return result;
}

/**
 * The inbox (`inbox_updates`, src/delivery/inbox.ts) keeps a handled update's keys (its payload is
 * blanked when handled) and a given-up update whole, for OUTBOX_RETENTION_DAYS after it was handled;
 * then it is deleted. An update still unhandled that long (its channel no longer runs) goes too:
 * the platform itself forgets undelivered updates after a day, and its payload holds texts, names
 * and phone numbers. In batches; idempotent.
 */
export async function pruneInbox(db: Db, now: DateTime, retentionDays: number): Promise<{ deletedUpdates: number }> {
  const cutoff = now.minus({ days: retentionDays }).toUTC().toISO({ includeOffset: false })!;
  let deletedUpdates = 0;
  for (;;) {
    const n = await db.$executeRawUnsafe(
      `DELETE FROM inbox_updates WHERE id IN (
         SELECT id FROM inbox_updates
         WHERE coalesce(handled_at, received_at) < LEAST($1::timestamp, LOCALTIMESTAMP - make_interval(days => $2::int))
           AND (claimed_until IS NULL OR claimed_until < now())
         LIMIT ${BATCH})`,
      cutoff,
      retentionDays,
    );
    deletedUpdates += n;
    if (n < BATCH) break;
  }
  return { deletedUpdates };
}
