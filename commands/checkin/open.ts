import { DateTime } from 'luxon';
import { z } from 'zod';
import { chooseUnit, openableUnits, openCheckin, previewCampaign, type UnitRef } from '../../src/application/checkin/open.js';
import { formatDateTime, formatQuarter } from '../../src/core/format.js';
import { checkinButtons } from '../../src/domain/checkin/buttons.js';
import { campaignTitle } from '../../src/domain/checkin/messages.js';
import { loadDefaultQuestionnaire } from '../../src/domain/checkin/questionnaire.js';
import { parseDueText } from '../../src/domain/deadlines/time.js';
import { defineFlow } from '../flows.js';
import type { LinkedContext } from '../types.js';
import { refusalText } from './render.js';
import { shorten } from '../../src/core/shorten.js';

const MAX_UNIT_BUTTONS = 12;

/** The admin's guided opening of a campaign: period, đảng bộ (all its chi bộ answer), closing date, confirm. */
export const opening = defineFlow(
  'checkin.open',
  z.object({
    step: z.enum(['unit', 'closes', 'confirm']),
    period: z.string().refine((p) => formatQuarter(p) !== null),
    unitId: z.number().int().positive().optional(),
    closes: z.string().optional(),
  }),
);
type Draft = NonNullable<ReturnType<typeof opening.get>>;

function quarterOf(dt: DateTime): string {
  return `${dt.year}-Q${Math.ceil(dt.month / 3)}`;
}

const say = async (ctx: LinkedContext, text: string): Promise<void> => void (await ctx.reply.send({ text }));

/** /mobaocao: starts with the period (this quarter or the one before). */
export async function mobaocao(ctx: LinkedContext): Promise<void> {
  const now = ctx.svc.clock.now();
  const periods = [quarterOf(now.minus({ months: 3 })), quarterOf(now)];
  await ctx.clearFlow();
  await ctx.reply.send({
    text: ctx.t('checkin:open.period'),
    buttons: [
      periods.map((p) => ({
        text: formatQuarter(p, ctx.locale)!,
        data: checkinButtons.pack('op', { step: 'p', period: p, unit: undefined }),
      })),
    ],
  });
}

async function askUnit(ctx: LinkedContext, period: string): Promise<void> {
  const res = await openableUnits(ctx.svc, ctx.actor, { limit: MAX_UNIT_BUTTONS });
  if (!res.ok) return say(ctx, refusalText(ctx, res.refusal));
  await opening.save(ctx, { step: 'unit', period });
  await ctx.reply.send({
    text: ctx.t('checkin:open.unit', { period: formatQuarter(period, ctx.locale) }),
    buttons: res.value.map((u) => [{ text: shorten(u.name, 60), data: checkinButtons.pack('op', { step: 'u', period, unit: u.id }) }]),
  });
}

async function chosen(ctx: LinkedContext, period: string, input: { unitId: number } | { code: string }): Promise<void> {
  const res = await chooseUnit(ctx.svc, ctx.actor, input);
  if (!res.ok) return say(ctx, refusalText(ctx, res.refusal));
  await opening.save(ctx, { step: 'closes', period, unitId: res.value.id });
  await say(ctx, ctx.t('checkin:open.closes', { unit: res.value.name }));
}

async function unitOf(ctx: LinkedContext, d: Draft): Promise<UnitRef | null> {
  return d.unitId === undefined
    ? null
    : ctx.svc.db.unit.findUnique({ where: { id: d.unitId }, select: { id: true, code: true, name: true } });
}

async function confirm(ctx: LinkedContext, d: Draft, closes: DateTime): Promise<void> {
  const unit = await unitOf(ctx, d);
  if (!unit) return say(ctx, ctx.t('checkin:open.unit_unknown'));
  const preview = await previewCampaign(ctx.svc, ctx.actor, { unitCodes: [unit.code], subtree: true });
  if (!preview.ok) return say(ctx, refusalText(ctx, preview.refusal));
  const qn = loadDefaultQuestionnaire();
  await opening.save(ctx, { ...d, step: 'confirm', closes: closes.toISO()! });
  await ctx.reply.send({
    text: ctx.t('checkin:open.confirm', {
      title: campaignTitle({ period: d.period, questionnaire: qn }, ctx.locale),
      unit: unit.name,
      count: preview.value.targets.length,
      due: formatDateTime(closes, ctx.locale),
      questions: qn.questions.length,
    }),
    buttons: [
      [
        { text: ctx.t('checkin:open.ok'), data: checkinButtons.pack('op', { step: 'ok', period: undefined, unit: undefined }) },
        { text: ctx.t('checkin:open.cancel'), data: checkinButtons.pack('op', { step: 'x', period: undefined, unit: undefined }) },
      ],
    ],
  });
}

export async function onOpenText(ctx: LinkedContext, text: string): Promise<void> {
  const d = opening.get(ctx);
  if (!d) return;
  if (d.step === 'unit') return chosen(ctx, d.period, { code: text });
  if (d.step === 'closes') {
    const due = parseDueText(text, ctx.svc.clock.now());
    if (!due.ok) return say(ctx, ctx.t('checkin:open.bad_closes'));
    if (due.dueAt <= ctx.svc.clock.now()) return say(ctx, ctx.t('checkin:errors.closes_past'));
    return confirm(ctx, d, due.dueAt);
  }
  await say(ctx, ctx.t('checkin:open.use_buttons'));
}

/** `ci:op:<step>[:<period>[:<unit>]]`: the steps of /mobaocao. A step without what it needs is stale. */
export async function onOpenButton(
  ctx: LinkedContext,
  b: { step: 'p' | 'u' | 'ok' | 'x'; period: string | undefined; unit: number | undefined },
): Promise<void> {
  if (b.step === 'p' && b.period && b.unit === undefined) {
    await ctx.reply.notify();
    return askUnit(ctx, b.period);
  }
  if (b.step === 'u' && b.period && b.unit !== undefined) {
    await ctx.reply.notify();
    return chosen(ctx, b.period, { unitId: b.unit });
  }
  if (b.period !== undefined || b.unit !== undefined) return ctx.reply.notify(ctx.t('core:error.stale_button'));
  if (b.step === 'x') {
    await opening.clear(ctx);
    await ctx.reply.notify();
    return ctx.reply.edit({ text: ctx.t('checkin:open.cancelled') });
  }
  // Of two presses of "OK" only one takes the draft.
  const d = b.step === 'ok' && opening.get(ctx)?.step === 'confirm' ? await opening.take(ctx) : null;
  if (!d) return ctx.reply.notify(ctx.t('checkin:stale'));
  await ctx.reply.notify();
  return create(ctx, d);
}

async function create(ctx: LinkedContext, d: Draft): Promise<void> {
  const unit = await unitOf(ctx, d);
  const closesAt = d.closes ? DateTime.fromISO(d.closes, { zone: ctx.svc.clock.zone }) : null;
  if (!unit || !closesAt?.isValid) return say(ctx, ctx.t('checkin:stale'));
  // The use case checks the admin's scope again: roles may have changed since the unit was chosen.
  const res = await openCheckin(ctx.svc, ctx.actor, { period: d.period, unitCodes: [unit.code], subtree: true, closesAt });
  if (!res.ok) return say(ctx, refusalText(ctx, res.refusal));
  await ctx.reply.edit({ text: ctx.t('checkin:open.done', { id: res.value.id, count: res.value.units, prompted: res.value.prompted }) });
}
