import { dlButtons, followed, info, myDeadlines, progress, remindableNow, remindLate } from '../../src/application/deadlines/index.js';
import { deadlinesPolicy, rule } from '../../src/application/deadlines/policy.js';
import { escapeHtml } from '../../src/core/html.js';
import type { Keyboard, OutgoingMessage } from '../../src/core/messages.js';
import type { Role } from '../../src/db/generated/enums.js';
import type { UnitDeadline } from '../../src/domain/deadlines/queries.js';
import { clip, deadlineLines, dueText, leftText, stamp, unitText } from '../../src/domain/deadlines/render.js';
import type { DeadlineProgress } from '../../src/domain/deadlines/service.js';
import type { CommandContext, CommandDef, LinkedContext } from '../types.js';
import { positiveInt, refusalText, remindersText } from './common.js';
import { choiceLabel } from './report.js';

const PROGRESS_ACCESS: readonly Role[] = deadlinesPolicy.rules.progress.who;
const MAX_BUTTONS = 8;
const MAX_NAMES = 15;

function statusOf(ctx: CommandContext, o: Pick<UnitDeadline, 'reportedAt' | 'reportedBy' | 'deadline'>): string {
  if (o.reportedAt) return ctx.t('deadlines:hanchot.reported', { at: stamp(o.reportedAt), who: o.reportedBy ?? '—' });
  return ctx.t(ctx.svc.clock.now() > o.deadline.dueAt ? 'deadlines:hanchot.late' : 'deadlines:hanchot.pending');
}

export const hanchot: CommandDef = {
  name: 'hanchot',
  access: deadlinesPolicy.rules.list.who,
  policy: rule('list'),
  menu: { ns: 'deadlines' },
  async run(ctx) {
    const view = await openDeadlinesView(ctx, ctx.t('deadlines:hanchot.title'));
    await ctx.reply.send(view ?? { text: ctx.t('deadlines:hanchot.none') });
  },
};

/**
 * The deadlines open for the person's units under `title`, with «Đã nộp» buttons; null when there
 * are none. /hanchot shows it, and so does the welcome of a newly linked person.
 */
export async function openDeadlinesView(ctx: LinkedContext, title: string): Promise<OutgoingMessage | null> {
  const { svc, t } = ctx;
  const now = svc.clock.now();
  const open = await myDeadlines(svc, ctx.actor);
  if (open.length === 0) return null;
  const lines = [title];
  const buttons: Keyboard = [];
  open.forEach((o, i) => {
    lines.push(
      '',
      `${i + 1}. <b>${escapeHtml(o.deadline.title)}</b> — ${unitText(o.unit)}`,
      `   ${t('deadlines:notice.due', { due: dueText(t, ctx.locale, o.deadline.dueAt), left: leftText(t, now, o.deadline.dueAt) })}`,
      `   ${statusOf(ctx, o)}`,
    );
    if (o.reportable && buttons.length < MAX_BUTTONS) {
      buttons.push([
        {
          text: t('deadlines:buttons.done_for', { label: choiceLabel(`${i + 1}. ${o.deadline.title}`, o.unit.code) }),
          data: dlButtons.pack('done', { deadlineId: o.deadline.id, unitId: o.unit.id }),
        },
      ]);
    }
  });
  if (buttons.length) lines.push('', t('deadlines:hanchot.footer'));
  return { text: clip(lines.join('\n')), buttons };
}

function names(ctx: CommandContext, rows: { code: string; name: string }[]): string {
  const shown = rows.slice(0, MAX_NAMES).map((r) => `${escapeHtml(r.name)} (<code>${escapeHtml(r.code)}</code>)`);
  if (rows.length > MAX_NAMES) shown.push(ctx.t('deadlines:more', { count: rows.length - MAX_NAMES }));
  return shown.join(', ');
}

/** One deadline's block in /tiendo: counts, late and pending units, and who reported when. */
function progressBlock(ctx: CommandContext, p: DeadlineProgress, full: boolean): string[] {
  const { t } = ctx;
  const now = ctx.svc.clock.now();
  const d = p.deadline;
  const lines = [
    t('deadlines:tiendo.header', { id: d.id, title: d.title }),
    t('deadlines:tiendo.due', { due: dueText(t, ctx.locale, d.dueAt), left: leftText(t, now, d.dueAt) }),
    t('deadlines:tiendo.counts', { reported: p.reported, units: p.units }),
  ];
  const late = p.rows.filter((r) => r.late);
  const waiting = p.rows.filter((r) => !r.reportedAt && !r.late);
  const done = p.rows.filter((r) => r.reportedAt);
  if (late.length) lines.push(t('deadlines:tiendo.late', { count: late.length, list: names(ctx, late) }));
  if (waiting.length) lines.push(t('deadlines:tiendo.pending', { count: waiting.length, list: names(ctx, waiting) }));
  if (done.length) {
    lines.push(t('deadlines:tiendo.reported', { count: done.length }));
    const limit = full ? 60 : 5;
    for (const r of done.slice(0, limit)) {
      const row = t('deadlines:tiendo.reported_row', {
        unit: unitText({ id: r.unitId, code: r.code, name: r.name }),
        who: r.reportedBy ?? '—',
        at: stamp(r.reportedAt!),
      });
      lines.push(r.reportedLate ? row + t('deadlines:tiendo.reported_late') : row);
    }
    if (done.length > limit) lines.push(`  ${t('deadlines:more', { count: done.length - limit })}`);
  }
  return lines;
}

