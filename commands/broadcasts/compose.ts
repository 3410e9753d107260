import { randomUUID } from 'node:crypto';
import { escapeHtml } from '../../src/core/html.js';
import type { Keyboard } from '../../src/core/messages.js';
import type { Role } from '../../src/db/generated/enums.js';
import { audienceUnits, countAudience, type Audience } from '../../src/domain/broadcasts/audience.js';
import { composeBroadcast, senderOf } from '../../src/domain/broadcasts/compose.js';
import { createBroadcast } from '../../src/domain/broadcasts/create.js';
import { broadcastScope } from '../../src/domain/broadcasts/scope.js';
import { parseUnitCodes } from '../../src/domain/docs/fields.js';
import { loadDocument } from '../../src/domain/docs/store.js';
import type { CommandContext } from '../types.js';

/** /thongbao: text (or a library document) → audience → roles → acknowledgement → preview → Gửi. */
export const COMPOSE_FLOW = 'bc.compose';

/** Roles offered as filters, in the order a propaganda department thinks of them. */
export const AUDIENCE_ROLES: Role[] = ['bi_thu', 'pho_bi_thu', 'cap_uy_vien', 'phu_trach', 'bao_cao_vien', 'tuyen_giao', 'van_phong', 'dang_vien'];
export const MAX_TEXT = 12_000;

interface Draft {
  step: 'text' | 'audience' | 'units' | 'subtree' | 'roles' | 'ack' | 'preview';
  /** Makes "Gửi" idempotent. */
  key: string;
  text: string;
  docId: number | null;
  unitIds: number[];
  subtree: boolean;
  roles: Role[];
  ack: boolean;
  remindHours: number | null;
}

function draftOf(ctx: CommandContext): Draft | null {
  return ctx.flow?.name === COMPOSE_FLOW ? (ctx.flow.data as unknown as Draft) : null;
}

async function save(ctx: CommandContext, draft: Draft): Promise<void> {
  await ctx.setFlow(COMPOSE_FLOW, draft as unknown as Record<string, unknown>);
}

function fresh(docId: number | null): Draft {
  return { step: 'text', key: randomUUID(), text: '', docId, unitIds: [], subtree: true, roles: [], ack: false, remindHours: null };
}

/** /thongbao [text] */
export async function startCompose(ctx: CommandContext, args: string): Promise<void> {
  const draft = fresh(null);
  if (args) return acceptText(ctx, draft, args);
  await save(ctx, draft);
  await ctx.reply.send({ text: ctx.t('broadcasts:compose.ask_text') });
}

/** "📢 Gửi thông báo" under a library document. */
export async function startWithDocument(ctx: CommandContext, docId: number): Promise<void> {
  const doc = await loadDocument(ctx.svc.db, docId);
  if (!doc) return void (await ctx.reply.notify(ctx.t('docs:detail.gone')));
  await ctx.reply.notify();
  await save(ctx, fresh(docId));
  await ctx.reply.send({
    text: ctx.t('broadcasts:compose.ask_text_doc', { title: escapeHtml(doc.title) }),
    buttons: [[{ text: ctx.t('broadcasts:compose.no_text'), data: 'bc:notext' }]],
  });
}

export async function onComposeText(ctx: CommandContext, text: string): Promise<void> {
  const draft = draftOf(ctx)!;
  if (draft.step === 'text') return acceptText(ctx, draft, text);
  if (draft.step === 'units') return acceptUnits(ctx, draft, text);
  await ctx.reply.send({ text: ctx.t('broadcasts:compose.use_buttons') });
}

async function acceptText(ctx: CommandContext, draft: Draft, text: string): Promise<void> {
  const clean = text.trim();
  if (!clean && draft.docId === null) return void (await ctx.reply.send({ text: ctx.t('broadcasts:compose.text_empty') }));
  if (clean.length > MAX_TEXT) return void (await ctx.reply.send({ text: ctx.t('broadcasts:compose.text_too_long', { max: MAX_TEXT }) }));
  await askAudience(ctx, { ...draft, text: clean });
}

export async function skipText(ctx: CommandContext): Promise<void> {
  const draft = draftOf(ctx);
  if (!draft || draft.step !== 'text' || draft.docId === null) return stale(ctx);
  await ctx.reply.notify();
  await ctx.reply.edit({ text: ctx.t('broadcasts:compose.no_text_chosen') });
  await askAudience(ctx, draft);
}

async function askAudience(ctx: CommandContext, draft: Draft): Promise<void> {
  const { svc, t } = ctx;
  const scope = await broadcastScope(svc.db, ctx.person!.id);
  const roots = await svc.db.unit.findMany({ where: { id: { in: scope.roots } }, orderBy: { code: 'asc' } });
  await save(ctx, { ...draft, step: 'audience' });
  await ctx.reply.send({
    text: t('broadcasts:compose.ask_audience'),
    buttons: [
      [{ text: t('broadcasts:compose.whole_scope', { units: roots.map((u) => u.code).join(', ') }), data: 'bc:aud:all' }],
      [{ text: t('broadcasts:compose.pick_units'), data: 'bc:aud:pick' }],
    ],
  });
}

