import { DateTime } from 'luxon';
import { escapeHtml } from '../../src/core/html.js';
import type { Role } from '../../src/db/generated/enums.js';
import { checkTitle, DeadlineError, resolveUnits, splitDocAndLink } from '../../src/domain/deadlines/input.js';
import { dueText, leftText, linkHtml } from '../../src/domain/deadlines/render.js';
import { createDeadline } from '../../src/domain/deadlines/service.js';
import { DEFAULT_REMIND_DAYS, parseDue } from '../../src/domain/deadlines/time.js';
import { unitsInScope } from '../../src/domain/org/tree.js';
import { parseDate } from '../../src/core/format.js';
import type { CommandContext, CommandDef, FlowDef } from '../types.js';
import { actorOf, errorText, remindersText } from './common.js';

export const CREATOR_ROLES: readonly Role[] = ['admin', 'van_phong'];
export const NEW_FLOW = 'deadlines.new';

interface Draft {
  step: 'title' | 'due' | 'units' | 'extra' | 'confirm';
  title?: string;
  dueAt?: string;
  unitIds?: number[];
  docNumber?: string | null;
  link?: string | null;
}

const MAX_LISTED = 40;

async function scope(ctx: CommandContext): Promise<number[]> {
  return unitsInScope(ctx.svc.db, ctx.person!.id, CREATOR_ROLES);
}

function draftOf(ctx: CommandContext): Draft | null {
  return ctx.flow?.name === NEW_FLOW ? (ctx.flow.data as unknown as Draft) : null;
}

async function save(ctx: CommandContext, d: Draft): Promise<void> {
  await ctx.setFlow(NEW_FLOW, d as unknown as Record<string, unknown>);
}

export const hanmoi: CommandDef = {
  name: 'hanmoi',
  access: CREATOR_ROLES,
  menu: { ns: 'deadlines' },
  async run(ctx, args) {
    if ((await scope(ctx)).length === 0) return void (await ctx.reply.send({ text: ctx.t('deadlines:hanmoi.no_scope') }));
    if (args) return onTitle(ctx, { step: 'title' }, args);
    await save(ctx, { step: 'title' });
    await ctx.reply.send({ text: ctx.t('deadlines:hanmoi.ask_title') });
  },
};

export const newFlow: FlowDef = {
  name: NEW_FLOW,
  access: CREATOR_ROLES,
  async onText(ctx, text) {
    const d = draftOf(ctx)!;
    switch (d.step) {
      case 'title':
        return onTitle(ctx, d, text);
      case 'due':
        return onDue(ctx, d, text);
      case 'units':
        return onUnits(ctx, d, text);
      case 'extra':
        return onExtra(ctx, d, text);
      case 'confirm':
        return void (await ctx.reply.send({ text: ctx.t('deadlines:hanmoi.use_buttons') }));
    }
  },
};

async function onTitle(ctx: CommandContext, d: Draft, text: string): Promise<void> {
  try {
    d.title = checkTitle(text);
  } catch (err) {
    await save(ctx, d);
    return void (await ctx.reply.send({ text: errorText(ctx.t, err) }));
  }
  await save(ctx, { ...d, step: 'due' });
  await ctx.reply.send({ text: ctx.t('deadlines:hanmoi.ask_due') });
}

/**
 * "31/12/2026", "31/12/2026 17:00", "31/12/2026 lúc 17h", "17:00 31/12/2026"; "05/01" without a
 * year is the next such day (typed on 30/12, it means January).
 */
function parseDueText(text: string, now: DateTime): { ok: true; dueAt: DateTime } | { ok: false; error: string; value: string } {
  const zone = now.zone.name;
  const words = text.trim().split(/\s+/).filter((w) => !/^(lúc|luc|at|ngày|ngay)$/i.test(w));
  const dateWord = words.find((w) => parseDate(w, zone, now)) ?? words.find((w) => /\d+[/.-]\d+/.test(w)) ?? words[0] ?? '';
  const rest = words.filter((w) => w !== dateWord).join(' ');
  let fullDate = dateWord;
  if (/^\d{1,2}[/.-]\d{1,2}$/.test(dateWord)) {
    const day = parseDate(dateWord, zone, now);
    if (day) fullDate = (day < now.startOf('day') ? day.plus({ years: 1 }) : day).toFormat('dd/MM/yyyy');
  }
  const res = parseDue(fullDate, rest || undefined, zone);
  if (res.ok) return res;
  return { ok: false, error: res.error, value: res.error === 'bad_date' ? dateWord || text.trim() : rest };
}

