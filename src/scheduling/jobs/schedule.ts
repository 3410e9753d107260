import { runScheduleJobs } from '../../application/schedule/operator.js';
import type { Job } from '../scheduler.js';

/** The weekly digest (SCHEDULE_DIGEST_CRON) and participants' reminders, from the database and the clock. */
export const scheduleJob: Job = {
  name: 'schedule',
  async run(svc) {
    await runScheduleJobs(svc);
  },
};
