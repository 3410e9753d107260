import { DateTime } from 'luxon';

const WEEKDAYS_VI = ['Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy', 'Chủ Nhật'];
const WEEKDAYS_EN = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const ROMAN = ['I', 'II', 'III', 'IV'];

/** "Thứ Hai" … "Chủ Nhật" (vi) or "Monday" … (en). */
export function weekday(dt: DateTime, locale = 'vi'): string {
  return (locale === 'en' ? WEEKDAYS_EN : WEEKDAYS_VI)[dt.weekday - 1]!;
}

/** 31/12/2026 */
export function formatDate(dt: DateTime): string {
  return dt.toFormat('dd/MM/yyyy');
}

/** 17:00 */
export function formatTime(dt: DateTime): string {
  return dt.toFormat('HH:mm');
}

/** "Thứ Năm, 31/12/2026" */
export function formatDay(dt: DateTime, locale = 'vi'): string {
  return `${weekday(dt, locale)}, ${formatDate(dt)}`;
}

/** "17:00 Thứ Năm, 31/12/2026" */
export function formatDateTime(dt: DateTime, locale = 'vi'): string {
  return `${formatTime(dt)} ${formatDay(dt, locale)}`;
}

/** "Quý IV/2026" for "2026-Q4"; null when malformed. */
export function formatQuarter(period: string, locale = 'vi'): string | null {
  const m = /^(\d{4})-Q([1-4])$/.exec(period);
  if (!m) return null;
  return locale === 'en' ? `Q${m[2]}/${m[1]}` : `Quý ${ROMAN[Number(m[2]) - 1]}/${m[1]}`;
}

/**
 * A calendar date typed by a person: dd/MM/yyyy (also d/M/yyyy, dd-MM-yyyy) or ISO yyyy-MM-dd;
 * `dd/MM` alone takes `reference`'s year. Returns the start of that day in `zone`, or null for
 * anything that is not a real date (31/02/2026).
 */
export function parseDate(input: string, zone: string, reference?: DateTime): DateTime | null {
  const s = input.trim();
  let dt: DateTime | null = null;
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (m) dt = DateTime.fromObject({ day: Number(m[1]), month: Number(m[2]), year: Number(m[3]) }, { zone });
  else if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)))
    dt = DateTime.fromObject({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }, { zone });
  else if ((m = /^(\d{1,2})[/.-](\d{1,2})$/.exec(s)) && reference) {
    dt = DateTime.fromObject({ day: Number(m[1]), month: Number(m[2]), year: reference.setZone(zone).year }, { zone });
  }
  return dt && dt.isValid ? dt.startOf('day') : null;
}

/** "17:00" or "7:30" → { hour, minute }; null when not a time of day. */
export function parseTime(input: string): { hour: number; minute: number } | null {
  const m = /^(\d{1,2})[:hg](\d{2})?$/.exec(input.trim().toLowerCase());
  if (!m) return null;
  const hour = Number(m[1]);
  const minute = Number(m[2] ?? 0);
  return hour < 24 && minute < 60 ? { hour, minute } : null;
}

/** Removes Vietnamese diacritics and case: "Thông báo Đảng" → "thong bao dang". */
export function foldVietnamese(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase();
}
