import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { PersonActor } from '../application/actor.js';
import { broadcastsPolicy } from '../application/broadcasts/policy.js';
import {
  audienceTree,
  MAX_TEXT,
  previewBroadcast,
  sendBroadcast,
  startWithDocument,
  type BroadcastInput,
  type TreeUnit,
} from '../application/broadcasts/send.js';
import { broadcastAcknowledgements, listBroadcasts } from '../application/broadcasts/stats.js';
import { searchLibrary } from '../application/docs/index.js';
import { mayTryRule } from '../application/policy.js';
import { htmlToPlain } from '../core/html.js';
import type { Services } from '../core/services.js';
import type { Role } from '../db/generated/enums.js';
import { AUDIENCE_ROLES, REMIND_HOURS } from '../domain/broadcasts/buttons.js';
import { broadcastTitle } from '../domain/broadcasts/compose.js';
import { plainT, t as htmlT } from '../i18n.js';
import { message, refusalText } from './checkinPages.js';
import { actorOf } from './plugin.js';
import { page } from './render.js';
import { fmt } from './view.js';

const MAX_ID = 2_147_483_647;
const idParam = z.object({ id: z.coerce.number().int().positive().max(MAX_ID) });
/** Library documents offered to attach (the newest the person sees). */
const DOC_CHOICES = 50;
/** "Đã nhận" choices: not asked, asked, asked with one follow-up after 4 or 24 hours (as in chat). */
const ACK_CHOICES = ['no', 'yes', '4', '24'] as const;

/** A field given once, many times (an array) or not at all. */
const asArray = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const composeForm = z.object({
  key: z.string().uuid(),
  text: z
    .string()
    .max(MAX_TEXT + 1000)
    .default(''),
  doc: z.union([z.literal(''), z.coerce.number().int().positive().max(MAX_ID)]).default(''),
  unit: z.preprocess(asArray, z.array(z.coerce.number().int().positive().max(MAX_ID)).max(2000)),
  subtree: z.literal('1').optional(),
  role: z.preprocess(asArray, z.array(z.enum(AUDIENCE_ROLES)).max(AUDIENCE_ROLES.length)),
  ack: z.enum(ACK_CHOICES).default('no'),
});
type ComposeForm = z.infer<typeof composeForm>;

function inputOf(f: ComposeForm): BroadcastInput {
  const hours = f.ack === '4' || f.ack === '24' ? Number(f.ack) : null;
  return {
    text: f.text,
    docId: f.doc === '' ? null : f.doc,
    unitIds: [...new Set(f.unit)],
    subtree: f.subtree === '1',
    roles: f.role as Role[],
    ack: f.ack !== 'no',
    remindHours: hours !== null && hours >= REMIND_HOURS.min && hours <= REMIND_HOURS.max ? hours : null,
  };
}

export interface TreeNode {
  unit: TreeUnit;
  children: TreeNode[];
}

/** The units in scope as a tree: a unit whose parent is not in scope is a root. */
function treeOf(units: TreeUnit[]): TreeNode[] {
  const nodes = new Map(units.map((u) => [u.id, { unit: u, children: [] as TreeNode[] }]));
  const roots: TreeNode[] = [];
  for (const n of nodes.values()) {
    const parent = n.unit.parentId === null ? undefined : nodes.get(n.unit.parentId);
    (parent ? parent.children : roots).push(n);
  }
  return roots;
}

