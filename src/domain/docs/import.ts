import type { Db } from '../../db/client.js';
import type { RowError } from '../imports/errors.js';
import type { TableRow } from '../imports/readTable.js';
import { listCategories } from './categories.js';
import {
  numberKey,
  parseCategory,
  parseIssuedOn,
  parseIssuer,
  parseNumber,
  parseSummary,
  parseTags,
  parseTitle,
  parseAudienceCodes,
  parseUrls,
  type Parsed,
} from './fields.js';
import type { DocDraft } from './store.js';

export const DOC_COLUMNS = ['title', 'number', 'issuer', 'issued_on', 'category', 'url', 'summary', 'tags', 'units'] as const;

/** What a row (or `docs add`'s flags) says, by column name; missing columns read as empty. */
export type DocFields = Partial<Record<(typeof DOC_COLUMNS)[number], string>>;

export interface DocContext {
  categories: { id: number; name: string }[];
  units: Map<string, number>;
}

export async function docContext(db: Db): Promise<DocContext> {
  const units = await db.unit.findMany({ select: { id: true, code: true } });
  return { categories: await listCategories(db), units: new Map(units.map((u) => [u.code, u.id])) };
}

/** Validates one document's fields; errors carry `docs:errors.*` keys and the column. */
export function parseDocFields(
  f: DocFields,
  ctx: DocContext,
): { ok: true; doc: DocDraft } | { ok: false; errors: Omit<RowError, 'line'>[] } {
  const errors: Omit<RowError, 'line'>[] = [];
  const take = <T>(column: string, r: Parsed<T>): T | undefined => {
    if (r.ok) return r.value;
    errors.push({ key: r.key, params: { column, ...r.params } });
    return undefined;
  };
  const doc = {
    title: take('title', parseTitle(f.title ?? '')),
    number: take('number', parseNumber(f.number ?? '')),
    issuer: take('issuer', parseIssuer(f.issuer ?? '')),
    issuedOn: take('issued_on', parseIssuedOn(f.issued_on ?? '')),
    categoryId: take('category', parseCategory(f.category ?? '', ctx.categories)),
    urls: take('url', parseUrls(f.url ?? '')),
    summary: take('summary', parseSummary(f.summary ?? '')),
    tags: take('tags', parseTags(f.tags ?? '')),
    unitIds: take('units', parseAudienceCodes(f.units ?? '', ctx.units)),
  };
  if (errors.length) return { ok: false, errors };
  return { ok: true, doc: doc as DocDraft };
}

/** Every row parsed, or every bad row with its line (two rows with one number are an error too). */
export function parseDocRows(
  rows: TableRow[],
  ctx: DocContext,
): { ok: true; docs: { line: number; doc: DocDraft }[] } | { ok: false; errors: RowError[] } {
  const errors: RowError[] = [];
  const docs: { line: number; doc: DocDraft }[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const res = parseDocFields(row.values, ctx);
    if (!res.ok) {
      errors.push(...res.errors.map((e) => ({ ...e, line: row.line })));
      continue;
    }
    const key = numberKey(res.doc.number);
    const first = key ? seen.get(key) : undefined;
    if (first !== undefined) {
      errors.push({ line: row.line, key: 'duplicate_number', params: { value: res.doc.number!, first } });
      continue;
    }
    if (key) seen.set(key, row.line);
    docs.push({ line: row.line, doc: res.doc });
  }
  return errors.length ? { ok: false, errors } : { ok: true, docs };
}
