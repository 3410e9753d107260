import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { PersonActor } from '../../application/actor.js';
import { openDocument, parseAudience, planDocument, saveDocument, searchLibrary, type DocDraft } from '../../application/docs/index.js';
import { docsPolicy } from '../../application/docs/policy.js';
import { mayTryRule } from '../../application/policy.js';
import { formatDate } from '../../core/format.js';
import type { Services } from '../../core/services.js';
import { listCategories } from '../../domain/docs/categories.js';
import {
  issuedOnDate,
  parseCategory,
  parseIssuedOn,
  parseIssuer,
  parseNumber,
  parseSummary,
  parseTags,
  parseTitle,
  parseUrls,
  type Parsed,
} from '../../domain/docs/fields.js';
import type { DocView } from '../../domain/docs/store.js';
import { actorOf } from '../plugin.js';
import { page } from '../render.js';
import { fmt } from '../view.js';
import { plain } from './schedule.js';

/** Documents per page of the library. */
export const DOCS_PAGE = 20;
const idParam = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });
const searchQuery = z.object({
  q: z.string().max(200).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
  done: z.enum(['added', 'updated']).optional().catch(undefined),
});
const text = (max: number) => z.string().max(max).optional().default('');
const docForm = z.object({
  title: text(1000),
  number: text(200),
  issuer: text(1000),
  issued_on: text(40),
  category: text(200),
  urls: text(12_000),
  summary: text(6000),
  tags: text(2000),
  units: text(4000),
  /** Set by the preview's "Lưu": the document it said would be updated ('' = a new one). */
  confirm: z.enum(['1']).optional(),
  expect: z
    .string()
    .regex(/^\d{0,10}$/)
    .optional(),
});
type DocValues = Omit<z.infer<typeof docForm>, 'confirm' | 'expect'>;
type Err = { key: string; params?: Record<string, string | number> };

/** Tài liệu: the library (search without diacritics by title or number), adding and editing as /tailieumoi does. */
export async function docsRoutes(web: FastifyInstance, svc: Services): Promise<void> {
  web.get('/docs', async (req, reply) => {
    const actor = actorOf(req);
    const q = searchQuery.parse(req.query ?? {});
    const pageNo = q.page ?? 1;
    const res = await searchLibrary(svc, actor, { text: q.q ?? '', page: pageNo - 1, pageSize: DOCS_PAGE });
    const found = res.ok ? res.value : { docs: [], total: 0 };
    return page(reply, 'docs', {
      actor,
      title: 'docs.title',
      nav: 'docs',
      data: {
        q: q.q ?? '',
        docs: found.docs,
        total: found.total,
        pageNo,
        pages: Math.max(1, Math.ceil(found.total / DOCS_PAGE)),
        canWrite: mayTryRule(docsPolicy.rules.add, actor.person),
        done: q.done,
        date: (d: Date | null) => (d ? formatDate(issuedOnDate(d)) : ''),
        fmt: fmt(actor.person.locale, svc.clock.zone),
      },
    });
  });

  web.get('/docs/new', async (req, reply) => {
    const actor = actorOf(req);
    return form(reply, actor, { values: {} });
  });

  web.get<{ Params: { id: string } }>('/docs/:id/edit', async (req, reply) => {
    const actor = actorOf(req);
    const id = idParam.safeParse(req.params);
    if (!id.success) return message(reply, actor, 'docs:detail.gone', 404);
    const res = await openDocument(svc, actor, id.data.id);
    if (!res.ok) return message(reply, actor, res.refusal.key, 404);
    return form(reply, actor, { values: valuesOf(res.value.doc), editing: res.value.doc });
  });

  web.post('/docs/new', { preValidation: web.csrfProtection }, async (req, reply) => {
    const actor = actorOf(req);
    const f = docForm.safeParse(req.body ?? {});
    if (!f.success) return form(reply, actor, { values: {}, error: { key: 'web:docs.bad_form' }, status: 400 });
    const { confirm, expect, ...values } = f.data;
    const draft = await toDraft(svc, actor, values);
    if (!draft.ok) return form(reply, actor, { values, error: draft.error, field: draft.field, status: 400 });
    const plan = await planDocument(svc.db, actor, draft.value);
    if (!confirm) {
      // The preview: what saving does (a new document, or an update of the one with that number), or why not.
      return form(reply, actor, {
        values,
        plan: {
          updates: plan.existing?.doc ?? null,
          units: plan.units,
          audience: plan.audience,
          refusal: plan.refusal,
        },
        expect: plan.existing?.doc.id ?? null,
      });
    }
    const res = await saveDocument(svc, actor, draft.value, { expect: expect ? Number(expect) : null });
    if (!res.ok) return form(reply, actor, { values, error: res.refusal, status: res.refusal.forbidden ? 403 : 409 });
    const q = new URLSearchParams({ q: res.value.title, done: res.value.created ? 'added' : 'updated' });
    return reply.redirect(`/web/docs?${q}`, 303);
  });

  async function form(
    reply: FastifyReply,
    actor: PersonActor,
    opts: {
      values: Partial<DocValues>;
      editing?: DocView;
      error?: Err;
      field?: string;
      plan?: { updates: DocView | null; units: DocView['units']; audience: unknown; refusal: Err | null };
      expect?: number | null;
      status?: number;
    },
  ) {
    return page(reply, 'docs_form', {
      actor,
      title: opts.editing ? 'docs.edit_title' : 'docs.new_title',
      nav: 'docs',
      status: opts.status ?? 200,
      data: {
        categories: await listCategories(svc.db),
        values: opts.values,
        editing: opts.editing ?? null,
        error: opts.error ?? null,
        field: opts.field ?? null,
        plan: opts.plan ?? null,
        expect: opts.expect ?? null,
        canWrite: mayTryRule(docsPolicy.rules.add, actor.person),
        plain,
      },
    });
  }
}

