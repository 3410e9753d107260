import { DateTime } from 'luxon';
import { createRequire } from 'node:module';
import type ical from 'node-ical';
import type { RowError } from '../imports/errors.js';
import type { TableRow } from '../imports/readTable.js';

// node-ical (with rrule and moment) is loaded the first time an ICS file is read, not with the module.
const require = createRequire(import.meta.url);
const loadIcal = (): typeof ical => require('node-ical') as typeof ical;

const CHAIR = /^(?:chủ trì|chu tri|chair)\s*:\s*(.+)$/im;
const PARTICIPANTS = /^(?:thành phần|thanh phan|participants)\s*:\s*(.+)$/im;

function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && 'val' in v) return String((v as { val: unknown }).val);
  return '';
}

/**
 * Reads the events of an ICS file as rows of the schedule table (so they are validated the same
 * way), for one unit. The UID becomes the ref; "Chủ trì: …" and "Thành phần: …" lines of the
 * description (or the organizer and attendees) fill chair and participants. Line numbers are those
 * of each BEGIN:VEVENT. Recurring and all-day events are refused: the schedule needs real sessions.
 */
export function icsToRows(body: string, zone: string, unitCode: string): { rows: TableRow[]; errors: RowError[] } {
  if (!/^BEGIN:VCALENDAR/im.test(body)) throw new Error('not an iCalendar file (no BEGIN:VCALENDAR)');
  const lines = body.split(/\r?\n/);
  const eventLines: number[] = [];
  lines.forEach((l, i) => {
    if (/^BEGIN:VEVENT\s*$/i.test(l)) eventLines.push(i + 1);
  });
  const parsed = loadIcal().sync.parseICS(body);
  const events = Object.values(parsed).filter((c): c is ical.VEvent => !!c && (c as { type?: string }).type === 'VEVENT');
  const rows: TableRow[] = [];
  const errors: RowError[] = [];
  events.forEach((ev, n) => {
    const line = eventLines[n] ?? 0;
    if (ev.rrule) return void errors.push({ line, key: 'ics_recurring', params: { value: text(ev.summary) } });
    if (!ev.start) return void errors.push({ line, key: 'empty_date', params: {} });
    if ((ev as { datetype?: string }).datetype === 'date')
      return void errors.push({ line, key: 'ics_all_day', params: { value: text(ev.summary) } });
    const start = DateTime.fromJSDate(ev.start, { zone });
    const end = ev.end ? DateTime.fromJSDate(ev.end, { zone }) : null;
    const description = text(ev.description);
    const organizer =
      ev.organizer && typeof ev.organizer === 'object' ? String((ev.organizer as { params?: { CN?: string } }).params?.CN ?? '') : '';
    const attendees = ([] as unknown[])
      .concat(ev.attendee ?? [])
      .map((a) => (a && typeof a === 'object' ? String((a as { params?: { CN?: string } }).params?.CN ?? '') : ''))
      .filter(Boolean);
    rows.push({
      line,
      values: {
        date: start.toFormat('dd/MM/yyyy'),
        start: start.toFormat('HH:mm'),
        // An event that ends on another day keeps only its start.
        end: end && end > start && end.hasSame(start, 'day') ? end.toFormat('HH:mm') : '',
        content: text(ev.summary).trim(),
        place: text(ev.location).trim(),
        chair: (CHAIR.exec(description)?.[1] ?? organizer.replace(/^"|"$/g, '')).trim(),
        participants: (PARTICIPANTS.exec(description)?.[1] ?? attendees.join(', ')).trim(),
        unit_code: unitCode,
        ref: ev.uid ?? '',
        status: String(ev.status ?? '').toUpperCase() === 'CANCELLED' ? 'cancelled' : '',
      },
    });
  });
  return { rows, errors };
}
