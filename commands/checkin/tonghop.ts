import { formatDateTime } from '../../src/core/format.js';
import { escapeHtml } from '../../src/core/html.js';
import type { Keyboard } from '../../src/core/messages.js';
import type { Role } from '../../src/db/generated/enums.js';
import { formatNumber } from '../../src/domain/checkin/answers.js';
import { campaignTitle } from '../../src/domain/checkin/messages.js';
import { localText, questionLabel } from '../../src/domain/checkin/questionnaire.js';
import { campaignSummary, type CampaignSummary, type QuestionTotal } from '../../src/domain/checkin/summary.js';
import { unitsInScope } from '../../src/domain/org/tree.js';
import { allowed } from '../router.js';
import type { CommandContext } from '../types.js';

export const SUMMARY_ROLES: readonly Role[] = ['admin', 'cap_uy_vien', 'phu_trach'];
const MAX_MISSING = 30;

/** /tonghop [id]: response rate, totals and missing units of a campaign, limited to the person's scope. */
export async function tonghop(ctx: CommandContext, args: string): Promise<void> {
  const id = args ? Number(args.replace(/^#/, '')) : undefined;
  if (id !== undefined && !Number.isSafeInteger(id)) return void (await ctx.reply.send({ text: ctx.t('checkin:tonghop.usage') }));
  await show(ctx, id);
}

export async function onSummaryButton(ctx: CommandContext, id: number): Promise<void> {
  if (!allowed(SUMMARY_ROLES, ctx.person)) return ctx.reply.notify(ctx.t('core:error.forbidden_short'));
  await ctx.reply.notify();
  await show(ctx, id);
}

async function show(ctx: CommandContext, id: number | undefined): Promise<void> {
  const { db, clock } = ctx.svc;
  const scope = await unitsInScope(db, ctx.person!.id, SUMMARY_ROLES);
  const campaigns = await db.checkinCampaign.findMany({
    where: { opensAt: { lte: clock.now().toJSDate() }, reports: { some: { unitId: { in: scope } } }, ...(id !== undefined ? { id } : {}) },
    orderBy: [{ closesAt: 'desc' }, { id: 'desc' }],
    take: 5,
    select: { id: true },
  });
  const chosen = campaigns[0];
  if (!chosen) return void (await ctx.reply.send({ text: ctx.t(id !== undefined ? 'checkin:tonghop.not_found' : 'checkin:tonghop.none', { id }) }));
  const s = (await campaignSummary(ctx.svc, chosen.id, scope))!;
  const others = id === undefined ? campaigns.slice(1) : [];
  const buttons: Keyboard = [];
  for (const c of others) {
    const o = await db.checkinCampaign.findUniqueOrThrow({ where: { id: c.id }, select: { period: true, questionnaire: true } });
    const title = campaignTitle({ period: o.period, questionnaire: o.questionnaire as never }, ctx.locale);
    buttons.push([{ text: `#${c.id} ${title}`.slice(0, 64), data: `ci:th:${c.id}` }]);
  }
  await ctx.reply.send({ text: render(ctx, s), ...(buttons.length ? { buttons } : {}) });
}

function totalLine(ctx: CommandContext, total: QuestionTotal): string | null {
  const q = total.question;
  const full = questionLabel(q, ctx.locale);
  const label = escapeHtml(full.length > 60 ? `${full.slice(0, 59)}…` : full);
  const n = (x: number | undefined) => formatNumber(x ?? 0, ctx.locale);
  if (total.answered === 0) return `• ${label}: ${ctx.t('checkin:tonghop.no_data')}`;
  switch (q.type) {
    case 'integer':
      return `• ${label}: ${ctx.t('checkin:tonghop.sum_avg', { sum: n(total.sum), avg: n(total.avg) })}`;
    case 'percent':
      return `• ${label}: ${ctx.t('checkin:tonghop.avg_percent', { avg: n(total.avg) })}`;
    case 'yesno':
      return `• ${label}: ${ctx.t('checkin:tonghop.yes_no', { yes: total.yes, no: total.no })}`;
    case 'choice':
      return `• ${label}: ${(total.options ?? []).map((o) => `${escapeHtml(localText(q.options.find((x) => x.id === o.id)!.text, ctx.locale))} ${o.count}`).join(', ')}`;
    default:
      return `• ${label}: ${ctx.t('checkin:tonghop.texts', { count: total.answered })}`;
  }
}

function render(ctx: CommandContext, s: CampaignSummary): string {
  const c = s.campaign;
  const pct = s.units ? Math.round((s.reported / s.units) * 100) : 0;
  const lines = [
    ctx.t('checkin:tonghop.title', { title: escapeHtml(campaignTitle(c, ctx.locale)), id: c.id }),
    ctx.t('checkin:due', { when: formatDateTime(c.closesAt, ctx.locale) }),
    ctx.t('checkin:tonghop.rate', { reported: s.reported, units: s.units, pct }),
  ];
  if (s.reported > 0) {
    lines.push('', ctx.t('checkin:tonghop.figures', { count: s.reported }));
    for (const total of s.totals) {
      const line = totalLine(ctx, total);
      if (line) lines.push(line);
    }
  }
  if (s.missing.length === 0) return [...lines, '', ctx.t('checkin:tonghop.all_reported')].join('\n');
  lines.push('', ctx.t('checkin:tonghop.missing', { count: s.missing.length }));
  // As many missing units as fit in one message (4,096 characters).
  const missing = s.missing.slice(0, MAX_MISSING).map((m) => `• ${escapeHtml(m.name)} (<code>${escapeHtml(m.code)}</code>)`);
  while (missing.length && [...lines, ...missing].join('\n').length > 3800) missing.pop();
  const more = s.missing.length - missing.length;
  return [...lines, ...missing, ...(more ? [ctx.t('checkin:tonghop.more', { count: more })] : [])].join('\n');
}
