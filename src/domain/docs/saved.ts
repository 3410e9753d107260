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

/**
 * The person's saved documents, most recently saved first, among those still meant for them:
 * `visibleUnitIds` as for search (null: no restriction). A document whose audience no longer
 * includes the person stays saved but is not listed (it comes back if the audience does).
 */
export async function savedIds(
  db: Db,
  personId: number,
  page: number,
  pageSize: number,
  visibleUnitIds: number[] | null,
): Promise<{ ids: number[]; total: number }> {
  const where = {
    personId,
    ...(visibleUnitIds ? { document: { OR: [{ units: { none: {} } }, { units: { some: { unitId: { in: visibleUnitIds } } } }] } } : {}),
  };
  const [rows, total] = await Promise.all([
    db.savedDocument.findMany({ where, orderBy: { savedAt: 'desc' }, skip: page * pageSize, take: pageSize, select: { documentId: true } }),
    db.savedDocument.count({ where }),
  ]);
  return { ids: rows.map((r) => r.documentId), total };
}
