import { DateTime } from 'luxon';
import type { Services } from '../../core/services.js';
import type { Prisma } from '../../db/generated/client.js';
import { audit } from '../audit.js';
import { markReported } from '../deadlines/service.js';
import type { Answers, AnswerValue } from './answers.js';
import { missingRequired } from './answers.js';
import { toCampaignView, type CampaignView } from './campaigns.js';

export interface ReportView {
  id: number;
  campaignId: number;
  unit: { id: number; code: string; name: string };
  answers: Answers;
  rev: number;
  sentRev: number | null;
  version: number;
  updatedBy: { id: number; name: string } | null;
  updatedAt: DateTime | null;
  sentBy: { id: number; name: string } | null;
  sentAt: DateTime | null;
}

export interface LoadedReport {
  report: ReportView;
  campaign: CampaignView;
}

const include = {
  campaign: true,
  unit: { select: { id: true, code: true, name: true } },
  updatedBy: { select: { id: true, fullName: true } },
  sentBy: { select: { id: true, fullName: true } },
} as const;

type Row = Prisma.CheckinReportGetPayload<{ include: typeof include }>;

function toLoaded(row: Row, zone: string): LoadedReport {
  const at = (d: Date | null) => (d ? DateTime.fromJSDate(d, { zone }) : null);
  return {
    campaign: toCampaignView(row.campaign, zone),
    report: {
      id: row.id,
      campaignId: row.campaignId,
      unit: row.unit,
      answers: (row.answers ?? {}) as Answers,
      rev: row.rev,
      sentRev: row.sentRev,
      version: row.version,
      updatedBy: row.updatedBy ? { id: row.updatedBy.id, name: row.updatedBy.fullName } : null,
      updatedAt: at(row.updatedAt),
      sentBy: row.sentBy ? { id: row.sentBy.id, name: row.sentBy.fullName } : null,
      sentAt: at(row.sentAt),
    },
  };
}

export async function loadReport(svc: Pick<Services, 'db' | 'clock'>, reportId: number): Promise<LoadedReport | null> {
  const row = await svc.db.checkinReport.findUnique({ where: { id: reportId }, include });
  return row ? toLoaded(row, svc.clock.zone) : null;
}

export async function findReport(svc: Pick<Services, 'db' | 'clock'>, campaignId: number, unitId: number): Promise<LoadedReport | null> {
  const row = await svc.db.checkinReport.findUnique({ where: { campaignId_unitId: { campaignId, unitId } }, include });
  return row ? toLoaded(row, svc.clock.zone) : null;
}

/** Answers may change until closing; a unit that never sent may still send late (the deadline shows it as late). */
export function canEdit(l: LoadedReport, now: DateTime): boolean {
  return now < l.campaign.closesAt || l.report.version === 0;
}

/** The working copy differs from what was last sent (or nothing was sent yet). */
export function hasUnsent(r: ReportView): boolean {
  return r.sentRev === null || r.sentRev !== r.rev;
}

/** Who changed an answer, for the audit row of the change. */
export interface AnswerAudit {
  actorId: number | null;
  actor: string;
}

/**
 * Stores one answer in the shared working copy. Two secretaries answering at once both keep their
 * answers: the write is retried on a concurrent change instead of overwriting it. With `by`, a
 * changed answer is audited (question, before, after) in the same transaction.
 */
export async function saveAnswer(
  svc: Services,
  reportId: number,
  questionId: string,
  value: AnswerValue,
  personId: number,
  by?: AnswerAudit,
): Promise<number> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const rev = await svc.db.$transaction(async (tx) => {
      const cur = await tx.checkinReport.findUniqueOrThrow({
        where: { id: reportId },
        select: { answers: true, rev: true, campaignId: true, unit: { select: { code: true } } },
      });
      const before = (cur.answers ?? {}) as Answers;
      const answers = { ...before, [questionId]: value };
      const res = await tx.checkinReport.updateMany({
        where: { id: reportId, rev: cur.rev },
        data: { answers, rev: cur.rev + 1, updatedById: personId, updatedAt: svc.clock.now().toJSDate() },
      });
      if (res.count !== 1) return null;
      const had = Object.prototype.hasOwnProperty.call(before, questionId);
      if (by && (!had || before[questionId] !== value)) {
        await audit(tx, {
          ...by,
          action: 'checkin.answer',
          target: `checkin:${cur.campaignId}:unit:${cur.unit.code}`,
          details: { question: questionId, before: had ? (before[questionId] ?? null) : null, after: value, rev: cur.rev + 1 },
        });
      }
      return cur.rev + 1;
    });
    if (rev !== null) return rev;
  }
  throw new Error(`checkin report ${reportId}: too many concurrent changes`);
}

export type SendResult = { ok: true; version: number } | { ok: false; reason: 'stale' | 'incomplete' | 'closed' | 'unchanged' | 'gone' };

