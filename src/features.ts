import type { Feature } from '../commands/types.js';
import type { Job } from './scheduling/scheduler.js';

/** The chat features and scheduled jobs the bot runs; each feature folder adds its entries here. */
export const features: Feature[] = [];
export const jobs: Job[] = [];
