import type { DateTime } from 'luxon';
import { formatDateTime } from '../../src/core/format.js';
import { escapeHtml } from '../../src/core/html.js';
import type { Button, Keyboard, OutgoingMessage } from '../../src/core/messages.js';
import { formatAnswer, isAnswered, missingRequired } from '../../src/domain/checkin/answers.js';
import { ANSWER_TOKENS, checkinButtons } from '../../src/domain/checkin/buttons.js';
import { campaignTitle } from '../../src/domain/checkin/messages.js';
import { localText, questionLabel, type Question } from '../../src/domain/checkin/questionnaire.js';
import { canEdit, hasUnsent, type LoadedReport } from '../../src/domain/checkin/reports.js';
import type { Refusal } from '../../src/application/result.js';
import type { TFunction } from '../../src/i18n.js';
import { shorten } from '../../src/core/shorten.js';

export interface View {
  t: TFunction;
  locale: string;
}

/** Callback data of the answering conversation (`ci:<action>:<report>:…`), ≤ 64 bytes by construction. */
export const cb = {
  answer: (rid: number, qid: string, token: AnswerToken) => checkinButtons.pack('a', { report: rid, question: qid, value: token }),
  skip: (rid: number, qid: string) => checkinButtons.pack('sk', { report: rid, question: qid }),
  keep: (rid: number, qid: string) => checkinButtons.pack('k', { report: rid, question: qid }),
  back: (rid: number, qid: string) => checkinButtons.pack('bk', { report: rid, question: qid }),
  pick: (rid: number, qid: string) => checkinButtons.pack('q', { report: rid, question: qid }),
  summary: (rid: number) => checkinButtons.pack('sum', { report: rid }),
  resume: (rid: number) => checkinButtons.pack('c', { report: rid }),
  edit: (rid: number) => checkinButtons.pack('ed', { report: rid }),
  send: (rid: number, rev: number) => checkinButtons.pack('send', { report: rid, rev }),
};

type AnswerToken = (typeof ANSWER_TOKENS)[number];

/** The button token of a choice's option (its position). */
function optionToken(i: number): AnswerToken {
  const token = ANSWER_TOKENS.find((x) => x === String(i));
  if (!token) throw new Error(`checkin: no button token for option ${i}`);
  return token;
}

/** A use case's refusal as one message (`t` escapes its values). */
export function refusalText(v: Pick<View, 't'>, r: Refusal): string {
  return v.t(r.key, r.params ?? {});
}

function heading(v: View, l: LoadedReport): string {
  return `📋 <b>${escapeHtml(campaignTitle(l.campaign, v.locale))}</b>\n${escapeHtml(l.report.unit.name)}`;
}

/** An answer for display, long texts shortened. */
function shown(v: View, q: Question, l: LoadedReport, max = 200): string | null {
  const s = formatAnswer(q, l.report.answers[q.id], v.locale);
  return s === null ? null : escapeHtml(shorten(s, max));
}

/** One line per question; shortened further when a long questionnaire would not fit in one message. */
function answerLines(v: View, l: LoadedReport): string[] {
  const qs = l.campaign.questionnaire.questions;
  let lines: string[] = [];
  for (const [labelMax, answerMax] of [
    [80, 150],
    [50, 60],
    [30, 25],
  ] as const) {
    lines = qs.map((q, i) => {
      const a = shown(v, q, l, answerMax);
      const value = a !== null ? `<b>${a}</b>` : l.report.answers[q.id] === null ? v.t('checkin:skipped') : v.t('checkin:unanswered');
      return `${i + 1}. ${escapeHtml(shorten(questionLabel(q, v.locale), labelMax))}: ${value}`;
    });
    if (lines.join('\n').length < 3300) break;
  }
  return lines;
}

function hint(v: View, q: Question): string {
  switch (q.type) {
    case 'integer':
      return v.t('checkin:hint.integer', { min: q.min, max: q.max });
    case 'short_text':
    case 'long_text':
      return v.t('checkin:hint.text', { max: q.maxLength });
    default:
      return v.t(`checkin:hint.${q.type}`);
  }
}

/** The question body without buttons: also what a question message becomes once answered. */
export function questionText(v: View, l: LoadedReport, q: Question): string {
  const qs = l.campaign.questionnaire.questions;
  const lines = [
    heading(v, l),
    '',
    `<b>${v.t('checkin:question_no', { n: qs.indexOf(q) + 1, total: qs.length })}</b> ${escapeHtml(localText(q.text, v.locale))}`,
  ];
  if (q.help) lines.push(`<i>${escapeHtml(localText(q.help, v.locale))}</i>`);
  return lines.join('\n');
}

