import { stringify } from 'csv-stringify/sync';
import type { DeadlineBoard } from '../application/deadlines/index.js';
import { safeCsvCell } from '../core/csv.js';
import { plainT } from '../i18n.js';
import { fmt } from './view.js';

export interface Table {
  title: string;
  header: string[];
  rows: string[][];
}

/** The per-unit table of a deadline as the page shows it (only the units the person may see). */
export function deadlineTable(d: DeadlineBoard, locale: string, zone: string): Table {
  const t = plainT(locale);
  const f = fmt(locale, zone);
  return {
    title: d.progress.deadline.title,
    header: ['code', 'unit', 'status', 'when', 'by', 'note', 'supervisors'].map((k) => t(`web:deadline.col.${k}`)),
    rows: d.rows.map((r) => [
      r.code,
      r.name,
      t(`web:deadline.status.${r.reportedAt ? (r.reportedLate ? 'reported_late' : 'reported') : r.late ? 'late' : 'open'}`),
      f.dateTime(r.reportedAt),
      r.reportedBy ?? '',
      r.note ?? '',
      r.supervisors.join(', '),
    ]),
  };
}

/** CSV with a BOM (Excel opens it as UTF-8); formula-like cells are neutralised. */
export function toCsv(table: Table): string {
  return `\uFEFF${stringify([table.header, ...table.rows].map((r) => r.map(safeCsvCell)))}`;
}

/** One sheet, header frozen; exceljs writes strings as text, never as formulas. */
export async function toXlsx(table: Table, locale: string): Promise<Buffer> {
  // exceljs is large: loaded only when a workbook is written.
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  const ws = wb.addWorksheet(plainT(locale)('web:deadline.sheet'), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(table.header).font = { bold: true };
  for (const r of table.rows) ws.addRow(r);
  ws.columns.forEach((col, i) => {
    const longest = Math.max(...[table.header, ...table.rows].map((r) => (r[i] ?? '').length));
    col.width = Math.min(60, Math.max(10, longest + 2));
    col.alignment = { wrapText: true, vertical: 'top' };
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
