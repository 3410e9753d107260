import type { DateTime } from 'luxon';
import { escapeHtml } from '../../core/html.js';
import { splitHtml } from '../../core/split.js';
import { formatDate, formatDay, formatTime, weekday } from '../../core/format.js';
import type { TFunction } from '../../i18n.js';
import type { Item } from './model.js';
import { concerns } from './participants.js';
import type { Reader } from './audience.js';

/**
 * What a schedule is packed into, as written (tags included): within the widest channel's limit. The
 * outbox splits it further for a channel with a smaller limit (src/delivery/outbox.ts).
 */
export const MESSAGE_LIMIT = 4000;

export function timeRange(i: Pick<Item, 'startsAt' | 'endsAt'>): string {
  return i.endsAt ? `${formatTime(i.startsAt)}–${formatTime(i.endsAt)}` : formatTime(i.startsAt);
}

export interface ItemLook {
  mark?: boolean;
  /** "[3]" before the time, matching a numbered button. */
  number?: number;
  showUnit?: boolean;
}

/** One item as a few lines: time and content, then place, chair, participants. */
export function itemBlock(t: TFunction, i: Item, look: ItemLook = {}): string {
  const cancelled = i.status === 'cancelled';
  const head = `${look.mark ? '⭐ ' : ''}${look.number !== undefined ? `[${look.number}] ` : ''}<b>${timeRange(i)}</b> · ${escapeHtml(i.content)}`;
  const lines = [cancelled ? `<s>${head}</s> ${t('schedule:item.cancelled')}` : head];
  if (look.showUnit) lines.push(t('schedule:item.unit', { unit: i.unitName }));
  if (i.place) lines.push(t('schedule:item.place', { place: i.place }));
  if (i.chair) lines.push(t('schedule:item.chair', { chair: i.chair }));
  if (i.participants) lines.push(t('schedule:item.participants', { participants: i.participants }));
  return lines.join('\n');
}

export interface DayGroup {
  day: DateTime;
  items: Item[];
}

export function groupByDay(items: Item[]): DayGroup[] {
  const out: DayGroup[] = [];
  for (const i of items) {
    const day = i.startsAt.startOf('day');
    const last = out.at(-1);
    if (last && last.day.equals(day)) last.items.push(i);
    else out.push({ day, items: [i] });
  }
  return out;
}

export interface ScheduleView {
  /** First lines (title, unit); the reader's own items follow them. */
  title: string;
  items: Item[];
  reader: Reader | null;
  locale: string;
  numbers?: Map<number, number>;
  showUnit?: boolean;
  /** Shown when there is nothing to list. */
  empty?: string;
  footer?: string;
}

/**
 * A schedule as one or more messages: the reader's own items first (marked ⭐), then every day with
 * its items. Long schedules are split between days (between items only when one day is too long).
 */
export function renderSchedule(t: TFunction, v: ScheduleView, limit = MESSAGE_LIMIT): string[] {
  const mine = (i: Item) => !!v.reader && i.status !== 'cancelled' && concerns(i, v.reader);
  const header = [v.title];
  const own = v.items.filter(mine);
  if (own.length) {
    header.push('', t('schedule:week.mine'));
    for (const i of own) {
      header.push(
        t('schedule:week.mine_line', {
          day: `${weekday(i.startsAt, v.locale)} ${i.startsAt.toFormat('dd/MM')}`,
          time: timeRange(i),
          content: i.content,
        }),
      );
    }
  }
  const days = groupByDay(v.items).map((g) => ({
    title: `<b>${formatDay(g.day, v.locale)}</b>`,
    items: g.items.map((i) =>
      itemBlock(t, i, { mark: mine(i), ...(v.numbers?.has(i.id) ? { number: v.numbers.get(i.id)! } : {}), showUnit: !!v.showUnit }),
    ),
  }));
  if (days.length === 0 && v.empty) header.push('', v.empty);
  const footer = [own.length ? t('schedule:week.legend') : '', v.footer ?? ''].filter(Boolean).join('\n');
  return pack(t, header.join('\n'), days, footer, limit);
}

function pack(t: TFunction, header: string, days: { title: string; items: string[] }[], footer: string, limit: number): string[] {
  const room = limit - 60; // left for "(tiếp theo, phần 2/3)"
  const blocks = [header];
  const day = (title: string, items: string[]) => `${title}\n${items.join('\n\n')}`;
  for (const d of days) {
    const whole = day(d.title, d.items);
    if (whole.length <= room) {
      blocks.push(whole);
      continue;
    }
    // One day longer than a message: its items are split, the day's title repeated.
    // (Field limits of the import and the chat keep one item well under a message.)
    let title = d.title;
    let chunk: string[] = [];
    for (const item of d.items) {
      if (chunk.length && day(title, [...chunk, item]).length > room) {
        blocks.push(day(title, chunk));
        title = `${d.title} ${t('schedule:week.day_continued')}`;
        chunk = [];
      }
      chunk.push(item);
    }
    blocks.push(day(title, chunk));
  }
  if (footer) blocks.push(footer);
  return packBlocks(t, blocks, limit);
}

/** Joins blocks into as few messages as fit, never splitting a block; later parts are labelled. */
export function packBlocks(t: TFunction, blocks: string[], limit = MESSAGE_LIMIT): string[] {
  const room = limit - 60; // left for "(tiếp theo, phần 2/3)"
  const messages = splitHtml(blocks, room, { measure: 'source' });
  if (messages.length <= 1) return messages.length ? messages : [''];
  return messages.map((m, i) => (i === 0 ? m : `${t('schedule:week.continued', { n: i + 1, total: messages.length })}\n\n${m}`));
}

/** "TUẦN 48 (23/11 – 29/11/2026)" */
export function weekTitle(t: TFunction, start: DateTime): string {
  const end = start.plus({ days: 6 });
  return t('schedule:week.range', { n: start.weekNumber, from: start.toFormat('dd/MM'), to: formatDate(end) });
}
