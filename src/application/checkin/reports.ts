import type { Services } from '../../core/services.js';
import { parseButtonAnswer, parseTextAnswer, type AnswerValue } from '../../domain/checkin/answers.js';
import type { Question } from '../../domain/checkin/questionnaire.js';
import {
  canEdit,
  findReport,
  loadReport,
  reportsForResponder,
  saveAnswer,
  sendReport,
  type LoadedReport,
} from '../../domain/checkin/reports.js';
import { auditActor, type Actor } from '../actor.js';
import { inScope, mayTry, scopeOf } from '../policy.js';
import { ok, refused, type Result } from '../result.js';
import { asId, denied } from './common.js';
import { checkinPolicy } from './policy.js';

const rule = checkinPolicy.rules.answer;
const NOT_RESPONDER = 'checkin:not_responder';

const target = (l: LoadedReport) => `checkin:${l.campaign.id}:unit:${l.report.unit.code}`;

/**
 * The rule `checkin.answer`: the actor holds one of the campaign's responder roles (bí thư, phó bí
 * thư unless the operator chose others) directly in the report's unit. The operator answers for
 * nobody: a report is answered by a person.
 */
async function isResponder(svc: Pick<Services, 'db'>, actor: Actor, l: LoadedReport): Promise<boolean> {
  if (actor.kind !== 'person') return false;
  const who = l.campaign.responderRoles;
  if (!mayTry(who, actor.person)) return false;
  return inScope(await scopeOf(svc.db, actor, { who, scope: rule.scope }), l.report.unit.id);
}

/** The open reports the actor answers for, soonest closing first. */
export async function myReports(svc: Pick<Services, 'db' | 'clock'>, actor: Actor): Promise<Result<LoadedReport[]>> {
  if (actor.kind !== 'person') return ok([]);
  return ok(await reportsForResponder(svc, actor.person.id));
}

/** A report the actor answers for; anything else (a forged or unknown id included) is refused and audited. */
export async function reportToAnswer(
  svc: Pick<Services, 'db' | 'clock'>,
  actor: Actor,
  input: { reportId: number },
): Promise<Result<LoadedReport>> {
  const id = asId(input.reportId);
  const l = id === null ? null : await loadReport(svc, id);
  if (!l) return denied(svc.db, actor, 'answer', `checkin:report:${input.reportId}`, NOT_RESPONDER);
  if (!(await isResponder(svc, actor, l))) return denied(svc.db, actor, 'answer', target(l), NOT_RESPONDER);
  return ok(l);
}

/** The report of a unit in a campaign (the prompt's "start" button), for its responders only. */
export async function reportOfUnit(
  svc: Pick<Services, 'db' | 'clock'>,
  actor: Actor,
  input: { campaignId: number; unitId: number },
): Promise<Result<LoadedReport>> {
  const c = asId(input.campaignId);
  const u = asId(input.unitId);
  const l = c === null || u === null ? null : await findReport(svc, c, u);
  if (!l) return refused('checkin:gone');
  if (!(await isResponder(svc, actor, l))) return denied(svc.db, actor, 'answer', target(l), NOT_RESPONDER);
  return ok(l);
}

/** What was given for a question: typed text, a pressed answer button, or "skip". */
export type AnswerInput = { text: string } | { button: string } | { skip: true };

/**
 * Records one answer: the responder check, the campaign still editable, the question one of the
 * report's, the answer valid for it (a refusal `checkin:invalid.<key>` says what is wrong). A changed
 * answer is audited with its value before and after.
 */
export async function answerQuestion(
  svc: Services,
  actor: Actor,
  input: { reportId: number; questionId: string; answer: AnswerInput },
): Promise<Result<{ report: LoadedReport; question: Question; value: AnswerValue }>> {
  const found = await reportToAnswer(svc, actor, input);
  if (!found.ok) return found;
  const l = found.value;
  if (actor.kind !== 'person') return refused(NOT_RESPONDER);
  if (!canEdit(l, svc.clock.now())) return refused('checkin:closed_short');
  const q = l.campaign.questionnaire.questions.find((x) => x.id === input.questionId);
  if (!q) return refused('core:error.stale_button');
  let value: AnswerValue;
  if ('skip' in input.answer) {
    if (q.required) return refused('checkin:required');
    value = null;
  } else {
    const parsed = 'text' in input.answer ? parseTextAnswer(q, input.answer.text) : parseButtonAnswer(q, input.answer.button);
    if (!parsed.ok)
      return 'button' in input.answer
        ? refused('core:error.stale_button')
        : refused(`checkin:invalid.${parsed.error.key}`, parsed.error.params);
    value = parsed.value;
  }
  const by = auditActor(actor);
  await saveAnswer(svc, l.report.id, q.id, value, actor.person.id, by);
  return ok({ report: (await loadReport(svc, l.report.id))!, question: q, value });
}

export type SendRefusal = 'stale' | 'incomplete' | 'closed' | 'unchanged' | 'gone';

/**
 * Sends the working copy the responder saw (`rev`) as a new version; a refusal
 * `checkin:send_refused.<reason>` when it changed meanwhile, is incomplete, closed or unchanged.
 */
export async function sendAnswers(
  svc: Services,
  actor: Actor,
  input: { reportId: number; rev: number },
): Promise<Result<{ version: number; report: LoadedReport }>> {
  const found = await reportToAnswer(svc, actor, input);
  if (!found.ok) return found;
  if (actor.kind !== 'person') return refused(NOT_RESPONDER);
  const res = await sendReport(svc, {
    reportId: found.value.report.id,
    rev: input.rev,
    personId: actor.person.id,
    actor: auditActor(actor).actor,
  });
  if (!res.ok) return refused(`checkin:send_refused.${res.reason}`);
  return ok({ version: res.version, report: (await loadReport(svc, found.value.report.id))! });
}

/** The reason of a send refusal, for what the chat shows next. */
export function sendRefusalReason(key: string): SendRefusal | null {
  const m = /^checkin:send_refused\.(stale|incomplete|closed|unchanged|gone)$/.exec(key);
  return m ? (m[1] as SendRefusal) : null;
}
