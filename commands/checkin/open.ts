import { DateTime } from 'luxon';
import { formatDateTime, formatQuarter } from '../../src/core/format.js';
import { escapeHtml } from '../../src/core/html.js';
import { CheckinError, openCampaign, resolveTargets } from '../../src/domain/checkin/campaigns.js';
import { campaignTitle } from '../../src/domain/checkin/messages.js';
import { loadDefaultQuestionnaire } from '../../src/domain/checkin/questionnaire.js';
import { DeadlineError } from '../../src/domain/deadlines/input.js';
import { parseDue } from '../../src/domain/deadlines/time.js';
import { unitsInScope } from '../../src/domain/org/tree.js';
import type { CommandContext } from '../types.js';

/** The admin's guided opening of a campaign: period, đảng bộ (all its chi bộ answer), closing date, confirm. */
export const OPEN_FLOW = 'checkin.open';
const MAX_UNIT_BUTTONS = 12;

interface Draft {
  step: 'unit' | 'closes' | 'confirm';
  period: string;
  unitId?: number;
  closes?: string;
}

function draft(ctx: CommandContext): Draft | null {
  return ctx.flow?.name === OPEN_FLOW ? (ctx.flow.data as unknown as Draft) : null;
}

function quarterOf(dt: DateTime): string {
  return `${dt.year}-Q${Math.ceil(dt.month / 3)}`;
}

/** /mobaocao: starts with the period (this quarter or the one before). */
export async function mobaocao(ctx: CommandContext): Promise<void> {
  const now = ctx.svc.clock.now();
  const periods = [quarterOf(now.minus({ months: 3 })), quarterOf(now)];
  await ctx.clearFlow();
  await ctx.reply.send({
    text: ctx.t('checkin:open.period'),
    buttons: [periods.map((p) => ({ text: formatQuarter(p, ctx.locale)!, data: `ci:op:p:${p}` }))],
  });
}

async function adminScope(ctx: CommandContext): Promise<number[]> {
  return unitsInScope(ctx.svc.db, ctx.person!.id, ['admin']);
}

async function askUnit(ctx: CommandContext, period: string): Promise<void> {
  const scope = await adminScope(ctx);
  const units = await ctx.svc.db.unit.findMany({ where: { id: { in: scope }, kind: 'dang_bo' }, orderBy: { code: 'asc' }, take: MAX_UNIT_BUTTONS });
  await ctx.setFlow(OPEN_FLOW, { step: 'unit', period });
  await ctx.reply.send({
    text: ctx.t('checkin:open.unit', { period: formatQuarter(period, ctx.locale) }),
    buttons: units.map((u) => [{ text: `${u.name}`.slice(0, 60), data: `ci:op:u:${period}:${u.id}` }]),
  });
}

async function chooseUnit(ctx: CommandContext, period: string, unit: { id: number; code: string; name: string } | null): Promise<void> {
  if (!unit || !(await adminScope(ctx)).includes(unit.id)) return void (await ctx.reply.send({ text: ctx.t('checkin:open.unit_unknown') }));
  await ctx.setFlow(OPEN_FLOW, { step: 'closes', period, unitId: unit.id });
  await ctx.reply.send({ text: ctx.t('checkin:open.closes', { unit: escapeHtml(unit.name) }) });
}

async function confirm(ctx: CommandContext, d: Draft, closes: DateTime): Promise<void> {
  const unit = (await ctx.svc.db.unit.findUnique({ where: { id: d.unitId! } }))!;
  const targets = await resolveTargets(ctx.svc.db, [unit.code], true).catch(() => []);
  if (targets.length === 0) return void (await ctx.reply.send({ text: ctx.t('checkin:errors.no_cells', { code: escapeHtml(unit.code) }) }));
  const qn = loadDefaultQuestionnaire();
  await ctx.setFlow(OPEN_FLOW, { ...d, step: 'confirm', closes: closes.toISO()! });
  await ctx.reply.send({
    text: ctx.t('checkin:open.confirm', {
      title: escapeHtml(campaignTitle({ period: d.period, questionnaire: qn }, ctx.locale)),
      unit: escapeHtml(unit.name),
      count: targets.length,
      due: formatDateTime(closes, ctx.locale),
      questions: qn.questions.length,
    }),
    buttons: [[{ text: ctx.t('checkin:open.ok'), data: 'ci:op:ok' }, { text: ctx.t('checkin:open.cancel'), data: 'ci:op:x' }]],
  });
}

