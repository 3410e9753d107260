import { DateTime } from 'luxon';
import { parseDatePhrase } from '../../core/datePhrase.js';
import { parseDate, parseTime } from '../../core/format.js';

export const DEFAULT_REMIND_DAYS = [7, 3, 1, 0];

/** A stored instant in the app's zone. */
export function local(d: Date, zone: string): DateTime {
  return DateTime.fromJSDate(d, { zone });
}

/**
 * The due moment for a typed date ("31/12/2026" or ISO) and optional time ("17:00"): without a
 * time, the end of that day ("trước 31/12" means before the day is over in Vietnam).
 * Returns an error key when either part is not real.
 */
export function parseDue(
  date: string,
  time: string | undefined,
  zone: string,
): { ok: true; dueAt: DateTime } | { ok: false; error: 'bad_date' | 'bad_time' } {
  const day = parseDate(date, zone);
  if (!day) return { ok: false, error: 'bad_date' };
  if (time === undefined || time.trim() === '') return { ok: true, dueAt: day.endOf('day') };
  const t = parseTime(time);
  if (!t) return { ok: false, error: 'bad_time' };
  return { ok: true, dueAt: day.set({ hour: t.hour, minute: t.minute }) };
}

/**
 * The due moment for a deadline typed in a chat, in everyday words ("trước 15/1", "thứ Sáu tuần sau
 * 16h", "cuối tháng"; see `parseDatePhrase`): without a time, the end of that day. A refusal names
 * an error key under `deadlines:errors.` and the words it could not read.
 */
export function parseDueText(
  text: string,
  now: DateTime,
): { ok: true; dueAt: DateTime } | { ok: false; error: 'bad_date' | 'bad_time' | 'bad_due'; value: string } {
  const res = parseDatePhrase(text, now);
  if (!res.ok) return { ok: false, error: res.error === 'bad_date' || res.error === 'bad_time' ? res.error : 'bad_due', value: res.value };
  return { ok: true, dueAt: res.time ? res.day.set({ hour: res.time.hour, minute: res.time.minute }) : res.day.endOf('day') };
}

/** "7,3,1,0" → [7, 3, 1, 0]; null when not a list of whole days between 0 and 365. */
export function parseRemindDays(input: string): number[] | null {
  const parts = input
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0 || parts.some((p) => !/^\d{1,3}$/.test(p))) return null;
  const days = [...new Set(parts.map(Number))];
  return days.every((d) => d <= 365) ? days.sort((a, b) => b - a) : null;
}

/** Calendar days from today to the due date in Vietnam: 0 on the due day, negative after it. */
export function daysLeft(now: DateTime, dueAt: DateTime): number {
  return Math.round(dueAt.setZone(now.zone).startOf('day').diff(now.startOf('day'), 'days').days);
}

/** The moment of the reminder `daysBefore` calendar days before the due date, at REMIND_AT. */
export function reminderAt(dueAt: DateTime, daysBefore: number, remindAt: string): DateTime {
  const [hour, minute] = remindAt.split(':').map(Number);
  return dueAt.startOf('day').minus({ days: daysBefore }).set({ hour: hour!, minute: minute! });
}

/**
 * The reminder that is due now, if any: the latest one whose moment has come, before the due moment,
 * and not on the day the deadline was announced (the announcement is that day's message). A bot that
 * was down sends only this latest one when it comes back.
 */
export function currentReminder(
  d: { dueAt: DateTime; createdAt: DateTime; remindDays: number[] },
  now: DateTime,
  remindAt: string,
): number | null {
  if (now >= d.dueAt) return null;
  let best: { day: number; at: DateTime } | null = null;
  for (const day of d.remindDays) {
    const at = reminderAt(d.dueAt, day, remindAt);
    if (at > now || at >= d.dueAt || at.startOf('day') <= d.createdAt.startOf('day')) continue;
    if (!best || at > best.at) best = { day, at };
  }
  return best?.day ?? null;
}

/** The morning after the due date, at REMIND_AT: when late units get their overdue notice. */
export function overdueAt(dueAt: DateTime, remindAt: string): DateTime {
  return reminderAt(dueAt, -1, remindAt);
}

/** Today's REMIND_AT moment. */
export function morningOf(now: DateTime, remindAt: string): DateTime {
  return reminderAt(now, 0, remindAt);
}

/** The reminder moments a deadline created now will have (for previews and details). */
export function plannedReminders(dueAt: DateTime, createdAt: DateTime, remindDays: number[], remindAt: string): DateTime[] {
  return remindDays
    .map((d) => reminderAt(dueAt, d, remindAt))
    .filter((at) => at < dueAt && at.startOf('day') > createdAt.startOf('day'))
    .sort((a, b) => a.toMillis() - b.toMillis());
}
