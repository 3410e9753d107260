import { z } from 'zod';
import { dlButtons, note, pendingReports, report, undo } from '../../src/application/deadlines/index.js';
import { deadlinesPolicy, rule } from '../../src/application/deadlines/policy.js';
import type { Role } from '../../src/db/generated/enums.js';
import { stamp, unitText } from '../../src/domain/deadlines/render.js';
import { defineFlow } from '../flows.js';
import type { CommandDef, FlowDef, LinkedContext } from '../types.js';
import { refusalText } from './common.js';
import { shorten } from '../../src/core/shorten.js';

/** After «Đã nộp»: which report the next typed text is a note for. */
export const noteDraft = defineFlow(
  'deadlines.note',
  z.object({ deadlineId: z.number().int().positive(), unitId: z.number().int().positive() }),
);
const MAX_CHOICES = 8;
const REPORT_ACCESS: readonly Role[] = deadlinesPolicy.rules.report.who;

/** "✅ Đã nộp" on an announcement or reminder, or a choice of /danop. */
export async function onDone(
  ctx: LinkedContext,
  target: { deadlineId: number; unitId: number },
  text: string | null = null,
): Promise<void> {
  const { svc, t } = ctx;
  const res = await report(svc, ctx.actor, { ...target, note: text });
  if (!res.ok) return answer(ctx, refusalText(ctx, res.refusal));
  const r = res.value;
  const title = r.title;
  const unit = unitText(r.unit);
  if (r.status === 'already') {
    return answer(ctx, t('deadlines:report.already', { unit, title, at: r.at ? stamp(r.at) : '', who: r.by ?? '—' }));
  }
  await ctx.reply.notify(t('deadlines:report.done_short'));
  const lines = [t('deadlines:report.done', { unit, title, at: stamp(r.at) }), ''];
  // Do not cut into another conversation the person is in the middle of.
  if (!ctx.flow || ctx.flow.name === noteDraft.name) {
    await noteDraft.save(ctx, target);
    if (!text) lines.push(t('deadlines:report.note_hint'));
  }
  lines.push(t('deadlines:report.undo_hint'));
  await ctx.reply.send({
    text: lines.join('\n'),
    buttons: [[{ text: t('deadlines:buttons.undo'), data: dlButtons.pack('undo', target) }]],
  });
}

/** A button press gets its popup acknowledged and a message; a command only the message. */
async function answer(ctx: LinkedContext, text: string): Promise<void> {
  await ctx.reply.notify();
  await ctx.reply.send({ text });
}

export async function onUndo(ctx: LinkedContext, target: { deadlineId: number; unitId: number }): Promise<void> {
  const res = await undo(ctx.svc, ctx.actor, target);
  if (!res.ok) return ctx.reply.notify(refusalText(ctx, res.refusal));
  await noteDraft.clear(ctx);
  await ctx.reply.notify();
  await ctx.reply.edit({ text: ctx.t('deadlines:undo.done', { unit: unitText(res.value.unit), title: res.value.title }) });
}

/** Text typed right after reporting is kept as the report's note (or link). */
export const noteFlow: FlowDef = {
  name: noteDraft.name,
  access: deadlinesPolicy.rules.note.who,
  policy: rule('note'),
  // The note is optional: a command typed instead simply ends the chance to add one.
  onCommand: 'drop',
  async onText(ctx, text) {
    const target = await noteDraft.take(ctx);
    if (!target) {
      await ctx.clearFlow();
      return void (await ctx.reply.send({ text: ctx.t('core:error.not_understood') }));
    }
    const res = await note(ctx.svc, ctx.actor, { ...target, text });
    if (!res.ok) return void (await ctx.reply.send({ text: refusalText(ctx, res.refusal) }));
    await ctx.reply.send({ text: ctx.t('deadlines:report.note_saved', { unit: unitText(res.value.unit) }) });
  },
};

export const danop: CommandDef = {
  name: 'danop',
  access: REPORT_ACCESS,
  policy: rule('report'),
  menu: { ns: 'deadlines' },
  async run(ctx, args) {
    const open = await pendingReports(ctx.svc, ctx.actor);
    if (open.length === 0) return void (await ctx.reply.send({ text: ctx.t('deadlines:report.none') }));
    if (open.length === 1) return onDone(ctx, { deadlineId: open[0]!.deadline.id, unitId: open[0]!.unit.id }, args || null);
    const buttons = open.slice(0, MAX_CHOICES).map((o) => [
      {
        text: ctx.t('deadlines:buttons.done_for', { label: choiceLabel(o.deadline.title, o.unit.code) }),
        data: dlButtons.pack('done', { deadlineId: o.deadline.id, unitId: o.unit.id }),
      },
    ]);
    const text = [ctx.t('deadlines:report.choose'), ...(args ? [ctx.t('deadlines:report.choose_note')] : [])].join('\n');
    await ctx.reply.send({ text, buttons });
  },
};

/** A short button label: "Báo cáo kế hoạch… (CB1-BTG)". */
export function choiceLabel(title: string, code: string): string {
  return `${shorten(title, 32)} (${code})`;
}
