import { foldVietnamese } from '../../core/format.js';
import type { Db } from '../../db/client.js';
import type { Prisma } from '../../db/generated/client.js';
import { numberKey } from './fields.js';

type Tx = Db | Prisma.TransactionClient;

export interface DocInput {
  title: string;
  number: string | null;
  issuer: string | null;
  issuedOn: Date | null;
  categoryId: number;
  urls: string[];
  summary: string | null;
  tags: string[];
  /** Units the document is meant for (with everything below them); empty means everyone. */
  unitIds: number[];
}

export interface DocView {
  id: number;
  title: string;
  number: string | null;
  issuer: string | null;
  issuedOn: Date | null;
  category: string;
  urls: string[];
  summary: string | null;
  tags: string[];
  units: { id: number; code: string; name: string }[];
}

/** Folded text for search, one column per field so a match can be ranked by where it is. */
function searchColumns(doc: DocInput, categoryName: string) {
  const f = (s: string | null) => foldVietnamese(s ?? '').replace(/\s+/g, ' ').trim();
  return {
    searchNumber: numberKey(doc.number) ?? '',
    searchTitle: f(doc.title),
    // The category is searched with the tags: "nghi quyet" finds every Nghị quyết.
    searchTags: f([...doc.tags, categoryName].join(' | ')),
    searchSummary: f(doc.summary),
  };
}

/** The document with this number (or, without a number, this exact title), if any. */
export async function findSame(db: Tx, doc: Pick<DocInput, 'number' | 'title'>): Promise<number | null> {
  const key = numberKey(doc.number);
  const found = key
    ? await db.document.findUnique({ where: { numberKey: key }, select: { id: true } })
    : await db.document.findFirst({ where: { numberKey: null, searchTitle: foldVietnamese(doc.title).replace(/\s+/g, ' ').trim() }, select: { id: true } });
  return found?.id ?? null;
}

/** Creates the document, or updates the one with the same number; returns its id and which. */
export async function saveDocument(tx: Tx, doc: DocInput, createdById: number | null): Promise<{ id: number; created: boolean }> {
  const category = await tx.docCategory.findUniqueOrThrow({ where: { id: doc.categoryId } });
  const data = {
    title: doc.title,
    number: doc.number,
    numberKey: numberKey(doc.number),
    issuer: doc.issuer,
    issuedOn: doc.issuedOn,
    categoryId: doc.categoryId,
    urls: doc.urls,
    summary: doc.summary,
    tags: doc.tags,
    ...searchColumns(doc, category.name),
  };
  const existing = await findSame(tx, doc);
  let id: number;
  if (existing) {
    id = (await tx.document.update({ where: { id: existing }, data })).id;
    await tx.documentUnit.deleteMany({ where: { documentId: id } });
  } else {
    id = (await tx.document.create({ data: { ...data, createdById } })).id;
  }
  if (doc.unitIds.length) await tx.documentUnit.createMany({ data: doc.unitIds.map((unitId) => ({ documentId: id, unitId })) });
  return { id, created: !existing };
}

export async function loadDocument(db: Tx, id: number): Promise<DocView | null> {
  const d = await db.document.findUnique({
    where: { id },
    include: { category: true, units: { include: { unit: true } } },
  });
  if (!d) return null;
  return {
    id: d.id,
    title: d.title,
    number: d.number,
    issuer: d.issuer,
    issuedOn: d.issuedOn,
    category: d.category.name,
    urls: d.urls as string[],
    summary: d.summary,
    tags: d.tags as string[],
    units: d.units.map((u) => ({ id: u.unit.id, code: u.unit.code, name: u.unit.name })).sort((a, b) => a.code.localeCompare(b.code)),
  };
}

export async function loadDocuments(db: Tx, ids: number[]): Promise<DocView[]> {
  const docs = await Promise.all(ids.map((id) => loadDocument(db, id)));
  return docs.filter((d): d is DocView => d !== null);
}
