import { DateTime } from 'luxon';
import { escapeHtml } from '../../src/core/html.js';
import { formatDate, formatDateTime, formatDay, parseDate } from '../../src/core/format.js';
import type { OutgoingMessage } from '../../src/core/messages.js';
import { audit } from '../../src/domain/audit.js';
import { applyOps, StaleItemError, type Op } from '../../src/domain/schedule/changes.js';
import { LIMITS } from '../../src/domain/schedule/importRows.js';
import { findItem, snapshot, type Item, type ItemFields } from '../../src/domain/schedule/model.js';
import { changeBlock } from '../../src/domain/schedule/noticeText.js';
import { loadDirectory, resolveParticipants } from '../../src/domain/schedule/participants.js';
import { itemBlock, timeRange } from '../../src/domain/schedule/render.js';
import type { CommandContext } from '../types.js';
import { actorOf, canEdit, optional, parseTimeRange, withTime } from './common.js';

export const EDIT_FLOW = 'schedule.edit';
const FIELDS = ['time', 'date', 'content', 'place', 'chair', 'participants'] as const;
type EditField = (typeof FIELDS)[number];

interface Pending {
  id: number;
  version: number;
  field: EditField;
  value?: string;
}

/** The item, or null after telling the person why they cannot touch it. */
async function editable(ctx: CommandContext, id: string | undefined): Promise<Item | null> {
  const item = await findItem(ctx.svc.db, ctx.svc.config.APP_TIMEZONE, Number(id));
  if (!item) {
    await ctx.reply.notify(ctx.t('schedule:edit.not_found'));
    return null;
  }
  if (!(await canEdit(ctx, item.unitId))) {
    await ctx.reply.notify(ctx.t('schedule:edit.forbidden'));
    return null;
  }
  return item;
}

async function card(ctx: CommandContext, item: Item): Promise<OutgoingMessage> {
  const { t } = ctx;
  const lines = [`<b>${formatDay(item.startsAt, ctx.locale)}</b>`, itemBlock(t, item, { showUnit: true })];
  const changes = await ctx.svc.db.scheduleChange.findMany({ where: { itemId: item.id, kind: { not: 'created' } }, orderBy: { id: 'desc' } });
  const last = changes[0];
  if (last) {
    const at = formatDateTime(DateTime.fromJSDate(last.at, { zone: ctx.svc.config.APP_TIMEZONE }), ctx.locale);
    lines.push('', t('schedule:edit.history', { count: changes.length, at, actor: escapeHtml(last.actor) }));
  }
  const b = (key: string, data: string) => ({ text: t(`schedule:edit.${key}`), data });
  const buttons =
    item.status === 'cancelled'
      ? [[b('b_restore', `sch:r:${item.id}:${item.version}`)]]
      : [
          [b('b_time', `sch:e:${item.id}:time`), b('b_date', `sch:e:${item.id}:date`), b('b_content', `sch:e:${item.id}:content`)],
          [b('b_place', `sch:e:${item.id}:place`), b('b_chair', `sch:e:${item.id}:chair`), b('b_participants', `sch:e:${item.id}:participants`)],
          [b('b_cancel', `sch:x:${item.id}`)],
        ];
  return { text: lines.join('\n'), buttons };
}

/** sch:i:<id> — the item with its buttons, as a new message (the list it came from stays). */
export async function openItem(ctx: CommandContext, [id]: string[]): Promise<void> {
  const item = await editable(ctx, id);
  if (!item) return;
  await ctx.reply.notify();
  await ctx.reply.send(await card(ctx, item));
}

/** sch:c:<id> — back to the item in the same message. */
export async function showItem(ctx: CommandContext, [id]: string[]): Promise<void> {
  const item = await editable(ctx, id);
  if (!item) return;
  await ctx.reply.notify();
  await ctx.reply.edit(await card(ctx, item));
}

function current(item: Item, field: EditField): string {
  switch (field) {
    case 'time':
      return timeRange(item);
    case 'date':
      return formatDate(item.startsAt);
    default:
      return item[field];
  }
}

/** sch:e:<id>:<field> — asks for the new value. */
export async function startEdit(ctx: CommandContext, [id, field]: string[]): Promise<void> {
  if (!FIELDS.includes(field as EditField)) return void (await ctx.reply.notify(ctx.t('core:error.stale_button')));
  const item = await editable(ctx, id);
  if (!item) return;
  await ctx.reply.notify();
  await ctx.setFlow(EDIT_FLOW, { id: item.id, version: item.version, field: field as EditField } satisfies Pending);
  const old = current(item, field as EditField);
  await ctx.reply.send({ text: ctx.t(`schedule:edit.ask_${field}`, { old: old ? `<i>${escapeHtml(old)}</i>` : ctx.t('schedule:notice.none') }) });
}

