import type { Services } from '../core/services.js';
import type { Moment } from './clockPanel.js';
import { features } from '../features.js';

/**
 * Demo data of the other features (deadlines, schedule, library, check-ins) and the clock moments it
 * makes interesting. A feature whose seed fails is left empty rather than taking the sandbox down.
 */
export async function seedFeatures(svc: Services): Promise<Moment[]> {
  const moments: Moment[] = [];
  for (const f of features) {
    if (!f.seed) continue;
    try {
      moments.push(...(await (await f.seed())(svc)));
    } catch (err) {
      svc.log.warn({ err, feature: f.id }, 'sandbox: demo data of a feature could not be seeded');
    }
  }
  return moments;
}
