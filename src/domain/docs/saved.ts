import type { Db } from '../../db/client.js';

/** Saves a document for a person; false when it was saved already. */
export async function saveForPerson(db: Db, personId: number, documentId: number): Promise<boolean> {
  const res = await db.savedDocument.createMany({ data: [{ personId, documentId }], skipDuplicates: true });
  return res.count === 1;
}

export async function unsaveForPerson(db: Db, personId: number, documentId: number): Promise<boolean> {
  const res = await db.savedDocument.deleteMany({ where: { personId, documentId } });
  return res.count === 1;
}

export async function isSaved(db: Db, personId: number, documentId: number): Promise<boolean> {
  return (await db.savedDocument.count({ where: { personId, documentId } })) > 0;
}

/** The person's saved documents, most recently saved first. */
export async function savedIds(db: Db, personId: number, page: number, pageSize: number): Promise<{ ids: number[]; total: number }> {
  const [rows, total] = await Promise.all([
    db.savedDocument.findMany({ where: { personId }, orderBy: { savedAt: 'desc' }, skip: page * pageSize, take: pageSize, select: { documentId: true } }),
    db.savedDocument.count({ where: { personId } }),
  ]);
  return { ids: rows.map((r) => r.documentId), total };
}
