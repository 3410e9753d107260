import { foldVietnamese } from '../../core/format.js';
import type { Db } from '../../db/client.js';

export interface Category {
  id: number;
  name: string;
}

export async function listCategories(db: Db): Promise<Category[]> {
  return db.docCategory.findMany({ orderBy: [{ sortOrder: 'asc' }, { name: 'asc' }], select: { id: true, name: true } });
}

/** Adds a category unless one with the same name (ignoring case and diacritics) exists. */
export async function addCategory(db: Db, name: string): Promise<{ category: Category; created: boolean }> {
  const clean = name.trim().replace(/\s+/g, ' ');
  const existing = (await listCategories(db)).find((c) => foldVietnamese(c.name) === foldVietnamese(clean));
  if (existing) return { category: existing, created: false };
  // New categories go after the built-in ones but before "Khác".
  const category = await db.docCategory.create({ data: { name: clean, sortOrder: 500 }, select: { id: true, name: true } });
  return { category, created: true };
}
