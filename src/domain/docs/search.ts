import { foldVietnamese } from '../../core/format.js';
import type { Db } from '../../db/client.js';

export interface SearchQuery {
  /** What the person typed; empty lists the newest documents. */
  text: string;
  /** Only documents meant for everyone or for one of these units; null for no restriction (CLI). */
  visibleUnitIds: number[] | null;
  page: number;
  pageSize: number;
}

export interface SearchPage {
  ids: number[];
  total: number;
}

/** "Thông báo, NHANH!" → ["thong", "bao", "nhanh"]; keeps "-", "/" and "." inside numbers like 3080-cv/btgtu. */
export function searchTerms(text: string): string[] {
  return foldVietnamese(text)
    .replace(/[^\p{L}\p{N}/.-]+/gu, ' ')
    .split(' ')
    .map((w) => w.replace(/^[/.-]+|[/.-]+$/g, ''))
    .filter(Boolean)
    .slice(0, 8);
}

/**
 * Documents matching every term in their number, title, tags or summary (folded columns), best
 * first: a number match outranks the title, the title the tags, the tags the summary; the whole
 * phrase in the title (above all at its start) adds more. Without terms, the newest documents.
 */
export async function searchDocuments(db: Db, q: SearchQuery): Promise<SearchPage> {
  const terms = searchTerms(q.text);
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where: string[] = [];
  if (q.visibleUnitIds) {
    const units = p(q.visibleUnitIds);
    where.push(`(NOT EXISTS (SELECT 1 FROM document_units du WHERE du.document_id = d.id)
      OR EXISTS (SELECT 1 FROM document_units du WHERE du.document_id = d.id AND du.unit_id = ANY(${units}::int[])))`);
  }
  const score: string[] = ['0'];
  for (const term of terms) {
    // Whole words: Vietnamese is typed syllable by syllable, and "an" must not match "ban" or "nhan".
    // "-", "/" and "." end a word, so "3080" and "3080-cv" both find "3080-cv/btgtu".
    const word = p(`\\m${term.replace(/[.]/g, '\\.')}\\M`);
    where.push(`(d.search_number ~ ${word} OR d.search_title ~ ${word} OR d.search_tags ~ ${word} OR d.search_summary ~ ${word})`);
    // Weighted by where the term is, and the more places the better.
    score.push(`(CASE WHEN d.search_number ~ ${word} THEN 8 ELSE 0 END + CASE WHEN d.search_title ~ ${word} THEN 4 ELSE 0 END
      + CASE WHEN d.search_tags ~ ${word} THEN 2 ELSE 0 END + CASE WHEN d.search_summary ~ ${word} THEN 1 ELSE 0 END)`);
  }
  if (terms.length) {
    // Numbers are typed whole ("3080-CV/BTGTU") or in part ("3080", "3080-cv").
    const num = p(terms.join(''));
    score.push(`CASE WHEN d.search_number = ${num} THEN 100
      WHEN d.search_number LIKE ${num} || '%' THEN 40 WHEN d.search_number LIKE '%' || ${num} || '%' THEN 20 ELSE 0 END`);
    if (terms.length > 1) {
      const phrase = terms.join(' ');
      const anywhere = p(`%${phrase}%`);
      const start = p(`${phrase}%`);
      score.push(`CASE WHEN d.search_title LIKE ${start} THEN 15 WHEN d.search_title LIKE ${anywhere} THEN 10
        WHEN d.search_tags LIKE ${anywhere} THEN 5 ELSE 0 END`);
    }
  }
  const limit = p(q.pageSize);
  const offset = p(q.page * q.pageSize);
  const rows = await db.$queryRawUnsafe<{ id: number; total: bigint }[]>(
    `SELECT d.id, count(*) OVER () AS total, ${score.join(' + ')} AS score
     FROM documents d
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY score DESC, d.issued_on DESC NULLS LAST, d.created_at DESC, d.id DESC
     LIMIT ${limit} OFFSET ${offset}`,
    ...params,
  );
  if (rows.length === 0 && q.page > 0) {
    // The page ran past the end (documents removed meanwhile): report the total anyway.
    const again = await searchDocuments(db, { ...q, page: 0, pageSize: 1 });
    return { ids: [], total: again.total };
  }
  return { ids: rows.map((r) => Number(r.id)), total: rows.length ? Number(rows[0]!.total) : 0 };
}
