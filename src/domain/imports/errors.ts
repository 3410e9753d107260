import { foldVietnamese } from '../../core/format.js';

/** A row the import refuses, with a locale key under `core:import.errors.*` and its values. */
export interface RowError {
  line: number;
  key: string;
  params?: Record<string, string | number>;
}

export type ImportResult<T> = { ok: true; summary: T } | { ok: false; errors: RowError[] };

/** Comparison key for names typed by people: no diacritics, đ→d, lower case, trimmed. */
export function fold(s: string): string {
  return foldVietnamese(s).trim();
}
