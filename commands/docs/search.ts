import { escapeHtml } from '../../src/core/html.js';
import type { Keyboard } from '../../src/core/messages.js';
import { holdsAny } from '../../src/domain/people.js';
import { BROADCAST_ROLES } from '../../src/domain/broadcasts/scope.js';
import { docDetail, docListEntry } from '../../src/domain/docs/render.js';
import { isSaved } from '../../src/domain/docs/saved.js';
import { searchDocuments, searchTerms } from '../../src/domain/docs/search.js';
import { loadDocument, loadDocuments, type DocView } from '../../src/domain/docs/store.js';
import { visibleUnitIds } from '../../src/domain/docs/visibility.js';
import type { CommandContext } from '../types.js';

export const PAGE_SIZE = 5;

/** The query as it travels in a button: folded terms, cut to whole words to fit 64 bytes. */
export function queryForButton(query: string, prefix: string): string {
  let q = searchTerms(query).join(' ');
  while (Buffer.byteLength(prefix + q) > 64) q = q.includes(' ') ? q.slice(0, q.lastIndexOf(' ')) : q.slice(0, -1);
  return q;
}

/** A numbered list of documents with one button per entry and ◀ ▶ when there is more. */
export function resultList(
  ctx: CommandContext,
  docs: DocView[],
  page: number,
  total: number,
  heading: string,
  pageData: (page: number) => string,
): { text: string; buttons: Keyboard } {
  const first = page * PAGE_SIZE;
  const lines = [heading, ''];
  docs.forEach((d, i) => lines.push(docListEntry(d, first + i + 1)));
  const buttons: Keyboard = [docs.map((d, i) => ({ text: String(first + i + 1), data: `doc:v:${d.id}` }))];
  const nav = [];
  if (page > 0) nav.push({ text: ctx.t('docs:list.prev'), data: pageData(page - 1) });
  if (first + docs.length < total) nav.push({ text: ctx.t('docs:list.next'), data: pageData(page + 1) });
  if (nav.length) buttons.push(nav);
  lines.push('', ctx.t('docs:list.hint'));
  return { text: lines.join('\n'), buttons };
}

/** /tailieu [words]: the newest documents for my units, or the best matches. */
export async function showSearch(ctx: CommandContext, query: string, page: number, edit: boolean): Promise<void> {
  const { svc, t } = ctx;
  const visible = await visibleUnitIds(svc.db, ctx.person!.id);
  const res = await searchDocuments(svc.db, { text: query, visibleUnitIds: visible, page, pageSize: PAGE_SIZE });
  if (res.total === 0) {
    const text = query ? t('docs:search.none', { query: escapeHtml(query) }) : t('docs:search.empty');
    return void (edit ? await ctx.reply.edit({ text }) : await ctx.reply.send({ text }));
  }
  const docs = await loadDocuments(svc.db, res.ids);
  const range = { from: page * PAGE_SIZE + 1, to: page * PAGE_SIZE + docs.length, total: res.total };
  const heading = query ? t('docs:search.results', { query: escapeHtml(query), ...range }) : t('docs:search.newest', range);
  const q = queryForButton(query, 'doc:p:9999:');
  const msg = resultList(ctx, docs, page, res.total, heading, (p) => `doc:p:${p}:${q}`);
  await (edit ? ctx.reply.edit(msg) : ctx.reply.send(msg));
}

/** May this person see the document? (meant for everyone, or for a unit they see) */
export async function canSee(ctx: CommandContext, doc: DocView): Promise<boolean> {
  if (doc.units.length === 0) return true;
  const visible = new Set(await visibleUnitIds(ctx.svc.db, ctx.person!.id));
  return doc.units.some((u) => visible.has(u.id));
}

export async function detailMessage(ctx: CommandContext, doc: DocView): Promise<{ text: string; buttons: Keyboard }> {
  const { t } = ctx;
  const saved = await isSaved(ctx.svc.db, ctx.person!.id, doc.id);
  const buttons: Keyboard = doc.urls.slice(0, 3).map((url, i) => [{ text: doc.urls.length > 1 ? t('docs:detail.open_n', { n: i + 1 }) : t('docs:detail.open'), url }]);
  buttons.push([saved ? { text: t('docs:detail.unsave'), data: `doc:u:${doc.id}` } : { text: t('docs:detail.save'), data: `doc:s:${doc.id}` }]);
  if (holdsAny(ctx.person!, BROADCAST_ROLES)) buttons.push([{ text: t('docs:detail.broadcast'), data: `bc:doc:${doc.id}` }]);
  return { text: docDetail(t, doc), buttons };
}

export async function showDocument(ctx: CommandContext, id: number): Promise<void> {
  const doc = await loadDocument(ctx.svc.db, id);
  if (!doc || !(await canSee(ctx, doc))) return void (await ctx.reply.notify(ctx.t('docs:detail.gone')));
  await ctx.reply.notify();
  await ctx.reply.send(await detailMessage(ctx, doc));
}
