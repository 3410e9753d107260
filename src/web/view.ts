import { DateTime } from 'luxon';
import { formatDate, formatDateTime, formatDay, formatQuarter, formatTime } from '../core/format.js';

/** Date formats for templates, in the person's language (dd/MM/yyyy, "Thứ Hai"). */
export function fmt(locale: string, zone: string) {
  return {
    /** A stored time (a JS Date) in the app's time zone. */
    local: (d: Date) => DateTime.fromJSDate(d, { zone }),
    date: (d: DateTime | null | undefined) => (d ? formatDate(d) : ''),
    time: (d: DateTime | null | undefined) => (d ? formatTime(d) : ''),
    day: (d: DateTime | null | undefined) => (d ? formatDay(d, locale) : ''),
    dateTime: (d: DateTime | null | undefined) => (d ? formatDateTime(d, locale) : ''),
    /** "Quý IV/2026" for "2026-Q4". */
    quarter: (period: string) => formatQuarter(period, locale) ?? period,
    /** A whole percentage, 0 when there is nothing to count. */
    pct: (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 100) : 0),
  };
}
