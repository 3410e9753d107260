import type { DateTime } from 'luxon';
import { listSchedule } from '../../src/application/schedule/view.js';
import { formatDay, parseDate } from '../../src/core/format.js';
import type { Button } from '../../src/core/messages.js';
import { fold } from '../../src/domain/imports/errors.js';
import { renderSchedule, weekTitle } from '../../src/domain/schedule/render.js';
import { nextWeek, weekOf } from '../../src/domain/schedule/week.js';
import type { LinkedContext } from '../types.js';
import { sch } from './buttons.js';
import { calendarLink } from './calendar.js';
import { refusalText } from './common.js';

const MAX_BUTTONS = 60;

/** /lich, /lich tuansau, /lich 25/11, /lich ics */
export async function lich(ctx: LinkedContext, args: string): Promise<void> {
  const { t, svc } = ctx;
  const zone = svc.config.APP_TIMEZONE;
  const now = svc.clock.now();
  const arg = fold(args).replace(/\s+/g, '');
  if (arg === 'ics') return calendarLink(ctx);

  let from: DateTime;
  let to: DateTime;
  let title: string;
  const week = (w: ReturnType<typeof weekOf>) => {
    from = w.start;
    to = w.end;
    title = t('schedule:lich.week_title', { week: weekTitle(t, w.start) });
  };
  const day = (d: DateTime) => {
    from = d.startOf('day');
    to = from.plus({ days: 1 });
    title = t('schedule:lich.day_title', { day: formatDay(from, ctx.locale) });
  };
  const current = weekOf(now, zone);
  if (arg === '' || arg === 'tuannay') week(current);
  else if (arg === 'tuansau' || arg === 'next') week(nextWeek(current, zone));
  else if (arg === 'tuantruoc') week(weekOf(current.start.minus({ days: 1 }), zone));
  else if (arg === 'homnay' || arg === 'today') day(now);
  else if (arg === 'mai' || arg === 'ngaymai' || arg === 'tomorrow') day(now.plus({ days: 1 }));
  else {
    const d = parseDate(args, zone, now);
    if (!d) return void (await ctx.reply.send({ text: t('schedule:lich.usage') }));
    day(d);
  }

  const res = await listSchedule(svc, ctx.actor, { from: from!, to: to! });
  if (!res.ok) return void (await ctx.reply.send({ text: refusalText(ctx, res.refusal) }));
  const { items, editableIds, ownUnitIds } = res.value;
  const numbers = new Map(editableIds.slice(0, MAX_BUTTONS).map((id, n) => [id, n + 1]));
  const parts = renderSchedule(t, {
    title: title!,
    items,
    reader: { personId: ctx.person.id, locale: ctx.locale, unitIds: ownUnitIds },
    locale: ctx.locale,
    numbers,
    showUnit: new Set(items.map((i) => i.unitId)).size > 1,
    empty: t('schedule:lich.empty'),
    footer: numbers.size ? t('schedule:lich.edit_hint') : t('schedule:lich.footer'),
  });
  const buttons: Button[][] = [];
  const row: Button[] = [...numbers].map(([id, n]) => ({ text: String(n), data: sch.pack('i', { id }) }));
  for (let i = 0; i < row.length; i += 6) buttons.push(row.slice(i, i + 6));
  for (const [i, text] of parts.entries()) {
    await ctx.reply.send({ text, ...(i === parts.length - 1 && buttons.length ? { buttons } : {}) });
  }
}
