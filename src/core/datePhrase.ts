import { DateTime } from 'luxon';
import { foldVietnamese, parseDate } from './format.js';

/**
 * Everyday Vietnamese date phrases as people type them for a deadline, with or without diacritics:
 * "trước 15/1", "15/01/2027", "thứ Sáu", "thu sau tuan sau", "cuối tháng", "cuối tuần", "ngày mai",
 * "hôm nay", "tuần sau", "ngày 15 tháng 1", each with an optional time ("16h", "16:30", "lúc 9 giờ",
 * "3 giờ chiều").
 *
 * Written by hand: the date-phrase libraries on npm (chrono-node and the like) have no Vietnamese.
 *
 * Conventions (the caller always shows the resolved date with its weekday before anything is saved):
 * - a weekday alone ("thứ Sáu") is the next such day after today; with "tuần sau" it is that day of
 *   next week (weeks start on Monday), with "tuần này" that day of this week;
 * - "cuối tuần" is this week's Friday (the last working day; next week's once it has passed);
 *   "tuần sau" alone is next week's Friday, "đầu tuần sau" next Monday;
 * - "cuối tháng" is the last day of this month, "cuối tháng sau" of next month, "cuối năm" 31/12;
 * - "15/1" without a year is the next 15/1 from today on.
 */
export type DatePhraseResult =
  | { ok: true; day: DateTime; time: { hour: number; minute: number } | null }
  | { ok: false; error: 'bad_date' | 'bad_time' | 'not_understood' | 'no_date'; value: string };

const WEEKDAY_WORDS: Record<string, number> = {
  hai: 1,
  '2': 1,
  ba: 2,
  '3': 2,
  tu: 3,
  '4': 3,
  nam: 4,
  '5': 4,
  sau: 5,
  '6': 5,
  bay: 6,
  '7': 6,
};
const SHORT_WEEKDAYS: Record<string, number> = { t2: 1, t3: 2, t4: 3, t5: 4, t6: 5, t7: 6, cn: 7 };

/** Words that only frame the phrase: "trước", "hạn", "đến", "vào", "lúc", "ngày", "là", "chót". */
const FILLERS = new Set(['truoc', 'han', 'chot', 'den', 'vao', 'luc', 'ngay', 'la', 'trong']);

