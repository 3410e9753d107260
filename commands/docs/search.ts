import { openDocument, searchLibrary } from '../../src/application/docs/index.js';
import type { Keyboard, OutgoingMessage } from '../../src/core/messages.js';
import { BROADCAST_ROLES } from '../../src/domain/broadcasts/scope.js';
import { isSafeUrl } from '../../src/domain/docs/fields.js';
import { docDetail, docListEntry } from '../../src/domain/docs/render.js';
import { searchTerms } from '../../src/domain/docs/search.js';
import type { DocView } from '../../src/domain/docs/store.js';
import { holdsAny } from '../../src/domain/people.js';
import type { LinkedContext } from '../types.js';
import { broadcastDocData, docButtons, quote, refusalText } from './buttons.js';

export const PAGE_SIZE = 5;

/** The query as it travels in a button: folded terms, cut to whole words to fit 64 bytes. */
export function queryForButton(query: string, prefix: string): string {
  let q = searchTerms(query).join(' ');
  while (Buffer.byteLength(prefix + q) > 64) q = q.includes(' ') ? q.slice(0, q.lastIndexOf(' ')) : q.slice(0, -1);
  return q;
}

/** A numbered list of documents with one button per entry and ◀ ▶ when there is more. */
export function resultList(
  ctx: LinkedContext,
  docs: DocView[],
  page: number,
  total: number,
  heading: string,
  pageData?: (page: number) => string,
): { text: string; buttons: Keyboard } {
  const first = page * PAGE_SIZE;
  const lines = [heading, ''];
  docs.forEach((d, i) => lines.push(docListEntry(d, first + i + 1)));
  const buttons: Keyboard = [docs.map((d, i) => ({ text: String(first + i + 1), data: docButtons.pack('v', { id: d.id }) }))];
  const nav = [];
  if (pageData && page > 0) nav.push({ text: ctx.t('docs:list.prev'), data: pageData(page - 1) });
  if (pageData && first + docs.length < total) nav.push({ text: ctx.t('docs:list.next'), data: pageData(page + 1) });
  if (nav.length) buttons.push(nav);
  lines.push('', ctx.t('docs:list.hint'));
  return { text: lines.join('\n'), buttons };
}

async function show(ctx: LinkedContext, msg: OutgoingMessage, edit: boolean): Promise<void> {
  await (edit ? ctx.reply.edit(msg) : ctx.reply.send(msg));
}

/** /tailieu [words]: the newest documents for my units, or the best matches. */
export async function showSearch(ctx: LinkedContext, query: string, page: number, edit: boolean): Promise<void> {
  const { t } = ctx;
  const res = await searchLibrary(ctx.svc, ctx.actor, { text: query, page, pageSize: PAGE_SIZE });
  if (!res.ok) return show(ctx, { text: refusalText(ctx, res.refusal) }, edit);
  const { docs, total } = res.value;
  if (total === 0) return show(ctx, { text: query ? t('docs:search.none', { query: quote(query, 100) }) : t('docs:search.empty') }, edit);
  const range = { from: page * PAGE_SIZE + 1, to: page * PAGE_SIZE + docs.length, total };
  const heading = query ? t('docs:search.results', { query: quote(query, 100), ...range }) : t('docs:search.newest', range);
  const q = queryForButton(query, 'doc:p:9999:');
  await show(
    ctx,
    resultList(ctx, docs, page, total, heading, (p) => docButtons.pack('p', { page: p, query: q })),
    edit,
  );
}

export function detailMessage(ctx: LinkedContext, doc: DocView, saved: boolean): { text: string; buttons: Keyboard } {
  const { t } = ctx;
  // A link stored before hosts were checked is still shown in the text, but not put on a button.
  const urls = doc.urls.filter(isSafeUrl);
  const buttons: Keyboard = urls
    .slice(0, 3)
    .map((url, i) => [{ text: urls.length > 1 ? t('docs:detail.open_n', { n: i + 1 }) : t('docs:detail.open'), url }]);
  buttons.push([
    saved
      ? { text: t('docs:detail.unsave'), data: docButtons.pack('u', { id: doc.id }) }
      : { text: t('docs:detail.save'), data: docButtons.pack('s', { id: doc.id }) },
  ]);
  if (holdsAny(ctx.person, BROADCAST_ROLES)) buttons.push([{ text: t('docs:detail.broadcast'), data: broadcastDocData(doc.id) }]);
  return { text: docDetail(t, doc), buttons };
}

export async function showDocument(ctx: LinkedContext, id: number): Promise<void> {
  const res = await openDocument(ctx.svc, ctx.actor, id);
  if (!res.ok) return ctx.reply.notify(refusalText(ctx, res.refusal));
  await ctx.reply.notify();
  await ctx.reply.send(detailMessage(ctx, res.value.doc, res.value.saved));
}
