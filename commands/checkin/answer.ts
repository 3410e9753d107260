import { z } from 'zod';
import {
  answerQuestion,
  myReports,
  reportOfUnit,
  reportToAnswer,
  sendAnswers,
  sendRefusalReason,
  type AnswerInput,
} from '../../src/application/checkin/reports.js';
import { formatDateTime } from '../../src/core/format.js';
import { escapeHtml } from '../../src/core/html.js';
import { formatAnswer, isAnswered } from '../../src/domain/checkin/answers.js';
import { checkinButtons } from '../../src/domain/checkin/buttons.js';
import { campaignTitle } from '../../src/domain/checkin/messages.js';
import type { Question } from '../../src/domain/checkin/questionnaire.js';
import { canEdit, hasUnsent, loadReport, type LoadedReport } from '../../src/domain/checkin/reports.js';
import { defineFlow } from '../flows.js';
import type { LinkedContext } from '../types.js';
import { pickMessage, questionMessage, questionText, refusalText, summaryMessage } from './render.js';
import { shorten } from '../../src/core/shorten.js';

const SUMMARY = '$summary';
const PICK = '$pick';

/** Where this chat is in a report: a question id, the summary or the question picker. */
export const answering = defineFlow(
  'checkin',
  z.object({
    reportId: z.number().int().positive(),
    q: z.string(),
    /** Changing one picked answer: back to the summary after it. */
    fix: z.boolean().optional(),
  }),
);
type Position = NonNullable<ReturnType<typeof answering.get>>;

const position = (ctx: LinkedContext): Position | null => answering.get(ctx);
const view = (ctx: LinkedContext) => ({ t: ctx.t, locale: ctx.locale });
const questions = (l: LoadedReport) => l.campaign.questionnaire.questions;

/** /baocao: the person's open report, or a choice when they answer for several units or campaigns. */
export async function baocao(ctx: LinkedContext): Promise<void> {
  const res = await myReports(ctx.svc, ctx.actor);
  const list = res.ok ? res.value : [];
  if (list.length === 0) return void (await ctx.reply.send({ text: ctx.t('checkin:none') }));
  if (list.length === 1) return enter(ctx, list[0]!);
  await ctx.reply.send({
    text: ctx.t('checkin:choose'),
    buttons: list.map((l) => [
      {
        text: shorten(`${campaignTitle(l.campaign, ctx.locale)} — ${l.report.unit.name}`, 64),
        data: checkinButtons.pack('go', { campaign: l.campaign.id, unit: l.report.unit.id }),
      },
    ]),
  });
}

/**
 * Opens a report for a responder. Whoever else is working on it (or sent it) is named first, so a
 * second secretary continues the same report instead of starting another.
 */
export async function enter(ctx: LinkedContext, l: LoadedReport): Promise<void> {
  const now = ctx.svc.clock.now();
  const r = l.report;
  if (!canEdit(l, now) || !hasUnsent(r)) return showSummary(ctx, l);
  const other = r.updatedBy && r.updatedBy.id !== ctx.person.id && Object.keys(r.answers).length > 0 ? r.updatedBy : null;
  if (other) {
    const answered = questions(l).filter((q) => isAnswered(r.answers, q)).length;
    const text = ctx.t(r.version ? 'checkin:other_editing_sent' : 'checkin:other_editing', {
      who: other.name,
      answered,
      total: questions(l).length,
      when: r.updatedAt ? formatDateTime(r.updatedAt, ctx.locale) : '',
      unit: r.unit.name,
    });
    await ctx.reply.send({
      text,
      buttons: [
        [
          { text: ctx.t('checkin:buttons.resume'), data: checkinButtons.pack('c', { report: r.id }) },
          { text: ctx.t('checkin:buttons.summary'), data: checkinButtons.pack('sum', { report: r.id }) },
        ],
      ],
    });
    return;
  }
  return resume(ctx, l);
}

