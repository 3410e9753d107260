import { sendDueDigests } from '../../domain/schedule/digest.js';
import { sendDueReminders } from '../../domain/schedule/reminders.js';
import type { Job } from '../scheduler.js';

/** The weekly digest (SCHEDULE_DIGEST_CRON) and participants' reminders, from the database and the clock. */
export const scheduleJob: Job = {
  name: 'schedule',
  async run(svc) {
    await sendDueDigests(svc);
    await sendDueReminders(svc);
  },
};
