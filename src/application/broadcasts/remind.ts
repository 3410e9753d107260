import type { Services } from '../../core/services.js';
import { sendDueReminders } from '../../domain/broadcasts/remind.js';

/** The scheduler's use case: one follow-up to those who have not acknowledged, when it is due. */
export async function remindUnacknowledged(svc: Services): Promise<number> {
  const queued = await sendDueReminders(svc.db, svc.clock);
  if (queued) svc.kick();
  return queued;
}
