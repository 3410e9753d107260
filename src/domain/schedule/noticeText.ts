import { DateTime } from 'luxon';
import { escapeHtml } from '../../core/html.js';
import { formatDay } from '../../core/format.js';
import type { TFunction } from '../../i18n.js';
import type { ChangeRecord } from './changes.js';
import { changedFields, type Snapshot } from './model.js';
import { timeRange } from './render.js';

function when(s: Snapshot, zone: string, locale: string): string {
  const startsAt = DateTime.fromISO(s.startsAt, { zone });
  const endsAt = s.endsAt ? DateTime.fromISO(s.endsAt, { zone }) : null;
  return `${timeRange({ startsAt, endsAt })} ${formatDay(startsAt, locale)}`;
}

const or = (t: TFunction, v: string) => v || t('schedule:notice.none');

/** One change as the lines of a "Lịch thay đổi" notice (old → new for an edit). */
export function changeBlock(t: TFunction, locale: string, zone: string, c: ChangeRecord, mark: boolean): string {
  const star = mark ? '⭐ ' : '';
  const a = c.after;
  const b = c.before ?? a;
  const summary = { when: when(a, zone, locale), content: a.content };
  if (c.kind === 'created') return `${star}${t('schedule:notice.created', summary)}${detail(t, a)}`;
  if (c.kind === 'cancelled') return `${star}${t('schedule:notice.cancelled', { when: when(b, zone, locale), content: b.content })}`;
  if (c.kind === 'restored') return `${star}${t('schedule:notice.restored', summary)}${detail(t, a)}`;
  const lines = [`${star}🔄 <b>${escapeHtml(a.content)}</b>`];
  for (const f of changedFields(b, a)) {
    if (f === 'time') lines.push(t('schedule:notice.time', { old: when(b, zone, locale), new: when(a, zone, locale) }));
    if (f === 'content') lines.push(t('schedule:notice.content', { old: b.content, new: a.content }));
    if (f === 'place') lines.push(t('schedule:notice.place', { old: or(t, b.place), new: or(t, a.place) }));
    if (f === 'chair') lines.push(t('schedule:notice.chair', { old: or(t, b.chair), new: or(t, a.chair) }));
    if (f === 'participants') {
      lines.push(
        b.participants === a.participants
          ? t('schedule:notice.participants_same', { new: or(t, a.participants) })
          : t('schedule:notice.participants', { old: or(t, b.participants), new: or(t, a.participants) }),
      );
    }
  }
  if (!changedFields(b, a).includes('time')) lines.push(t('schedule:notice.at', { when: when(a, zone, locale) }));
  return lines.join('\n');
}

function detail(t: TFunction, s: Snapshot): string {
  const lines: string[] = [];
  if (s.place) lines.push(t('schedule:item.place', { place: s.place }));
  if (s.chair) lines.push(t('schedule:item.chair', { chair: s.chair }));
  return lines.length ? `\n${lines.join('\n')}` : '';
}