/** "Thông báo nhanh": the broadcasts the person follows with who has acknowledged per unit, and composing one. */
export async function broadcastRoutes(web: FastifyInstance, svc: Services): Promise<void> {
  const f = (actor: PersonActor) => fmt(actor.person.locale, svc.clock.zone);

  web.get('/broadcasts', async (req, reply) => {
    const actor = actorOf(req);
    const res = await listBroadcasts(svc, actor);
    return page(reply, 'broadcasts', {
      actor,
      title: 'broadcasts.title',
      nav: 'broadcasts',
      data: {
        fmt: f(actor),
        list: res.ok ? res.value : [],
        // Only whether to offer the button; sending itself is decided by the use case.
        mayCompose: mayTryRule(broadcastsPolicy.rules.compose, actor.person),
        titleOf: (text: string, doc: string | null) => broadcastTitle(text, doc, 120),
      },
    });
  });

  async function showCompose(reply: FastifyReply, actor: PersonActor, values: ComposeForm, error: string | null, status = 200) {
    const tree = await audienceTree(svc, actor);
    if (!tree.ok) return message(reply, actor, 403, refusalText(actor.person.locale, tree.refusal), 'broadcasts');
    const docs = await searchLibrary(svc, actor, { text: '', page: 0, pageSize: DOC_CHOICES });
    const offered = docs.ok ? docs.value.docs.map((d) => ({ id: d.id, title: d.title, number: d.number })) : [];
    if (values.doc !== '' && !offered.some((d) => d.id === values.doc)) {
      // A document chosen from the library page (?doc=): only one the person may see.
      const doc = await startWithDocument(svc, actor, values.doc);
      if (doc.ok) offered.unshift({ id: doc.value.id, title: doc.value.title, number: doc.value.number });
      else {
        error ??= refusalText(actor.person.locale, doc.refusal);
        values = { ...values, doc: '' };
      }
    }
    return page(reply, 'broadcast-new', {
      actor,
      title: 'broadcasts.new_title',
      nav: 'broadcasts',
      status,
      data: {
        tree: treeOf(tree.value),
        docs: offered,
        roles: AUDIENCE_ROLES,
        acks: ACK_CHOICES,
        values: { ...values, unit: new Set(values.unit), role: new Set(values.role) },
        error,
        maxText: MAX_TEXT,
      },
    });
  }

  web.get('/broadcasts/new', async (req, reply) => {
    const doc = z.object({ doc: z.coerce.number().int().positive().max(MAX_ID).optional().catch(undefined) }).parse(req.query ?? {}).doc;
    return showCompose(
      reply,
      actorOf(req),
      { key: randomUUID(), text: '', doc: doc ?? '', unit: [], subtree: '1', role: [], ack: 'no' },
      null,
    );
  });

  /** The form's fields, or the compose page again with a polite message. */
  function parsed(body: unknown): ComposeForm | null {
    const res = composeForm.safeParse(body ?? {});
    return res.success ? res.data : null;
  }

  // The preview's "Sửa" brings the form back with what was chosen.
  web.post('/broadcasts/edit', { preValidation: web.csrfProtection }, async (req, reply) => {
    const actor = actorOf(req);
    const form = parsed(req.body);
    if (!form) return reply.redirect('/web/broadcasts/new', 303);
    return showCompose(reply, actor, form, null);
  });

  web.post('/broadcasts/preview', { preValidation: web.csrfProtection }, async (req, reply) => {
    const actor = actorOf(req);
    const locale = actor.person.locale;
    const t = plainT(locale);
    const form = parsed(req.body);
    if (!form) {
      const key = randomUUID();
      return showCompose(
        reply,
        actor,
        { key, text: '', doc: '', unit: [], subtree: '1', role: [], ack: 'no' },
        t('web:broadcasts.bad_form'),
        400,
      );
    }
    const input = inputOf(form);
    const res = await previewBroadcast(svc, actor, input, htmlT(locale));
    if (!res.ok) return showCompose(reply, actor, form, refusalText(locale, res.refusal), res.refusal.forbidden ? 403 : 400);
    const { parts, units, counts } = res.value;
    return page(reply, 'broadcast-preview', {
      actor,
      title: 'broadcasts.preview_title',
      nav: 'broadcasts',
      data: {
        parts: parts.map((p) => htmlToPlain(p.text)),
        units,
        counts,
        input,
        form: { ...form, text: form.text },
        roleNames: input.roles.map((r) => t(`core:roles.${r}`)),
      },
    });
  });

  web.post('/broadcasts/send', { preValidation: web.csrfProtection }, async (req, reply) => {
    const actor = actorOf(req);
    const locale = actor.person.locale;
    const form = parsed(req.body);
    if (!form) return reply.redirect('/web/broadcasts/new', 303);
    // The form's key makes "Gửi" idempotent: a second press (or a reload) sends nothing more.
    const res = await sendBroadcast(svc, actor, { ...inputOf(form), requestKey: `web:${form.key}` });
    if (!res.ok) return showCompose(reply, actor, form, refusalText(locale, res.refusal), res.refusal.forbidden ? 403 : 400);
    return reply.redirect(`/web/broadcasts/${res.value.id}?sent=1`, 303);
  });

  web.get<{ Params: { id: string } }>('/broadcasts/:id', async (req, reply) => {
    const actor = actorOf(req);
    const locale = actor.person.locale;
    const id = idParam.safeParse(req.params);
    if (!id.success) return message(reply, actor, 404, plainT(locale)('web:broadcasts.not_found'), 'broadcasts');
    const res = await broadcastAcknowledgements(svc, actor, id.data.id);
    if (!res.ok) return message(reply, actor, 404, refusalText(locale, res.refusal), 'broadcasts');
    const sent = z.object({ sent: z.literal('1').optional().catch(undefined) }).parse(req.query ?? {}).sent;
    const t = plainT(locale);
    const d = res.value;
    return page(reply, 'broadcast', {
      actor,
      title: 'broadcasts.detail_title',
      nav: 'broadcasts',
      data: {
        fmt: f(actor),
        d,
        sent: sent === '1',
        roles: d.audience.roles.length ? d.audience.roles.map((r) => t(`core:roles.${r}`)).join(', ') : t('web:broadcasts.everyone'),
      },
    });
  });
}
