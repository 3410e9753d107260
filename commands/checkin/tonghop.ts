import { formatDateTime } from '../../src/core/format.js';
import { escapeHtml } from '../../src/core/html.js';
import type { Keyboard } from '../../src/core/messages.js';
import { formatNumber } from '../../src/domain/checkin/answers.js';
import { campaignTitle } from '../../src/domain/checkin/messages.js';
import { localText, questionLabel } from '../../src/domain/checkin/questionnaire.js';
import type { CampaignSummary, QuestionTotal } from '../../src/domain/checkin/summary.js';
import { summaryFor } from '../../src/application/checkin/summary.js';
import { checkinButtons } from '../../src/domain/checkin/buttons.js';
import type { LinkedContext } from '../types.js';
import { refusalText } from './render.js';
import { shorten } from '../../src/core/shorten.js';

const MAX_MISSING = 30;

/** /tonghop [id]: response rate, totals and missing units of a campaign, limited to the person's scope. */
export async function tonghop(ctx: LinkedContext, args: string): Promise<void> {
  const m = /^#?(\d{1,12})$/.exec(args);
  if (args && !m) return void (await ctx.reply.send({ text: ctx.t('checkin:tonghop.usage') }));
  await show(ctx, m ? Number(m[1]) : undefined);
}

export async function onSummaryButton(ctx: LinkedContext, d: { campaign: number }): Promise<void> {
  await ctx.reply.notify();
  await show(ctx, d.campaign);
}

async function show(ctx: LinkedContext, id: number | undefined): Promise<void> {
  const res = await summaryFor(ctx.svc, ctx.actor, id === undefined ? {} : { campaignId: id });
  if (!res.ok) return void (await ctx.reply.send({ text: refusalText(ctx, res.refusal) }));
  const buttons: Keyboard = res.value.others.map((c) => [
    { text: shorten(`#${c.id} ${campaignTitle(c, ctx.locale)}`, 64), data: checkinButtons.pack('th', { campaign: c.id }) },
  ]);
  await ctx.reply.send({ text: render(ctx, res.value.summary), ...(buttons.length ? { buttons } : {}) });
}

function totalLine(ctx: LinkedContext, total: QuestionTotal): string | null {
  const q = total.question;
  const full = questionLabel(q, ctx.locale);
  const label = escapeHtml(shorten(full, 60));
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

function render(ctx: LinkedContext, s: CampaignSummary): string {
  const c = s.campaign;
  const pct = s.units ? Math.round((s.reported / s.units) * 100) : 0;
  const lines = [
    ctx.t('checkin:tonghop.title', { title: campaignTitle(c, ctx.locale), id: c.id }),
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
