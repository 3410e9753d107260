import type { Services } from '../../core/services.js';
import { openCampaign } from '../../domain/checkin/campaigns.js';
import { loadDefaultQuestionnaire } from '../../domain/checkin/questionnaire.js';
import type { Moment } from '../clockPanel.js';
import { demoPersonId } from '../demo.js';

/**
 * The quarterly check-in of the current quarter ("Quý IV/2026") for every chi bộ, open now and due
 * at the quarter's end, so /baocao has something to answer. Its reminders are the deadline's.
 */
export async function seedCheckin(svc: Services): Promise<Moment[]> {
  const now = svc.clock.now();
  let closesAt = now.endOf('quarter');
  if (closesAt.diff(now, 'days').days < 2) closesAt = closesAt.plus({ days: 1 }).endOf('quarter');
  const units = await svc.db.unit.findMany({ where: { kind: 'chi_bo' }, select: { id: true }, orderBy: { id: 'asc' } });
  await openCampaign(svc, {
    period: `${closesAt.year}-Q${closesAt.quarter}`,
    questionnaire: loadDefaultQuestionnaire(),
    unitIds: units.map((u) => u.id),
    closesAt,
    createdById: await demoPersonId(svc.db, 'van_phong'),
    actor: 'sandbox',
  });
  return [];
}
