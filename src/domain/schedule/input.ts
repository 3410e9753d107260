import type { DateTime } from 'luxon';
import { formatDate, parseDate, parseTime } from '../../core/format.js';
import { LIMITS } from './importRows.js';

export interface TimeRange {
  start: { hour: number; minute: number };
  end: { hour: number; minute: number } | null;
}

/** "08:00", "8h30", "08:00-10:30", "8:00 – 10:30" → start and optional end (after the start). */
export function parseTimeRange(input: string): TimeRange | null {
  const parts = input.split(/\s*[-–—]\s*|\s+đến\s+|\s+den\s+/i).filter(Boolean);
  if (parts.length === 0 || parts.length > 2) return null;
  const start = parseTime(parts[0]!);
  const end = parts[1] ? parseTime(parts[1]) : null;
  if (!start || (parts[1] && !end)) return null;
  if (end && end.hour * 60 + end.minute <= start.hour * 60 + start.minute) return null;
  return { start, end };
}

export function withTime(day: DateTime, r: TimeRange): { startsAt: DateTime; endsAt: DateTime | null } {
  const d = day.startOf('day');
  return { startsAt: d.set(r.start), endsAt: r.end ? d.set(r.end) : null };
}

/** "-" (or nothing) clears an optional field. */
export function optional(text: string): string {
  const s = text.trim();
  return s === '-' || s === '—' ? '' : s;
}

/** What is wrong with a typed value: a key under `schedule:input.` and its parameters (raw, not escaped). */
export interface InputError {
  error: string;
  params?: Record<string, string | number>;
}

export type TextField = 'content' | 'place' | 'chair' | 'participants';

/** A day from today on. */
export function checkDay(value: string, zone: string, now: DateTime): DateTime | InputError {
  const text = value.trim();
  const day = parseDate(text, zone, now);
  if (!day) return { error: 'bad_date', params: { value: text } };
  if (day < now.setZone(zone).startOf('day')) return { error: 'past_date', params: { value: formatDate(day) } };
  return day;
}

export function checkTime(value: string): TimeRange | InputError {
  const text = value.trim();
  return parseTimeRange(text) ?? { error: 'bad_time', params: { value: text } };
}

/** Content must be there; place, chair and participants may be cleared with "-". */
export function checkText(field: TextField, value: string): string | InputError {
  const v = field === 'content' ? value.trim() : optional(value);
  if (field === 'content' && !v) return { error: 'empty' };
  if (v.length > LIMITS[field]) return { error: 'too_long', params: { max: LIMITS[field] } };
  return v;
}

export function isInputError(v: unknown): v is InputError {
  return typeof v === 'object' && v !== null && 'error' in v;
}
