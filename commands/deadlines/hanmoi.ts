import { DateTime } from 'luxon';
import { z } from 'zod';
import { chooseUnits, create, dlButtons, shortcutUnits, unitsForCreator } from '../../src/application/deadlines/index.js';
import { deadlinesPolicy, rule } from '../../src/application/deadlines/policy.js';
import { escapeHtml } from '../../src/core/html.js';
import type { Role } from '../../src/db/generated/enums.js';
import { checkTitle, DeadlineError, splitDocAndLink } from '../../src/domain/deadlines/input.js';
import { dueText, leftText, linkHtml } from '../../src/domain/deadlines/render.js';
import { DEFAULT_REMIND_DAYS, parseDueText } from '../../src/domain/deadlines/time.js';
import { defineFlow } from '../flows.js';
import type { CommandDef, FlowDef, LinkedContext } from '../types.js';
import { refusalText, remindersText } from './common.js';

export const CREATE_ACCESS: readonly Role[] = deadlinesPolicy.rules.create.who;

const draftSchema = z.object({
  step: z.enum(['title', 'due', 'units', 'extra', 'confirm']),
  title: z.string().optional(),
  dueAt: z.string().optional(),
  unitIds: z.array(z.number().int().positive()).optional(),
  docNumber: z.string().nullable().optional(),
  link: z.string().nullable().optional(),
});
type Draft = z.infer<typeof draftSchema>;

/** The /hanmoi conversation's draft, kept in the chat state. */
export const newDraft = defineFlow('deadlines.new', draftSchema);

const MAX_LISTED = 40;

async function say(ctx: LinkedContext, text: string): Promise<void> {
  await ctx.reply.send({ text });
}

/** A DeadlineError of a pure input check, as its message; other errors go to the router. */
function inputError(ctx: LinkedContext, err: unknown): string {
  if (!(err instanceof DeadlineError)) throw err;
  return refusalText(ctx, { key: `deadlines:errors.${err.key}`, params: err.params });
}

export const hanmoi: CommandDef = {
  name: 'hanmoi',
  access: CREATE_ACCESS,
  policy: rule('create'),
  menu: { ns: 'deadlines' },
  async run(ctx, args) {
    if ((await unitsForCreator(ctx.svc, ctx.actor)).units.length === 0) return say(ctx, ctx.t('deadlines:hanmoi.no_scope'));
    if (args) return onTitle(ctx, { step: 'title' }, args);
    await newDraft.save(ctx, { step: 'title' });
    await say(ctx, ctx.t('deadlines:hanmoi.ask_title'));
  },
};

export const newFlow: FlowDef = {
  name: newDraft.name,
  access: CREATE_ACCESS,
  policy: rule('create'),
  what: 'deadlines:hanmoi.what',
  ownCommands: ['hanmoi'],
  cancelled: 'deadlines:hanmoi.cancelled_flow',
  resume: resumeDraft,
  async onText(ctx, text) {
    const d = newDraft.get(ctx);
    if (!d) {
      // A draft saved in an older shape: start over rather than misread it.
      await newDraft.clear(ctx);
      return say(ctx, ctx.t('deadlines:hanmoi.expired'));
    }
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
        return say(ctx, ctx.t('deadlines:hanmoi.use_buttons'));
    }
  },
};

/** "▶️ Tiếp tục tạo hạn báo cáo": the step the draft is at, asked again. */
async function resumeDraft(ctx: LinkedContext): Promise<void> {
  const d = newDraft.get(ctx);
  const dueAt = d?.dueAt ? DateTime.fromISO(d.dueAt, { setZone: true }) : null;
  if (!d) {
    await newDraft.clear(ctx);
    return say(ctx, ctx.t('deadlines:hanmoi.expired'));
  }
  switch (d.step) {
    case 'title':
      return say(ctx, ctx.t('deadlines:hanmoi.ask_title'));
    case 'due':
      return say(ctx, ctx.t('deadlines:hanmoi.ask_due'));
    case 'units':
      return dueAt?.isValid ? askUnits(ctx, dueAt.setZone(ctx.svc.clock.zone)) : say(ctx, ctx.t('deadlines:hanmoi.expired'));
    case 'extra':
      return askExtra(ctx);
    case 'confirm':
      return preview(ctx, d);
  }
}

