import { formatDateTime } from '../../src/core/format.js';
import { escapeHtml } from '../../src/core/html.js';
import { formatAnswer, isAnswered, parseButtonAnswer, parseTextAnswer, type AnswerError, type AnswerValue } from '../../src/domain/checkin/answers.js';
import { isResponder } from '../../src/domain/checkin/campaigns.js';
import { campaignTitle } from '../../src/domain/checkin/messages.js';
import type { Question } from '../../src/domain/checkin/questionnaire.js';
import {
  canEdit,
  findReport,
  hasUnsent,
  loadReport,
  reportsForResponder,
  saveAnswer,
  sendReport,
  type LoadedReport,
} from '../../src/domain/checkin/reports.js';
import type { CommandContext } from '../types.js';
import { pickMessage, questionMessage, questionText, summaryMessage } from './render.js';

export const FLOW = 'checkin';
const SUMMARY = '$summary';
const PICK = '$pick';

/** Where this chat is in a report: a question id, the summary or the question picker. */
interface Position {
  reportId: number;
  q: string;
  /** Changing one picked answer: back to the summary after it. */
  fix?: boolean;
}

function position(ctx: CommandContext): Position | null {
  if (ctx.flow?.name !== FLOW) return null;
  const d = ctx.flow.data as Partial<Position>;
  return typeof d.reportId === 'number' && typeof d.q === 'string' ? { reportId: d.reportId, q: d.q, fix: !!d.fix } : null;
}

const view = (ctx: CommandContext) => ({ t: ctx.t, locale: ctx.locale });
const questions = (l: LoadedReport) => l.campaign.questionnaire.questions;
const actor = (ctx: CommandContext) => `${ctx.msg.channel}:${ctx.msg.sender.id}`;

function errorText(ctx: CommandContext, e: AnswerError): string {
  const params = Object.fromEntries(Object.entries(e.params).map(([k, v]) => [k, typeof v === 'string' ? escapeHtml(v) : v]));
  return ctx.t(`checkin:invalid.${e.key}`, params);
}

/** /baocao: the person's open report, or a choice when they answer for several units or campaigns. */
export async function baocao(ctx: CommandContext): Promise<void> {
  const list = await reportsForResponder(ctx.svc, ctx.person!.id);
  if (list.length === 0) return void (await ctx.reply.send({ text: ctx.t('checkin:none') }));
  if (list.length === 1) return enter(ctx, list[0]!);
  await ctx.reply.send({
    text: ctx.t('checkin:choose'),
    buttons: list.map((l) => [
      { text: `${campaignTitle(l.campaign, ctx.locale)} — ${l.report.unit.name}`.slice(0, 64), data: `ci:go:${l.campaign.id}:${l.report.unit.id}` },
    ]),
  });
}

/**
 * Opens a report for a responder. Whoever else is working on it (or sent it) is named first, so a
 * second secretary continues the same report instead of starting another.
 */
export async function enter(ctx: CommandContext, l: LoadedReport): Promise<void> {
  const now = ctx.svc.clock.now();
  const r = l.report;
  if (!canEdit(l, now) || !hasUnsent(r)) return showSummary(ctx, l);
  const other = r.updatedBy && r.updatedBy.id !== ctx.person!.id && Object.keys(r.answers).length > 0;
  if (other) {
    const answered = questions(l).filter((q) => isAnswered(r.answers, q)).length;
    const text = ctx.t(r.version ? 'checkin:other_editing_sent' : 'checkin:other_editing', {
      who: escapeHtml(r.updatedBy!.name),
      answered,
      total: questions(l).length,
      when: r.updatedAt ? formatDateTime(r.updatedAt, ctx.locale) : '',
      unit: escapeHtml(r.unit.name),
    });
    await ctx.reply.send({
      text,
      buttons: [[{ text: ctx.t('checkin:buttons.resume'), data: `ci:c:${r.id}` }, { text: ctx.t('checkin:buttons.summary'), data: `ci:sum:${r.id}` }]],
    });
    return;
  }
  return resume(ctx, l);
}

/** Continues where this chat stopped, or at the first unanswered question; the summary when all are done. */
export async function resume(ctx: CommandContext, l: LoadedReport): Promise<void> {
  const pos = position(ctx);
  const at = pos?.reportId === l.report.id ? questions(l).find((q) => q.id === pos.q) : undefined;
  if (at) return ask(ctx, l, at, !!pos?.fix);
  const next = questions(l).find((q) => !isAnswered(l.report.answers, q));
  return next ? ask(ctx, l, next, false) : showSummary(ctx, l);
}