function message(reply: FastifyReply, actor: PersonActor, key: string, status: number) {
  return page(reply, 'message', { actor, title: 'docs.title', nav: 'docs', status, data: { text: key, again: '/web/docs' } });
}

function valuesOf(doc: DocView): DocValues {
  return {
    title: doc.title,
    number: doc.number ?? '',
    issuer: doc.issuer ?? '',
    issued_on: doc.issuedOn ? formatDate(issuedOnDate(doc.issuedOn)) : '',
    category: doc.category,
    urls: doc.urls.join('\n'),
    summary: doc.summary ?? '',
    tags: doc.tags.join(', '),
    units: doc.units.length ? doc.units.map((u) => u.code).join(', ') : '*',
  };
}

/** The form as the use cases take it, through the parsers /tailieumoi, `docs add` and the import use. */
async function toDraft(
  svc: Services,
  actor: PersonActor,
  v: DocValues,
): Promise<{ ok: true; value: DocDraft } | { ok: false; error: Err; field: string }> {
  const fail = (field: string, r: Parsed<unknown> & { ok: false }) =>
    ({ ok: false, error: { key: `docs:errors.${r.key}`, ...(r.params ? { params: r.params } : {}) }, field }) as const;
  const title = parseTitle(v.title);
  if (!title.ok) return fail('title', title);
  const number = parseNumber(v.number);
  if (!number.ok) return fail('number', number);
  const issuer = parseIssuer(v.issuer);
  if (!issuer.ok) return fail('issuer', issuer);
  const issuedOn = parseIssuedOn(v.issued_on);
  if (!issuedOn.ok) return fail('issued_on', issuedOn);
  const category = parseCategory(v.category, await listCategories(svc.db));
  if (!category.ok) return fail('category', category);
  const urls = parseUrls(v.urls);
  if (!urls.ok) return fail('urls', urls);
  const summary = parseSummary(v.summary);
  if (!summary.ok) return fail('summary', summary);
  const tags = parseTags(v.tags);
  if (!tags.ok) return fail('tags', tags);
  const units = await parseAudience(svc.db, actor, v.units);
  if (!units.ok) return { ok: false, error: units.refusal, field: 'units' };
  return {
    ok: true,
    value: {
      title: title.value,
      number: number.value,
      issuer: issuer.value,
      issuedOn: issuedOn.value,
      categoryId: category.value,
      urls: urls.value,
      summary: summary.value,
      tags: tags.value,
      unitIds: units.value,
    },
  };
}
