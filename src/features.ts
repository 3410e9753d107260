import { broadcastsFeature } from '../commands/broadcasts/index.js';
import { checkinFeature } from '../commands/checkin/index.js';
import { deadlinesFeature } from '../commands/deadlines/index.js';
import { docsFeature } from '../commands/docs/index.js';
import { scheduleFeature } from '../commands/schedule/index.js';
import { webFeature } from '../commands/web/index.js';
import type { Feature } from '../commands/types.js';
import type { HttpRoute } from './http/server.js';
import { retentionJob } from './scheduling/jobs/retention.js';
import type { Job } from './scheduling/scheduler.js';

/**
 * The bot's features, in the order /help lists their commands. Each is one manifest
 * (`commands/<feature>/index.ts`): chat, jobs, routes, command line and sandbox seed.
 */
export const features: Feature[] = [deadlinesFeature, checkinFeature, scheduleFeature, docsFeature, broadcastsFeature, webFeature];
/** Scheduled jobs, run on every scheduler tick; the outbox retention is the bot's own, not a feature's. */
export const jobs: Job[] = [...features.flatMap((f) => f.jobs ?? []), retentionJob];
/** HTTP routes of features (the schedule's calendar feed). */
export const routes: HttpRoute[] = features.flatMap((f) => f.routes ?? []);