async function ask(ctx: CommandContext, l: LoadedReport, q: Question, fix: boolean, error?: string): Promise<void> {
  await ctx.setFlow(FLOW, { reportId: l.report.id, q: q.id, fix });
  await ctx.reply.send(questionMessage(view(ctx), l, q, fix, error));
}

/** The summary, after `notice` when given (one message, so the buttons stay under it). */
export async function showSummary(ctx: CommandContext, l: LoadedReport, notice?: string): Promise<void> {
  if (canEdit(l, ctx.svc.clock.now())) await ctx.setFlow(FLOW, { reportId: l.report.id, q: SUMMARY });
  else if (position(ctx)?.reportId === l.report.id) await ctx.clearFlow();
  const msg = summaryMessage(view(ctx), l, ctx.svc.clock.now());
  await ctx.reply.send(notice ? { ...msg, text: `${notice}\n\n${msg.text}` } : msg);
}

async function showPick(ctx: CommandContext, l: LoadedReport, notice?: string): Promise<void> {
  await ctx.setFlow(FLOW, { reportId: l.report.id, q: PICK });
  const msg = pickMessage(view(ctx), l);
  await ctx.reply.send(notice ? { ...msg, text: `${notice}\n\n${msg.text}` } : msg);
}

/** After an answer: the next unanswered question (after this one first), or the summary. */
async function advance(ctx: CommandContext, reportId: number, from: Question, fix: boolean): Promise<void> {
  const l = (await loadReport(ctx.svc, reportId))!;
  if (fix) return showSummary(ctx, l);
  const qs = questions(l);
  const i = qs.findIndex((q) => q.id === from.id);
  const next = [...qs.slice(i + 1), ...qs.slice(0, i)].find((q) => !isAnswered(l.report.answers, q));
  return next ? ask(ctx, l, next, false) : showSummary(ctx, l);
}

async function record(ctx: CommandContext, l: LoadedReport, q: Question, value: AnswerValue, fix: boolean): Promise<void> {
  await saveAnswer(ctx.svc, l.report.id, q.id, value, ctx.person!.id);
  await advance(ctx, l.report.id, q, fix);
}

/** A report the person may work on, or null after telling them why not. */
async function reportFor(ctx: CommandContext, reportId: number, popup: boolean): Promise<LoadedReport | null> {
  const l = Number.isSafeInteger(reportId) ? await loadReport(ctx.svc, reportId) : null;
  const ok = l && (await isResponder(ctx.svc.db, ctx.person!.id, l.report.unit.id, l.campaign.responderRoles));
  if (ok) return l;
  if (position(ctx)?.reportId === reportId) await ctx.clearFlow();
  if (popup) await ctx.reply.notify(ctx.t('checkin:not_responder'));
  else await ctx.reply.send({ text: ctx.t('checkin:not_responder') });
  return null;
}

async function refuseClosed(ctx: CommandContext, l: LoadedReport, popup: boolean): Promise<boolean> {
  if (canEdit(l, ctx.svc.clock.now())) return false;
  if (popup) await ctx.reply.notify(ctx.t('checkin:closed_short'));
  await showSummary(ctx, l);
  return true;
}

/** A text while answering: the answer to the current question. */
export async function onText(ctx: CommandContext, text: string): Promise<void> {
  const pos = position(ctx);
  if (!pos) return;
  const l = await reportFor(ctx, pos.reportId, false);
  if (!l || (await refuseClosed(ctx, l, false))) return;
  const q = questions(l).find((x) => x.id === pos.q);
  if (!q) {
    if (pos.q === PICK) return showPick(ctx, l, `⚠️ ${ctx.t('checkin:use_pick_buttons')}`);
    return showSummary(ctx, l, `⚠️ ${ctx.t('checkin:use_buttons')}`);
  }
  const parsed = parseTextAnswer(q, text);
  if (!parsed.ok) return ask(ctx, l, q, !!pos.fix, errorText(ctx, parsed.error));
  await record(ctx, l, q, parsed.value, !!pos.fix);
}

/**
 * A button of a question (answer, skip, keep, back): only valid while that question is the one
 * this chat is at. An older button tells so and shows the current step again.
 */
async function questionButton(ctx: CommandContext, rid: number, qid: string, act: (l: LoadedReport, q: Question, fix: boolean) => Promise<void>): Promise<void> {
  const l = await reportFor(ctx, rid, true);
  if (!l) return;
  const pos = position(ctx);
  const q = questions(l).find((x) => x.id === qid);
  if (!q || !pos || pos.reportId !== rid || pos.q !== qid) {
    await ctx.reply.notify(ctx.t('checkin:stale'));
    if (pos?.reportId === rid) return resumeAt(ctx, l, pos);
    return;
  }
  if (await refuseClosed(ctx, l, true)) return;
  await act(l, q, !!pos.fix);
}

