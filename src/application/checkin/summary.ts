import type { Services } from '../../core/services.js';
import { toCampaignView, type CampaignView } from '../../domain/checkin/campaigns.js';
import { campaignSummary, type CampaignSummary } from '../../domain/checkin/summary.js';
import type { Actor } from '../actor.js';
import { mayTry, scopeOf, scopeIds } from '../policy.js';
import { ok, refused, type Result } from '../result.js';
import { asId, denied } from './common.js';
import { checkinPolicy } from './policy.js';

const rule = checkinPolicy.rules.summary;
const OTHERS = 4;

export interface SummaryView {
  summary: CampaignSummary;
  /** Other recent campaigns in scope, newest first (when no campaign was asked for). */
  others: CampaignView[];
}

/**
 * /tonghop: a campaign's response rate, totals and missing units, counting only the units in the
 * actor's subtree (admin, cấp ủy viên, phụ trách; the operator: all). Without an id, the campaign in
 * scope that closes last. A campaign outside the actor's scope reads as not found, and is audited.
 */
export async function summaryFor(
  svc: Pick<Services, 'db' | 'clock'>,
  actor: Actor,
  input: { campaignId?: number },
): Promise<Result<SummaryView>> {
  const { db, clock } = svc;
  const asked = input.campaignId;
  const target = asked === undefined ? 'checkin:latest' : `checkin:${asked}`;
  if (actor.kind === 'person' && !mayTry(rule.who, actor.person)) return denied(db, actor, 'summary', target, 'core:error.forbidden_short');
  const id = asked === undefined ? undefined : asId(asked);
  if (id === null) return refused('checkin:tonghop.not_found', { id: String(asked) });
  const ids = scopeIds(await scopeOf(db, actor, rule));
  // People see a campaign once it has opened; the operator also sees the ones still to open.
  const opened = actor.kind === 'person' ? { opensAt: { lte: clock.now().toJSDate() } } : {};
  const inScope = ids === 'all' ? {} : { reports: { some: { unitId: { in: ids } } } };
  const campaigns = await db.checkinCampaign.findMany({
    where: { ...opened, ...inScope, ...(id !== undefined ? { id } : {}) },
    orderBy: [{ closesAt: 'desc' }, { id: 'desc' }],
    take: OTHERS + 1,
  });
  const chosen = campaigns[0];
  if (!chosen) {
    if (id === undefined) return refused('checkin:tonghop.none');
    const exists = await db.checkinCampaign.count({ where: { id, ...opened } });
    if (exists) return denied(db, actor, 'summary', target, 'checkin:tonghop.not_found', { id });
    return refused('checkin:tonghop.not_found', { id });
  }
  const summary = (await campaignSummary(svc, chosen.id, ids === 'all' ? undefined : ids))!;
  const others = id === undefined ? campaigns.slice(1).map((c) => toCampaignView(c, clock.zone)) : [];
  return ok({ summary, others });
}
