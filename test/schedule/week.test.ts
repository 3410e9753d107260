import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseTimeRange } from '../../src/domain/schedule/input.js';
import { configSchema } from '../../src/config.js';
import { parseWeeklyCron } from '../../src/domain/schedule/cron.js';
import type { Item } from '../../src/domain/schedule/model.js';
import { MESSAGE_LIMIT, renderSchedule } from '../../src/domain/schedule/render.js';
import { digestTimeOf, weekFromKey, weekOf, weekToPublish } from '../../src/domain/schedule/week.js';
import { t } from '../../src/i18n.js';

const zone = 'Asia/Ho_Chi_Minh';
const at = (iso: string) => DateTime.fromISO(iso, { zone });
const local = (dt: DateTime) => dt.setZone(zone).toFormat('ccc dd/MM/yyyy HH:mm');

describe('weeks in APP_TIMEZONE', () => {
  it('ends on Sunday night and starts on Monday 00:00 local time, whatever the machine zone', () => {
    const sunday = weekOf(at('2026-11-29T23:59:59'), zone);
    expect(sunday.key).toBe('2026-W48');
    expect(local(sunday.start)).toBe('Mon 23/11/2026 00:00');
    expect(local(sunday.end)).toBe('Mon 30/11/2026 00:00');
    const monday = weekOf(at('2026-11-30T00:00'), zone);
    expect(monday.key).toBe('2026-W49');
    // 23:30 on Sunday in Vietnam is still Sunday 16:30 in UTC: the week must not depend on UTC.
    expect(weekOf(DateTime.fromISO('2026-11-29T16:30:00Z'), zone).key).toBe('2026-W48');
    expect(weekOf(DateTime.fromISO('2026-11-29T17:00:00Z'), zone).key).toBe('2026-W49');
  });

  it('puts 01/01/2027 in week 53 of 2026, Monday 28/12/2026 to Sunday 03/01/2027', () => {
    const w = weekOf(at('2027-01-01T09:00'), zone);
    expect(w.key).toBe('2026-W53');
    expect(local(w.start)).toBe('Mon 28/12/2026 00:00');
    expect(local(w.end)).toBe('Mon 04/01/2027 00:00');
    expect(weekOf(at('2026-12-28T00:00'), zone).key).toBe('2026-W53');
    expect(weekOf(at('2027-01-04T00:00'), zone).key).toBe('2027-W01');
    expect(weekFromKey('2026-W53', zone)!.start.toISODate()).toBe('2026-12-28');
    expect(weekFromKey('2027-W53', zone)).toBeNull(); // 2027 has 52 weeks
    expect(weekFromKey('tuan 48', zone)).toBeNull();
  });

  it('computes the digest time from "m h * * dow", publishing ahead when it falls on Friday–Sunday', () => {
    const w = weekFromKey('2026-W48', zone)!;
    expect(local(digestTimeOf(w, parseWeeklyCron('0 7 * * 1')!))).toBe('Mon 23/11/2026 07:00');
    expect(local(digestTimeOf(w, parseWeeklyCron('30 16 * * FRI')!))).toBe('Fri 20/11/2026 16:30');
    expect(local(digestTimeOf(w, parseWeeklyCron('0 20 * * 0')!))).toBe('Sun 22/11/2026 20:00');
    expect(weekToPublish(at('2026-11-26T10:00'), zone).key).toBe('2026-W48');
    expect(weekToPublish(at('2026-11-27T10:00'), zone).key).toBe('2026-W49');
  });

  it('refuses cron forms that are not once a week', () => {
    for (const bad of ['0 7 * * *', '0 7 * * 1-5', '*/5 7 * * 1', '0 24 * * 1', '0 7 1 * 1', '0 7 * * 8', 'hằng tuần']) {
      expect(parseWeeklyCron(bad), bad).toBeNull();
    }
    expect(configSchema.safeParse({ SCHEDULE_DIGEST_CRON: '0 7 * * 1-5' }).success).toBe(false);
    expect(configSchema.parse({}).SCHEDULE_DIGEST_CRON).toBe('0 7 * * 1');
  });

  it('reads time ranges as people type them', () => {
    expect(parseTimeRange('08:00-10:30')).toEqual({ start: { hour: 8, minute: 0 }, end: { hour: 10, minute: 30 } });
    expect(parseTimeRange('8h – 9h30')).toEqual({ start: { hour: 8, minute: 0 }, end: { hour: 9, minute: 30 } });
    expect(parseTimeRange('14:00')).toEqual({ start: { hour: 14, minute: 0 }, end: null });
    expect(parseTimeRange('10:00-09:00')).toBeNull();
    expect(parseTimeRange('sáng')).toBeNull();
  });
});

describe('a schedule longer than one message', () => {
  const item = (id: number, day: number, hour: number): Item => ({
    id,
    ref: null,
    unitId: 1,
    unitName: 'Đảng bộ Khối',
    startsAt: at(`2026-11-${day}T${String(hour).padStart(2, '0')}:00`),
    endsAt: null,
    content: `Làm việc với chi bộ số ${id} về công tác xây dựng Đảng, kiểm tra, giám sát và phát triển đảng viên mới năm 2026`,
    place: 'Hội trường A, 35 Lê Duẩn',
    chair: 'đ/c Nguyễn Văn An, Bí thư Đảng ủy Khối',
    participants: 'Thường trực Đảng ủy Khối; Văn phòng; Ban Tổ chức; Ủy ban Kiểm tra; bí thư các chi bộ trực thuộc',
    unitIds: id === 30 ? [7] : [],
    personIds: [],
    status: 'planned',
    version: 1,
    createdAt: at('2026-11-20T08:00'),
    updatedAt: at('2026-11-20T08:00'),
  });

  it('is split between days, each part under the limit, the reader’s own item first', () => {
    const items = [23, 24, 25, 26, 27].flatMap((day, d) => Array.from({ length: 8 }, (_, i) => item(d * 8 + i + 1, day, 7 + i)));
    const parts = renderSchedule(t('vi'), {
      title: '📅 <b>LỊCH LÀM VIỆC TUẦN 48</b>',
      items,
      reader: { personId: 99, locale: 'vi', unitIds: [7] },
      locale: 'vi',
    });
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    // Every day's title appears exactly once and its items stay with it.
    for (const day of ['Thứ Hai, 23/11/2026', 'Thứ Ba, 24/11/2026', 'Thứ Tư, 25/11/2026', 'Thứ Năm, 26/11/2026', 'Thứ Sáu, 27/11/2026']) {
      const holding = parts.filter((p) => p.includes(day));
      expect(holding, day).toHaveLength(1);
    }
    expect(parts[0]).toMatch(/Đồng chí tham dự:<\/b>\n• Thứ Năm 26\/11, 12:00 — Làm việc với chi bộ số 30/);
    expect(parts[1]).toContain('(tiếp theo, phần 2/');
    expect(parts.join('\n').match(/⭐ /g)).toHaveLength(3); // the reader's list, the marked item, the legend
  });

  it('splits one overlong day between items, repeating the day', () => {
    const items = Array.from({ length: 30 }, (_, i) => item(i + 1, 24, 7));
    const parts = renderSchedule(t('vi'), { title: 'x', items, reader: null, locale: 'vi' });
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(parts[1]).toContain('Thứ Ba, 24/11/2026</b> (tiếp)');
    expect(parts.join('').match(/Làm việc với chi bộ số/g)).toHaveLength(30);
  });
});
