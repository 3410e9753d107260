import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseDatePhrase } from '../../src/core/datePhrase.js';
import { formatDay } from '../../src/core/format.js';
import { parseDueText } from '../../src/domain/deadlines/time.js';

const zone = 'Asia/Ho_Chi_Minh';
// Wednesday 30/12/2026, 09:00 in Vietnam.
const now = DateTime.fromISO('2026-12-30T09:00', { zone });

/** The resolved day as "Thứ Sáu, 15/01/2027", plus " HH:mm" when a time was given; or the error. */
function read(text: string, at = now): string {
  const r = parseDatePhrase(text, at);
  if (!r.ok) return `${r.error}: ${r.value}`;
  const time = r.time ? ` ${String(r.time.hour).padStart(2, '0')}:${String(r.time.minute).padStart(2, '0')}` : '';
  return `${formatDay(r.day)}${time}`;
}

describe('everyday Vietnamese date phrases', () => {
  it.each([
    ['15/1', 'Thứ Sáu, 15/01/2027'],
    ['truoc 15/1', 'Thứ Sáu, 15/01/2027'],
    ['trước 15/1', 'Thứ Sáu, 15/01/2027'],
    ['15/01/2027', 'Thứ Sáu, 15/01/2027'],
    ['15-1-27', 'Thứ Sáu, 15/01/2027'],
    ['2027-01-15', 'Thứ Sáu, 15/01/2027'],
    ['31/12', 'Thứ Năm, 31/12/2026'],
    ['ngày 15 tháng 1', 'Thứ Sáu, 15/01/2027'],
    ['ngay 15 thang 1 nam 2027', 'Thứ Sáu, 15/01/2027'],
    ['thu sau', 'Thứ Sáu, 01/01/2027'],
    ['thứ Sáu', 'Thứ Sáu, 01/01/2027'],
    ['Thứ Tư', 'Thứ Tư, 06/01/2027'], // today is a Wednesday: the next one
    ['thứ 6', 'Thứ Sáu, 01/01/2027'],
    ['T6', 'Thứ Sáu, 01/01/2027'],
    ['chủ nhật', 'Chủ Nhật, 03/01/2027'],
    ['thứ Sáu tuần sau', 'Thứ Sáu, 08/01/2027'],
    ['thu sau tuan sau', 'Thứ Sáu, 08/01/2027'],
    ['thứ Hai tuần tới', 'Thứ Hai, 04/01/2027'],
    ['thứ Năm tuần này', 'Thứ Năm, 31/12/2026'],
    ['cuối tháng', 'Thứ Năm, 31/12/2026'],
    ['cuoi thang sau', 'Chủ Nhật, 31/01/2027'],
    ['cuối tuần', 'Thứ Sáu, 01/01/2027'],
    ['cuối tuần sau', 'Thứ Sáu, 08/01/2027'],
    ['cuối năm', 'Thứ Năm, 31/12/2026'],
    ['đầu tuần sau', 'Thứ Hai, 04/01/2027'],
    ['tuần sau', 'Thứ Sáu, 08/01/2027'],
    ['ngày mai', 'Thứ Năm, 31/12/2026'],
    ['mai', 'Thứ Năm, 31/12/2026'],
    ['hôm nay', 'Thứ Tư, 30/12/2026'],
    ['hom nay 16h', 'Thứ Tư, 30/12/2026 16:00'],
    ['15/1 16h', 'Thứ Sáu, 15/01/2027 16:00'],
    ['trước 15/1 lúc 16:30', 'Thứ Sáu, 15/01/2027 16:30'],
    ['16h30 15/1', 'Thứ Sáu, 15/01/2027 16:30'],
    ['thứ Sáu lúc 9 giờ', 'Thứ Sáu, 01/01/2027 09:00'],
    ['mai 3 giờ chiều', 'Thứ Năm, 31/12/2026 15:00'],
    ['ngày mai 9 gio 30', 'Thứ Năm, 31/12/2026 09:30'],
    ['31/12/2026 17:00', 'Thứ Năm, 31/12/2026 17:00'],
  ])('reads «%s» as %s', (text, expected) => {
    expect(read(text)).toBe(expected);
  });

  it('takes "cuối tuần" typed on a Saturday as next Friday, and "15/1" typed after it as next year', () => {
    const saturday = DateTime.fromISO('2027-01-16T10:00', { zone });
    expect(read('cuối tuần', saturday)).toBe('Thứ Sáu, 22/01/2027');
    expect(read('15/1', saturday)).toBe('Thứ Bảy, 15/01/2028');
    expect(read('16/1', saturday)).toBe('Thứ Bảy, 16/01/2027');
  });

  it.each([
    ['31/02/2027', 'bad_date: 31/02/2027'],
    ['25h 15/1', 'bad_time: 25h'],
    ['15/1 16h75', 'bad_time: 16h75'],
    ['hôm qua', 'not_understood: hôm qua'],
    ['sớm nhất có thể', 'not_understood: sớm nhất có thể'],
    ['15/1 thứ Sáu', 'not_understood: 15/1 thứ Sáu'],
    ['16h', 'no_date: 16h'],
    ['', 'no_date: '],
  ])('refuses «%s» (%s)', (text, expected) => {
    expect(read(text)).toBe(expected);
  });

  it('gives a deadline the end of the day when no time is typed, in APP_TIMEZONE', () => {
    const due = parseDueText('thứ Sáu tuần sau', now);
    expect(due.ok && due.dueAt.toISO()).toBe('2027-01-08T23:59:59.999+07:00');
    const timed = parseDueText('truoc 15/1 16h', now);
    expect(timed.ok && timed.dueAt.toISO()).toBe('2027-01-15T16:00:00.000+07:00');
    expect(parseDueText('truoc sang thu hai', now)).toEqual({ ok: false, error: 'bad_due', value: 'sang thu hai' });
  });
});
