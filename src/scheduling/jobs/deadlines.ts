import { escalate } from '../../application/deadlines/escalate.js';
import type { Job } from '../scheduler.js';

/** Deadline reminders, the overdue notice the morning after, and the daily list of late units. */
export const deadlinesJob: Job = {
  name: 'deadlines',
  async run(svc) {
    await escalate(svc);
  },
};