export function questionMessage(v: View, l: LoadedReport, q: Question, fix: boolean, error?: string): OutgoingMessage {
  const rid = l.report.id;
  const lines = [questionText(v, l, q), '', hint(v, q)];
  if (!q.required) lines.push(v.t('checkin:hint.optional'));
  const current = shown(v, q, l);
  if (current !== null) lines.push(v.t('checkin:current', { answer: current }));
  else if (Object.prototype.hasOwnProperty.call(l.report.answers, q.id)) lines.push(v.t('checkin:current_skipped'));
  if (error) lines.unshift(`⚠️ ${error}`, '');

  const buttons: Keyboard = [];
  if (q.type === 'yesno') {
    buttons.push([
      { text: v.t('checkin:buttons.yes'), data: cb.answer(rid, q.id, 'y') },
      { text: v.t('checkin:buttons.no'), data: cb.answer(rid, q.id, 'n') },
    ]);
  }
  if (q.type === 'choice')
    q.options.forEach((o, i) =>
      buttons.push([{ text: shorten(localText(o.text, v.locale), 60), data: cb.answer(rid, q.id, optionToken(i)) }]),
    );
  const nav: Button[] = [];
  const index = l.campaign.questionnaire.questions.indexOf(q);
  if (fix) nav.push({ text: v.t('checkin:buttons.to_summary'), data: cb.summary(rid) });
  else if (index > 0) nav.push({ text: v.t('checkin:buttons.back'), data: cb.back(rid, q.id) });
  if (isAnswered(l.report.answers, q)) nav.push({ text: v.t('checkin:buttons.keep'), data: cb.keep(rid, q.id) });
  else if (!q.required) nav.push({ text: v.t('checkin:buttons.skip'), data: cb.skip(rid, q.id) });
  if (nav.length) buttons.push(nav);
  // A typed answer may be a bare number: on channels without buttons the choices then need "#N" (src/channels/choices.ts).
  const typed = q.type !== 'yesno' && q.type !== 'choice';
  return { text: lines.join('\n'), ...(buttons.length ? { buttons } : {}), ...(typed ? { typedAnswer: true } : {}) };
}

function statusLine(v: View, l: LoadedReport): string {
  const r = l.report;
  const qs = l.campaign.questionnaire.questions;
  const who = (p: { name: string } | null) => p?.name ?? '—';
  if (r.version > 0) {
    const sent = v.t('checkin:status.sent', { version: r.version, when: formatDateTime(r.sentAt!, v.locale), who: who(r.sentBy) });
    return hasUnsent(r) ? `${sent}\n${v.t('checkin:status.changed', { who: who(r.updatedBy) })}` : sent;
  }
  const answered = qs.filter((q) => isAnswered(r.answers, q)).length;
  if (answered === 0 && !r.updatedAt) return v.t('checkin:status.new');
  return v.t('checkin:status.draft', {
    answered,
    total: qs.length,
    who: who(r.updatedBy),
    when: r.updatedAt ? formatDateTime(r.updatedAt, v.locale) : '',
  });
}

/** All answers, the state, and what can be done: send, continue, edit. */
export function summaryMessage(v: View, l: LoadedReport, now: DateTime, opts: { buttons?: boolean } = {}): OutgoingMessage {
  const r = l.report;
  const qs = l.campaign.questionnaire.questions;
  const lines = [
    heading(v, l),
    v.t('checkin:due', { when: formatDateTime(l.campaign.closesAt, v.locale) }),
    statusLine(v, l),
    '',
    ...answerLines(v, l),
  ];
  const missing = missingRequired(r.answers, qs);
  const editable = canEdit(l, now);
  const buttons: Keyboard = [];
  lines.push('');
  if (!editable) lines.push(v.t('checkin:footer.closed'));
  else if (missing.length) {
    lines.push(v.t('checkin:footer.incomplete', { count: missing.length }));
    buttons.push([{ text: v.t('checkin:buttons.resume'), data: cb.resume(r.id) }]);
  } else if (hasUnsent(r)) {
    lines.push(v.t(r.version ? 'checkin:footer.resend' : 'checkin:footer.send'));
    buttons.push([{ text: v.t('checkin:buttons.send'), data: cb.send(r.id, r.rev) }]);
  } else lines.push(v.t('checkin:footer.sent', { when: formatDateTime(l.campaign.closesAt, v.locale) }));
  if (editable) buttons.push([{ text: v.t('checkin:buttons.edit'), data: cb.edit(r.id) }]);
  return { text: lines.join('\n'), ...(opts.buttons !== false && buttons.length ? { buttons } : {}) };
}

/** "Which question to change?" with one button per question. */
export function pickMessage(v: View, l: LoadedReport): OutgoingMessage {
  const buttons: Keyboard = l.campaign.questionnaire.questions.map((q, i) => {
    return [{ text: shorten(`${i + 1}. ${questionLabel(q, v.locale)}`, 60), data: cb.pick(l.report.id, q.id) }];
  });
  buttons.push([{ text: v.t('checkin:buttons.to_summary'), data: cb.summary(l.report.id) }]);
  return { text: `${heading(v, l)}\n\n${v.t('checkin:pick')}`, buttons };
}
