import type { Services } from '../../core/services.js';
import { campaignsToPrompt, promptCampaign } from '../../domain/checkin/campaigns.js';
import { syncReported } from '../../domain/checkin/reports.js';
import type { Actor } from '../actor.js';
import { forbidden, ok, type Result } from '../result.js';

/**
 * The scheduler's work (the operator as `job`): prompts the responders of campaigns whose opening
 * time has come, once per campaign, and marks every sent report as reported for its deadline.
 */
export async function promptAndSync(svc: Services, actor: Actor): Promise<Result<{ prompted: number; marked: number }>> {
  if (actor.kind !== 'operator') return forbidden();
  let prompted = 0;
  for (const id of await campaignsToPrompt(svc)) prompted += await promptCampaign(svc, id);
  return ok({ prompted, marked: await syncReported(svc) });
}
