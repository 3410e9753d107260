import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  audienceScope,
  checkText,
  chooseUnits,
  MAX_TEXT,
  pickableUnits,
  previewBroadcast,
  sendBroadcast,
  startWithDocument as startWithDoc,
  type BroadcastInput,
} from '../../src/application/broadcasts/send.js';
import { escapeHtml } from '../../src/core/html.js';
import type { Keyboard } from '../../src/core/messages.js';
import { Role } from '../../src/db/generated/enums.js';
import { AUDIENCE_ROLES, broadcastButtons as bc, REMIND_HOURS } from '../../src/domain/broadcasts/buttons.js';
import { defineFlow } from '../flows.js';
import type { LinkedContext } from '../types.js';
import { refusalText, showRefusal } from './common.js';

export { AUDIENCE_ROLES, MAX_TEXT };

/** /thongbao: text (or a library document) → audience → roles → acknowledgement → preview → Gửi. */
export const COMPOSE_FLOW = 'bc.compose';

const draftSchema = z.object({
  step: z.enum(['text', 'audience', 'units', 'subtree', 'roles', 'ack', 'preview']),
  /** Makes "Gửi" idempotent. */
  key: z.string().min(1).max(100),
  text: z.string().max(MAX_TEXT),
  docId: z.number().int().positive().nullable(),
  unitIds: z.array(z.number().int().positive()).max(1000),
  subtree: z.boolean(),
  roles: z.array(z.enum(Role)),
  ack: z.boolean(),
  remindHours: z.number().int().min(REMIND_HOURS.min).max(REMIND_HOURS.max).nullable(),
});
type Draft = z.infer<typeof draftSchema>;

export const composeFlow = defineFlow(COMPOSE_FLOW, draftSchema);

function fresh(docId: number | null): Draft {
  return { step: 'text', key: randomUUID(), text: '', docId, unitIds: [], subtree: true, roles: [], ack: false, remindHours: null };
}

const inputOf = (d: Draft): BroadcastInput => ({
  text: d.text,
  docId: d.docId,
  unitIds: d.unitIds,
  subtree: d.subtree,
  roles: d.roles,
  ack: d.ack,
  remindHours: d.remindHours,
});

/** The draft at this step, or the "already sent or cancelled" popup. */
function draftAt(ctx: LinkedContext, step: Draft['step']): Draft | null {
  const d = composeFlow.get(ctx);
  return d && d.step === step ? d : null;
}

/** /thongbao [text] */
export async function startCompose(ctx: LinkedContext, args: string): Promise<void> {
  const draft = fresh(null);
  if (args) return acceptText(ctx, draft, args);
  await composeFlow.save(ctx, draft);
  await ctx.reply.send({ text: ctx.t('broadcasts:compose.ask_text') });
}

/** "📢 Gửi thông báo" under a library document (bc:doc:<id>). */
export async function startWithDocument(ctx: LinkedContext, docId: number): Promise<void> {
  const res = await startWithDoc(ctx.svc, ctx.actor, docId);
  if (!res.ok) return showRefusal(ctx, res.refusal);
  await ctx.reply.notify();
  await composeFlow.save(ctx, fresh(docId));
  await ctx.reply.send({
    text: ctx.t('broadcasts:compose.ask_text_doc', { title: res.value.title }),
    buttons: [[{ text: ctx.t('broadcasts:compose.no_text'), data: bc.pack('notext', {}) }]],
  });
}

export async function onComposeText(ctx: LinkedContext, text: string): Promise<void> {
  const draft = composeFlow.get(ctx);
  if (!draft) {
    // A draft saved in another shape (an older version): start over.
    await ctx.clearFlow();
    return void (await ctx.reply.send({ text: ctx.t('broadcasts:compose.stale') }));
  }
  if (draft.step === 'text') return acceptText(ctx, draft, text);
  if (draft.step === 'units') return acceptUnits(ctx, draft, text);
  await ctx.reply.send({ text: ctx.t('broadcasts:compose.use_buttons') });
}

async function acceptText(ctx: LinkedContext, draft: Draft, text: string): Promise<void> {
  const res = checkText(text, draft.docId);
  if (!res.ok) return showRefusal(ctx, res.refusal);
  await askAudience(ctx, { ...draft, text: res.value });
}

export async function skipText(ctx: LinkedContext): Promise<void> {
  const draft = draftAt(ctx, 'text');
  if (!draft || draft.docId === null) return stale(ctx);
  await ctx.reply.notify();
  await ctx.reply.edit({ text: ctx.t('broadcasts:compose.no_text_chosen') });
  await askAudience(ctx, draft);
}

