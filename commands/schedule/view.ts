import type { DateTime } from 'luxon';
import { formatDay, parseDate } from '../../src/core/format.js';
import type { Button } from '../../src/core/messages.js';
import { fold } from '../../src/domain/imports/errors.js';
import { unitsInScope } from '../../src/domain/org/tree.js';
import { followedUnitIds } from '../../src/domain/schedule/audience.js';
import { findItems, type Item } from '../../src/domain/schedule/model.js';
import { renderSchedule, weekTitle } from '../../src/domain/schedule/render.js';
import { nextWeek, weekOf } from '../../src/domain/schedule/week.js';
import type { CommandContext } from '../types.js';
import { calendarLink } from './calendar.js';
import { EDITORS } from './common.js';

const MAX_BUTTONS = 60;

/** /lich, /lich tuansau, /lich 25/11, /lich ics */
export async function lich(ctx: CommandContext, args: string): Promise<void> {
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

  const person = ctx.person!;
  const editable = new Set(await unitsInScope(svc.db, person.id, EDITORS));
  const items = await visibleItems(ctx, from!, to!, editable);
  const numbers = new Map<number, number>();
  for (const i of items) if (editable.has(i.unitId) && numbers.size < MAX_BUTTONS) numbers.set(i.id, numbers.size + 1);
  const parts = renderSchedule(t, {
    title: title!,
    items,
    reader: { personId: person.id, locale: ctx.locale, unitIds: [...new Set(person.roles.map((r) => r.unitId))] },
    locale: ctx.locale,
    numbers,
    showUnit: new Set(items.map((i) => i.unitId)).size > 1,
    empty: t('schedule:lich.empty'),
    footer: numbers.size ? t('schedule:lich.edit_hint') : t('schedule:lich.footer'),
  });
  const buttons: Button[][] = [];
  const row: Button[] = [];
  for (const [id, n] of numbers) row.push({ text: String(n), data: `sch:i:${id}` });
  for (let i = 0; i < row.length; i += 6) buttons.push(row.slice(i, i + 6));
  for (const [i, text] of parts.entries()) {
    await ctx.reply.send({ text, ...(i === parts.length - 1 && buttons.length ? { buttons } : {}) });
  }
}

/** What a person sees: schedules of their units and those above, items they or their units attend, and what they keep. */
async function visibleItems(ctx: CommandContext, from: DateTime, to: DateTime, editable: Set<number>): Promise<Item[]> {
  const person = ctx.person!;
  const followed = await followedUnitIds(ctx.svc.db, person.id);
  const own = person.roles.map((r) => r.unitId);
  return findItems(ctx.svc.db, ctx.svc.config.APP_TIMEZONE, {
    startsAt: { gte: from.toJSDate(), lt: to.toJSDate() },
    OR: [
      { unitId: { in: [...new Set([...followed, ...editable])] } },
      { people: { some: { personId: person.id } } },
      { units: { some: { unitId: { in: own } } } },
    ],
  });
}
