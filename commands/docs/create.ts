import { escapeHtml } from '../../src/core/html.js';
import { audit } from '../../src/domain/audit.js';
import { broadcastScope } from '../../src/domain/broadcasts/scope.js';
import { listCategories } from '../../src/domain/docs/categories.js';
import {
  parseCategory,
  parseIssuedOn,
  parseIssuer,
  parseNumber,
  parseSummary,
  parseTags,
  parseTitle,
  parseUnitCodes,
  parseUrls,
  type Parsed,
} from '../../src/domain/docs/fields.js';
import { docDetail } from '../../src/domain/docs/render.js';
import { findSame, saveDocument, type DocInput, type DocView } from '../../src/domain/docs/store.js';
import type { CommandContext } from '../types.js';

/** /tailieumoi: a document for the library, one question at a time, then a preview. */
export const NEW_DOC_FLOW = 'doc.new';

const STEPS = ['title', 'number', 'issuer', 'issued_on', 'category', 'url', 'summary', 'tags', 'units', 'preview'] as const;
type Step = (typeof STEPS)[number];
const OPTIONAL: Step[] = ['number', 'issuer', 'issued_on', 'summary', 'tags', 'units'];

/** The draft as kept in the chat state (JSON): parsed values, the issue date as ISO text. */
interface Draft {
  step: Step;
  title?: string;
  number?: string | null;
  issuer?: string | null;
  issuedOn?: string | null;
  categoryId?: number;
  urls?: string[];
  summary?: string | null;
  tags?: string[];
  unitIds?: number[];
}

export async function startNewDoc(ctx: CommandContext): Promise<void> {
  await ctx.setFlow(NEW_DOC_FLOW, { step: 'title' });
  await ctx.reply.send({ text: `${ctx.t('docs:new.intro')}\n\n${ctx.t('docs:new.ask.title')}` });
}

async function ask(ctx: CommandContext, draft: Draft): Promise<void> {
  const { t } = ctx;
  await ctx.setFlow(NEW_DOC_FLOW, draft as unknown as Record<string, unknown>);
  if (draft.step === 'preview') return preview(ctx, draft);
  const skip = OPTIONAL.includes(draft.step) ? `\n${t('docs:new.skip')}` : '';
  if (draft.step === 'category') {
    const cats = await listCategories(ctx.svc.db);
    const buttons = [];
    for (let i = 0; i < cats.length; i += 2) buttons.push(cats.slice(i, i + 2).map((c) => ({ text: c.name, data: `doc:c:${c.id}` })));
    return void (await ctx.reply.send({ text: t('docs:new.ask.category'), buttons }));
  }
  await ctx.reply.send({ text: t(`docs:new.ask.${draft.step}`) + skip });
}

function next(draft: Draft): Draft {
  return { ...draft, step: STEPS[STEPS.indexOf(draft.step) + 1]! };
}

/** An answer to the current question: stored and on to the next, or the reason it is refused. */
export async function onNewDocText(ctx: CommandContext, text: string): Promise<void> {
  const draft = ctx.flow!.data as unknown as Draft;
  const v = text.trim() === '-' && OPTIONAL.includes(draft.step) ? '' : text;
  const parsed = await parseStep(ctx, draft, v);
  if (!parsed.ok) {
    return void (await ctx.reply.send({ text: ctx.t('docs:new.invalid', { reason: ctx.t(`docs:errors.${parsed.key}`, parsed.params ?? {}) }) }));
  }
  await ask(ctx, next({ ...draft, ...parsed.value }));
}

async function parseStep(ctx: CommandContext, draft: Draft, v: string): Promise<Parsed<Partial<Draft>>> {
  const map = <T>(r: Parsed<T>, f: (x: T) => Partial<Draft>): Parsed<Partial<Draft>> => (r.ok ? { ok: true, value: f(r.value) } : r);
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
    case 'units':
      return parseUnits(ctx, v);
    case 'preview':
      return { ok: false, key: 'use_buttons' };
  }
}

