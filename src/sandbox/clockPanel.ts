import { DateTime } from 'luxon';
import { formatDay, formatTime } from '../core/format.js';
import type { TFunction } from '../i18n.js';

/** A moment the demo data makes interesting ("the reminder day at 08:00"), offered as a clock button. */
export interface Moment {
  id: string;
  /** Of the moments of one group (the reminders of a deadline) only the next one is offered. */
  group?: string;
  /** Locale key of the button label, with its values. */
  key: string;
  params?: Record<string, string>;
  at: DateTime;
}

export interface Shortcut {
  id: string;
  label: string;
}

/** "Thứ Hai, 23/11/2026 07:00" */
export function formatClock(dt: DateTime, locale: string): string {
  return `${formatDay(dt, locale)} ${formatTime(dt)}`;
}

/** 07:00 on the first Monday after `now`. */
export function nextMonday(now: DateTime): DateTime {
  const monday = now.startOf('week').set({ hour: 7 });
  return monday > now ? monday : monday.plus({ weeks: 1 });
}

/** Where a clock button moves the time; null when the button means nothing now (a moment already past). */
export function targetOf(id: string, now: DateTime, moments: readonly Moment[]): DateTime | null {
  switch (id) {
    case 'hour':
      return now.plus({ hours: 1 });
    case 'day':
      return now.plus({ days: 1 });
    case 'monday':
      return nextMonday(now);
    default: {
      const m = moments.find((x) => x.id === id);
      return m && m.at > now ? m.at : null;
    }
  }
}

/** The clock buttons to show now: the fixed steps, then the demo's moments still ahead. */
export function shortcuts(now: DateTime, moments: readonly Moment[], t: TFunction): Shortcut[] {
  const fixed: Shortcut[] = [
    { id: 'hour', label: t('sandbox:clock.hour') },
    { id: 'day', label: t('sandbox:clock.day') },
    { id: 'monday', label: t('sandbox:clock.monday') },
  ];
  const groups = new Set<string>();
  const times = new Set<number>();
  const ahead = moments
    .filter((m) => m.at > now)
    .sort((a, b) => a.at.toMillis() - b.at.toMillis())
    .filter((m) => {
      const group = m.group ?? m.id;
      if (groups.has(group) || times.has(m.at.toMillis())) return false;
      groups.add(group);
      times.add(m.at.toMillis());
      return true;
    })
    .map((m) => ({ id: m.id, label: t(m.key, m.params ?? {}) }));
  return [...fixed, ...ahead];
}