/**
 * Sends the working copy as a new version, if it is still the one the person saw (`rev`). The first
 * sending marks the unit as reported for the campaign's deadline, which stops its reminders.
 */
export async function sendReport(
  svc: Services,
  input: { reportId: number; rev: number; personId: number; actor: string },
): Promise<SendResult> {
  const now = svc.clock.now();
  const res = await svc.db.$transaction(async (tx): Promise<SendResult & { deadline?: { id: number; unitId: number } }> => {
    const row = await tx.checkinReport.findUnique({ where: { id: input.reportId }, include });
    if (!row) return { ok: false, reason: 'gone' };
    const l = toLoaded(row, svc.clock.zone);
    if (!canEdit(l, now)) return { ok: false, reason: 'closed' };
    if (row.rev !== input.rev) return { ok: false, reason: 'stale' };
    if (!hasUnsent(l.report)) return { ok: false, reason: 'unchanged' };
    if (missingRequired(l.report.answers, l.campaign.questionnaire.questions).length) return { ok: false, reason: 'incomplete' };
    const version = row.version + 1;
    const upd = await tx.checkinReport.updateMany({
      where: { id: row.id, rev: input.rev, version: row.version },
      data: { version, sentRev: input.rev, sentAt: now.toJSDate(), sentById: input.personId },
    });
    if (upd.count === 0) return { ok: false, reason: 'stale' };
    await tx.checkinReportVersion.create({
      data: { reportId: row.id, version, answers: row.answers as Prisma.InputJsonValue, sentById: input.personId, sentAt: now.toJSDate() },
    });
    await audit(tx, {
      actorId: input.personId,
      actor: input.actor,
      action: version === 1 ? 'checkin.send' : 'checkin.resend',
      target: `checkin:${row.campaignId}:unit:${row.unit.code}`,
      details: { version },
    });
    return { ok: true, version, ...(row.campaign.deadlineId ? { deadline: { id: row.campaign.deadlineId, unitId: row.unitId } } : {}) };
  });
  if (res.ok && res.deadline) {
    // 'already' after an edit is expected: the unit reported with its first version. A failure
    // here is caught up by the job (syncReported), the report itself is saved.
    await markReported(svc, {
      deadlineId: res.deadline.id,
      unitId: res.deadline.unitId,
      personId: input.personId,
      actor: input.actor,
    }).catch((err: unknown) => svc.log.error({ err, reportId: input.reportId }, 'checkin: marking the deadline reported failed'));
  }
  return res.ok ? { ok: true, version: res.version } : res;
}

/**
 * The reports a person answers for: units where they hold a responder role directly, of campaigns
 * already open and still editable, soonest closing first.
 */
export async function reportsForResponder(svc: Pick<Services, 'db' | 'clock'>, personId: number): Promise<LoadedReport[]> {
  const now = svc.clock.now();
  const held = await svc.db.roleAssignment.findMany({ where: { personId }, select: { unitId: true, role: true } });
  if (held.length === 0) return [];
  const rows = await svc.db.checkinReport.findMany({
    where: { unitId: { in: [...new Set(held.map((h) => h.unitId))] }, campaign: { opensAt: { lte: now.toJSDate() } } },
    include,
  });
  return rows
    .map((r) => toLoaded(r, svc.clock.zone))
    .filter((l) => held.some((h) => h.unitId === l.report.unit.id && l.campaign.responderRoles.includes(h.role)) && canEdit(l, now))
    .sort(
      (a, b) => a.campaign.closesAt.toMillis() - b.campaign.closesAt.toMillis() || a.report.unit.code.localeCompare(b.report.unit.code),
    );
}

/**
 * Marks as reported, for their deadlines, the units of recent campaigns that sent a report but are
 * not marked yet (a failed `markReported` after sending). Returns how many were marked.
 */
export async function syncReported(svc: Services): Promise<number> {
  const since = svc.clock.now().minus({ days: 45 }).toJSDate();
  const sent = await svc.db.checkinReport.findMany({
    where: { version: { gt: 0 }, sentById: { not: null }, campaign: { closesAt: { gte: since }, deadlineId: { not: null } } },
    select: { unitId: true, sentById: true, campaign: { select: { deadlineId: true } } },
  });
  if (sent.length === 0) return 0;
  const open = await svc.db.deadlineUnit.findMany({
    where: { reportedAt: null, OR: sent.map((r) => ({ deadlineId: r.campaign.deadlineId!, unitId: r.unitId })) },
    select: { deadlineId: true, unitId: true },
  });
  let marked = 0;
  for (const du of open) {
    const r = sent.find((x) => x.unitId === du.unitId && x.campaign.deadlineId === du.deadlineId)!;
    const res = await markReported(svc, { deadlineId: du.deadlineId, unitId: du.unitId, personId: r.sentById!, actor: 'checkin' });
    if (res.ok) marked++;
  }
  return marked;
}
