import type { Services } from '../../core/services.js';
import { deadlinesPolicy } from './policy.js';
import { sendLateDigests, sendOverdueNotices, sendReminders } from '../../domain/deadlines/escalation.js';

/**
 * The scheduler's round (acting as the `job` operator: it reaches every unit and protects nothing):
 * reminders before the due date, the overdue notice the morning after, the daily list of late units.
 */
export async function escalate(svc: Services): Promise<{ reminders: number; overdue: number; digests: number }> {
  const reminders = await sendReminders(svc);
  const overdue = await sendOverdueNotices(svc);
  const digests = await sendLateDigests(svc, deadlinesPolicy.rules.overdue.who);
  return { reminders, overdue, digests };
}
