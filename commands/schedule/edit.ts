import {
  applyEdit,
  cancelItem,
  openItem as openCard,
  pendingEditSchema,
  previewEdit,
  restoreItem,
  startEdit as beginEdit,
  type Applied,
  type EditField,
  type ItemCard,
} from '../../src/application/schedule/items.js';
import type { Result } from '../../src/application/result.js';
import { escapeHtml } from '../../src/core/html.js';
import { formatDateTime, formatDay } from '../../src/core/format.js';
import type { OutgoingMessage } from '../../src/core/messages.js';
import { changeBlock } from '../../src/domain/schedule/noticeText.js';
import type { Item } from '../../src/domain/schedule/model.js';
import { itemBlock } from '../../src/domain/schedule/render.js';
import { defineFlow } from '../flows.js';
import type { LinkedContext } from '../types.js';
import { sch } from './buttons.js';
import { refuseButton, refusalText } from './common.js';

export const editFlow = defineFlow('schedule.edit', pendingEditSchema);

function card(ctx: LinkedContext, item: Item, history: ItemCard['history']): OutgoingMessage {
  const { t } = ctx;
  const lines = [`<b>${formatDay(item.startsAt, ctx.locale)}</b>`, itemBlock(t, item, { showUnit: true })];
  if (history)
    lines.push('', t('schedule:edit.history', { count: history.count, at: formatDateTime(history.at, ctx.locale), actor: history.actor }));
  const b = (key: string, data: string) => ({ text: t(`schedule:edit.${key}`), data });
  const e = (field: EditField) => b(`b_${field}`, sch.pack('e', { id: item.id, field }));
  const buttons =
    item.status === 'cancelled'
      ? [[b('b_restore', sch.pack('r', { id: item.id, version: item.version }))]]
      : [
          [e('time'), e('date'), e('content')],
          [e('place'), e('chair'), e('participants')],
          [b('b_cancel', sch.pack('x', { id: item.id }))],
        ];
  return { text: lines.join('\n'), buttons };
}

/** sch:i:<id> — the item with its buttons, as a new message (the list it came from stays). */
export async function openItem(ctx: LinkedContext, { id }: { id: number }): Promise<void> {
  const res = await openCard(ctx.svc, ctx.actor, id);
  if (!res.ok) return refuseButton(ctx, res.refusal, 'send');
  await ctx.reply.notify();
  await ctx.reply.send(card(ctx, res.value.item, res.value.history));
}

/** sch:c:<id> — back to the item in the same message. */
export async function showItem(ctx: LinkedContext, { id }: { id: number }): Promise<void> {
  const res = await openCard(ctx.svc, ctx.actor, id);
  if (!res.ok) return refuseButton(ctx, res.refusal);
  await ctx.reply.notify();
  await ctx.reply.edit(card(ctx, res.value.item, res.value.history));
}

/** sch:e:<id>:<field> — asks for the new value. */
export async function startEdit(ctx: LinkedContext, { id, field }: { id: number; field: EditField }): Promise<void> {
  const res = await beginEdit(ctx.svc, ctx.actor, id, field);
  if (!res.ok) return refuseButton(ctx, res.refusal, 'send');
  await ctx.reply.notify();
  await editFlow.save(ctx, res.value.pending);
  const old = res.value.current;
  await ctx.reply.send({
    text: ctx.t(`schedule:edit.ask_${field}`, { old: old ? `<i>${escapeHtml(old)}</i>` : ctx.t('schedule:notice.none') }),
  });
}

export async function onEditText(ctx: LinkedContext, text: string): Promise<void> {
  const { t, svc } = ctx;
  const p = editFlow.get(ctx);
  if (!p) {
    await ctx.clearFlow();
    return void (await ctx.reply.send({ text: t('schedule:edit.expired') }));
  }
  const res = await previewEdit(svc, ctx.actor, p, text);
  if (!res.ok) {
    if (res.refusal.key === 'schedule:edit.not_found' || res.refusal.key === 'schedule:edit.forbidden') await editFlow.clear(ctx);
    return void (await ctx.reply.send({ text: refusalText(ctx, res.refusal) }));
  }
  await editFlow.save(ctx, res.value.pending);
  const change = changeBlock(t, ctx.locale, svc.config.APP_TIMEZONE, res.value.change, false);
  await ctx.reply.send({
    text: t('schedule:edit.confirm', { change }),
    buttons: [
      [
        { text: t('schedule:edit.yes'), data: sch.pack('ok', {}) },
        { text: t('schedule:edit.no'), data: sch.pack('no', {}) },
      ],
    ],
  });
}

/** sch:ok — applies the pending edit; of two presses only one gets it. */
export async function confirmEdit(ctx: LinkedContext): Promise<void> {
  const p = await editFlow.take(ctx);
  if (!p?.value) {
    if (p) await editFlow.save(ctx, p);
    await ctx.reply.notify();
    return void (await ctx.reply.edit({ text: ctx.t('schedule:edit.expired') }));
  }
  const res = await applyEdit(ctx.svc, ctx.actor, p);
  // A value that no longer fits (a day that has passed meanwhile) keeps the edit open for another value.
  if (!res.ok && res.refusal.key.startsWith('schedule:input.')) await editFlow.save(ctx, p);
  await done(ctx, p.id, res, 'done');
}

/** sch:x:<id> — asks before cancelling. */
export async function askCancel(ctx: LinkedContext, { id }: { id: number }): Promise<void> {
  const res = await openCard(ctx.svc, ctx.actor, id);
  if (!res.ok) return refuseButton(ctx, res.refusal);
  await ctx.reply.notify();
  const { t } = ctx;
  const item = res.value.item;
  await ctx.reply.edit({
    text: t('schedule:edit.confirm_cancel', { item: `<b>${formatDay(item.startsAt, ctx.locale)}</b>\n${itemBlock(t, item)}` }),
    buttons: [
      [
        { text: t('schedule:edit.yes_cancel'), data: sch.pack('xx', { id: item.id, version: item.version }) },
        { text: t('schedule:edit.no'), data: sch.pack('c', { id: item.id }) },
      ],
    ],
  });
}

/** sch:xx:<id>:<version> cancels. */
export async function cancel(ctx: LinkedContext, { id, version }: { id: number; version: number }): Promise<void> {
  await done(ctx, id, await cancelItem(ctx.svc, ctx.actor, id, version), 'done_cancel');
}

/** sch:r:<id>:<version> restores a cancelled item. */
export async function restore(ctx: LinkedContext, { id, version }: { id: number; version: number }): Promise<void> {
  await done(ctx, id, await restoreItem(ctx.svc, ctx.actor, id, version), 'done_restore');
}

async function done(ctx: LinkedContext, id: number, res: Result<Applied>, key: string): Promise<void> {
  const { t, svc } = ctx;
  if (!res.ok) return refuseButton(ctx, res.refusal);
  await ctx.reply.notify();
  if (!res.value.changed) return void (await ctx.reply.edit({ text: t('schedule:edit.unchanged') }));
  svc.kick();
  const lines = [t(`schedule:edit.${key}`)];
  if (res.value.notices) lines.push(t('schedule:edit.notified', { count: res.value.notices }));
  await ctx.reply.edit({ text: lines.join('\n'), buttons: [[{ text: t('schedule:edit.b_open'), data: sch.pack('i', { id }) }]] });
}
