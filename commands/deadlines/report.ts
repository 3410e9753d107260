import { escapeHtml } from '../../src/core/html.js';
import { openForUnits, mayReportFor, unitsHeld } from '../../src/domain/deadlines/queries.js';
import { SECRETARY_ROLES } from '../../src/domain/deadlines/recipients.js';
import { stamp, unitText } from '../../src/domain/deadlines/render.js';
import { markReported, setReportNote, undoReport } from '../../src/domain/deadlines/service.js';
import { local } from '../../src/domain/deadlines/time.js';
import type { CommandContext, CommandDef, FlowDef } from '../types.js';
import { actorOf, positiveInt } from './common.js';

export const NOTE_FLOW = 'deadlines.note';
/** How long after reporting a typed text is taken as the report's note. */
const NOTE_WINDOW_MIN = 30;
const MAX_CHOICES = 8;

/** "✅ Đã nộp" on an announcement or reminder, or a choice of /danop. */
export async function onDone(ctx: CommandContext, args: string[], note: string | null = null): Promise<void> {
  const deadlineId = positiveInt(args[0]);
  const unitId = positiveInt(args[1]);
  if (!deadlineId || !unitId) return ctx.reply.notify(ctx.t('core:error.stale_button'));
  const { svc, t } = ctx;
  const target = await svc.db.deadlineUnit.findUnique({
    where: { deadlineId_unitId: { deadlineId, unitId } },
    include: { deadline: true, unit: { select: { id: true, code: true, name: true } }, reportedBy: { select: { fullName: true } } },
  });
  if (!target) return answer(ctx, t('deadlines:report.not_target'));
  if (target.deadline.kind !== 'deadline') return answer(ctx, t('deadlines:report.not_deadline'));
  if (target.deadline.closedAt) return answer(ctx, t('deadlines:report.closed'));
  if (!(await mayReportFor(svc.db, ctx.person!.id, unitId))) return answer(ctx, t('deadlines:report.forbidden'));
  const title = escapeHtml(target.deadline.title);
  const unit = unitText(target.unit);
  const res = await markReported(svc, { deadlineId, unitId, personId: ctx.person!.id, note, actor: actorOf(ctx) });
  if (!res.ok) {
    if (res.reason === 'not_target') return answer(ctx, t('deadlines:report.not_target'));
    const now = await svc.db.deadlineUnit.findUnique({ where: { id: target.id }, include: { reportedBy: { select: { fullName: true } } } });
    const at = now?.reportedAt ? stamp(local(now.reportedAt, svc.clock.zone)) : '';
    return answer(ctx, t('deadlines:report.already', { unit, title, at, who: escapeHtml(now?.reportedBy?.fullName ?? '—') }));
  }
  await ctx.reply.notify(t('deadlines:report.done_short'));
  const lines = [t('deadlines:report.done', { unit, title, at: stamp(svc.clock.now()) }), ''];
  // Do not cut into another conversation the person is in the middle of.
  if (!ctx.flow || ctx.flow.name === NOTE_FLOW) {
    await ctx.setFlow(NOTE_FLOW, { deadlineId, unitId });
    if (!note) lines.push(t('deadlines:report.note_hint'));
  }
  lines.push(t('deadlines:report.undo_hint'));
  await ctx.reply.send({
    text: lines.join('\n'),
    buttons: [[{ text: t('deadlines:buttons.undo'), data: `dl:undo:${deadlineId}:${unitId}` }]],
  });
}

/** A button press gets its popup acknowledged and a message; a command only the message. */
async function answer(ctx: CommandContext, text: string): Promise<void> {
  await ctx.reply.notify();
  await ctx.reply.send({ text });
}

export async function onUndo(ctx: CommandContext, args: string[]): Promise<void> {
  const deadlineId = positiveInt(args[0]);
  const unitId = positiveInt(args[1]);
  if (!deadlineId || !unitId) return ctx.reply.notify(ctx.t('core:error.stale_button'));
  const res = await undoReport(ctx.svc, { deadlineId, unitId, personId: ctx.person!.id, actor: actorOf(ctx) });
  if (!res.ok) return ctx.reply.notify(ctx.t(`deadlines:undo.${res.reason}`));
  const target = await ctx.svc.db.deadlineUnit.findUnique({
    where: { deadlineId_unitId: { deadlineId, unitId } },
    include: { deadline: { select: { title: true } }, unit: { select: { id: true, code: true, name: true } } },
  });
  if (ctx.flow?.name === NOTE_FLOW) await ctx.clearFlow();
  await ctx.reply.notify();
  await ctx.reply.edit({ text: ctx.t('deadlines:undo.done', { unit: unitText(target!.unit), title: escapeHtml(target!.deadline.title) }) });
}

/** Text typed right after reporting is kept as the report's note (or link). */
export const noteFlow: FlowDef = {
  name: NOTE_FLOW,
  access: 'linked',
  async onText(ctx, text) {
    const { deadlineId, unitId } = ctx.flow!.data as { deadlineId: number; unitId: number };
    await ctx.clearFlow();
    const row = await ctx.svc.db.deadlineUnit.findUnique({
      where: { deadlineId_unitId: { deadlineId, unitId } },
      include: { unit: { select: { id: true, code: true, name: true } } },
    });
    const fresh = row?.reportedAt && row.reportedById === ctx.person!.id && ctx.svc.clock.now().diff(local(row.reportedAt, ctx.svc.clock.zone), 'minutes').minutes <= NOTE_WINDOW_MIN;
    if (!fresh || !(await setReportNote(ctx.svc, { deadlineId, unitId, personId: ctx.person!.id, note: text }))) {
      return void (await ctx.reply.send({ text: ctx.t('core:error.not_understood') }));
    }
    await ctx.reply.send({ text: ctx.t('deadlines:report.note_saved', { unit: unitText(row.unit) }) });
  },
};

/** Pairs (deadline, unit) this person may still report for, as a secretary of the unit. */
async function pending(ctx: CommandContext) {
  const units = await unitsHeld(ctx.svc.db, ctx.person!.id, SECRETARY_ROLES);
  const open = await openForUnits(ctx.svc.db, units, ctx.svc.clock.now(), { unreportedOnly: true });
  return open.filter((o) => o.deadline.kind === 'deadline');
}

export const danop: CommandDef = {
  name: 'danop',
  access: SECRETARY_ROLES,
  menu: { ns: 'deadlines' },
  async run(ctx, args) {
    const open = await pending(ctx);
    if (open.length === 0) return void (await ctx.reply.send({ text: ctx.t('deadlines:report.none') }));
    if (open.length === 1) return onDone(ctx, [String(open[0]!.deadline.id), String(open[0]!.unit.id)], args || null);
    const buttons = open.slice(0, MAX_CHOICES).map((o) => [
      { text: ctx.t('deadlines:buttons.done_for', { label: choiceLabel(o.deadline.title, o.unit.code) }), data: `dl:done:${o.deadline.id}:${o.unit.id}` },
    ]);
    const text = [ctx.t('deadlines:report.choose'), ...(args ? [ctx.t('deadlines:report.choose_note')] : [])].join('\n');
    await ctx.reply.send({ text, buttons });
  },
};

/** A short button label: "Báo cáo kế hoạch… (CB1-BTG)". */
export function choiceLabel(title: string, code: string): string {
  const short = title.length > 32 ? `${title.slice(0, 31)}…` : title;
  return `${short} (${code})`;
}
