import { remindUnacknowledged } from '../../application/broadcasts/remind.js';
import type { Job } from '../scheduler.js';

/** The follow-up of broadcasts that asked for "Đã nhận": once, N hours after sending. */
export const broadcastReminderJob: Job = {
  name: 'broadcasts.remind',
  async run(svc) {
    const queued = await remindUnacknowledged(svc);
    if (queued) svc.log.info({ queued }, 'broadcast reminders queued');
  },
};