/** The item's fields with the new value, or the key of what is wrong with it. */
async function apply(ctx: CommandContext, item: Item, field: EditField, value: string): Promise<ItemFields | { error: string; params?: Record<string, unknown> }> {
  const zone = ctx.svc.config.APP_TIMEZONE;
  const f: ItemFields = { ...item };
  const text = value.trim();
  switch (field) {
    case 'time': {
      const r = parseTimeRange(text);
      if (!r) return { error: 'bad_time', params: { value: escapeHtml(text) } };
      Object.assign(f, withTime(item.startsAt, r));
      break;
    }
    case 'date': {
      const now = ctx.svc.clock.now();
      const day = parseDate(text, zone, now);
      if (!day) return { error: 'bad_date', params: { value: escapeHtml(text) } };
      if (day < now.startOf('day')) return { error: 'past_date', params: { value: formatDate(day) } };
      const shift = day.diff(item.startsAt.startOf('day'));
      f.startsAt = item.startsAt.plus(shift);
      f.endsAt = item.endsAt ? item.endsAt.plus(shift) : null;
      break;
    }
    case 'content':
      if (!text) return { error: 'empty' };
      if (text.length > LIMITS.content) return { error: 'too_long', params: { max: LIMITS.content } };
      f.content = text;
      break;
    default: {
      const v = optional(text);
      if (v.length > LIMITS[field]) return { error: 'too_long', params: { max: LIMITS[field] } };
      f[field] = v;
      // Units given by code (not named in the text) stay; the rest follows the new text.
      const dir = await loadDirectory(ctx.svc.db);
      const was = resolveParticipants(dir, [item.chair, item.participants]);
      const now = resolveParticipants(dir, [f.chair, f.participants]);
      f.unitIds = [...new Set([...now.unitIds, ...item.unitIds.filter((u) => !was.unitIds.includes(u))])].sort((a, b) => a - b);
      f.personIds = now.personIds;
    }
  }
  return f;
}

export async function onEditText(ctx: CommandContext, text: string): Promise<void> {
  const { t, svc } = ctx;
  const p = ctx.flow!.data as unknown as Pending;
  const item = await findItem(svc.db, svc.config.APP_TIMEZONE, p.id);
  if (!item) {
    await ctx.clearFlow();
    return void (await ctx.reply.send({ text: t('schedule:edit.not_found') }));
  }
  const next = await apply(ctx, item, p.field, text);
  if ('error' in next) return void (await ctx.reply.send({ text: t(`schedule:input.${next.error}`, next.params ?? {}) }));
  await ctx.setFlow(EDIT_FLOW, { ...p, value: text } satisfies Pending);
  const change = changeBlock(t, ctx.locale, svc.config.APP_TIMEZONE, { id: 0, itemId: item.id, kind: 'updated', before: snapshot(item, item.status), after: snapshot(next, 'changed') }, false);
  await ctx.reply.send({
    text: t('schedule:edit.confirm', { change }),
    buttons: [[{ text: t('schedule:edit.yes'), data: 'sch:ok' }, { text: t('schedule:edit.no'), data: 'sch:no' }]],
  });
}

/** sch:ok — applies the pending edit. */
export async function confirmEdit(ctx: CommandContext): Promise<void> {
  const { t } = ctx;
  const p = ctx.flow?.name === EDIT_FLOW ? (ctx.flow.data as unknown as Pending) : null;
  if (!p?.value) {
    await ctx.reply.notify();
    return void (await ctx.reply.edit({ text: t('schedule:edit.expired') }));
  }
  const item = await editable(ctx, String(p.id));
  if (!item) return;
  await ctx.reply.notify();
  if (item.version !== p.version) {
    await ctx.clearFlow();
    return void (await ctx.reply.edit({ text: t('schedule:edit.stale') }));
  }
  const next = await apply(ctx, item, p.field, p.value);
  if ('error' in next) return void (await ctx.reply.edit({ text: t(`schedule:input.${next.error}`, next.params ?? {}) }));
  await ctx.clearFlow();
  await done(ctx, item, { kind: 'update', id: item.id, fields: next, version: p.version }, 'schedule.update', 'done');
}

/** sch:x:<id> — asks before cancelling. */
export async function askCancel(ctx: CommandContext, [id]: string[]): Promise<void> {
  const item = await editable(ctx, id);
  if (!item) return;
  await ctx.reply.notify();
  const { t } = ctx;
  await ctx.reply.edit({
    text: t('schedule:edit.confirm_cancel', { item: `<b>${formatDay(item.startsAt, ctx.locale)}</b>\n${itemBlock(t, item)}` }),
    buttons: [[{ text: t('schedule:edit.yes_cancel'), data: `sch:xx:${item.id}:${item.version}` }, { text: t('schedule:edit.no'), data: `sch:c:${item.id}` }]],
  });
}

/** sch:xx:<id>:<version> cancels; sch:r:<id>:<version> restores a cancelled item. */
export async function cancelOrRestore(ctx: CommandContext, [id, version]: string[], restore: boolean): Promise<void> {
  const item = await editable(ctx, id);
  if (!item) return;
  await ctx.reply.notify();
  if (String(item.version) !== version) return void (await ctx.reply.edit({ text: ctx.t('schedule:edit.stale') }));
  const op: Op = restore ? { kind: 'update', id: item.id, fields: item, version: item.version } : { kind: 'cancel', id: item.id, version: item.version };
  await done(ctx, item, op, restore ? 'schedule.restore' : 'schedule.cancel', restore ? 'done_restore' : 'done_cancel');
}

async function done(ctx: CommandContext, item: Item, op: Op, action: string, key: string): Promise<void> {
  const { t, svc } = ctx;
  const actor = actorOf(ctx);
  let res;
  try {
    res = await applyOps(svc, [op], actor);
  } catch (err) {
    if (err instanceof StaleItemError) return void (await ctx.reply.edit({ text: t('schedule:edit.stale') }));
    throw err;
  }
  if (res.changes.length === 0) return void (await ctx.reply.edit({ text: t('schedule:edit.unchanged') }));
  await audit(svc.db, { actorId: actor.id, actor: actor.name, action, target: `schedule:${item.id}`, details: { kind: res.changes[0]!.kind } });
  svc.kick();
  const lines = [t(`schedule:edit.${key}`)];
  if (res.notices) lines.push(t('schedule:edit.notified', { count: res.notices }));
  await ctx.reply.edit({ text: lines.join('\n'), buttons: [[{ text: t('schedule:edit.b_open'), data: `sch:i:${item.id}` }]] });
}
