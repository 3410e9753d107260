import { DateTime } from 'luxon';
import { escapeHtml } from '../../src/core/html.js';
import { formatDate, parseDate } from '../../src/core/format.js';
import type { OutgoingMessage } from '../../src/core/messages.js';
import { audit } from '../../src/domain/audit.js';
import { applyOps } from '../../src/domain/schedule/changes.js';
import { LIMITS } from '../../src/domain/schedule/importRows.js';
import type { Item, ItemFields } from '../../src/domain/schedule/model.js';
import { loadDirectory, resolveParticipants } from '../../src/domain/schedule/participants.js';
import { itemBlock } from '../../src/domain/schedule/render.js';
import type { CommandContext } from '../types.js';
import { actorOf, EDITORS, optional, parseTimeRange, withTime } from './common.js';

export const ADD_FLOW = 'schedule.add';

interface Draft {
  unitId: number;
  step: 'date' | 'time' | 'content' | 'place' | 'chair' | 'participants' | 'preview';
  date?: string;
  time?: string;
  content?: string;
  place?: string;
  chair?: string;
  participants?: string;
}

/** /themlich: a guided entry (day, time, content, place, chair, participants), then a preview to save. */
export async function themlich(ctx: CommandContext): Promise<void> {
  const units = new Map(ctx.person!.roles.filter((r) => EDITORS.includes(r.role)).map((r) => [r.unitId, r.unitName]));
  if (units.size === 0) return void (await ctx.reply.send({ text: ctx.t('schedule:add.no_unit') }));
  if (units.size === 1) return begin(ctx, [...units.keys()][0]!);
  await ctx.reply.send({
    text: ctx.t('schedule:add.choose_unit'),
    buttons: [...units].map(([id, name]) => [{ text: name.slice(0, 60), data: `sch:u:${id}` }]),
  });
}

/** sch:u:<unitId> */
export async function chooseUnit(ctx: CommandContext, [id]: string[]): Promise<void> {
  const unitId = Number(id);
  await ctx.reply.notify();
  if (!ctx.person!.roles.some((r) => r.unitId === unitId && EDITORS.includes(r.role))) return;
  await begin(ctx, unitId);
}

async function begin(ctx: CommandContext, unitId: number): Promise<void> {
  const unit = await ctx.svc.db.unit.findUniqueOrThrow({ where: { id: unitId } });
  await ctx.setFlow(ADD_FLOW, { unitId, step: 'date' } satisfies Draft);
  await ctx.reply.send({ text: ctx.t('schedule:add.ask_date', { unit: escapeHtml(unit.name) }) });
}

const NEXT: Record<Draft['step'], Draft['step']> = {
  date: 'time',
  time: 'content',
  content: 'place',
  place: 'chair',
  chair: 'participants',
  participants: 'preview',
  preview: 'preview',
};

export async function onAddText(ctx: CommandContext, text: string): Promise<void> {
  const { t, svc } = ctx;
  const d = { ...(ctx.flow!.data as unknown as Draft) };
  const zone = svc.config.APP_TIMEZONE;
  const value = text.trim();
  const fail = (key: string, params: Record<string, unknown> = {}) => ctx.reply.send({ text: t(`schedule:input.${key}`, params) });
  switch (d.step) {
    case 'date': {
      const day = parseDate(value, zone, svc.clock.now());
      if (!day) return void (await fail('bad_date', { value: escapeHtml(value) }));
      if (day < svc.clock.now().startOf('day')) return void (await fail('past_date', { value: formatDate(day) }));
      d.date = day.toISODate()!;
      break;
    }
    case 'time':
      if (!parseTimeRange(value)) return void (await fail('bad_time', { value: escapeHtml(value) }));
      d.time = value;
      break;
    case 'content':
      if (!value) return void (await fail('empty'));
      if (value.length > LIMITS.content) return void (await fail('too_long', { max: LIMITS.content }));
      d.content = value;
      break;
    case 'place':
    case 'chair':
    case 'participants': {
      const v = optional(value);
      if (v.length > LIMITS[d.step]) return void (await fail('too_long', { max: LIMITS[d.step] }));
      d[d.step] = v;
      break;
    }
    case 'preview':
      return void (await ctx.reply.send(await preview(ctx, d)));
  }
  d.step = NEXT[d.step];
  await ctx.setFlow(ADD_FLOW, d as unknown as Record<string, unknown>);
  if (d.step === 'preview') return void (await ctx.reply.send(await preview(ctx, d)));
  await ctx.reply.send({ text: t(`schedule:add.ask_${d.step}`) });
}

