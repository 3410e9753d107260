import { formatDay, formatTime, parseTime } from '../../core/format.js';
import type { Services } from '../../core/services.js';
import { enqueue, type OutboxItem } from '../../delivery/outbox.js';
import { reachChats } from '../reach.js';
import { t as translate } from '../../i18n.js';
import { readers } from './audience.js';
import { findItems, type Item } from './model.js';
import { remindKeyPrefix } from './notices.js';
import { takersOf } from './participants.js';
import { itemBlock } from './render.js';
import { weekOf } from './week.js';

type Svc = Pick<Services, 'db' | 'clock' | 'config'>;

/**
 * Reminders to the people taking part: the evening before (SCHEDULE_REMIND_AT, until midnight) and,
 * for those who asked in /caidat, an hour before the start (urgent: it cannot wait for morning).
 */
export async function sendDueReminders(svc: Svc): Promise<number> {
  const zone = svc.config.APP_TIMEZONE;
  const now = svc.clock.now();
  const out: OutboxItem[] = [];
  const at = parseTime(svc.config.SCHEDULE_REMIND_AT) ?? { hour: 17, minute: 0 };
  const remindFrom = now.startOf('day').set(at);
  if (now >= remindFrom) {
    const tomorrow = now.startOf('day').plus({ days: 1 });
    const items = await findItems(svc.db, zone, {
      status: { not: 'cancelled' },
      startsAt: { gte: tomorrow.toJSDate(), lt: tomorrow.plus({ days: 1 }).toJSDate() },
    });
    const fresh = await toldByNotice(
      svc,
      items.filter((i) => i.updatedAt >= remindFrom),
    );
    const due = items.filter((i) => !fresh.has(i.id));
    out.push(...(await reminders(svc, due, 'eve', (t, locale) => t('schedule:remind.eve', { day: formatDay(tomorrow, locale) }))));
  }
  const soon = await findItems(svc.db, zone, {
    status: { not: 'cancelled' },
    startsAt: { gt: now.toJSDate(), lte: now.plus({ hours: 1 }).toJSDate() },
  });
  out.push(...(await reminders(svc, soon, 'hour', (t, _locale, i) => t('schedule:remind.hour', { time: formatTime(i.startsAt) }))));
  return enqueue(svc.db, out);
}

/** Items changed after the reminder time whose week's digest went out: their notice said it all. */
async function toldByNotice(svc: Svc, items: Item[]): Promise<Set<number>> {
  const out = new Set<number>();
  for (const i of items) {
    const week = weekOf(i.startsAt, svc.config.APP_TIMEZONE).key;
    if (await svc.db.scheduleDigest.count({ where: { unitId: i.unitId, week } })) out.add(i.id);
  }
  return out;
}

async function reminders(
  svc: Svc,
  items: Item[],
  kind: 'eve' | 'hour',
  title: (t: ReturnType<typeof translate>, locale: string, item: Item) => string,
): Promise<OutboxItem[]> {
  if (items.length === 0) return [];
  const takers = await takersOf(svc.db, items);
  let people = [...new Set([...takers.values()].flatMap((s) => [...s]))];
  if (kind === 'hour') {
    const wanting = await svc.db.schedulePrefs.findMany({
      where: { personId: { in: people }, remindHourBefore: true },
      select: { personId: true },
    });
    people = wanting.map((w) => w.personId);
  }
  const byPerson = await readers(svc.db, people);
  const chats = await reachChats(svc.db, people);
  const out: OutboxItem[] = [];
  for (const item of items) {
    const moment = kind === 'eve' ? item.startsAt.toISODate() : item.startsAt.toUTC().toISO();
    for (const chat of chats) {
      const reader = byPerson.get(chat.personId);
      if (!reader || !takers.get(item.id)?.has(reader.personId)) continue;
      const t = translate(reader.locale);
      out.push({
        chatIdentityId: chat.id,
        // One per person, whichever chat reach picks: the job runs every minute, and a person who
        // writes from another channel in between must not get the reminder again there.
        dedupeKey: `${remindKeyPrefix(item.id)}${kind}:${moment}:person:${reader.personId}:once`,
        payload: { text: `${title(t, reader.locale, item)}\n\n${itemBlock(t, item, { showUnit: true })}` },
        urgent: kind === 'hour',
      });
    }
  }
  return out;
}
