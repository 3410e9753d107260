import { DateTime } from 'luxon';
import type { Services } from '../../core/services.js';
import type { Answers } from './answers.js';
import { loadCampaign, type CampaignView } from './campaigns.js';
import type { Question } from './questionnaire.js';

/** A target unit with the last version it sent (null when it has not sent one). */
export interface UnitReport {
  unit: { id: number; code: string; name: string };
  parent: { code: string; name: string } | null;
  answers: Answers | null;
  version: number;
  sentAt: DateTime | null;
  sentBy: string | null;
}

/** Every target unit of a campaign (or those among `unitIds`), sorted by code. */
export async function unitReports(svc: Pick<Services, 'db' | 'clock'>, campaignId: number, unitIds?: number[]): Promise<UnitReport[]> {
  const rows = await svc.db.checkinReport.findMany({
    where: { campaignId, ...(unitIds ? { unitId: { in: unitIds } } : {}) },
    include: {
      unit: { select: { id: true, code: true, name: true, parent: { select: { code: true, name: true } } } },
      versions: { orderBy: { version: 'desc' }, take: 1, include: { sentBy: { select: { fullName: true } } } },
    },
  });
  return rows
    .map((r) => {
      const v = r.versions[0];
      return {
        unit: { id: r.unit.id, code: r.unit.code, name: r.unit.name },
        parent: r.unit.parent,
        answers: v ? (v.answers as Answers) : null,
        version: v?.version ?? 0,
        sentAt: v ? DateTime.fromJSDate(v.sentAt, { zone: svc.clock.zone }) : null,
        sentBy: v?.sentBy?.fullName ?? null,
      };
    })
    .sort((a, b) => a.unit.code.localeCompare(b.unit.code));
}

export interface QuestionTotal {
  question: Question;
  /** Units that gave an answer (skipped ones not counted). */
  answered: number;
  sum?: number;
  avg?: number;
  yes?: number;
  no?: number;
  options?: { id: string; count: number }[];
}

/** Totals and averages of numbers, counts of yes/no and choices; texts are only counted. */
export function totalsOf(questions: Question[], answers: Answers[]): QuestionTotal[] {
  return questions.map((q) => {
    const values = answers.map((a) => a[q.id]).filter((v) => v !== undefined && v !== null);
    const total: QuestionTotal = { question: q, answered: values.length };
    if (q.type === 'integer' || q.type === 'percent') {
      const nums = values.map(Number);
      total.sum = nums.reduce((s, n) => s + n, 0);
      if (nums.length) total.avg = Math.round((total.sum / nums.length) * 10) / 10;
    } else if (q.type === 'yesno') {
      total.yes = values.filter((v) => v === true).length;
      total.no = values.filter((v) => v === false).length;
    } else if (q.type === 'choice') {
      total.options = q.options.map((o) => ({ id: o.id, count: values.filter((v) => v === o.id).length }));
    }
    return total;
  });
}

export interface CampaignSummary {
  campaign: CampaignView;
  units: number;
  reported: number;
  missing: { code: string; name: string }[];
  totals: QuestionTotal[];
  rows: UnitReport[];
}

export async function campaignSummary(
  svc: Pick<Services, 'db' | 'clock'>,
  campaignId: number,
  unitIds?: number[],
): Promise<CampaignSummary | null> {
  const campaign = await loadCampaign(svc, campaignId);
  if (!campaign) return null;
  const rows = await unitReports(svc, campaignId, unitIds);
  const sent = rows.filter((r) => r.answers);
  return {
    campaign,
    units: rows.length,
    reported: sent.length,
    missing: rows.filter((r) => !r.answers).map((r) => ({ code: r.unit.code, name: r.unit.name })),
    totals: totalsOf(
      campaign.questionnaire.questions,
      sent.map((r) => r.answers!),
    ),
    rows,
  };
}