async function askAudience(ctx: LinkedContext, draft: Draft): Promise<void> {
  const { t } = ctx;
  const { roots } = await audienceScope(ctx.svc, ctx.actor);
  await composeFlow.save(ctx, { ...draft, step: 'audience' });
  await ctx.reply.send({
    text: t('broadcasts:compose.ask_audience'),
    buttons: [
      [{ text: t('broadcasts:compose.whole_scope', { units: roots.map((u) => u.code).join(', ') }), data: bc.pack('aud', { how: 'all' }) }],
      [{ text: t('broadcasts:compose.pick_units'), data: bc.pack('aud', { how: 'pick' }) }],
    ],
  });
}

export async function chooseAudience(ctx: LinkedContext, how: 'all' | 'pick'): Promise<void> {
  const draft = draftAt(ctx, 'audience');
  if (!draft) return stale(ctx);
  const { t } = ctx;
  await ctx.reply.notify();
  if (how === 'all') {
    const { roots } = await audienceScope(ctx.svc, ctx.actor);
    await ctx.reply.edit({ text: t('broadcasts:compose.chosen_whole_scope') });
    return askRoles(ctx, { ...draft, unitIds: roots.map((u) => u.id), subtree: true }, false);
  }
  // A few codes to start from: the person's units and those right below them.
  const units = await pickableUnits(ctx.svc, ctx.actor);
  await composeFlow.save(ctx, { ...draft, step: 'units' });
  await ctx.reply.edit({
    text: [t('broadcasts:compose.ask_units'), '', ...units.map((u) => `• <code>${escapeHtml(u.code)}</code> — ${escapeHtml(u.name)}`)].join(
      '\n',
    ),
  });
}

async function acceptUnits(ctx: LinkedContext, draft: Draft, text: string): Promise<void> {
  const res = await chooseUnits(ctx.svc, ctx.actor, text);
  if (!res.ok) return void (await ctx.reply.send({ text: refusalText(ctx, res.refusal) }));
  const next = { ...draft, unitIds: res.value.unitIds };
  // Chi bộ have nothing below them: no need to ask about the units under them.
  if (res.value.onlyChiBo) return askRoles(ctx, { ...next, subtree: false }, false);
  await composeFlow.save(ctx, { ...next, step: 'subtree' });
  await ctx.reply.send({
    text: ctx.t('broadcasts:compose.ask_subtree'),
    buttons: [
      [{ text: ctx.t('broadcasts:compose.only_these'), data: bc.pack('sub', { subtree: false }) }],
      [{ text: ctx.t('broadcasts:compose.with_subtree'), data: bc.pack('sub', { subtree: true }) }],
    ],
  });
}

export async function chooseSubtree(ctx: LinkedContext, subtree: boolean): Promise<void> {
  const draft = draftAt(ctx, 'subtree');
  if (!draft) return stale(ctx);
  await ctx.reply.notify();
  await ctx.reply.edit({ text: ctx.t(subtree ? 'broadcasts:compose.chosen_subtree' : 'broadcasts:compose.chosen_only') });
  await askRoles(ctx, { ...draft, subtree }, false);
}

function rolesKeyboard(ctx: LinkedContext, chosen: Role[]): Keyboard {
  const rows: Keyboard = [];
  for (let i = 0; i < AUDIENCE_ROLES.length; i += 2) {
    rows.push(
      AUDIENCE_ROLES.slice(i, i + 2).map((r) => ({
        text: `${chosen.includes(r) ? '☑️' : '▫️'} ${ctx.t(`core:roles.${r}`)}`,
        data: bc.pack('r', { role: r }),
      })),
    );
  }
  rows.push([
    { text: ctx.t('broadcasts:compose.everyone'), data: bc.pack('r', { role: 'all' }) },
    { text: ctx.t('broadcasts:compose.continue'), data: bc.pack('r', { role: 'ok' }) },
  ]);
  return rows;
}

async function askRoles(ctx: LinkedContext, draft: Draft, edit: boolean): Promise<void> {
  await composeFlow.save(ctx, { ...draft, step: 'roles' });
  const msg = { text: ctx.t('broadcasts:compose.ask_roles'), buttons: rolesKeyboard(ctx, draft.roles) };
  await (edit ? ctx.reply.edit(msg) : ctx.reply.send(msg));
}

export async function chooseRole(ctx: LinkedContext, what: (typeof AUDIENCE_ROLES)[number] | 'all' | 'ok'): Promise<void> {
  const draft = draftAt(ctx, 'roles');
  if (!draft) return stale(ctx);
  await ctx.reply.notify();
  if (what === 'all' || what === 'ok') {
    const roles = what === 'all' ? [] : draft.roles;
    const names = roles.map((r) => ctx.t(`core:roles.${r}`)).join(', ');
    await ctx.reply.edit({
      text: roles.length ? ctx.t('broadcasts:compose.chosen_roles', { roles: names }) : ctx.t('broadcasts:compose.chosen_everyone'),
    });
    return askAck(ctx, { ...draft, roles });
  }
  const roles = draft.roles.includes(what) ? draft.roles.filter((r) => r !== what) : [...draft.roles, what];
  await askRoles(ctx, { ...draft, roles }, true);
}

