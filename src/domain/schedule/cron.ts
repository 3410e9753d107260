/** A weekly moment: ISO weekday (1 = Monday … 7 = Sunday), hour and minute. */
export interface WeeklyTime {
  weekday: number;
  hour: number;
  minute: number;
}

const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * Parses the weekly cron form "m h * * dow" (SCHEDULE_DIGEST_CRON, e.g. "0 7 * * 1"); dow is 0–7
 * (0 and 7 are Sunday) or mon…sun. Anything else returns null: the digest goes once a week, so
 * lists, ranges and steps make no sense here.
 */
export function parseWeeklyCron(spec: string): WeeklyTime | null {
  const f = spec.trim().split(/\s+/);
  if (f.length !== 5 || f[2] !== '*' || f[3] !== '*') return null;
  const num = (s: string, max: number) => (/^\d{1,2}$/.test(s) && Number(s) <= max ? Number(s) : null);
  const minute = num(f[0]!, 59);
  const hour = num(f[1]!, 23);
  const dow = f[4]!.toLowerCase();
  const named = DAY_NAMES.indexOf(dow);
  const n = named >= 0 ? named + 1 : num(dow, 7);
  if (minute === null || hour === null || n === null) return null;
  return { weekday: n === 0 ? 7 : n, hour, minute };
}
