import { promptAndSync } from '../../application/checkin/jobs.js';
import type { OperatorActor } from '../../application/actor.js';
import type { Job } from '../scheduler.js';

const job: OperatorActor = { kind: 'operator', via: 'job' };

/**
 * Prompts the responders of campaigns whose opening time has come (once per campaign), and makes
 * sure every sent report counts as reported for its deadline.
 */
export const checkinJob: Job = {
  name: 'checkin',
  async run(svc) {
    await promptAndSync(svc, job);
  },
};
