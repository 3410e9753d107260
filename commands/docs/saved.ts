import { listSaved, saveByQuery, setSaved } from '../../src/application/docs/index.js';
import type { LinkedContext } from '../types.js';
import { docButtons, quote, refusalText } from './buttons.js';
import { detailMessage, PAGE_SIZE, resultList } from './search.js';

/** /luu lists my saved documents; /luu <số hiệu hoặc từ khóa> saves the one it names. */
export async function luu(ctx: LinkedContext, args: string): Promise<void> {
  if (!args) return showSaved(ctx, 0, false);
  const { t } = ctx;
  const res = await saveByQuery(ctx.svc, ctx.actor, args, PAGE_SIZE);
  if (!res.ok) return void (await ctx.reply.send({ text: refusalText(ctx, res.refusal) }));
  const r = res.value;
  if (r.kind === 'saved') return void (await ctx.reply.send({ text: t('docs:saved.done', { title: r.doc.title }) }));
  if (r.kind === 'none') return void (await ctx.reply.send({ text: t('docs:search.none', { query: quote(args, 100) }) }));
  // Several match: let the person open the right one and press "Lưu" there.
  const heading = t('docs:saved.which', { query: quote(args, 100), total: r.total });
  await ctx.reply.send(resultList(ctx, r.docs, 0, Math.min(r.total, PAGE_SIZE), heading));
}

export async function showSaved(ctx: LinkedContext, page: number, edit: boolean): Promise<void> {
  const { t } = ctx;
  const res = await listSaved(ctx.svc, ctx.actor, page, PAGE_SIZE);
  const say = (msg: Parameters<typeof ctx.reply.send>[0]) => (edit ? ctx.reply.edit(msg) : ctx.reply.send(msg).then(() => undefined));
  if (!res.ok) return say({ text: refusalText(ctx, res.refusal) });
  const { docs, total } = res.value;
  if (total === 0) return say({ text: t('docs:saved.empty') });
  const heading = t('docs:saved.title', { from: page * PAGE_SIZE + 1, to: page * PAGE_SIZE + docs.length, total });
  await say(resultList(ctx, docs, page, total, heading, (p) => docButtons.pack('sp', { page: p })));
}

/** The ⭐ Lưu / Bỏ lưu buttons of a document's detail. */
export async function toggleSaved(ctx: LinkedContext, id: number, save: boolean): Promise<void> {
  const res = await setSaved(ctx.svc, ctx.actor, id, save);
  if (!res.ok) return ctx.reply.notify(refusalText(ctx, res.refusal));
  await ctx.reply.notify(ctx.t(save ? 'docs:saved.saved_short' : 'docs:saved.removed_short'));
  await ctx.reply.edit(detailMessage(ctx, res.value.doc, res.value.saved));
}