export async function chooseAudience(ctx: CommandContext, how: string): Promise<void> {
  const draft = draftOf(ctx);
  if (!draft || draft.step !== 'audience') return stale(ctx);
  const { svc, t } = ctx;
  await ctx.reply.notify();
  const scope = await broadcastScope(svc.db, ctx.person!.id);
  if (how === 'all') {
    await ctx.reply.edit({ text: t('broadcasts:compose.chosen_whole_scope') });
    return askRoles(ctx, { ...draft, unitIds: scope.roots, subtree: true }, false);
  }
  // A few codes to start from: the person's units and those right below them.
  const units = await svc.db.unit.findMany({
    where: { OR: [{ id: { in: scope.roots } }, { parentId: { in: scope.roots } }] },
    orderBy: { code: 'asc' },
    take: 30,
  });
  await save(ctx, { ...draft, step: 'units' });
  await ctx.reply.edit({
    text: [t('broadcasts:compose.ask_units'), '', ...units.map((u) => `• <code>${escapeHtml(u.code)}</code> — ${escapeHtml(u.name)}`)].join('\n'),
  });
}

async function acceptUnits(ctx: CommandContext, draft: Draft, text: string): Promise<void> {
  const { svc, t } = ctx;
  const all = await svc.db.unit.findMany({ select: { id: true, code: true, kind: true } });
  const parsed = parseUnitCodes(text, new Map(all.map((u) => [u.code, u.id])));
  if (!parsed.ok) return void (await ctx.reply.send({ text: t('broadcasts:compose.units_unknown', { codes: escapeHtml(String(parsed.params?.value ?? '')) }) }));
  if (parsed.value.length === 0) return void (await ctx.reply.send({ text: t('broadcasts:compose.units_empty') }));
  const scope = await broadcastScope(svc.db, ctx.person!.id);
  const outside = all.filter((u) => parsed.value.includes(u.id) && !scope.units.has(u.id));
  if (outside.length) {
    return void (await ctx.reply.send({ text: t('broadcasts:compose.units_outside', { codes: escapeHtml(outside.map((u) => u.code).join(', ')) }) }));
  }
  const next = { ...draft, unitIds: parsed.value };
  // Chi bộ have nothing below them: no need to ask about the units under them.
  if (all.filter((u) => parsed.value.includes(u.id)).every((u) => u.kind === 'chi_bo')) return askRoles(ctx, { ...next, subtree: false }, false);
  await save(ctx, { ...next, step: 'subtree' });
  await ctx.reply.send({
    text: t('broadcasts:compose.ask_subtree'),
    buttons: [[{ text: t('broadcasts:compose.only_these'), data: 'bc:sub:0' }], [{ text: t('broadcasts:compose.with_subtree'), data: 'bc:sub:1' }]],
  });
}

export async function chooseSubtree(ctx: CommandContext, subtree: boolean): Promise<void> {
  const draft = draftOf(ctx);
  if (!draft || draft.step !== 'subtree') return stale(ctx);
  await ctx.reply.notify();
  await ctx.reply.edit({ text: ctx.t(subtree ? 'broadcasts:compose.chosen_subtree' : 'broadcasts:compose.chosen_only') });
  await askRoles(ctx, { ...draft, subtree }, false);
}

function rolesKeyboard(ctx: CommandContext, chosen: Role[]): Keyboard {
  const rows: Keyboard = [];
  for (let i = 0; i < AUDIENCE_ROLES.length; i += 2) {
    rows.push(
      AUDIENCE_ROLES.slice(i, i + 2).map((r) => ({ text: `${chosen.includes(r) ? '☑️' : '▫️'} ${ctx.t(`core:roles.${r}`)}`, data: `bc:r:${r}` })),
    );
  }
  rows.push([{ text: ctx.t('broadcasts:compose.everyone'), data: 'bc:r:all' }, { text: ctx.t('broadcasts:compose.continue'), data: 'bc:r:ok' }]);
  return rows;
}

async function askRoles(ctx: CommandContext, draft: Draft, edit: boolean): Promise<void> {
  await save(ctx, { ...draft, step: 'roles' });
  const msg = { text: ctx.t('broadcasts:compose.ask_roles'), buttons: rolesKeyboard(ctx, draft.roles) };
  await (edit ? ctx.reply.edit(msg) : ctx.reply.send(msg));
}