/** Continues where this chat stopped, or at the first unanswered question; the summary when all are done. */
export async function resume(ctx: LinkedContext, l: LoadedReport): Promise<void> {
  const pos = position(ctx);
  const at = pos?.reportId === l.report.id ? questions(l).find((q) => q.id === pos.q) : undefined;
  if (at) return ask(ctx, l, at, !!pos?.fix);
  const next = questions(l).find((q) => !isAnswered(l.report.answers, q));
  return next ? ask(ctx, l, next, false) : showSummary(ctx, l);
}

async function ask(ctx: LinkedContext, l: LoadedReport, q: Question, fix: boolean, error?: string): Promise<void> {
  await answering.save(ctx, { reportId: l.report.id, q: q.id, fix });
  await ctx.reply.send(questionMessage(view(ctx), l, q, fix, error));
}

/** The summary, after `notice` when given (one message, so the buttons stay under it). */
export async function showSummary(ctx: LinkedContext, l: LoadedReport, notice?: string): Promise<void> {
  if (canEdit(l, ctx.svc.clock.now())) await answering.save(ctx, { reportId: l.report.id, q: SUMMARY });
  else if (position(ctx)?.reportId === l.report.id) await answering.clear(ctx);
  const msg = summaryMessage(view(ctx), l, ctx.svc.clock.now());
  await ctx.reply.send(notice ? { ...msg, text: `${notice}\n\n${msg.text}` } : msg);
}

async function showPick(ctx: LinkedContext, l: LoadedReport, notice?: string): Promise<void> {
  await answering.save(ctx, { reportId: l.report.id, q: PICK });
  const msg = pickMessage(view(ctx), l);
  await ctx.reply.send(notice ? { ...msg, text: `${notice}\n\n${msg.text}` } : msg);
}

/** After an answer: the next unanswered question (after this one first), or the summary. */
async function advance(ctx: LinkedContext, l: LoadedReport, from: Question, fix: boolean): Promise<void> {
  if (fix) return showSummary(ctx, l);
  const qs = questions(l);
  const i = qs.findIndex((q) => q.id === from.id);
  const next = [...qs.slice(i + 1), ...qs.slice(0, i)].find((q) => !isAnswered(l.report.answers, q));
  return next ? ask(ctx, l, next, false) : showSummary(ctx, l);
}

/** A report the person may work on, or null after telling them why not. */
async function reportFor(ctx: LinkedContext, reportId: number, popup: boolean): Promise<LoadedReport | null> {
  const res = await reportToAnswer(ctx.svc, ctx.actor, { reportId });
  if (res.ok) return res.value;
  if (position(ctx)?.reportId === reportId) await answering.clear(ctx);
  if (popup) await ctx.reply.notify(refusalText(ctx, res.refusal));
  else await ctx.reply.send({ text: refusalText(ctx, res.refusal) });
  return null;
}

async function refuseClosed(ctx: LinkedContext, l: LoadedReport, popup: boolean): Promise<boolean> {
  if (canEdit(l, ctx.svc.clock.now())) return false;
  if (popup) await ctx.reply.notify(ctx.t('checkin:closed_short'));
  await showSummary(ctx, l);
  return true;
}

/**
 * Records an answer through the use case, then moves on. A refusal is shown where it belongs: an
 * invalid typed answer under the same question, a closed campaign with the summary, anything else
 * as a popup (buttons) or a message.
 */
async function record(
  ctx: LinkedContext,
  l: LoadedReport,
  q: Question,
  answer: AnswerInput,
  fix: boolean,
  popup: boolean,
): Promise<LoadedReport | null> {
  const res = await answerQuestion(ctx.svc, ctx.actor, { reportId: l.report.id, questionId: q.id, answer });
  if (res.ok) return res.value.report;
  const r = res.refusal;
  if (r.key.startsWith('checkin:invalid.')) await ask(ctx, l, q, fix, refusalText(ctx, r));
  else if (r.key === 'checkin:closed_short') await refuseClosed(ctx, (await loadReport(ctx.svc, l.report.id)) ?? l, popup);
  else if (popup) await ctx.reply.notify(refusalText(ctx, r));
  else await ctx.reply.send({ text: refusalText(ctx, r) });
  return null;
}

