import { z } from 'zod';
import { parseAudience, planDocument, saveDocument, type DocDraft } from '../../src/application/docs/index.js';
import { listCategories } from '../../src/domain/docs/categories.js';
import {
  parseCategory,
  parseIssuedOn,
  parseIssuer,
  parseNumber,
  parseSummary,
  parseTags,
  parseTitle,
  parseUrls,
  type Parsed,
} from '../../src/domain/docs/fields.js';
import { docDetail, unitsHtml, VIEW_BUDGET, visibleLength } from '../../src/domain/docs/render.js';
import type { DocView } from '../../src/domain/docs/store.js';
import { defineFlow } from '../flows.js';
import type { LinkedContext } from '../types.js';
import { broadcastDocData, docButtons, quote, refusalText } from './buttons.js';

/** /tailieumoi: a document for the library, one question at a time, then a preview. */
const STEPS = ['title', 'number', 'issuer', 'issued_on', 'category', 'url', 'summary', 'tags', 'units', 'preview'] as const;
type Step = (typeof STEPS)[number];
const OPTIONAL: readonly Step[] = ['number', 'issuer', 'issued_on', 'summary', 'tags', 'units'];

/** The draft as kept in the chat state (JSON): parsed values, the issue date as ISO text. */
const draftSchema = z.object({
  step: z.enum(STEPS),
  title: z.string().optional(),
  number: z.string().nullable().optional(),
  issuer: z.string().nullable().optional(),
  issuedOn: z.string().nullable().optional(),
  categoryId: z.number().int().positive().optional(),
  urls: z.array(z.string()).optional(),
  summary: z.string().nullable().optional(),
  tags: z.array(z.string()).optional(),
  /** Null: no units typed (keep an existing document's audience, or the author's units). */
  unitIds: z.array(z.number().int().positive()).nullable().optional(),
  /** What the preview showed: the document saving updates, or null for a new one. */
  updates: z.number().int().positive().nullable().optional(),
});
type Draft = z.infer<typeof draftSchema>;

export const newDocFlow = defineFlow('doc.new', draftSchema);

export async function startNewDoc(ctx: LinkedContext): Promise<void> {
  await newDocFlow.save(ctx, { step: 'title' });
  await ctx.reply.send({ text: `${ctx.t('docs:new.intro')}\n\n${ctx.t('docs:new.ask.title')}` });
}

async function ask(ctx: LinkedContext, draft: Draft): Promise<void> {
  const { t } = ctx;
  if (draft.step === 'preview') return preview(ctx, draft);
  await newDocFlow.save(ctx, draft);
  const skip = OPTIONAL.includes(draft.step) ? `\n${t('docs:new.skip')}` : '';
  if (draft.step === 'category') {
    const cats = await listCategories(ctx.svc.db);
    const buttons = [];
    for (let i = 0; i < cats.length; i += 2)
      buttons.push(cats.slice(i, i + 2).map((c) => ({ text: c.name, data: docButtons.pack('c', { category: c.id }) })));
    return void (await ctx.reply.send({ text: t('docs:new.ask.category'), buttons }));
  }
  await ctx.reply.send({ text: t(`docs:new.ask.${draft.step}`) + skip });
}

function next(draft: Draft): Draft {
  return { ...draft, step: STEPS[STEPS.indexOf(draft.step) + 1]! };
}

function stale(ctx: LinkedContext): Promise<void> {
  return ctx.reply.notify(ctx.t('docs:new.stale'));
}

/** A field's reason for refusing what was typed, the typed value cut when long (`t` escapes it). */
function reasonText(ctx: LinkedContext, key: string, params: Record<string, string | number> = {}): string {
  return ctx.t(`docs:errors.${key}`, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? quote(v) : v])));
}

/** An answer to the current question: stored and on to the next, or the reason it is refused. */
export async function onNewDocText(ctx: LinkedContext, text: string): Promise<void> {
  const draft = newDocFlow.get(ctx);
  if (!draft) {
    await newDocFlow.clear(ctx);
    return void (await ctx.reply.send({ text: ctx.t('docs:new.stale') }));
  }
  const v = text.trim() === '-' && OPTIONAL.includes(draft.step) ? '' : text;
  const parsed = await parseStep(ctx, draft, v);
  if (!parsed.ok) return void (await ctx.reply.send({ text: ctx.t('docs:new.invalid', { reason: parsed.reason }) }));
  await ask(ctx, next({ ...draft, ...parsed.value }));
}

type StepResult = { ok: true; value: Partial<Draft> } | { ok: false; reason: string };

