import cron, { type ScheduledTask } from 'node-cron';
import type { Services } from '../core/services.js';

/**
 * A time-based job. `run` looks at the database and the clock and does whatever is due and not yet
 * done (outbox dedupe keys and job marks make it idempotent), so a tick missed while the bot was
 * down is caught up by the next one, and two processes ticking together produce one message.
 */
export interface Job {
  name: string;
  run(svc: Services): Promise<void>;
}

export class Scheduler {
  private task?: ScheduledTask;
  private running?: Promise<void>;

  constructor(
    private readonly svc: Services,
    private readonly jobs: Job[],
  ) {}

  /** Ticks every minute in APP_TIMEZONE, and once right away to catch up after downtime. */
  start(): void {
    this.task = cron.schedule('* * * * *', () => void this.tick(), { timezone: this.svc.config.APP_TIMEZONE, noOverlap: true });
    void this.tick();
  }

  /** Runs every job once; overlapping calls share one run. */
  tick(): Promise<void> {
    this.running ??= this.runAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async runAll(): Promise<void> {
    for (const job of this.jobs) {
      try {
        await job.run(this.svc);
      } catch (err) {
        this.svc.log.error({ err, job: job.name }, 'job failed');
      }
    }
    this.svc.kick();
  }

  async stop(): Promise<void> {
    await this.task?.stop();
    await this.running;
  }
}

/** Records that a piece of scheduled work is done; false when someone did it already. */
export async function markOnce(svc: Pick<Services, 'db'>, key: string): Promise<boolean> {
  const res = await svc.db.jobMark.createMany({ data: [{ key }], skipDuplicates: true });
  return res.count === 1;
}
