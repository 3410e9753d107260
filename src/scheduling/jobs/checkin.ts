import { campaignsToPrompt, promptCampaign } from '../../domain/checkin/campaigns.js';
import { syncReported } from '../../domain/checkin/reports.js';
import type { Job } from '../scheduler.js';

/**
 * Prompts the responders of campaigns whose opening time has come (once per campaign), and makes
 * sure every sent report counts as reported for its deadline.
 */
export const checkinJob: Job = {
  name: 'checkin',
  async run(svc) {
    for (const id of await campaignsToPrompt(svc)) await promptCampaign(svc, id);
    await syncReported(svc);
  },
};