export async function onOpenText(ctx: CommandContext, text: string): Promise<void> {
  const d = draft(ctx);
  if (!d) return;
  if (d.step === 'unit') {
    const unit = await ctx.svc.db.unit.findUnique({ where: { code: text.trim() } });
    return chooseUnit(ctx, d.period, unit);
  }
  if (d.step === 'closes') {
    const [date = '', time] = text.trim().split(/\s+/);
    const due = parseDue(date, time, ctx.svc.clock.zone);
    if (!due.ok) return void (await ctx.reply.send({ text: ctx.t('checkin:open.bad_closes') }));
    if (due.dueAt <= ctx.svc.clock.now()) return void (await ctx.reply.send({ text: ctx.t('checkin:errors.closes_past') }));
    return confirm(ctx, d, due.dueAt);
  }
  await ctx.reply.send({ text: ctx.t('checkin:open.use_buttons') });
}

export async function onOpenButton(ctx: CommandContext, args: string[]): Promise<void> {
  if (!ctx.person!.roles.some((r) => r.role === 'admin')) return ctx.reply.notify(ctx.t('core:error.forbidden_short'));
  const [step, a1, a2] = args;
  if (step === 'p' && a1 && formatQuarter(a1)) {
    await ctx.reply.notify();
    return askUnit(ctx, a1);
  }
  if (step === 'u' && a1 && formatQuarter(a1)) {
    await ctx.reply.notify();
    return chooseUnit(ctx, a1, await ctx.svc.db.unit.findUnique({ where: { id: Number(a2) || 0 } }));
  }
  const d = draft(ctx);
  if (step === 'x') {
    if (d) await ctx.clearFlow();
    await ctx.reply.notify();
    return ctx.reply.edit({ text: ctx.t('checkin:open.cancelled') });
  }
  if (step === 'ok' && d?.step === 'confirm') {
    await ctx.reply.notify();
    return create(ctx, d);
  }
  await ctx.reply.notify(ctx.t('checkin:stale'));
}

async function create(ctx: CommandContext, d: Draft): Promise<void> {
  await ctx.clearFlow();
  const unit = (await ctx.svc.db.unit.findUnique({ where: { id: d.unitId! } }))!;
  try {
    const targets = await resolveTargets(ctx.svc.db, [unit.code], true);
    const res = await openCampaign(ctx.svc, {
      period: d.period,
      questionnaire: loadDefaultQuestionnaire(),
      unitIds: targets.map((u) => u.id),
      closesAt: DateTime.fromISO(d.closes!, { zone: ctx.svc.clock.zone }),
      createdById: ctx.person!.id,
      actor: `${ctx.msg.channel}:${ctx.msg.sender.id}`,
    });
    await ctx.reply.edit({ text: ctx.t('checkin:open.done', { id: res.id, count: res.units, prompted: res.prompted }) });
  } catch (err) {
    if (err instanceof CheckinError) return void (await ctx.reply.send({ text: ctx.t(`checkin:errors.${err.key}`, escapeParams(err.params)) }));
    if (err instanceof DeadlineError) return void (await ctx.reply.send({ text: ctx.t(`deadlines:errors.${err.key}`, escapeParams(err.params)) }));
    throw err;
  }
}

function escapeParams(p: Record<string, string | number>): Record<string, string | number> {
  return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, typeof v === 'string' ? escapeHtml(v) : v]));
}
