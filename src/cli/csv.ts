import { stringify } from 'csv-stringify/sync';
import { safeCsvCell } from '../core/csv.js';

/** CSV text; every string cell is neutralised against formula injection (`safeCsvCell`). */
export function toCsv(rows: (string | number | null | undefined)[][]): string {
  return stringify(rows.map((r) => r.map(safeCsvCell)));
}
