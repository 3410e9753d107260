import { escapeHtml } from '../../src/core/html.js';
import type { Keyboard } from '../../src/core/messages.js';
import { Role } from '../../src/db/generated/enums.js';
import { unitsInScope } from '../../src/domain/org/tree.js';
import { DeadlineError } from '../../src/domain/deadlines/input.js';
import { followedDeadlines, openForUnits, unitsHeld, type UnitDeadline } from '../../src/domain/deadlines/queries.js';
import { SECRETARY_ROLES } from '../../src/domain/deadlines/recipients.js';
import { clip, deadlineLines, dueText, leftText, stamp, unitText } from '../../src/domain/deadlines/render.js';
import { deadlineProgress, type DeadlineProgress } from '../../src/domain/deadlines/service.js';
import { local } from '../../src/domain/deadlines/time.js';
import type { CommandContext, CommandDef } from '../types.js';
import { positiveInt, remindersText } from './common.js';
import { choiceLabel } from './report.js';

const MAX_BUTTONS = 8;
const FOLLOW_ROLES: readonly Role[] = ['admin', 'phu_trach', 'van_phong'];
const MAX_NAMES = 15;

function statusOf(ctx: CommandContext, o: Pick<UnitDeadline, 'reportedAt' | 'reportedBy' | 'deadline'>): string {
  if (o.reportedAt) return ctx.t('deadlines:hanchot.reported', { at: stamp(o.reportedAt), who: escapeHtml(o.reportedBy ?? '—') });
  return ctx.t(ctx.svc.clock.now() > o.deadline.dueAt ? 'deadlines:hanchot.late' : 'deadlines:hanchot.pending');
}

export const hanchot: CommandDef = {
  name: 'hanchot',
  access: 'linked',
  menu: { ns: 'deadlines' },
  async run(ctx) {
    const { svc, t } = ctx;
    const now = svc.clock.now();
    const open = await openForUnits(svc.db, await unitsHeld(svc.db, ctx.person!.id), now);
    if (open.length === 0) return void (await ctx.reply.send({ text: t('deadlines:hanchot.none') }));
    const mine = new Set(await unitsHeld(svc.db, ctx.person!.id, SECRETARY_ROLES));
    const lines = [t('deadlines:hanchot.title')];
    const buttons: Keyboard = [];
    open.forEach((o, i) => {
      lines.push(
        '',
        `${i + 1}. <b>${escapeHtml(o.deadline.title)}</b> — ${unitText(o.unit)}`,
        `   ${t('deadlines:notice.due', { due: dueText(t, ctx.locale, o.deadline.dueAt), left: leftText(t, now, o.deadline.dueAt) })}`,
        `   ${statusOf(ctx, o)}`,
      );
      if (!o.reportedAt && o.deadline.kind === 'deadline' && mine.has(o.unit.id) && buttons.length < MAX_BUTTONS) {
        buttons.push([{ text: t('deadlines:buttons.done_for', { label: choiceLabel(`${i + 1}. ${o.deadline.title}`, o.unit.code) }), data: `dl:done:${o.deadline.id}:${o.unit.id}` }]);
      }
    });
    if (buttons.length) lines.push('', t('deadlines:hanchot.footer'));
    await ctx.reply.send({ text: clip(lines.join('\n')), buttons });
  },
};

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
    t('deadlines:tiendo.header', { id: d.id, title: escapeHtml(d.title) }),
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
      const row = t('deadlines:tiendo.reported_row', { unit: unitText({ id: r.unitId, code: r.code, name: r.name }), who: escapeHtml(r.reportedBy ?? '—'), at: stamp(r.reportedAt!) });
      lines.push(r.reportedLate ? row + t('deadlines:tiendo.reported_late') : row);
    }
    if (done.length > limit) lines.push(`  ${t('deadlines:more', { count: done.length - limit })}`);
  }
  return lines;
}

export const tiendo: CommandDef = {
  name: 'tiendo',
  access: FOLLOW_ROLES,
  menu: { ns: 'deadlines' },
  async run(ctx, args) {
    const { svc, t } = ctx;
    const now = svc.clock.now();
    const followed = await followedDeadlines(svc.db, ctx.person!.id, now.minus({ days: 60 }));
    const wanted = args ? positiveInt(args.replace(/^#/, '')) : null;
    if (args) {
      const one = followed.find((f) => f.deadlineId === wanted);
      if (!one) return void (await ctx.reply.send({ text: t('deadlines:tiendo.not_found', { id: escapeHtml(args) }) }));
      const p = await deadlineProgress(svc, one.deadlineId, one.unitIds ? { unitIds: one.unitIds } : {});
      return void (await ctx.reply.send({ text: clip([t('deadlines:tiendo.title'), '', ...progressBlock(ctx, p, true)].join('\n')) }));
    }
    if (followed.length === 0) return void (await ctx.reply.send({ text: t('deadlines:tiendo.none') }));
    const lines = [t('deadlines:tiendo.title')];
    for (const f of followed.slice(0, 10)) {
      const p = await deadlineProgress(svc, f.deadlineId, f.unitIds ? { unitIds: f.unitIds } : {});
      if (p.units === 0) continue;
      lines.push('', ...progressBlock(ctx, p, false));
    }
    lines.push('', t('deadlines:tiendo.hint'));
    await ctx.reply.send({ text: clip(lines.join('\n')) });
  },
};

/** "Chi tiết" on a notice: the deadline, the unit's status, the reminder days. */
export async function onInfo(ctx: CommandContext, args: string[]): Promise<void> {
  const deadlineId = positiveInt(args[0]);
  const unitId = positiveInt(args[1]);
  await ctx.reply.notify();
  if (!deadlineId) return;
  const { svc, t } = ctx;
  let p: DeadlineProgress;
  try {
    p = await deadlineProgress(svc, deadlineId);
  } catch (err) {
    if (err instanceof DeadlineError) return void (await ctx.reply.send({ text: t('deadlines:info.not_found') }));
    throw err;
  }
  // Only for people concerned: the creator, or someone with a role at or above a target unit.
  const scope = new Set(await unitsInScope(svc.db, ctx.person!.id, Object.values(Role)));
  if (p.deadline.createdById !== ctx.person!.id && !p.rows.some((r) => scope.has(r.unitId))) {
    return void (await ctx.reply.send({ text: t('deadlines:info.not_found') }));
  }
  const row = unitId ? p.rows.find((r) => r.unitId === unitId) : undefined;
  const unit = row ? { id: row.unitId, code: row.code, name: row.name } : null;
  const now = svc.clock.now();
  const d = await svc.db.deadline.findUniqueOrThrow({ where: { id: deadlineId }, select: { createdAt: true, remindDays: true } });
  const lines = [t('deadlines:info.title'), ...deadlineLines(t, ctx.locale, p.deadline, unit, now)];
  if (p.deadline.closedAt) lines.push(t('deadlines:info.closed'));
  else lines.push(remindersText(ctx, p.deadline.dueAt, local(d.createdAt, svc.clock.zone), d.remindDays as number[]));
  if (row) lines.push('', t('deadlines:info.status', { unit: unitText(unit!), status: statusOf(ctx, { ...row, deadline: p.deadline }) }));
  lines.push(t('deadlines:info.progress', { reported: p.reported, units: p.units }));
  const buttons: Keyboard = row && !row.reportedAt && p.deadline.kind === 'deadline' && !p.deadline.closedAt
    ? [[{ text: t('deadlines:buttons.done'), data: `dl:done:${deadlineId}:${row.unitId}` }]]
    : [];
  await ctx.reply.send({ text: clip(lines.join('\n')), buttons });
}