async function onDue(ctx: CommandContext, d: Draft, text: string): Promise<void> {
  const res = parseDueText(text, ctx.svc.clock.now());
  if (!res.ok) return void (await ctx.reply.send({ text: ctx.t(`deadlines:errors.${res.error}`, { value: escapeHtml(res.value) }) }));
  if (res.dueAt <= ctx.svc.clock.now()) {
    return void (await ctx.reply.send({ text: ctx.t('deadlines:errors.past_due', { due: dueText(ctx.t, ctx.locale, res.dueAt) }) }));
  }
  await save(ctx, { ...d, step: 'units', dueAt: res.dueAt.toISO()! });
  await askUnits(ctx);
}

async function askUnits(ctx: CommandContext): Promise<void> {
  const ids = await scope(ctx);
  const units = await ctx.svc.db.unit.findMany({ where: { id: { in: ids } }, orderBy: { code: 'asc' } });
  const roots = new Set(ctx.person!.roles.filter((r) => CREATOR_ROLES.includes(r.role)).map((r) => r.unitId));
  const listed = units.filter((u) => !roots.has(u.id));
  const lines = listed.slice(0, MAX_LISTED).map((u) => `• <code>${escapeHtml(u.code)}</code> — ${escapeHtml(u.name)}`);
  if (listed.length > MAX_LISTED) lines.push(ctx.t('deadlines:more', { count: listed.length - MAX_LISTED }));
  const chiBo = units.filter((u) => u.kind === 'chi_bo').length;
  const direct = units.filter((u) => u.parentId !== null && roots.has(u.parentId)).length;
  const buttons = [];
  if (chiBo) buttons.push([{ text: ctx.t('deadlines:buttons.all_chibo', { count: chiBo }), data: 'dl:nu:cb' }]);
  if (direct) buttons.push([{ text: ctx.t('deadlines:buttons.direct', { count: direct }), data: 'dl:nu:direct' }]);
  await ctx.reply.send({ text: ctx.t('deadlines:hanmoi.ask_units', { list: lines.join('\n') }), buttons });
}

async function onUnits(ctx: CommandContext, d: Draft, text: string): Promise<void> {
  const allowed = new Set(await scope(ctx));
  try {
    const units = await resolveUnits(ctx.svc.db, text.split(/[\s,;]+/));
    const outside = units.filter((u) => !allowed.has(u.id));
    if (outside.length) throw new DeadlineError('out_of_scope', { code: outside.map((u) => u.code).join(', ') });
    return unitsChosen(ctx, d, units.map((u) => u.id));
  } catch (err) {
    await ctx.reply.send({ text: errorText(ctx.t, err) });
  }
}

/** The quick choices of step 3: every chi bộ in scope, or the units right below the person's own. */
export async function onUnitShortcut(ctx: CommandContext, mode: string): Promise<void> {
  const d = draftOf(ctx);
  if (!d || d.step !== 'units') return ctx.reply.notify(ctx.t('deadlines:hanmoi.expired'));
  const ids = await scope(ctx);
  const roots = ctx.person!.roles.filter((r) => CREATOR_ROLES.includes(r.role)).map((r) => r.unitId);
  const units = await ctx.svc.db.unit.findMany({
    where: { id: { in: ids }, ...(mode === 'cb' ? { kind: 'chi_bo' } : { parentId: { in: roots } }) },
    select: { id: true },
  });
  await ctx.reply.notify();
  if (units.length === 0) return void (await ctx.reply.send({ text: ctx.t('deadlines:errors.no_units') }));
  await unitsChosen(ctx, d, units.map((u) => u.id));
}

async function unitsChosen(ctx: CommandContext, d: Draft, unitIds: number[]): Promise<void> {
  await save(ctx, { ...d, step: 'extra', unitIds });
  await ctx.reply.send({ text: ctx.t('deadlines:hanmoi.ask_extra'), buttons: [[{ text: ctx.t('deadlines:buttons.skip'), data: 'dl:nskip' }]] });
}

async function onExtra(ctx: CommandContext, d: Draft, text: string): Promise<void> {
  try {
    const { docNumber, link } = splitDocAndLink(text);
    await preview(ctx, { ...d, docNumber, link });
  } catch (err) {
    await ctx.reply.send({ text: errorText(ctx.t, err) });
  }
}