/** Units within the author's scope; none typed means the units where they work (their scope's roots). */
async function parseUnits(ctx: CommandContext, v: string): Promise<Parsed<Partial<Draft>>> {
  const scope = await broadcastScope(ctx.svc.db, ctx.person!.id);
  if (!v.trim()) return { ok: true, value: { unitIds: scope.roots } };
  const units = await ctx.svc.db.unit.findMany({ select: { id: true, code: true } });
  const r = parseUnitCodes(v, new Map(units.map((u) => [u.code, u.id])));
  if (!r.ok) return r;
  const outside = r.value.filter((id) => !scope.units.has(id));
  if (outside.length) {
    return { ok: false, key: 'unit_out_of_scope', params: { value: units.filter((u) => outside.includes(u.id)).map((u) => u.code).join(', ') } };
  }
  return { ok: true, value: { unitIds: r.value } };
}

function toInput(d: Draft): DocInput {
  return {
    title: d.title!,
    number: d.number ?? null,
    issuer: d.issuer ?? null,
    issuedOn: d.issuedOn ? new Date(d.issuedOn) : null,
    categoryId: d.categoryId!,
    urls: d.urls ?? [],
    summary: d.summary ?? null,
    tags: d.tags ?? [],
    unitIds: d.unitIds ?? [],
  };
}

async function preview(ctx: CommandContext, draft: Draft): Promise<void> {
  const { svc, t } = ctx;
  const input = toInput(draft);
  const category = await svc.db.docCategory.findUniqueOrThrow({ where: { id: input.categoryId } });
  const units = await svc.db.unit.findMany({ where: { id: { in: input.unitIds } }, select: { id: true, code: true, name: true }, orderBy: { code: 'asc' } });
  const view: DocView = { id: 0, ...input, category: category.name, units };
  const updates = await findSame(svc.db, input);
  const lines = [t('docs:new.preview'), '', docDetail(t, view)];
  if (updates) lines.push('', t('docs:new.will_update', { number: escapeHtml(input.number ?? input.title) }));
  await ctx.reply.send({
    text: lines.join('\n'),
    buttons: [[{ text: t('docs:new.save'), data: 'doc:ok' }, { text: t('docs:new.cancel'), data: 'doc:no' }]],
  });
}

/** Category chosen with a button. */
export async function chooseCategory(ctx: CommandContext, categoryId: number): Promise<void> {
  const draft = ctx.flow?.name === NEW_DOC_FLOW ? (ctx.flow.data as unknown as Draft) : null;
  if (!draft || draft.step !== 'category') return void (await ctx.reply.notify(ctx.t('docs:new.stale')));
  const cat = await ctx.svc.db.docCategory.findUnique({ where: { id: categoryId } });
  if (!cat) return void (await ctx.reply.notify(ctx.t('docs:new.stale')));
  await ctx.reply.notify();
  await ctx.reply.edit({ text: ctx.t('docs:new.category_chosen', { name: escapeHtml(cat.name) }) });
  await ask(ctx, next({ ...draft, categoryId }));
}

/** "Lưu" or "Hủy" under the preview. */
export async function confirmNewDoc(ctx: CommandContext, save: boolean): Promise<void> {
  const { svc, t } = ctx;
  const draft = ctx.flow?.name === NEW_DOC_FLOW ? (ctx.flow.data as unknown as Draft) : null;
  if (!draft || draft.step !== 'preview') return void (await ctx.reply.notify(t('docs:new.stale')));
  await ctx.clearFlow();
  await ctx.reply.notify();
  if (!save) return void (await ctx.reply.edit({ text: t('docs:new.cancelled') }));
  const input = toInput(draft);
  const res = await svc.db.$transaction(async (tx) => {
    const saved = await saveDocument(tx, input, ctx.person!.id);
    await audit(tx, {
      actorId: ctx.person!.id,
      actor: `${ctx.msg.channel}:${ctx.msg.sender.id}`,
      action: saved.created ? 'docs.add' : 'docs.update',
      target: `document:${saved.id}`,
      details: { number: input.number, title: input.title },
    });
    return saved;
  });
  await ctx.reply.edit({
    text: t(res.created ? 'docs:new.saved' : 'docs:new.updated', { title: escapeHtml(input.title), id: res.id }),
    buttons: [[{ text: t('docs:new.view'), data: `doc:v:${res.id}` }, { text: t('docs:detail.broadcast'), data: `bc:doc:${res.id}` }]],
  });
}
