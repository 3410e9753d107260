import { writeFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { safeCsvCell } from '../../core/csv.js';
import { plainT as translate } from '../../i18n.js';
import { formatAnswer } from './answers.js';
import { localText, questionLabel } from './questionnaire.js';
import { totalsOf, type CampaignSummary, type UnitReport } from './summary.js';

export type Cell = string | number | null;

export interface ExportTables {
  units: { header: string[]; rows: Cell[][] };
  totals: { header: string[]; rows: Cell[][] };
}

/** One row per target unit with every answer and who sent it when; then totals per đảng bộ. */
export function exportTables(s: CampaignSummary, locale = 'vi'): ExportTables {
  const t = translate(locale);
  const qs = s.campaign.questionnaire.questions;
  const unitHeader = [
    t('checkin:export.parent_code'),
    t('checkin:export.parent'),
    t('checkin:export.unit_code'),
    t('checkin:export.unit'),
    t('checkin:export.status'),
    ...qs.map((q) => questionLabel(q, locale)),
    t('checkin:export.sent_by'),
    t('checkin:export.sent_at'),
    t('checkin:export.version'),
  ];
  const unitRows = s.rows.map((r): Cell[] => [
    r.parent?.code ?? '',
    r.parent?.name ?? '',
    r.unit.code,
    r.unit.name,
    t(r.answers ? 'checkin:export.reported' : 'checkin:export.missing'),
    ...qs.map((q): Cell => {
      const v = r.answers?.[q.id];
      if (v === undefined || v === null) return null;
      return q.type === 'integer' || q.type === 'percent' ? Number(v) : formatAnswer(q, v, locale);
    }),
    r.sentBy ?? '',
    r.sentAt ? r.sentAt.toFormat('dd/MM/yyyy HH:mm') : '',
    r.version || null,
  ]);

  const totalHeader = [
    t('checkin:export.parent_code'),
    t('checkin:export.parent'),
    t('checkin:export.units'),
    t('checkin:export.reported_count'),
  ];
  for (const q of qs) {
    const label = questionLabel(q, locale);
    if (q.type === 'integer') totalHeader.push(t('checkin:export.sum', { label }));
    else if (q.type === 'percent') totalHeader.push(t('checkin:export.avg', { label }));
    else if (q.type === 'yesno') totalHeader.push(t('checkin:export.yes', { label }));
    else if (q.type === 'choice') for (const o of q.options) totalHeader.push(`${label}: ${localText(o.text, locale)}`);
  }
  const totalRow = (code: string, name: string, rows: UnitReport[]): Cell[] => {
    const sent = rows.filter((r) => r.answers);
    const cells: Cell[] = [code, name, rows.length, sent.length];
    for (const total of totalsOf(
      qs,
      sent.map((r) => r.answers!),
    )) {
      const q = total.question;
      if (q.type === 'integer') cells.push(total.sum ?? 0);
      else if (q.type === 'percent') cells.push(total.avg ?? null);
      else if (q.type === 'yesno') cells.push(total.yes ?? 0);
      else if (q.type === 'choice') for (const o of total.options ?? []) cells.push(o.count);
    }
    return cells;
  };
  const groups = new Map<string, { name: string; rows: UnitReport[] }>();
  for (const r of s.rows) {
    const key = r.parent?.code ?? '';
    const g = groups.get(key) ?? { name: r.parent?.name ?? '', rows: [] };
    g.rows.push(r);
    groups.set(key, g);
  }
  const totalRows = [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([code, g]) => totalRow(code, g.name, g.rows));
  totalRows.push(totalRow('', t('checkin:export.grand_total'), s.rows));
  return { units: { header: unitHeader, rows: unitRows }, totals: { header: totalHeader, rows: totalRows } };
}

export function toCsvText(tables: ExportTables): string {
  const safe = (rows: Cell[][]) => rows.map((r) => r.map(safeCsvCell));
  // The BOM lets Excel open the file as UTF-8 (Vietnamese letters).
  return `\uFEFF${stringify(safe([tables.units.header, ...tables.units.rows]))}\n${stringify(safe([tables.totals.header, ...tables.totals.rows]))}`;
}

export function writeCsv(file: string, tables: ExportTables): void {
  writeFileSync(file, toCsvText(tables));
}

export async function writeXlsx(file: string, tables: ExportTables, locale = 'vi'): Promise<void> {
  writeFileSync(file, await xlsxBuffer(tables, locale));
}

/** The workbook of `exportTables`: the units sheet and the totals sheet (the CLI's file, the dashboard's download). */
export async function xlsxBuffer(tables: ExportTables, locale = 'vi'): Promise<Buffer> {
  const t = translate(locale);
  // exceljs is large: loaded only when a workbook is written.
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  const sheet = (name: string, header: string[], rows: Cell[][]) => {
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.addRow(header).font = { bold: true };
    // exceljs writes strings as text, never as formulas, so answers need no escaping here.
    for (const r of rows) ws.addRow(r.map((v) => v ?? null));
    ws.columns.forEach((col, i) => {
      const longest = Math.max(...[header, ...rows].map((r) => String(r[i] ?? '').length));
      col.width = Math.min(60, Math.max(10, longest + 2));
      col.alignment = { wrapText: true, vertical: 'top' };
    });
  };
  sheet(t('checkin:export.sheet_units'), tables.units.header, tables.units.rows);
  sheet(t('checkin:export.sheet_totals'), tables.totals.header, tables.totals.rows);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
