import { DateTime } from 'luxon';
import { formatDay, formatTime } from '../core/format.js';
import type { Locale } from '../i18n.js';
import type { Entry } from './transcript.js';

export type EntryView = Entry & { time: string; day: string };

/** An entry as the page shows it, with its sandbox time and day in the page's language. */
export function entryView(entry: Entry, zone: string, locale: Locale): EntryView {
  const at = DateTime.fromMillis(entry.at, { zone });
  return { ...entry, time: formatTime(at), day: formatDay(at, locale) };
}
