import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { t } from '../../src/i18n.js';
import { formatClock, nextMonday, shortcuts, targetOf, type Moment } from '../../src/sandbox/clockPanel.js';

const zone = 'Asia/Ho_Chi_Minh';
const at = (iso: string) => DateTime.fromISO(iso, { zone });

describe('sandbox clock panel', () => {
  it('writes the time the Vietnamese way', () => {
    expect(formatClock(at('2026-11-23T07:00'), 'vi')).toBe('Thứ Hai, 23/11/2026 07:00');
    expect(formatClock(at('2026-11-29T21:05'), 'en')).toBe('Sunday, 29/11/2026 21:05');
  });

  it('finds the next Monday 07:00', () => {
    expect(nextMonday(at('2026-11-23T05:10')).toISO()).toBe(at('2026-11-23T07:00').toISO());
    expect(nextMonday(at('2026-11-23T07:00')).toISO()).toBe(at('2026-11-30T07:00').toISO());
    expect(nextMonday(at('2026-11-29T23:59')).toISO()).toBe(at('2026-11-30T07:00').toISO());
  });

  it('offers only the next moment of each group, once per time, and none that has passed', () => {
    const moments: Moment[] = [
      { id: 'r0', group: 'remind', key: 'sandbox:clock.remind', params: { time: '08:00', date: '24/12/2026' }, at: at('2026-12-24T08:00') },
      { id: 'r1', group: 'remind', key: 'sandbox:clock.remind', params: { time: '08:00', date: '28/12/2026' }, at: at('2026-12-28T08:00') },
      { id: 'other', key: 'sandbox:clock.overdue', at: at('2026-12-24T08:00') },
      { id: 'past', key: 'sandbox:clock.overdue', at: at('2026-11-01T08:00') },
    ];
    const now = at('2026-11-23T05:00');
    expect(shortcuts(now, moments, t('vi')).map((s) => s.label)).toEqual([
      '+1 giờ',
      '+1 ngày',
      'Đến 07:00 Thứ Hai tới',
      'Đến 08:00 ngày nhắc hạn (24/12/2026)',
    ]);
    expect(shortcuts(at('2026-12-24T08:00'), moments, t('vi')).at(-1)!.label).toBe('Đến 08:00 ngày nhắc hạn (28/12/2026)');
    expect(targetOf('past', now, moments)).toBeNull();
    expect(targetOf('r1', now, moments)!.toISO()).toBe(at('2026-12-28T08:00').toISO());
    expect(targetOf('day', now, moments)!.toISO()).toBe(at('2026-11-24T05:00').toISO());
  });
});
