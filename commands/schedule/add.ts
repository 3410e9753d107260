import {
  addableUnits,
  addDraftSchema,
  answerStep,
  createItem,
  previewAdd,
  startAdd,
  type AddDraft,
} from '../../src/application/schedule/add.js';
import type { OutgoingMessage } from '../../src/core/messages.js';
import { itemBlock } from '../../src/domain/schedule/render.js';
import { defineFlow } from '../flows.js';
import type { LinkedContext } from '../types.js';
import { sch } from './buttons.js';
import { refuseButton, refusalText } from './common.js';
import { editFlow } from './edit.js';
import { shorten } from '../../src/core/shorten.js';

export const addFlow = defineFlow('schedule.add', addDraftSchema);

/** /themlich: a guided entry (day, time, content, place, chair, participants), then a preview to save. */
export async function themlich(ctx: LinkedContext): Promise<void> {
  const units = await addableUnits(ctx.svc, ctx.actor);
  if (!units.ok) return void (await ctx.reply.send({ text: refusalText(ctx, units.refusal) }));
  if (units.value.length === 1) return begin(ctx, units.value[0]!.id);
  await ctx.reply.send({
    text: ctx.t('schedule:add.choose_unit'),
    buttons: units.value.map((u) => [{ text: shorten(u.name, 60), data: sch.pack('u', { unit: u.id }) }]),
  });
}

/** sch:u:<unitId> */
export async function chooseUnit(ctx: LinkedContext, { unit }: { unit: number }): Promise<void> {
  const res = await startAdd(ctx.svc, ctx.actor, unit);
  if (!res.ok) return refuseButton(ctx, res.refusal, 'send');
  await ctx.reply.notify();
  await addFlow.save(ctx, res.value.draft);
  await ctx.reply.send({ text: ctx.t('schedule:add.ask_date', { unit: res.value.unitName }) });
}

async function begin(ctx: LinkedContext, unitId: number): Promise<void> {
  const res = await startAdd(ctx.svc, ctx.actor, unitId);
  if (!res.ok) return void (await ctx.reply.send({ text: refusalText(ctx, res.refusal) }));
  await addFlow.save(ctx, res.value.draft);
  await ctx.reply.send({ text: ctx.t('schedule:add.ask_date', { unit: res.value.unitName }) });
}

export async function onAddText(ctx: LinkedContext, text: string): Promise<void> {
  const draft = addFlow.get(ctx);
  if (!draft) {
    await ctx.clearFlow();
    return void (await ctx.reply.send({ text: ctx.t('schedule:add.expired') }));
  }
  const res = await answerStep(ctx.svc, ctx.actor, draft, text);
  if (!res.ok) return void (await ctx.reply.send({ text: refusalText(ctx, res.refusal) }));
  const d = res.value;
  if (d.step === 'preview') {
    if (draft.step !== 'preview') await addFlow.save(ctx, d);
    return void (await ctx.reply.send(await preview(ctx, d)));
  }
  await addFlow.save(ctx, d);
  await ctx.reply.send({ text: ctx.t(`schedule:add.ask_${d.step}`) });
}

async function preview(ctx: LinkedContext, d: AddDraft): Promise<OutgoingMessage> {
  const { t } = ctx;
  const res = await previewAdd(ctx.svc, ctx.actor, d);
  if (!res.ok) return { text: refusalText(ctx, res.refusal) };
  const { item, names } = res.value;
  const lines = [t('schedule:add.preview'), '', `<b>${item.startsAt.toFormat('dd/MM/yyyy')}</b>`, itemBlock(t, item, { showUnit: true })];
  if (d.chair || d.participants) {
    lines.push('', names.length ? t('schedule:add.resolved', { list: names.join('; ') }) : t('schedule:add.resolved_none'));
  }
  return {
    text: lines.join('\n'),
    buttons: [
      [
        { text: t('schedule:add.save'), data: sch.pack('save', {}) },
        { text: t('schedule:add.discard'), data: sch.pack('no', {}) },
      ],
    ],
  };
}

/** sch:save — the preview's "Lưu"; of two presses only one saves. */
export async function save(ctx: LinkedContext): Promise<void> {
  const { t, svc } = ctx;
  const d = await addFlow.take(ctx);
  if (!d || d.step !== 'preview') {
    await ctx.reply.notify();
    return void (await ctx.reply.edit({ text: t('schedule:add.expired') }));
  }
  const res = await createItem(svc, ctx.actor, d);
  if (!res.ok) return refuseButton(ctx, res.refusal);
  await ctx.reply.notify();
  svc.kick();
  const lines = [t('schedule:add.saved')];
  if (res.value.notices) lines.push(t('schedule:edit.notified', { count: res.value.notices }));
  await ctx.reply.edit({
    text: lines.join('\n'),
    buttons: [[{ text: t('schedule:edit.b_open'), data: sch.pack('i', { id: res.value.id }) }]],
  });
}

/** sch:no — discard the draft or the pending edit. */
export async function discard(ctx: LinkedContext): Promise<void> {
  const was = ctx.flow?.name;
  await addFlow.clear(ctx);
  await editFlow.clear(ctx);
  await ctx.reply.notify();
  await ctx.reply.edit({ text: ctx.t(was === addFlow.name ? 'schedule:add.discarded' : 'schedule:edit.discarded') });
}
