import type { Feature } from '../commands/types.js';
import type { Job } from './scheduling/scheduler.js';
import type { HttpRoute } from './http/server.js';
import { scheduleFeature } from '../commands/schedule/index.js';
import { scheduleFeedRoute } from './http/scheduleFeed.js';
import { scheduleJob } from './scheduling/jobs/schedule.js';
import { checkinFeature } from '../commands/checkin/index.js';
import { checkinJob } from './scheduling/jobs/checkin.js';
import { deadlinesFeature } from '../commands/deadlines/index.js';
import { deadlinesJob } from './scheduling/jobs/deadlines.js';

import { docsFeature } from '../commands/docs/index.js';
import { broadcastsFeature } from '../commands/broadcasts/index.js';
import { broadcastReminderJob } from './scheduling/jobs/broadcasts.js';
/** The chat features and scheduled jobs the bot runs; each feature folder adds its entries here. */
export const features: Feature[] = [deadlinesFeature, checkinFeature, scheduleFeature, docsFeature, broadcastsFeature];
export const jobs: Job[] = [deadlinesJob, checkinJob, scheduleJob, broadcastReminderJob];
/** HTTP routes of features (the schedule's calendar feed). */
export const routes: HttpRoute[] = [scheduleFeedRoute];
