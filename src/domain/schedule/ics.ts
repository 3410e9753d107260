import { createRequire } from 'node:module';
import type { EventAttributes } from 'ics';
import type { Item } from './model.js';
import { concerns } from './participants.js';

// ics (and its validation library) is loaded the first time a feed is written, not with the module.
const require = createRequire(import.meta.url);
const ics = (): typeof import('ics') => require('ics') as typeof import('ics');

/** An item without an end time blocks this much of the calendar. */
const DEFAULT_MINUTES = 60;

export interface FeedLabels {
  calName: string;
  chair: string;
  participants: string;
}

/**
 * A person's private calendar (RFC 5545) of the given items. UIDs are the item ids, so an edited
 * item replaces its event and a cancelled one turns STATUS:CANCELLED; SEQUENCE follows the item's
 * version. Items the reader takes part in carry an alarm an hour before.
 */
export function calendarFeed(items: Item[], reader: { personId: number; unitIds: readonly number[] }, labels: FeedLabels): string {
  const events: EventAttributes[] = items.map((i) => {
    const description = [
      i.chair ? `${labels.chair}: ${i.chair}` : '',
      i.participants ? `${labels.participants}: ${i.participants}` : '',
      i.unitName,
    ]
      .filter(Boolean)
      .join('\n');
    const mine = concerns(i, reader);
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
      ...(mine && i.status !== 'cancelled'
        ? { alarms: [{ action: 'display', description: i.content, trigger: { hours: 1, before: true } }] }
        : {}),
    } satisfies EventAttributes;
  });
  const res = ics().createEvents(events, { productId: 'capuy-bot/schedule', calName: labels.calName });
  if (res.error || !res.value) throw res.error ?? new Error('ics: no output');
  return res.value;
}
