import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';

export interface TableRow {
  /** Line (CSV) or row (XLSX) number as a person sees it in the file, header = 1. */
  line: number;
  values: Record<string, string>;
}

export class TableError extends Error {}

/** Reads a CSV (comma or semicolon, UTF-8 with or without BOM) or the first sheet of an XLSX. */
export async function readTable(path: string, required: readonly string[]): Promise<TableRow[]> {
  const ext = extname(path).toLowerCase();
  const raw = ext === '.xlsx' ? await readXlsx(path) : await readCsv(path);
  if (raw.length === 0) throw new TableError('empty file');
  const header = raw[0]!.map((h) => h.trim().toLowerCase());
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length) throw new TableError(`missing column(s): ${missing.join(', ')} (found: ${header.join(', ')})`);
  const rows: TableRow[] = [];
  raw.slice(1).forEach((cells, i) => {
    if (cells.every((c) => c.trim() === '')) return;
    const values: Record<string, string> = {};
    header.forEach((h, j) => (values[h] = (cells[j] ?? '').trim()));
    rows.push({ line: i + 2, values });
  });
  return rows;
}

async function readCsv(path: string): Promise<string[][]> {
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.split(';').length > firstLine.split(',').length ? ';' : ',';
  return parse(text, { delimiter, relax_column_count: true, skip_empty_lines: false }) as string[][];
}

async function readXlsx(path: string): Promise<string[][]> {
  // exceljs is large: loaded only when a workbook is read.
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  await wb.xlsx.readFile(path);
  const sheet = wb.worksheets[0];
  if (!sheet) return [];
  const out: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: string[] = [];
    for (let c = 1; c <= sheet.columnCount; c++) cells.push(cellText(row.getCell(c).value));
    out[n - 1] = cells;
  });
  return Array.from(out, (r) => r ?? []);
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) {
    const d = v;
    // A time-only cell ("07:30") is a fraction of Excel's day zero, 30/12/1899.
    if (d.getUTCFullYear() < 1900) return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    const dd = String(d.getUTCDate()).padStart(2, '0');
    const mm = String(d.getUTCMonth() + 1).padStart(2, '0');
    return `${dd}/${mm}/${d.getUTCFullYear()}`;
  }
  if (typeof v === 'object') {
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('hyperlink' in v) return String(v.hyperlink);
    return '';
  }
  return String(v);
}