async function onTitle(ctx: LinkedContext, d: Draft, text: string): Promise<void> {
  let title: string;
  try {
    title = checkTitle(text);
  } catch (err) {
    await newDraft.save(ctx, d);
    return say(ctx, inputError(ctx, err));
  }
  await newDraft.save(ctx, { ...d, title, step: 'due' });
  await say(ctx, ctx.t('deadlines:hanmoi.ask_due'));
}

async function onDue(ctx: LinkedContext, d: Draft, text: string): Promise<void> {
  const res = parseDueText(text, ctx.svc.clock.now());
  if (!res.ok) return say(ctx, ctx.t(`deadlines:errors.${res.error}`, { value: res.value }));
  if (res.dueAt <= ctx.svc.clock.now()) return say(ctx, ctx.t('deadlines:errors.past_due', { due: dueText(ctx.t, ctx.locale, res.dueAt) }));
  await newDraft.save(ctx, { ...d, step: 'units', dueAt: res.dueAt.toISO()! });
  await askUnits(ctx, res.dueAt);
}

/** Step 3, headed by the due moment as understood, so a misread date shows before anything else. */
async function askUnits(ctx: LinkedContext, dueAt: DateTime): Promise<void> {
  const { units, roots } = await unitsForCreator(ctx.svc, ctx.actor);
  const listed = units.filter((u) => !roots.includes(u.id));
  const lines = listed.slice(0, MAX_LISTED).map((u) => `• <code>${escapeHtml(u.code)}</code> — ${escapeHtml(u.name)}`);
  if (listed.length > MAX_LISTED) lines.push(ctx.t('deadlines:more', { count: listed.length - MAX_LISTED }));
  const chiBo = units.filter((u) => u.kind === 'chi_bo').length;
  const direct = units.filter((u) => u.parentId !== null && roots.includes(u.parentId)).length;
  const buttons = [];
  if (chiBo) buttons.push([{ text: ctx.t('deadlines:buttons.all_chibo', { count: chiBo }), data: dlButtons.pack('nu', { mode: 'cb' }) }]);
  if (direct)
    buttons.push([{ text: ctx.t('deadlines:buttons.direct', { count: direct }), data: dlButtons.pack('nu', { mode: 'direct' }) }]);
  const due = ctx.t('deadlines:hanmoi.due_set', { due: dueText(ctx.t, ctx.locale, dueAt) });
  await ctx.reply.send({ text: `${due}\n${ctx.t('deadlines:hanmoi.ask_units', { list: lines.join('\n') })}`, buttons });
}

async function onUnits(ctx: LinkedContext, d: Draft, text: string): Promise<void> {
  const res = await chooseUnits(ctx.svc, ctx.actor, text.split(/[\s,;]+/));
  if (!res.ok) return say(ctx, refusalText(ctx, res.refusal));
  await unitsChosen(ctx, d, res.value);
}

/** The quick choices of step 3: every chi bộ in scope, or the units right below the person's own. */
export async function onUnitShortcut(ctx: LinkedContext, mode: 'cb' | 'direct'): Promise<void> {
  const d = newDraft.get(ctx);
  if (!d || d.step !== 'units') return ctx.reply.notify(ctx.t('deadlines:hanmoi.expired'));
  const res = await shortcutUnits(ctx.svc, ctx.actor, mode);
  await ctx.reply.notify();
  if (!res.ok) return say(ctx, refusalText(ctx, res.refusal));
  await unitsChosen(ctx, d, res.value);
}

async function unitsChosen(ctx: LinkedContext, d: Draft, unitIds: number[]): Promise<void> {
  await newDraft.save(ctx, { ...d, step: 'extra', unitIds });
  await askExtra(ctx);
}

async function askExtra(ctx: LinkedContext): Promise<void> {
  await ctx.reply.send({
    text: ctx.t('deadlines:hanmoi.ask_extra'),
    buttons: [[{ text: ctx.t('deadlines:buttons.skip'), data: dlButtons.pack('nskip', {}) }]],
  });
}

async function onExtra(ctx: LinkedContext, d: Draft, text: string): Promise<void> {
  let extra: { docNumber: string | null; link: string | null };
  try {
    extra = splitDocAndLink(text);
  } catch (err) {
    return say(ctx, inputError(ctx, err));
  }
  await preview(ctx, { ...d, ...extra });
}