export async function chooseRole(ctx: CommandContext, what: string): Promise<void> {
  const draft = draftOf(ctx);
  if (!draft || draft.step !== 'roles') return stale(ctx);
  await ctx.reply.notify();
  if (what === 'all' || what === 'ok') {
    const roles = what === 'all' ? [] : draft.roles;
    const names = roles.map((r) => ctx.t(`core:roles.${r}`)).join(', ');
    await ctx.reply.edit({ text: roles.length ? ctx.t('broadcasts:compose.chosen_roles', { roles: names }) : ctx.t('broadcasts:compose.chosen_everyone') });
    return askAck(ctx, { ...draft, roles });
  }
  if (!AUDIENCE_ROLES.includes(what as Role)) return;
  const role = what as Role;
  const roles = draft.roles.includes(role) ? draft.roles.filter((r) => r !== role) : [...draft.roles, role];
  await askRoles(ctx, { ...draft, roles }, true);
}

async function askAck(ctx: CommandContext, draft: Draft): Promise<void> {
  const { t } = ctx;
  await save(ctx, { ...draft, step: 'ack' });
  await ctx.reply.send({
    text: t('broadcasts:compose.ask_ack'),
    buttons: [
      [{ text: t('broadcasts:compose.ack_no'), data: 'bc:ask:0' }],
      [{ text: t('broadcasts:compose.ack_yes'), data: 'bc:ask:1' }],
      [
        { text: t('broadcasts:compose.ack_remind', { hours: 4 }), data: 'bc:ask:1:4' },
        { text: t('broadcasts:compose.ack_remind', { hours: 24 }), data: 'bc:ask:1:24' },
      ],
    ],
  });
}

export async function chooseAck(ctx: CommandContext, ack: boolean, hours: number | null): Promise<void> {
  const draft = draftOf(ctx);
  if (!draft || draft.step !== 'ack') return stale(ctx);
  await ctx.reply.notify();
  const next: Draft = { ...draft, ack, remindHours: ack && hours ? hours : null, step: 'preview' };
  await ctx.reply.edit({ text: ackChoice(ctx, next) });
  await save(ctx, next);
  await preview(ctx, next);
}

function ackChoice(ctx: CommandContext, d: Draft): string {
  if (!d.ack) return ctx.t('broadcasts:compose.chosen_ack_no');
  return d.remindHours ? ctx.t('broadcasts:compose.chosen_ack_remind', { hours: d.remindHours }) : ctx.t('broadcasts:compose.chosen_ack_yes');
}

function audienceOf(d: Draft): Audience {
  return { unitIds: d.unitIds, subtree: d.subtree, roles: d.roles };
}

/** Exactly what recipients will get (with an inert button), then the reach and "Gửi". */
async function preview(ctx: CommandContext, d: Draft): Promise<void> {
  const { svc, t } = ctx;
  const doc = d.docId === null ? null : await loadDocument(svc.db, d.docId);
  const parts = composeBroadcast(t, { text: d.text, doc, ack: d.ack, sender: await senderOf(svc.db, ctx.person!.id) }, 'bc:pv');
  await ctx.reply.send({ text: t('broadcasts:compose.preview_intro', { count: parts.length }) });
  for (const p of parts) await ctx.reply.send(p);
  const units = await svc.db.unit.findMany({ where: { id: { in: d.unitIds } }, orderBy: { code: 'asc' } });
  const counts = await countAudience(svc.db, await audienceUnits(svc.db, audienceOf(d)), audienceOf(d));
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
    buttons: [[{ text: t('broadcasts:compose.send'), data: 'bc:send' }, { text: t('broadcasts:compose.cancel'), data: 'bc:cancel' }]],
  });
}

export async function send(ctx: CommandContext): Promise<void> {
  const { svc, t } = ctx;
  const d = draftOf(ctx);
  if (!d || d.step !== 'preview') return stale(ctx);
  // The scope may have changed since the draft began (a role removed): check again.
  const scope = await broadcastScope(svc.db, ctx.person!.id);
  if (d.unitIds.some((id) => !scope.units.has(id))) {
    await ctx.clearFlow();
    return void (await ctx.reply.notify(t('core:error.forbidden_short')));
  }
  await ctx.reply.notify();
  const res = await createBroadcast(svc.db, svc.clock, {
    requestKey: d.key,
    authorId: ctx.person!.id,
    actor: `${ctx.msg.channel}:${ctx.msg.sender.id}`,
    text: d.text,
    documentId: d.docId,
    audience: audienceOf(d),
    ack: d.ack,
    remindAfterHours: d.remindHours,
  });
  await ctx.clearFlow();
  svc.kick();
  await ctx.reply.edit({ text: t('broadcasts:compose.sent', { id: res.id, people: res.people - res.unlinked, groups: res.groups }) });
}

export async function cancel(ctx: CommandContext): Promise<void> {
  if (!draftOf(ctx)) return stale(ctx);
  await ctx.clearFlow();
  await ctx.reply.notify();
  await ctx.reply.edit({ text: ctx.t('broadcasts:compose.cancelled') });
}

async function stale(ctx: CommandContext): Promise<void> {
  await ctx.reply.notify(ctx.t('broadcasts:compose.stale'));
}