async function parseStep(ctx: LinkedContext, draft: Draft, v: string): Promise<StepResult> {
  const map = <T>(r: Parsed<T>, f: (x: T) => Partial<Draft>): StepResult =>
    r.ok ? { ok: true, value: f(r.value) } : { ok: false, reason: reasonText(ctx, r.key, r.params) };
  switch (draft.step) {
    case 'title':
      return map(parseTitle(v), (title) => ({ title }));
    case 'number':
      return map(parseNumber(v), (number) => ({ number }));
    case 'issuer':
      return map(parseIssuer(v), (issuer) => ({ issuer }));
    case 'issued_on':
      return map(parseIssuedOn(v), (d) => ({ issuedOn: d ? d.toISOString() : null }));
    case 'category':
      return map(parseCategory(v, await listCategories(ctx.svc.db)), (categoryId) => ({ categoryId }));
    case 'url':
      return map(parseUrls(v), (urls) => ({ urls }));
    case 'summary':
      return map(parseSummary(v), (summary) => ({ summary }));
    case 'tags':
      return map(parseTags(v), (tags) => ({ tags }));
    case 'units': {
      const r = await parseAudience(ctx.svc.db, ctx.actor, v);
      return r.ok ? { ok: true, value: { unitIds: r.value } } : { ok: false, reason: refusalText(ctx, r.refusal) };
    }
    case 'preview':
      return { ok: false, reason: reasonText(ctx, 'use_buttons') };
  }
}

/** The draft as the use case takes it; null when a step is missing (a draft from an older shape). */
function toDocDraft(d: Draft): DocDraft | null {
  if (d.title === undefined || d.categoryId === undefined) return null;
  return {
    title: d.title,
    number: d.number ?? null,
    issuer: d.issuer ?? null,
    issuedOn: d.issuedOn ? new Date(d.issuedOn) : null,
    categoryId: d.categoryId,
    urls: d.urls ?? [],
    summary: d.summary ?? null,
    tags: d.tags ?? [],
    unitIds: d.unitIds ?? null,
  };
}

/**
 * The preview: the document as it will be, the audience old → new when an update changes it, and
 * either what saving does or, when this person may not save it, why and whom to ask (no "Lưu").
 */
async function preview(ctx: LinkedContext, draft: Draft): Promise<void> {
  const { svc, t } = ctx;
  const input = toDocDraft(draft);
  const category = input && (await svc.db.docCategory.findUnique({ where: { id: input.categoryId } }));
  if (!input || !category) {
    await newDocFlow.clear(ctx);
    return void (await ctx.reply.send({ text: t('docs:new.stale') }));
  }
  const plan = await planDocument(svc.db, ctx.actor, input);
  await newDocFlow.save(ctx, { ...draft, step: 'preview', updates: plan.existing?.doc.id ?? null });
  const view: DocView = { id: 0, ...plan.input, category: category.name, units: plan.units };
  const heading = t(plan.refusal ? 'docs:new.preview_blocked' : 'docs:new.preview');
  const notice = plan.refusal
    ? `⛔ ${refusalText(ctx, plan.refusal)}`
    : plan.existing
      ? t('docs:new.will_update', { number: plan.existing.doc.number ?? plan.existing.doc.title })
      : null;
  const audience = plan.audience ? `${unitsHtml(t, plan.audience.before, 300)} → ${unitsHtml(t, plan.audience.after, 300)}` : undefined;
  const budget = VIEW_BUDGET - visibleLength(heading) - (notice ? visibleLength(notice) + 2 : 0) - 2;
  const lines = [heading, '', docDetail(t, view, { budget, ...(audience ? { audience } : {}) })];
  if (notice) lines.push('', notice);
  const cancel = { text: t('docs:new.cancel'), data: docButtons.pack('no', {}) };
  await ctx.reply.send({
    text: lines.join('\n'),
    buttons: [plan.refusal ? [cancel] : [{ text: t('docs:new.save'), data: docButtons.pack('ok', {}) }, cancel]],
  });
}

/** Category chosen with a button. */
export async function chooseCategory(ctx: LinkedContext, categoryId: number): Promise<void> {
  const draft = newDocFlow.get(ctx);
  if (!draft || draft.step !== 'category') return stale(ctx);
  const cat = await ctx.svc.db.docCategory.findUnique({ where: { id: categoryId } });
  if (!cat) return stale(ctx);
  await ctx.reply.notify();
  await ctx.reply.edit({ text: ctx.t('docs:new.category_chosen', { name: cat.name }) });
  await ask(ctx, next({ ...draft, categoryId }));
}

/** "Lưu" or "Hủy" under the preview. Saving decides again, in its transaction, whether this person may. */
export async function confirmNewDoc(ctx: LinkedContext, save: boolean): Promise<void> {
  const { t } = ctx;
  if (newDocFlow.get(ctx)?.step !== 'preview') return stale(ctx);
  const draft = await newDocFlow.take(ctx);
  const input = draft && toDocDraft(draft);
  if (!draft || !input) return stale(ctx);
  await ctx.reply.notify();
  if (!save) return void (await ctx.reply.edit({ text: t('docs:new.cancelled') }));
  const res = await saveDocument(ctx.svc, ctx.actor, input, { expect: draft.updates ?? null });
  if (!res.ok) {
    if (res.refusal.key === 'docs:new.changed') {
      // The library changed since the preview (someone saved the same number): look again.
      await ctx.reply.edit({ text: t('docs:new.changed') });
      return preview(ctx, draft);
    }
    return void (await ctx.reply.edit({ text: refusalText(ctx, res.refusal) }));
  }
  const { id, created, title } = res.value;
  await ctx.reply.edit({
    text: t(created ? 'docs:new.saved' : 'docs:new.updated', { title, id }),
    buttons: [
      [
        { text: t('docs:new.view'), data: docButtons.pack('v', { id }) },
        { text: t('docs:detail.broadcast'), data: broadcastDocData(id) },
      ],
    ],
  });
}