/** A text while answering: the answer to the current question. */
export async function onText(ctx: LinkedContext, text: string): Promise<void> {
  const pos = position(ctx);
  if (!pos) return;
  const l = await reportFor(ctx, pos.reportId, false);
  if (!l || (await refuseClosed(ctx, l, false))) return;
  const q = questions(l).find((x) => x.id === pos.q);
  if (!q) {
    if (pos.q === PICK) return showPick(ctx, l, `⚠️ ${ctx.t('checkin:use_pick_buttons')}`);
    return showSummary(ctx, l, `⚠️ ${ctx.t('checkin:use_buttons')}`);
  }
  const saved = await record(ctx, l, q, { text }, !!pos.fix, false);
  if (saved) await advance(ctx, saved, q, !!pos.fix);
}

/** "▶️ Tiếp tục báo cáo" after another command: the question (or summary) this chat was at, again. */
export async function onResume(ctx: LinkedContext): Promise<void> {
  const pos = position(ctx);
  if (!pos) return;
  const l = await reportFor(ctx, pos.reportId, false);
  if (!l || (await refuseClosed(ctx, l, false))) return;
  if (pos.q === PICK) return showPick(ctx, l);
  return resume(ctx, l);
}

/**
 * A button of a question (answer, skip, keep, back): only valid while that question is the one
 * this chat is at. An older button tells so and shows the current step again; a question the
 * report does not have is a forged button.
 */
async function questionButton(
  ctx: LinkedContext,
  rid: number,
  qid: string,
  act: (l: LoadedReport, q: Question, fix: boolean) => Promise<void>,
): Promise<void> {
  const l = await reportFor(ctx, rid, true);
  if (!l) return;
  const pos = position(ctx);
  const q = questions(l).find((x) => x.id === qid);
  if (!q) return ctx.reply.notify(ctx.t('core:error.stale_button'));
  if (!pos || pos.reportId !== rid || pos.q !== qid) {
    await ctx.reply.notify(ctx.t('checkin:stale'));
    if (pos?.reportId === rid) return resumeAt(ctx, l, pos);
    return;
  }
  if (await refuseClosed(ctx, l, true)) return;
  await act(l, q, !!pos.fix);
}

async function resumeAt(ctx: LinkedContext, l: LoadedReport, pos: Position): Promise<void> {
  if (pos.q === PICK) return showPick(ctx, l);
  if (pos.q === SUMMARY) return showSummary(ctx, l);
  return resume(ctx, l);
}

/** Replaces the question message the button was on by the question and what was chosen, without buttons. */
async function settle(ctx: LinkedContext, l: LoadedReport, q: Question, shown: string): Promise<void> {
  await ctx.reply.notify();
  await ctx.reply.edit({ text: `${questionText(view(ctx), l, q)}\n\n➡️ ${shown}` }).catch(() => undefined);
}

type ReportButton = { report: number };
type QuestionButtonData = { report: number; question: string };

