import type { Services } from '../../core/services.js';
import { audit } from '../../domain/audit.js';
import { toCampaignView, type CampaignView } from '../../domain/checkin/campaigns.js';
import { campaignSummary, type CampaignSummary, type QuestionTotal } from '../../domain/checkin/summary.js';
import { auditActor, type Actor } from '../actor.js';
import { mayTry, scopeIds, scopeOf } from '../policy.js';
import { ok, type Result } from '../result.js';
import { denied } from './common.js';
import { checkinPolicy } from './policy.js';
import { summaryFor } from './summary.js';

/**
 * The dashboard's "Báo cáo quý" reads campaigns under the rule `checkin.summary` (admin, cấp ủy
 * viên, phụ trách, counting only the units in their subtree; the operator: all), exactly as /tonghop.
 */
const rule = checkinPolicy.rules.summary;
const LIST = 40;
/** Earlier quarters drawn on the line of a question. */
const TREND = 5;

export interface CampaignListItem {
  campaign: CampaignView;
  /** Target units in the viewer's scope, and how many of them have sent a report. */
  units: number;
  reported: number;
}

/** The campaigns that concern the actor's units, newest closing first, with their progress in those units. */
export async function campaignsInScope(svc: Pick<Services, 'db' | 'clock'>, actor: Actor): Promise<Result<CampaignListItem[]>> {
  const { db, clock } = svc;
  if (actor.kind === 'person' && !mayTry(rule.who, actor.person))
    return denied(db, actor, 'summary', 'checkin:list', 'core:error.forbidden_short');
  const ids = scopeIds(await scopeOf(db, actor, rule));
  const opened = actor.kind === 'person' ? { opensAt: { lte: clock.now().toJSDate() } } : {};
  const units = ids === 'all' ? {} : { unitId: { in: [...ids] } };
  const campaigns = await db.checkinCampaign.findMany({
    where: { ...opened, ...(ids === 'all' ? {} : { reports: { some: units } }) },
    orderBy: [{ closesAt: 'desc' }, { id: 'desc' }],
    take: LIST,
  });
  const campaignId = { in: campaigns.map((c) => c.id) };
  const [all, sent] = await Promise.all([
    db.checkinReport.groupBy({ by: ['campaignId'], where: { campaignId, ...units }, _count: { _all: true } }),
    db.checkinReport.groupBy({ by: ['campaignId'], where: { campaignId, ...units, version: { gt: 0 } }, _count: { _all: true } }),
  ]);
  const count = (rows: typeof all, id: number) => rows.find((r) => r.campaignId === id)?._count._all ?? 0;
  return ok(campaigns.map((c) => ({ campaign: toCampaignView(c, clock.zone), units: count(all, c.id), reported: count(sent, c.id) })));
}

export interface TrendPoint {
  campaign: Pick<CampaignView, 'id' | 'period'>;
  units: number;
  reported: number;
  totals: QuestionTotal[];
}

export interface CampaignReport {
  summary: CampaignSummary;
  /** This campaign and the earlier quarters of the same questionnaire in scope, oldest first (one point: no line). */
  trend: TrendPoint[];
}

/**
 * One campaign for the dashboard: every answer of the units in the actor's scope, the totals, and
 * the same questionnaire's earlier quarters over the same units for the lines. Out of scope reads
 * as not found and is audited (as /tonghop).
 */
export async function campaignReport(
  svc: Pick<Services, 'db' | 'clock'>,
  actor: Actor,
  input: { campaignId: number },
): Promise<Result<CampaignReport>> {
  const res = await summaryFor(svc, actor, input);
  if (!res.ok) return res;
  const { db, clock } = svc;
  const summary = res.value.summary;
  const ids = scopeIds(await scopeOf(db, actor, rule));
  const row = await db.checkinCampaign.findUniqueOrThrow({ where: { id: summary.campaign.id }, select: { questionnaireId: true } });
  const earlier = await db.checkinCampaign.findMany({
    where: {
      questionnaireId: row.questionnaireId,
      period: { lt: summary.campaign.period },
      ...(actor.kind === 'person' ? { opensAt: { lte: clock.now().toJSDate() } } : {}),
      ...(ids === 'all' ? {} : { reports: { some: { unitId: { in: [...ids] } } } }),
    },
    orderBy: [{ period: 'desc' }, { id: 'desc' }],
    take: TREND * 2,
    select: { id: true, period: true },
  });
  // One campaign per quarter (the latest opened), at most TREND of them.
  const perQuarter = earlier.filter((c, i) => earlier.findIndex((o) => o.period === c.period) === i).slice(0, TREND);
  const trend: TrendPoint[] = [];
  for (const c of perQuarter.reverse()) {
    const s = (await campaignSummary(svc, c.id, ids === 'all' ? undefined : [...ids]))!;
    trend.push({ campaign: c, units: s.units, reported: s.reported, totals: s.totals });
  }
  trend.push({ campaign: summary.campaign, units: summary.units, reported: summary.reported, totals: summary.totals });
  return ok({ summary, trend });
}

/**
 * The dashboard's XLSX of a campaign: the same rows as its page (the units in the actor's scope),
 * audited as `checkin.export` because the answers and their senders leave the system.
 */
export async function exportForViewer(
  svc: Pick<Services, 'db' | 'clock'>,
  actor: Actor,
  input: { campaignId: number },
): Promise<Result<CampaignSummary>> {
  const res = await summaryFor(svc, actor, input);
  if (!res.ok) return res;
  const s = res.value.summary;
  await audit(svc.db, { ...auditActor(actor), action: 'checkin.export', target: `checkin:${s.campaign.id}`, details: { units: s.units } });
  return ok(s);
}
