import type { Services } from '../../core/services.js';
import { campaignSummary, type CampaignSummary } from '../../domain/checkin/summary.js';
import type { Actor } from '../actor.js';
import { ok, refused, type Result } from '../result.js';
import { asId, denied } from './common.js';

/** A campaign's every unit and answer, for the spreadsheet: the operator only (rule `checkin.export`). */
export async function exportCampaign(
  svc: Pick<Services, 'db' | 'clock'>,
  actor: Actor,
  input: { campaignId: number },
): Promise<Result<CampaignSummary>> {
  if (actor.kind !== 'operator') return denied(svc.db, actor, 'export', `checkin:${input.campaignId}`, 'core:error.forbidden_short');
  const id = asId(input.campaignId);
  const s = id === null ? null : await campaignSummary(svc, id);
  return s ? ok(s) : refused('checkin:cli.not_found', { id: String(input.campaignId) });
}

/** Every campaign with its progress, oldest first: the operator only (rule `checkin.export`). */
export async function listCampaigns(
  svc: Pick<Services, 'db' | 'clock'>,
  actor: Actor,
): Promise<Result<{ questionnaire: string; summary: CampaignSummary }[]>> {
  if (actor.kind !== 'operator') return denied(svc.db, actor, 'export', 'checkin:list', 'core:error.forbidden_short');
  const rows = await svc.db.checkinCampaign.findMany({
    orderBy: { id: 'asc' },
    select: { id: true, questionnaireId: true, questionnaireVersion: true },
  });
  const out: { questionnaire: string; summary: CampaignSummary }[] = [];
  for (const r of rows)
    out.push({ questionnaire: `${r.questionnaireId}@${r.questionnaireVersion}`, summary: (await campaignSummary(svc, r.id))! });
  return ok(out);
}
