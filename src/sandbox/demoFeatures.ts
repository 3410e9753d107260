import type { Services } from '../core/services.js';
import type { Moment } from './clockPanel.js';
import { seedCheckin } from './seeds/checkin.js';
import { seedDeadline } from './seeds/deadlines.js';
import { seedDocs } from './seeds/docs.js';
import { seedSchedule } from './seeds/schedule.js';

type Seed = (svc: Services) => Promise<Moment[]>;

const SEEDS: [name: string, seed: Seed][] = [
  ['deadlines', seedDeadline],
  ['checkin', seedCheckin],
  ['schedule', seedSchedule],
  ['docs', seedDocs],
];

/**
 * Demo data of the other features (deadlines, schedule, library, check-ins) and the clock moments it
 * makes interesting. A feature whose seed fails is left empty rather than taking the sandbox down.
 */
export async function seedFeatures(svc: Services): Promise<Moment[]> {
  const moments: Moment[] = [];
  for (const [name, seed] of SEEDS) {
    try {
      moments.push(...(await seed(svc)));
    } catch (err) {
      svc.log.warn({ err, feature: name }, 'sandbox: demo data of a feature could not be seeded');
    }
  }
  return moments;
}
