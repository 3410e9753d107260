import { createEvents, type EventAttributes } from 'ics';
import type { Services } from '../../core/services.js';
import { followedUnitIds } from './audience.js';
import { findItems, type Item } from './model.js';
import { concerns } from './participants.js';

/** How far back the feed reaches; calendar apps keep what they already have. */
const PAST_DAYS = 60;
/** An item without an end time blocks this much of the calendar. */
const DEFAULT_MINUTES = 60;

/** Items a person's calendar holds: the schedules they follow and every item they take part in. */
export async function itemsForPerson(svc: Pick<Services, 'db' | 'clock' | 'config'>, personId: number): Promise<{ items: Item[]; unitIds: number[] }> {
  const followed = await followedUnitIds(svc.db, personId);
  const own = (await svc.db.roleAssignment.findMany({ where: { personId }, select: { unitId: true } })).map((r) => r.unitId);
  const items = await findItems(svc.db, svc.config.APP_TIMEZONE, {
    startsAt: { gte: svc.clock.now().minus({ days: PAST_DAYS }).toJSDate() },
    OR: [{ unitId: { in: followed } }, { people: { some: { personId } } }, { units: { some: { unitId: { in: own } } } }],
  });
  return { items, unitIds: [...new Set(own)] };
}

/**
 * The person's private calendar (RFC 5545). UIDs are the item ids, so an edited item replaces its
 * event and a cancelled one turns STATUS:CANCELLED; SEQUENCE follows the item's version.
 */
export async function calendarFeed(svc: Pick<Services, 'db' | 'clock' | 'config'>, personId: number, calName: string, chairLabel: string, participantsLabel: string): Promise<string> {
  const { items, unitIds } = await itemsForPerson(svc, personId);
  const events: EventAttributes[] = items.map((i) => {
    const description = [i.chair ? `${chairLabel}: ${i.chair}` : '', i.participants ? `${participantsLabel}: ${i.participants}` : '', i.unitName]
      .filter(Boolean)
      .join('\n');
    const mine = concerns(i, { personId, unitIds });
    return {
      uid: `schedule-${i.id}@capuy-bot`,
      sequence: i.version,
      title: i.content,
      start: i.startsAt.toMillis(),
      startInputType: 'utc',
      startOutputType: 'utc',
      end: (i.endsAt ?? i.startsAt.plus({ minutes: DEFAULT_MINUTES })).toMillis(),
      endInputType: 'utc',
      endOutputType: 'utc',
      ...(i.place ? { location: i.place } : {}),
      description,
      status: i.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
      lastModified: i.updatedAt.toMillis(),
      ...(mine && i.status !== 'cancelled' ? { alarms: [{ action: 'display', description: i.content, trigger: { hours: 1, before: true } }] } : {}),
    } satisfies EventAttributes;
  });
  const res = createEvents(events, { productId: 'capuy-bot/schedule', calName });
  if (res.error || !res.value) throw res.error ?? new Error('ics: no output');
  return res.value;
}
