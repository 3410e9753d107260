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

/** A document as typed: the audience may be left open. */
export interface DocDraft extends Omit<DocInput, 'unitIds'> {
  /** Units it is meant for ([] everyone); null keeps an existing document's audience, or is the author's default for a new one. */
  unitIds: number[] | null;
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
  const f = (s: string | null) =>
    foldVietnamese(s ?? '')
      .replace(/\s+/g, ' ')
      .trim();
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
    : await db.document.findFirst({
        where: { numberKey: null, searchTitle: foldVietnamese(doc.title).replace(/\s+/g, ' ').trim() },
        select: { id: true },
      });
  return found?.id ?? null;
}

function documentData(doc: DocInput, categoryName: string) {
  return {
    title: doc.title,
    number: doc.number,
    numberKey: numberKey(doc.number),
    issuer: doc.issuer,
    issuedOn: doc.issuedOn,
    categoryId: doc.categoryId,
    urls: doc.urls,
    summary: doc.summary,
    tags: doc.tags,
    ...searchColumns(doc, categoryName),
  };
}

/**
 * A new document. Whether the author may add it, and that no document has the same number, is the
 * caller's to check (`src/application/docs`); the unique number key refuses a duplicate anyway.
 */
export async function createDocument(tx: Tx, doc: DocInput, createdById: number | null): Promise<number> {
  const category = await tx.docCategory.findUniqueOrThrow({ where: { id: doc.categoryId } });
  const id = (await tx.document.create({ data: { ...documentData(doc, category.name), createdById } })).id;
  if (doc.unitIds.length) await tx.documentUnit.createMany({ data: doc.unitIds.map((unitId) => ({ documentId: id, unitId })) });
  return id;
}

/** Replaces an existing document's fields and audience (the caller decided that this actor may). */
export async function updateDocument(tx: Tx, id: number, doc: DocInput): Promise<void> {
  const category = await tx.docCategory.findUniqueOrThrow({ where: { id: doc.categoryId } });
  await tx.document.update({ where: { id }, data: documentData(doc, category.name) });
  await tx.documentUnit.deleteMany({ where: { documentId: id } });
  if (doc.unitIds.length) await tx.documentUnit.createMany({ data: doc.unitIds.map((unitId) => ({ documentId: id, unitId })) });
}

/** Who added a document (null: imported by the operator, or the person was removed). */
export async function documentCreator(db: Tx, id: number): Promise<number | null> {
  return (await db.document.findUnique({ where: { id }, select: { createdById: true } }))?.createdById ?? null;
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