async function resumeAt(ctx: CommandContext, l: LoadedReport, pos: Position): Promise<void> {
  if (pos.q === PICK) return showPick(ctx, l);
  if (pos.q === SUMMARY) return showSummary(ctx, l);
  return resume(ctx, l);
}

/** Replaces the question message the button was on by the question and what was chosen, without buttons. */
async function settle(ctx: CommandContext, l: LoadedReport, q: Question, shown: string): Promise<void> {
  await ctx.reply.notify();
  await ctx.reply.edit({ text: `${questionText(view(ctx), l, q)}\n\n➡️ ${shown}` }).catch(() => undefined);
}

export async function onButton(ctx: CommandContext, args: string[]): Promise<void> {
  const [action, a1, a2, a3] = args;
  const rid = Number(a1);
  switch (action) {
    case 'go': {
      const l = await findReport(ctx.svc, Number(a1), Number(a2));
      if (!l) return ctx.reply.notify(ctx.t('checkin:gone'));
      if (!(await reportFor(ctx, l.report.id, true))) return;
      await ctx.reply.notify();
      return enter(ctx, l);
    }
    case 'c':
    case 'sum': {
      const l = await reportFor(ctx, rid, true);
      if (!l) return;
      await ctx.reply.notify();
      return action === 'c' ? resume(ctx, l) : showSummary(ctx, l);
    }
    case 'a':
      return questionButton(ctx, rid, a2 ?? '', async (l, q, fix) => {
        const parsed = parseButtonAnswer(q, a3 ?? '');
        if (!parsed.ok) return ctx.reply.notify(ctx.t('checkin:stale'));
        await settle(ctx, l, q, escapeHtml(formatAnswer(q, parsed.value, ctx.locale) ?? ''));
        await record(ctx, l, q, parsed.value, fix);
      });
    case 'sk':
      return questionButton(ctx, rid, a2 ?? '', async (l, q, fix) => {
        if (q.required) return ctx.reply.notify(ctx.t('checkin:required'));
        await settle(ctx, l, q, ctx.t('checkin:skipped'));
        await record(ctx, l, q, null, fix);
      });
    case 'k':
      return questionButton(ctx, rid, a2 ?? '', async (l, q, fix) => {
        await settle(ctx, l, q, escapeHtml(formatAnswer(q, l.report.answers[q.id] ?? null, ctx.locale) ?? ctx.t('checkin:skipped')));
        await advance(ctx, rid, q, fix);
      });
    case 'bk':
      return questionButton(ctx, rid, a2 ?? '', async (l, q) => {
        const i = questions(l).indexOf(q);
        if (i === 0) return ctx.reply.notify(ctx.t('checkin:first'));
        await ctx.reply.notify();
        await ctx.reply.edit({ text: questionText(view(ctx), l, q) }).catch(() => undefined);
        await ask(ctx, l, questions(l)[i - 1]!, false);
      });
    case 'ed':
    case 'q': {
      const l = await reportFor(ctx, rid, true);
      if (!l || (await refuseClosed(ctx, l, true))) return;
      await ctx.reply.notify();
      const q = action === 'q' ? questions(l).find((x) => x.id === a2) : undefined;
      return q ? ask(ctx, l, q, true) : showPick(ctx, l);
    }
    case 'send':
      return send(ctx, rid, Number(a2));
    default:
      return ctx.reply.notify(ctx.t('core:error.stale_button'));
  }
}

async function send(ctx: CommandContext, rid: number, rev: number): Promise<void> {
  const l = await reportFor(ctx, rid, true);
  if (!l) return;
  const res = await sendReport(ctx.svc, { reportId: rid, rev, personId: ctx.person!.id, actor: actor(ctx) });
  if (!res.ok) {
    await ctx.reply.notify(ctx.t(`checkin:send_refused.${res.reason}`));
    const fresh = await loadReport(ctx.svc, rid);
    if (fresh && res.reason !== 'unchanged') return res.reason === 'incomplete' ? resume(ctx, fresh) : showSummary(ctx, fresh);
    return;
  }
  await ctx.reply.notify(ctx.t('checkin:sent_short'));
  const done = (await loadReport(ctx.svc, rid))!;
  await ctx.reply.edit(summaryMessage(view(ctx), done, ctx.svc.clock.now(), { buttons: false })).catch(() => undefined);
  if (position(ctx)?.reportId === rid) await ctx.clearFlow();
  await ctx.reply.send({
    text: ctx.t(res.version === 1 ? 'checkin:sent' : 'checkin:resent', {
      version: res.version,
      unit: escapeHtml(done.report.unit.name),
      when: formatDateTime(done.campaign.closesAt, ctx.locale),
    }),
  });
}
