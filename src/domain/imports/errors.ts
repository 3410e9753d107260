/** A row the import refuses, with a locale key under `core:import.errors.*` and its values. */
export interface RowError {
  line: number;
  key: string;
  params?: Record<string, string | number>;
}

export type ImportResult<T> = { ok: true; summary: T } | { ok: false; errors: RowError[] };

/** Vietnamese-friendly comparison key: no diacritics, đ→d, lower case, spaces→_. */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .trim();
}