export function parseDatePhrase(input: string, now: DateTime): DatePhraseResult {
  const zone = now.zone;
  const today = now.startOf('day');
  const original = input.trim().split(/\s+/).filter(Boolean);
  const words = original.map((w) => foldVietnamese(w).replace(/[,;!?]+$/, ''));
  let day: DateTime | null = null;
  let time: { hour: number; minute: number } | null = null;
  let i = 0;

  const at = (k: number) => words[i + k] ?? '';
  const fail = (error: 'bad_date' | 'bad_time' | 'not_understood', from = i, count?: number): DatePhraseResult => ({
    ok: false,
    error,
    value: original.slice(from, count === undefined ? undefined : from + count).join(' '),
  });
  /** "tuần sau"/"tuần tới"/"tuần này" at offset k: weeks to add, or null. */
  const weekShift = (k: number): number | null => {
    if (at(k) !== 'tuan') return null;
    if (at(k + 1) === 'sau' || at(k + 1) === 'toi') return 1;
    if (at(k + 1) === 'nay') return 0;
    return null;
  };
  const monthShift = (k: number): number | null => {
    if (at(k) !== 'thang') return null;
    if (at(k + 1) === 'sau' || at(k + 1) === 'toi') return 1;
    if (at(k + 1) === 'nay') return 0;
    return null;
  };
  const weekdayIn = (weekday: number, weeks: number | null): DateTime => {
    if (weeks === null) {
      const ahead = (weekday - today.weekday + 7) % 7 || 7;
      return today.plus({ days: ahead });
    }
    return today.startOf('week').plus({ weeks, days: weekday - 1 });
  };

  while (i < words.length) {
    const w = at(0);
    let found: DateTime | null = null;
    let used = 0;

    // Dates.
    if (w === 'hom' && at(1) === 'nay') [found, used] = [today, 2];
    else if (w === 'mai') [found, used] = [today.plus({ days: 1 }), 1];
    else if (w === 'ngay' && at(1) === 'mai') [found, used] = [today.plus({ days: 1 }), 2];
    else if (w === 'ngay' && at(1) === 'kia') [found, used] = [today.plus({ days: 2 }), 2];
    else if (w === 'thu' && WEEKDAY_WORDS[at(1)] !== undefined) {
      const shift = weekShift(2);
      [found, used] = [weekdayIn(WEEKDAY_WORDS[at(1)]!, shift), shift === null ? 2 : 4];
    } else if (SHORT_WEEKDAYS[w] !== undefined || (w === 'chu' && at(1) === 'nhat')) {
      const n = w === 'chu' ? 2 : 1;
      const shift = weekShift(n);
      [found, used] = [weekdayIn(SHORT_WEEKDAYS[w] ?? 7, shift), shift === null ? n : n + 2];
    } else if (w === 'cuoi' && at(1) === 'tuan') {
      const shift = weekShift(1);
      let friday = weekdayIn(5, shift ?? 0);
      if (shift === null && friday < today) friday = friday.plus({ weeks: 1 });
      [found, used] = [friday, shift === null ? 2 : 3];
    } else if (w === 'cuoi' && at(1) === 'thang') {
      const shift = monthShift(1);
      [found, used] = [
        today
          .plus({ months: shift ?? 0 })
          .endOf('month')
          .startOf('day'),
        shift === null ? 2 : 3,
      ];
    } else if (w === 'cuoi' && at(1) === 'nam') [found, used] = [today.endOf('year').startOf('day'), 2];
    else if (w === 'dau' && weekShift(1) === 1) [found, used] = [weekdayIn(1, 1), 3];
    else if (w === 'dau' && monthShift(1) === 1) [found, used] = [today.plus({ months: 1 }).startOf('month'), 3];
    else if (weekShift(0) === 1) [found, used] = [weekdayIn(5, 1), 2];
    else if (/^\d{1,2}$/.test(w) && at(1) === 'thang' && /^\d{1,2}$/.test(at(2))) {
      // "15 tháng 1" or "15 tháng 1 năm 2027"
      const withYear = at(3) === 'nam' && /^\d{4}$/.test(at(4));
      used = withYear ? 5 : 3;
      const typed = withYear ? `${w}/${at(2)}/${at(4)}` : `${w}/${at(2)}`;
      found = numericDate(typed, zone.name, today);
      if (!found) return fail('bad_date', i, used);
    } else if (/^\d{1,2}[/.-]\d{1,2}([/.-]\d{2,4})?$/.test(w) || /^\d{4}-\d{2}-\d{2}$/.test(w)) {
      found = numericDate(w, zone.name, today);
      used = 1;
      if (!found) return fail('bad_date', i, 1);
    }
    if (found) {
      if (day) return fail('not_understood', 0);
      day = found;
      i += used;
      continue;
    }

    // Times: "16h", "16:30", "9g30", "9 giờ", "9 giờ 30 (phút)", then "sáng/trưa/chiều/tối".
    let clock: { hour: number; minute: number } | null = null;
    let m: RegExpExecArray | null;
    if ((m = /^(\d{1,2})(?::|h|g|gio)(\d{1,2})?(?:p|ph|phut)?$/.exec(w))) {
      [clock, used] = [{ hour: Number(m[1]), minute: Number(m[2] ?? 0) }, 1];
    } else if (/^\d{1,2}$/.test(w) && (at(1) === 'gio' || at(1) === 'h')) {
      const minutes = /^\d{1,2}$/.test(at(2)) ? Number(at(2)) : null;
      used = minutes === null ? 2 : at(3) === 'phut' ? 4 : 3;
      clock = { hour: Number(w), minute: minutes ?? 0 };
    } else if (/^\d/.test(w) && /[:hg]/.test(w)) {
      return fail('bad_time', i, 1);
    }
    if (clock) {
      if (time) return fail('not_understood', 0);
      const part = at(used);
      if (part === 'chieu' || part === 'toi') {
        if (clock.hour < 12) clock.hour += 12;
        used += 1;
      } else if (part === 'trua') {
        if (clock.hour < 11) clock.hour += 12;
        used += 1;
      } else if (part === 'sang') used += 1;
      if (clock.hour > 23 || clock.minute > 59) return fail('bad_time', i, used);
      time = clock;
      i += used;
      continue;
    }

    if (FILLERS.has(w)) {
      i += 1;
      continue;
    }
    return fail('not_understood', i);
  }
  if (!day) return { ok: false, error: 'no_date', value: input.trim() };
  return { ok: true, day, time };
}

/** "15/1" (the next such day from `today` on), "15/1/27", "15/01/2027", "2027-01-15". */
function numericDate(text: string, zone: string, today: DateTime): DateTime | null {
  const short = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2})$/.exec(text);
  const typed = short ? `${short[1]}/${short[2]}/20${short[3]}` : text;
  const day = parseDate(typed, zone, today);
  if (!day) return null;
  const withoutYear = /^\d{1,2}[/.-]\d{1,2}$/.test(text);
  return withoutYear && day < today ? day.plus({ years: 1 }) : day;
}