export async function onSkipExtra(ctx: CommandContext): Promise<void> {
  const d = draftOf(ctx);
  if (!d || d.step !== 'extra') return ctx.reply.notify(ctx.t('deadlines:hanmoi.expired'));
  await ctx.reply.notify();
  await preview(ctx, { ...d, docNumber: null, link: null });
}

async function preview(ctx: CommandContext, d: Draft): Promise<void> {
  await save(ctx, { ...d, step: 'confirm' });
  const { t, svc } = ctx;
  const dueAt = DateTime.fromISO(d.dueAt!, { zone: svc.clock.zone });
  const units = await svc.db.unit.findMany({ where: { id: { in: d.unitIds! } }, orderBy: { code: 'asc' } });
  const names = units.slice(0, MAX_LISTED).map((u) => escapeHtml(u.name));
  if (units.length > MAX_LISTED) names.push(t('deadlines:more', { count: units.length - MAX_LISTED }));
  const lines = [
    t('deadlines:hanmoi.preview'),
    '',
    `<b>${escapeHtml(d.title!)}</b>`,
    t('deadlines:notice.due', { due: dueText(t, ctx.locale, dueAt), left: leftText(t, svc.clock.now(), dueAt) }),
    t('deadlines:hanmoi.preview_units', { count: units.length, list: names.join('; ') }),
  ];
  if (d.docNumber) lines.push(t('deadlines:notice.doc', { doc: escapeHtml(d.docNumber) }));
  if (d.link) lines.push(t('deadlines:notice.link', { link: linkHtml(d.link) }));
  lines.push(remindersText(ctx, dueAt, svc.clock.now(), DEFAULT_REMIND_DAYS), '', t('deadlines:hanmoi.preview_footer'));
  await ctx.reply.send({
    text: lines.join('\n'),
    buttons: [[{ text: t('deadlines:buttons.create'), data: 'dl:nok' }, { text: t('deadlines:buttons.cancel'), data: 'dl:nno' }]],
  });
}

/** Takes the draft out of the chat state; of two presses only one gets it. */
async function takeDraft(ctx: CommandContext): Promise<Draft | null> {
  const d = draftOf(ctx);
  if (!d || d.step !== 'confirm') return null;
  const del = await ctx.svc.db.chatState.deleteMany({ where: { chatIdentityId: ctx.chat.id, flow: NEW_FLOW } });
  ctx.flow = null;
  return del.count === 1 ? d : null;
}

export async function onConfirm(ctx: CommandContext): Promise<void> {
  const d = await takeDraft(ctx);
  if (!d) return ctx.reply.notify(ctx.t('deadlines:hanmoi.expired'));
  const { svc } = ctx;
  // The scope may have changed since the preview; check again.
  const allowed = new Set(await scope(ctx));
  const outside = await svc.db.unit.findMany({ where: { id: { in: d.unitIds!.filter((id) => !allowed.has(id)) } }, select: { code: true } });
  try {
    if (outside.length) throw new DeadlineError('out_of_scope', { code: outside.map((u) => u.code).join(', ') });
    const dueAt = DateTime.fromISO(d.dueAt!, { zone: svc.clock.zone });
    if (dueAt <= svc.clock.now()) throw new DeadlineError('past_due', { due: dueText(ctx.t, ctx.locale, dueAt) });
    const res = await createDeadline(svc, {
      title: d.title!,
      dueAt,
      unitIds: d.unitIds!,
      docNumber: d.docNumber ?? null,
      link: d.link ?? null,
      createdById: ctx.person!.id,
      actor: actorOf(ctx),
    });
    await ctx.reply.notify();
    await ctx.reply.edit({ text: ctx.t('deadlines:hanmoi.created', { id: res.id, count: res.announced }) });
  } catch (err) {
    await ctx.reply.notify();
    await ctx.reply.edit({ text: errorText(ctx.t, err) });
  }
}

export async function onCancel(ctx: CommandContext): Promise<void> {
  const d = await takeDraft(ctx);
  if (!d) return ctx.reply.notify(ctx.t('deadlines:hanmoi.expired'));
  await ctx.reply.notify();
  await ctx.reply.edit({ text: ctx.t('deadlines:hanmoi.cancelled') });
}