/** The handlers of the answering buttons, by codec action (see `src/domain/checkin/buttons.ts`). */
export const answerButtons = {
  async go(ctx: LinkedContext, d: { campaign: number; unit: number }): Promise<void> {
    const res = await reportOfUnit(ctx.svc, ctx.actor, { campaignId: d.campaign, unitId: d.unit });
    if (!res.ok) return ctx.reply.notify(refusalText(ctx, res.refusal));
    await ctx.reply.notify();
    return enter(ctx, res.value);
  },
  async c(ctx: LinkedContext, d: ReportButton): Promise<void> {
    const l = await reportFor(ctx, d.report, true);
    if (!l) return;
    await ctx.reply.notify();
    return resume(ctx, l);
  },
  async sum(ctx: LinkedContext, d: ReportButton): Promise<void> {
    const l = await reportFor(ctx, d.report, true);
    if (!l) return;
    await ctx.reply.notify();
    return showSummary(ctx, l);
  },
  async a(ctx: LinkedContext, d: QuestionButtonData & { value: string }): Promise<void> {
    return questionButton(ctx, d.report, d.question, async (l, q, fix) => {
      const res = await answerQuestion(ctx.svc, ctx.actor, { reportId: l.report.id, questionId: q.id, answer: { button: d.value } });
      if (!res.ok) return ctx.reply.notify(refusalText(ctx, res.refusal));
      await settle(ctx, l, q, escapeHtml(formatAnswer(q, res.value.value, ctx.locale) ?? ''));
      await advance(ctx, res.value.report, q, fix);
    });
  },
  async sk(ctx: LinkedContext, d: QuestionButtonData): Promise<void> {
    return questionButton(ctx, d.report, d.question, async (l, q, fix) => {
      if (q.required) return ctx.reply.notify(ctx.t('checkin:required'));
      const res = await answerQuestion(ctx.svc, ctx.actor, { reportId: l.report.id, questionId: q.id, answer: { skip: true } });
      if (!res.ok) return ctx.reply.notify(refusalText(ctx, res.refusal));
      await settle(ctx, l, q, ctx.t('checkin:skipped'));
      await advance(ctx, res.value.report, q, fix);
    });
  },
  async k(ctx: LinkedContext, d: QuestionButtonData): Promise<void> {
    return questionButton(ctx, d.report, d.question, async (l, q, fix) => {
      await settle(ctx, l, q, escapeHtml(formatAnswer(q, l.report.answers[q.id] ?? null, ctx.locale) ?? ctx.t('checkin:skipped')));
      await advance(ctx, (await loadReport(ctx.svc, l.report.id))!, q, fix);
    });
  },
  async bk(ctx: LinkedContext, d: QuestionButtonData): Promise<void> {
    return questionButton(ctx, d.report, d.question, async (l, q) => {
      const i = questions(l).indexOf(q);
      if (i === 0) return ctx.reply.notify(ctx.t('checkin:first'));
      await ctx.reply.notify();
      await ctx.reply.edit({ text: questionText(view(ctx), l, q) }).catch(() => undefined);
      await ask(ctx, l, questions(l)[i - 1]!, false);
    });
  },
  async ed(ctx: LinkedContext, d: ReportButton): Promise<void> {
    const l = await reportFor(ctx, d.report, true);
    if (!l || (await refuseClosed(ctx, l, true))) return;
    await ctx.reply.notify();
    return showPick(ctx, l);
  },
  async q(ctx: LinkedContext, d: QuestionButtonData): Promise<void> {
    const l = await reportFor(ctx, d.report, true);
    if (!l) return;
    const q = questions(l).find((x) => x.id === d.question);
    if (!q) return ctx.reply.notify(ctx.t('core:error.stale_button'));
    if (await refuseClosed(ctx, l, true)) return;
    await ctx.reply.notify();
    return ask(ctx, l, q, true);
  },
  send: (ctx: LinkedContext, d: { report: number; rev: number }) => send(ctx, d.report, d.rev),
};

async function send(ctx: LinkedContext, rid: number, rev: number): Promise<void> {
  const res = await sendAnswers(ctx.svc, ctx.actor, { reportId: rid, rev });
  if (!res.ok) {
    await ctx.reply.notify(refusalText(ctx, res.refusal));
    const reason = sendRefusalReason(res.refusal.key);
    if (!reason) {
      if (position(ctx)?.reportId === rid) await answering.clear(ctx);
      return;
    }
    const fresh = await loadReport(ctx.svc, rid);
    if (fresh && reason !== 'unchanged') return reason === 'incomplete' ? resume(ctx, fresh) : showSummary(ctx, fresh);
    return;
  }
  await ctx.reply.notify(ctx.t('checkin:sent_short'));
  const done = res.value.report;
  await ctx.reply.edit(summaryMessage(view(ctx), done, ctx.svc.clock.now(), { buttons: false })).catch(() => undefined);
  if (position(ctx)?.reportId === rid) await answering.clear(ctx);
  // Sent after the closing date (allowed once, for a report never sent): no further change can be
  // offered, so the thanks must not promise one.
  const key = !canEdit(done, ctx.svc.clock.now()) ? 'checkin:sent_late' : res.value.version === 1 ? 'checkin:sent' : 'checkin:resent';
  await ctx.reply.send({
    text: ctx.t(key, {
      version: res.value.version,
      unit: done.report.unit.name,
      when: formatDateTime(done.campaign.closesAt, ctx.locale),
    }),
  });
}