async function askAck(ctx: LinkedContext, draft: Draft): Promise<void> {
  const { t } = ctx;
  await composeFlow.save(ctx, { ...draft, step: 'ack' });
  await ctx.reply.send({
    text: t('broadcasts:compose.ask_ack'),
    buttons: [
      [{ text: t('broadcasts:compose.ack_no'), data: bc.pack('ask', { ack: false, hours: undefined }) }],
      [{ text: t('broadcasts:compose.ack_yes'), data: bc.pack('ask', { ack: true, hours: undefined }) }],
      [4, 24].map((hours) => ({ text: t('broadcasts:compose.ack_remind', { hours }), data: bc.pack('ask', { ack: true, hours }) })),
    ],
  });
}

export async function chooseAck(ctx: LinkedContext, ack: boolean, hours: number | undefined): Promise<void> {
  const draft = draftAt(ctx, 'ack');
  if (!draft) return stale(ctx);
  await ctx.reply.notify();
  const next: Draft = { ...draft, ack, remindHours: ack && hours ? hours : null, step: 'preview' };
  await ctx.reply.edit({ text: ackChoice(ctx, next) });
  await composeFlow.save(ctx, next);
  await preview(ctx, next);
}

function ackChoice(ctx: LinkedContext, d: Draft): string {
  if (!d.ack) return ctx.t('broadcasts:compose.chosen_ack_no');
  return d.remindHours
    ? ctx.t('broadcasts:compose.chosen_ack_remind', { hours: d.remindHours })
    : ctx.t('broadcasts:compose.chosen_ack_yes');
}

/** Exactly what recipients will get (with an inert button), then the reach and "Gửi". */
async function preview(ctx: LinkedContext, d: Draft): Promise<void> {
  const { t } = ctx;
  const res = await previewBroadcast(ctx.svc, ctx.actor, inputOf(d), t);
  if (!res.ok) {
    await composeFlow.clear(ctx);
    return void (await ctx.reply.send({ text: refusalText(ctx, res.refusal) }));
  }
  const { parts, units, counts } = res.value;
  await ctx.reply.send({ text: t('broadcasts:compose.preview_intro', { count: parts.length }) });
  for (const p of parts) await ctx.reply.send(p);
  const lines = [
    t('broadcasts:compose.summary_title'),
    t(d.subtree ? 'broadcasts:compose.summary_units_subtree' : 'broadcasts:compose.summary_units', {
      units: units.map((u) => `${escapeHtml(u.name)} (<code>${escapeHtml(u.code)}</code>)`).join(', '),
    }),
    t('broadcasts:compose.summary_roles', {
      roles: d.roles.length ? d.roles.map((r) => t(`core:roles.${r}`)).join(', ') : t('broadcasts:compose.all_roles'),
    }),
    ackChoice(ctx, d),
    '',
    t('broadcasts:compose.summary_reach', { people: counts.reachable, groups: counts.groups }),
  ];
  if (counts.people > counts.reachable) lines.push(t('broadcasts:compose.summary_unlinked', { count: counts.people - counts.reachable }));
  if (counts.reachable + counts.groups === 0) lines.push('', t('broadcasts:compose.nobody'));
  await ctx.reply.send({
    text: lines.join('\n'),
    buttons: [
      [
        { text: t('broadcasts:compose.send'), data: bc.pack('send', {}) },
        { text: t('broadcasts:compose.cancel'), data: bc.pack('cancel', {}) },
      ],
    ],
  });
}

export async function send(ctx: LinkedContext): Promise<void> {
  const d = draftAt(ctx, 'preview');
  // Of two presses at once only one takes the draft.
  const taken = d ? await composeFlow.take(ctx) : null;
  if (!d || !taken) return stale(ctx);
  const res = await sendBroadcast(ctx.svc, ctx.actor, { ...inputOf(taken), requestKey: taken.key });
  if (!res.ok) return showRefusal(ctx, res.refusal);
  await ctx.reply.notify();
  const { id, people, unlinked, groups } = res.value;
  await ctx.reply.edit({ text: ctx.t('broadcasts:compose.sent', { id, people: people - unlinked, groups }) });
}

export async function cancel(ctx: LinkedContext): Promise<void> {
  if (!composeFlow.get(ctx)) return stale(ctx);
  await composeFlow.clear(ctx);
  await ctx.reply.notify();
  await ctx.reply.edit({ text: ctx.t('broadcasts:compose.cancelled') });
}

async function stale(ctx: LinkedContext): Promise<void> {
  await ctx.reply.notify(ctx.t('broadcasts:compose.stale'));
}
