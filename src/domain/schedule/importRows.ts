import type { DateTime } from 'luxon';
import { parseDate, parseTime } from '../../core/format.js';
import { fold, type RowError } from '../imports/errors.js';
import type { TableRow } from '../imports/readTable.js';
import type { ItemFields } from './model.js';
import { resolveParticipants, splitCodes, type Directory } from './participants.js';

export const SCHEDULE_COLUMNS = ['date', 'start', 'end', 'content', 'place', 'chair', 'participants', 'unit_code', 'ref'] as const;
/** Optional columns: explicit participating unit codes ("CB1-BTG; CB2-BTG") and "huy" to cancel. */
export const OPTIONAL_COLUMNS = ['participant_units', 'status'] as const;

export const LIMITS = { content: 500, place: 300, chair: 300, participants: 1000, ref: 120 } as const;

export interface ImportInput {
  line: number;
  ref: string | null;
  fields: ItemFields;
  cancel: boolean;
}

const CANCEL_WORDS = new Set(['huy', 'da huy', 'cancelled', 'canceled', 'cancel']);
const PLAN_WORDS = new Set(['', 'planned', 'ke hoach', 'du kien', 'changed', 'thay doi']);

/** Validates every row; the caller applies nothing unless `errors` is empty. */
export function parseScheduleRows(rows: TableRow[], zone: string, dir: Directory): { inputs: ImportInput[]; errors: RowError[] } {
  const errors: RowError[] = [];
  const inputs: ImportInput[] = [];
  const refs = new Map<string, number>();
  const keys = new Map<string, number>();
  for (const row of rows) {
    const v = (k: string) => (row.values[k] ?? '').trim();
    const err = (key: string, params: Record<string, string | number> = {}) => errors.push({ line: row.line, key, params });
    const before = errors.length;

    const day = parseDate(v('date'), zone);
    if (!day) err(v('date') ? 'bad_date' : 'empty_date', { value: v('date') });
    const start = parseTime(v('start'));
    if (!start) err(v('start') ? 'bad_time' : 'empty_start', { value: v('start') });
    const end = v('end') ? parseTime(v('end')) : null;
    if (v('end') && !end) err('bad_time', { value: v('end') });
    if (start && end && end.hour * 60 + end.minute <= start.hour * 60 + start.minute)
      err('end_before_start', { start: v('start'), end: v('end') });
    if (!v('content')) err('empty_content');
    for (const f of ['content', 'place', 'chair', 'participants', 'ref'] as const) {
      if (v(f).length > LIMITS[f]) err('too_long', { field: f, max: LIMITS[f] });
    }
    const unitId = dir.codes.get(v('unit_code').toLowerCase());
    if (!v('unit_code')) err('empty_unit');
    else if (unitId === undefined) err('unknown_unit', { value: v('unit_code') });
    const status = fold(v('status'));
    if (!CANCEL_WORDS.has(status) && !PLAN_WORDS.has(status)) err('bad_status', { value: v('status') });
    const resolved = resolveParticipants(dir, [v('chair'), v('participants')], splitCodes(v('participant_units')));
    for (const code of resolved.unknownCodes) err('unknown_participant_unit', { value: code });
    const ref = v('ref') || null;
    if (ref) {
      const first = refs.get(ref);
      if (first !== undefined) err('duplicate_ref', { value: ref, first });
      else refs.set(ref, row.line);
    }
    if (errors.length > before) continue;

    const startsAt: DateTime = day!.set(start!);
    const fields: ItemFields = {
      unitId: unitId!,
      startsAt,
      endsAt: end ? day!.set(end) : null,
      content: v('content'),
      place: v('place'),
      chair: v('chair'),
      participants: v('participants'),
      unitIds: resolved.unitIds,
      personIds: resolved.personIds,
    };
    if (!ref) {
      const key = identity(fields);
      const first = keys.get(key);
      if (first !== undefined) {
        err('duplicate_row', { first });
        continue;
      }
      keys.set(key, row.line);
    }
    inputs.push({ line: row.line, ref, fields, cancel: CANCEL_WORDS.has(status) });
  }
  return { inputs, errors };
}

/** How an item without a ref is recognised on the next import: unit, start and content. */
export function identity(f: Pick<ItemFields, 'unitId' | 'startsAt' | 'content'>): string {
  return `${f.unitId}|${f.startsAt.toMillis()}|${fold(f.content).replace(/\s+/g, ' ')}`;
}
