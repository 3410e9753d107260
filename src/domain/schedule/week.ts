import { DateTime } from 'luxon';
import type { WeeklyTime } from './cron.js';

/** An ISO week (Monday 00:00 to the next Monday 00:00) in the app's time zone. */
export interface Week {
  start: DateTime;
  end: DateTime;
  /** "2026-W48"; the week of 01/01/2027 is "2026-W53". */
  key: string;
}

export function weekOf(dt: DateTime, zone: string): Week {
  const start = dt.setZone(zone).startOf('week');
  return { start, end: start.plus({ weeks: 1 }), key: `${start.weekYear}-W${String(start.weekNumber).padStart(2, '0')}` };
}

/** "2026-W48" → that week; null when malformed. */
export function weekFromKey(key: string, zone: string): Week | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(key.trim().toUpperCase());
  if (!m) return null;
  const dt = DateTime.fromObject({ weekYear: Number(m[1]), weekNumber: Number(m[2]), weekday: 1 }, { zone });
  return dt.isValid && dt.weekNumber === Number(m[2]) ? weekOf(dt, zone) : null;
}

export function nextWeek(w: Week, zone: string): Week {
  return weekOf(w.end, zone);
}

/** The seven days of a week, Monday first. */
export function daysOf(w: Week): DateTime[] {
  return Array.from({ length: 7 }, (_, i) => w.start.plus({ days: i }));
}

/**
 * When the digest of `w` goes out. A digest time on Monday–Thursday falls in the week itself; one on
 * Friday–Sunday publishes ahead, so it falls in the week before (e.g. "0 16 * * 5": Friday 16:00
 * sends next week's schedule).
 */
export function digestTimeOf(w: Week, at: WeeklyTime): DateTime {
  const base = at.weekday >= 5 ? w.start.minus({ weeks: 1 }) : w.start;
  return base.plus({ days: at.weekday - 1 }).set({ hour: at.hour, minute: at.minute });
}

/** The week a digest sent at `now` presents (this week until Thursday, then next week). */
export function weekToPublish(now: DateTime, zone: string): Week {
  const w = weekOf(now, zone);
  return now.setZone(zone).weekday >= 5 ? nextWeek(w, zone) : w;
}