async function fieldsOf(ctx: CommandContext, d: Draft): Promise<ItemFields> {
  const zone = ctx.svc.config.APP_TIMEZONE;
  const range = parseTimeRange(d.time!)!;
  const resolved = resolveParticipants(await loadDirectory(ctx.svc.db), [d.chair ?? '', d.participants ?? '']);
  return {
    unitId: d.unitId,
    ...withTime(DateTime.fromISO(d.date!, { zone }), range),
    content: d.content!,
    place: d.place ?? '',
    chair: d.chair ?? '',
    participants: d.participants ?? '',
    unitIds: resolved.unitIds,
    personIds: resolved.personIds,
  };
}

async function preview(ctx: CommandContext, d: Draft): Promise<OutgoingMessage> {
  const { t, svc } = ctx;
  const f = await fieldsOf(ctx, d);
  const unit = await svc.db.unit.findUniqueOrThrow({ where: { id: d.unitId } });
  const draft: Item = { ...f, id: 0, ref: null, unitName: unit.name, status: 'planned', version: 0, createdAt: svc.clock.now(), updatedAt: svc.clock.now() };
  const names = [
    ...(await svc.db.person.findMany({ where: { id: { in: f.personIds } }, select: { fullName: true } })).map((p) => p.fullName),
    ...(await svc.db.unit.findMany({ where: { id: { in: f.unitIds } }, select: { name: true } })).map((u) => u.name),
  ];
  const lines = [t('schedule:add.preview'), '', `<b>${f.startsAt.toFormat('dd/MM/yyyy')}</b>`, itemBlock(t, draft, { showUnit: true })];
  if (d.chair || d.participants) {
    lines.push('', names.length ? t('schedule:add.resolved', { list: escapeHtml(names.join('; ')) }) : t('schedule:add.resolved_none'));
  }
  return {
    text: lines.join('\n'),
    buttons: [[{ text: t('schedule:add.save'), data: 'sch:save' }, { text: t('schedule:add.discard'), data: 'sch:no' }]],
  };
}

/** sch:save — the preview's "Lưu". */
export async function save(ctx: CommandContext): Promise<void> {
  const { t, svc } = ctx;
  await ctx.reply.notify();
  if (ctx.flow?.name !== ADD_FLOW || (ctx.flow.data as unknown as Draft).step !== 'preview') {
    return void (await ctx.reply.edit({ text: t('schedule:add.expired') }));
  }
  const d = ctx.flow.data as unknown as Draft;
  if (!ctx.person!.roles.some((r) => r.unitId === d.unitId && EDITORS.includes(r.role))) {
    return void (await ctx.reply.edit({ text: t('schedule:edit.forbidden') }));
  }
  const fields = await fieldsOf(ctx, d);
  const actor = actorOf(ctx);
  const res = await applyOps(svc, [{ kind: 'create', fields }], actor);
  const id = res.itemIds[0]!;
  await audit(svc.db, { actorId: actor.id, actor: actor.name, action: 'schedule.create', target: `schedule:${id}` });
  await ctx.clearFlow();
  svc.kick();
  const lines = [t('schedule:add.saved')];
  if (res.notices) lines.push(t('schedule:edit.notified', { count: res.notices }));
  await ctx.reply.edit({ text: lines.join('\n'), buttons: [[{ text: t('schedule:edit.b_open'), data: `sch:i:${id}` }]] });
}

/** sch:no — discard the draft or the pending edit. */
export async function discard(ctx: CommandContext): Promise<void> {
  const was = ctx.flow?.name;
  await ctx.clearFlow();
  await ctx.reply.notify();
  await ctx.reply.edit({ text: ctx.t(was === ADD_FLOW ? 'schedule:add.discarded' : 'schedule:edit.discarded') });
}
