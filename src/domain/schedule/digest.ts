import type { Services } from '../../core/services.js';
import { enqueue, type OutboxItem } from '../../delivery/outbox.js';
import { reachChats } from '../reach.js';
import { t as translate } from '../../i18n.js';
import { digestSubscribers, readers } from './audience.js';
import { parseWeeklyCron } from './cron.js';
import { findItems } from './model.js';
import { renderSchedule, weekTitle } from './render.js';
import { digestTimeOf, nextWeek, weekOf, type Week } from './week.js';

type Svc = Pick<Services, 'db' | 'clock' | 'config'>;

export interface DigestResult {
  status: 'sent' | 'already' | 'empty';
  recipients: number;
  messages: number;
}

/**
 * Queues a unit's weekly digest for `week` to everyone subscribed in its subtree, each copy with the
 * reader's own items first. Once per unit and week (the digest row is the mark); `resend` sends a
 * fresh copy anyway, e.g. after a late publication was completed.
 */
export async function sendDigest(svc: Svc, unitId: number, week: Week, opts: { resend?: boolean } = {}): Promise<DigestResult> {
  const zone = svc.config.APP_TIMEZONE;
  const now = svc.clock.now();
  return svc.db.$transaction(
    async (tx) => {
      const items = await findItems(tx, zone, {
        unitId,
        status: { not: 'cancelled' },
        startsAt: { gte: week.start.toJSDate(), lt: week.end.toJSDate() },
      });
      if (items.length === 0) return { status: 'empty', recipients: 0, messages: 0 };
      const fresh = await tx.scheduleDigest.createMany({
        data: [{ unitId, week: week.key, sentAt: now.toJSDate() }],
        skipDuplicates: true,
      });
      if (fresh.count === 0 && !opts.resend) return { status: 'already', recipients: 0, messages: 0 };
      const digest = await tx.scheduleDigest.update({
        where: { unitId_week: { unitId, week: week.key } },
        data: { sentAt: now.toJSDate() },
      });

      const people = await digestSubscribers(tx, unitId);
      const chats = await reachChats(tx, people);
      const linked = [...new Set(chats.map((c) => c.personId))];
      await tx.scheduleDigestRecipient.createMany({
        data: linked.map((personId) => ({ digestId: digest.id, personId })),
        skipDuplicates: true,
      });
      const byPerson = await readers(tx, linked);
      const out: OutboxItem[] = [];
      const run = now.toMillis();
      for (const personId of linked) {
        const reader = byPerson.get(personId)!;
        const t = translate(reader.locale);
        const parts = renderSchedule(t, {
          title: `${t('schedule:digest.title', { week: weekTitle(t, week.start) })}\n${t('schedule:digest.unit', { unit: items[0]!.unitName })}`,
          items,
          reader,
          locale: reader.locale,
          footer: t('schedule:digest.footer'),
        });
        for (const chat of chats.filter((c) => c.personId === personId)) {
          parts.forEach((text, n) =>
            out.push({
              chatIdentityId: chat.id,
              dedupeKey: `schedule:digest:${digest.id}:${run}:chat:${chat.id}:${n + 1}`,
              payload: { text },
            }),
          );
        }
      }
      const messages = await enqueue(tx, out);
      return { status: 'sent', recipients: linked.length, messages };
    },
    { timeout: 120_000 },
  );
}

/**
 * Digests due now: for this week and next, once the digest time of SCHEDULE_DIGEST_CRON has passed,
 * for every unit that had items of that week by then. A unit whose schedule came in only after
 * its digest time is a late publication: the office sends it with `schedule digest --now`, so a
 * half-entered week never goes out by itself.
 */
export async function sendDueDigests(svc: Svc & Pick<Services, 'log'>): Promise<number> {
  const at = parseWeeklyCron(svc.config.SCHEDULE_DIGEST_CRON);
  if (!at) {
    svc.log.error({ cron: svc.config.SCHEDULE_DIGEST_CRON }, 'SCHEDULE_DIGEST_CRON is not "m h * * dow"');
    return 0;
  }
  const zone = svc.config.APP_TIMEZONE;
  const now = svc.clock.now();
  const current = weekOf(now, zone);
  let sent = 0;
  for (const week of [current, nextWeek(current, zone)]) {
    const due = digestTimeOf(week, at);
    if (now < due) continue;
    const units = await svc.db.scheduleItem.findMany({
      where: {
        status: { not: 'cancelled' },
        startsAt: { gte: week.start.toJSDate(), lt: week.end.toJSDate() },
        createdAt: { lte: due.toJSDate() },
        unit: { scheduleDigests: { none: { week: week.key } } },
      },
      select: { unitId: true },
      distinct: ['unitId'],
    });
    for (const { unitId } of units) {
      const res = await sendDigest(svc, unitId, week);
      if (res.status === 'sent') sent++;
    }
  }
  return sent;
}
