import { broadcastsFeature } from '../commands/broadcasts/index.js';
import { checkinFeature } from '../commands/checkin/index.js';
import { deadlinesFeature } from '../commands/deadlines/index.js';
import { docsFeature } from '../commands/docs/index.js';
import { scheduleFeature } from '../commands/schedule/index.js';
import type { Feature } from '../commands/types.js';
import { scheduleFeedRoute } from './http/scheduleFeed.js';
import type { HttpRoute } from './http/server.js';
import { broadcastReminderJob } from './scheduling/jobs/broadcasts.js';
import { checkinJob } from './scheduling/jobs/checkin.js';
import { deadlinesJob } from './scheduling/jobs/deadlines.js';
import { scheduleJob } from './scheduling/jobs/schedule.js';
import type { Job } from './scheduling/scheduler.js';

/** The chat features the bot runs, in the order /help lists their commands. */
export const features: Feature[] = [deadlinesFeature, checkinFeature, scheduleFeature, docsFeature, broadcastsFeature];
/** Scheduled jobs, run on every scheduler tick. */
export const jobs: Job[] = [deadlinesJob, checkinJob, scheduleJob, broadcastReminderJob];
/** HTTP routes of features (the schedule's calendar feed). */
export const routes: HttpRoute[] = [scheduleFeedRoute];