export async function onSkipExtra(ctx: LinkedContext): Promise<void> {
  const d = newDraft.get(ctx);
  if (!d || d.step !== 'extra') return ctx.reply.notify(ctx.t('deadlines:hanmoi.expired'));
  await ctx.reply.notify();
  await preview(ctx, { ...d, docNumber: null, link: null });
}

/** The filled-in draft, or null when a step is missing (then the draft is not usable). */
function complete(d: Draft): { title: string; dueAt: DateTime; unitIds: number[]; docNumber: string | null; link: string | null } | null {
  if (!d.title || !d.dueAt || !d.unitIds?.length) return null;
  const dueAt = DateTime.fromISO(d.dueAt, { setZone: true });
  return dueAt.isValid ? { title: d.title, dueAt, unitIds: d.unitIds, docNumber: d.docNumber ?? null, link: d.link ?? null } : null;
}

async function preview(ctx: LinkedContext, d: Draft): Promise<void> {
  const full = complete(d);
  if (!full) {
    await newDraft.clear(ctx);
    return say(ctx, ctx.t('deadlines:hanmoi.expired'));
  }
  await newDraft.save(ctx, { ...d, step: 'confirm' });
  const { t, svc } = ctx;
  const dueAt = full.dueAt.setZone(svc.clock.zone);
  const units = await svc.db.unit.findMany({ where: { id: { in: full.unitIds } }, orderBy: { code: 'asc' } });
  const names = units.slice(0, MAX_LISTED).map((u) => escapeHtml(u.name));
  if (units.length > MAX_LISTED) names.push(t('deadlines:more', { count: units.length - MAX_LISTED }));
  const lines = [
    t('deadlines:hanmoi.preview'),
    '',
    `<b>${escapeHtml(full.title)}</b>`,
    t('deadlines:notice.due', { due: dueText(t, ctx.locale, dueAt), left: leftText(t, svc.clock.now(), dueAt) }),
    t('deadlines:hanmoi.preview_units', { count: units.length, list: names.join('; ') }),
  ];
  if (full.docNumber) lines.push(t('deadlines:notice.doc', { doc: full.docNumber }));
  if (full.link) lines.push(t('deadlines:notice.link', { link: linkHtml(full.link) }));
  lines.push(remindersText(ctx, dueAt, svc.clock.now(), DEFAULT_REMIND_DAYS), '', t('deadlines:hanmoi.preview_footer'));
  await ctx.reply.send({
    text: lines.join('\n'),
    buttons: [
      [
        { text: t('deadlines:buttons.create'), data: dlButtons.pack('nok', {}) },
        { text: t('deadlines:buttons.cancel'), data: dlButtons.pack('nno', {}) },
      ],
    ],
  });
}

/** The confirmed draft, taken out of the chat state (of two presses only one gets it). */
async function takeConfirmed(ctx: LinkedContext): Promise<Draft | null> {
  const d = newDraft.get(ctx);
  if (!d || d.step !== 'confirm') return null;
  return newDraft.take(ctx);
}

export async function onConfirm(ctx: LinkedContext): Promise<void> {
  const d = await takeConfirmed(ctx);
  const full = d && complete(d);
  if (!full) return ctx.reply.notify(ctx.t('deadlines:hanmoi.expired'));
  // The scope may have changed since the preview: the use case checks it again.
  const res = await create(ctx.svc, ctx.actor, { ...full, dueAt: full.dueAt.setZone(ctx.svc.clock.zone) });
  await ctx.reply.notify();
  if (!res.ok) return void (await ctx.reply.edit({ text: refusalText(ctx, res.refusal) }));
  await ctx.reply.edit({ text: ctx.t('deadlines:hanmoi.created', { id: res.value.id, count: res.value.announced }) });
}

export async function onCancel(ctx: LinkedContext): Promise<void> {
  const d = newDraft.get(ctx);
  if (!d || d.step !== 'confirm' || !(await newDraft.take(ctx))) return ctx.reply.notify(ctx.t('deadlines:hanmoi.expired'));
  await ctx.reply.notify();
  await ctx.reply.edit({ text: ctx.t('deadlines:hanmoi.cancelled') });
}
