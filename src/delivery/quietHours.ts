import type { DateTime } from 'luxon';

export interface QuietHours {
  /** Minutes after local midnight. */
  start: number;
  end: number;
}

/** "21:00-06:30" → window; "off" → null. */
export function parseQuietHours(spec: string): QuietHours | null {
  if (spec === 'off') return null;
  const m = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/.exec(spec);
  if (!m) throw new Error(`bad quiet hours: ${spec}`);
  return { start: Number(m[1]) * 60 + Number(m[2]), end: Number(m[3]) * 60 + Number(m[4]) };
}

export function isQuiet(q: QuietHours | null, now: DateTime): boolean {
  if (!q) return false;
  const min = now.hour * 60 + now.minute;
  return q.start <= q.end ? min >= q.start && min < q.end : min >= q.start || min < q.end;
}