export const tiendo: CommandDef = {
  name: 'tiendo',
  access: PROGRESS_ACCESS,
  policy: rule('progress'),
  menu: { ns: 'deadlines' },
  async run(ctx, args) {
    const { svc, t } = ctx;
    if (args) {
      const wanted = positiveInt(args.replace(/^#/, ''));
      const res = wanted ? await progress(svc, ctx.actor, wanted) : null;
      if (!res?.ok) return void (await ctx.reply.send({ text: t('deadlines:tiendo.not_found', { id: args }) }));
      const late = await remindableNow(svc, ctx.actor, res.value);
      const buttons: Keyboard = late
        ? [
            [
              {
                text: t('deadlines:buttons.remind_now', { count: late }),
                data: dlButtons.pack('rn', { deadlineId: res.value.deadline.id }),
              },
            ],
          ]
        : [];
      return void (await ctx.reply.send({
        text: clip([t('deadlines:tiendo.title'), '', ...progressBlock(ctx, res.value, true)].join('\n')),
        buttons,
      }));
    }
    const list = await followed(svc, ctx.actor);
    if (list.length === 0) return void (await ctx.reply.send({ text: t('deadlines:tiendo.none') }));
    const lines = [t('deadlines:tiendo.title')];
    const shown = list.slice(0, 10).filter((p) => p.units > 0);
    for (const p of shown) lines.push('', ...progressBlock(ctx, p, false));
    if (shown[0]) lines.push('', t('deadlines:tiendo.hint', { id: shown[0].deadline.id }));
    await ctx.reply.send({ text: clip(lines.join('\n')) });
  },
};

/** "Chi tiết" on a notice: the deadline, the unit's status, the reminder days. */
export async function onInfo(ctx: LinkedContext, data: { deadlineId: number; unitId: number | undefined }): Promise<void> {
  await ctx.reply.notify();
  const { svc, t } = ctx;
  const res = await info(svc, ctx.actor, data);
  if (!res.ok) return void (await ctx.reply.send({ text: refusalText(ctx, res.refusal) }));
  const { progress: p, row, full } = res.value;
  const unit = row ? { id: row.unitId, code: row.code, name: row.name } : null;
  const lines = [t('deadlines:info.title'), ...deadlineLines(t, ctx.locale, p.deadline, unit, svc.clock.now())];
  if (p.deadline.closedAt) lines.push(t('deadlines:info.closed'));
  else lines.push(remindersText(ctx, p.deadline.dueAt, res.value.createdAt, res.value.remindDays));
  if (row && unit)
    lines.push('', t('deadlines:info.status', { unit: unitText(unit), status: statusOf(ctx, { ...row, deadline: p.deadline }) }));
  lines.push(t(full ? 'deadlines:info.progress' : 'deadlines:info.progress_scope', { reported: p.reported, units: p.units }));
  const buttons: Keyboard =
    row && !row.reportedAt && p.deadline.kind === 'deadline' && !p.deadline.closedAt
      ? [[{ text: t('deadlines:buttons.done'), data: dlButtons.pack('done', { deadlineId: p.deadline.id, unitId: row.unitId }) }]]
      : [];
  await ctx.reply.send({ text: clip(lines.join('\n')), buttons });
}

/** «Nhắc lại ngay» under /tiendo <id>: the same use case as the dashboard's button. */
export async function onRemindNow(ctx: LinkedContext, data: { deadlineId: number }): Promise<void> {
  const res = await remindLate(ctx.svc, ctx.actor, { deadlineId: data.deadlineId });
  if (!res.ok) {
    await ctx.reply.notify();
    return void (await ctx.reply.send({ text: refusalText(ctx, res.refusal) }));
  }
  await ctx.reply.notify(ctx.t('deadlines:board.reminded_short'));
  const lines = [ctx.t('deadlines:board.reminded', { count: res.value.units })];
  if (res.value.already) lines.push(ctx.t('deadlines:board.already', { count: res.value.already }));
  await ctx.reply.send({ text: lines.join('\n') });
}
