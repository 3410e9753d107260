import { stringify } from 'csv-stringify/sync';

export function toCsv(rows: (string | number | null | undefined)[][]): string {
  return stringify(rows.map((r) => r.map((v) => (v == null ? '' : String(v)))));
}
