import { escapeHtml } from '../../src/core/html.js';
import { numberKey } from '../../src/domain/docs/fields.js';
import { saveForPerson, savedIds, unsaveForPerson } from '../../src/domain/docs/saved.js';
import { searchDocuments } from '../../src/domain/docs/search.js';
import { loadDocument, loadDocuments } from '../../src/domain/docs/store.js';
import { visibleUnitIds } from '../../src/domain/docs/visibility.js';
import type { CommandContext } from '../types.js';
import { canSee, detailMessage, PAGE_SIZE, resultList } from './search.js';

/** /luu lists my saved documents; /luu <số hiệu hoặc từ khóa> saves the one it names. */
export async function luu(ctx: CommandContext, args: string): Promise<void> {
  if (!args) return showSaved(ctx, 0, false);
  const { svc, t } = ctx;
  const res = await searchDocuments(svc.db, { text: args, visibleUnitIds: await visibleUnitIds(svc.db, ctx.person!.id), page: 0, pageSize: PAGE_SIZE });
  const docs = await loadDocuments(svc.db, res.ids);
  const exact = docs.find((d) => d.number && numberKey(d.number) === numberKey(args));
  const pick = exact ?? (res.total === 1 ? docs[0] : undefined);
  if (pick) {
    await saveForPerson(svc.db, ctx.person!.id, pick.id);
    return void (await ctx.reply.send({ text: t('docs:saved.done', { title: escapeHtml(pick.title) }) }));
  }
  if (res.total === 0) return void (await ctx.reply.send({ text: t('docs:search.none', { query: escapeHtml(args) }) }));
  // Several match: let the person open the right one and press "Lưu" there.
  const heading = t('docs:saved.which', { query: escapeHtml(args), total: res.total });
  await ctx.reply.send(resultList(ctx, docs, 0, Math.min(res.total, PAGE_SIZE), heading, () => 'doc:noop'));
}

export async function showSaved(ctx: CommandContext, page: number, edit: boolean): Promise<void> {
  const { svc, t } = ctx;
  const res = await savedIds(svc.db, ctx.person!.id, page, PAGE_SIZE);
  if (res.total === 0) {
    const text = t('docs:saved.empty');
    return void (edit ? await ctx.reply.edit({ text }) : await ctx.reply.send({ text }));
  }
  const docs = await loadDocuments(svc.db, res.ids);
  const heading = t('docs:saved.title', { from: page * PAGE_SIZE + 1, to: page * PAGE_SIZE + docs.length, total: res.total });
  const msg = resultList(ctx, docs, page, res.total, heading, (p) => `doc:sp:${p}`);
  await (edit ? ctx.reply.edit(msg) : ctx.reply.send(msg));
}

/** The ⭐ Lưu / Bỏ lưu buttons of a document's detail. */
export async function toggleSaved(ctx: CommandContext, id: number, save: boolean): Promise<void> {
  const { svc, t } = ctx;
  const doc = await loadDocument(svc.db, id);
  if (!doc || !(await canSee(ctx, doc))) return void (await ctx.reply.notify(t('docs:detail.gone')));
  if (save) await saveForPerson(svc.db, ctx.person!.id, id);
  else await unsaveForPerson(svc.db, ctx.person!.id, id);
  await ctx.reply.notify(t(save ? 'docs:saved.saved_short' : 'docs:saved.removed_short'));
  await ctx.reply.edit(await detailMessage(ctx, doc));
}
