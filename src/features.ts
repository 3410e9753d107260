import type { Feature } from '../commands/types.js';
import type { Job } from './scheduling/scheduler.js';

/** Feature folders register here: their chat commands and their scheduled jobs. */
export const features: Feature[] = [];
export const jobs: Job[] = [];
