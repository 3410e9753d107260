import { pruneInbox, pruneOutbox } from '../../delivery/retention.js';
import type { Job } from '../scheduler.js';

/** Prunes sent outbox rows, old job marks and handled inbox updates once a day, from 03:00 (local) on, when the bot is quiet. */
export const retentionJob: Job = {
  name: 'retention',
  async run(svc) {
    const now = svc.clock.now();
    if (now.hour < 3) return;
    const key = `retention:${now.toISODate()}`;
    if (await svc.db.jobMark.findUnique({ where: { key } })) return;
    const res = {
      ...(await pruneOutbox(svc.db, now, svc.config.OUTBOX_RETENTION_DAYS)),
      ...(await pruneInbox(svc.db, now, svc.config.OUTBOX_RETENTION_DAYS)),
    };
    // Marked after the work: a failed run is tried again next tick; two processes together do the
    // same idempotent statements.
    await svc.db.jobMark.createMany({ data: [{ key }], skipDuplicates: true });
    svc.log.info({ job: 'retention', ...res }, 'outbox pruned');
  },
};
