import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Services } from '../../core/services.js';
import { audit } from '../../domain/audit.js';
import { applyOpsIn } from '../../domain/schedule/changes.js';
import { checkDay, checkText, checkTime, isInputError, parseTimeRange, withTime, type InputError } from '../../domain/schedule/input.js';
import { snapshot, type Item, type ItemFields } from '../../domain/schedule/model.js';
import { auditActor, personIdOf, type Actor } from '../actor.js';
import { deny, inScope, mayTry, scopeOf } from '../policy.js';
import { ok, refused, type Result } from '../result.js';
import { namesOf, resolveWithin } from './participants.js';
import { schedulePolicy } from './policy.js';

type Svc = Pick<Services, 'db' | 'clock' | 'config'>;

export const ADD_STEPS = ['date', 'time', 'content', 'place', 'chair', 'participants', 'preview'] as const;
export type AddStep = (typeof ADD_STEPS)[number];

/** A /themlich entry in progress (kept in the chat's flow state). */
export const addDraftSchema = z.object({
  unitId: z.number().int().positive(),
  step: z.enum(ADD_STEPS),
  date: z.string().optional(),
  time: z.string().optional(),
  content: z.string().optional(),
  place: z.string().optional(),
  chair: z.string().optional(),
  participants: z.string().optional(),
});
export type AddDraft = z.infer<typeof addDraftSchema>;

const NEXT: Record<AddStep, AddStep> = {
  date: 'time',
  time: 'content',
  content: 'place',
  place: 'chair',
  chair: 'participants',
  participants: 'preview',
  preview: 'preview',
};

const inputRefusal = (e: InputError) => refused(`schedule:input.${e.error}`, e.params);

/** schedule.create: the units whose schedule the actor may add to (role held directly). */
export async function addableUnits(svc: Svc, actor: Actor): Promise<Result<{ id: number; name: string }[]>> {
  const rule = schedulePolicy.rules.create;
  const scope = await scopeOf(svc.db, actor, rule);
  const units = await svc.db.unit.findMany({
    where: scope.all ? {} : { id: { in: [...scope.ids] } },
    select: { id: true, name: true },
    orderBy: { id: 'asc' },
  });
  if (units.length === 0) return refused('schedule:add.no_unit');
  return ok(units);
}

/** The create rule for one unit: refused (and audited) when the actor does not keep its schedule. */
async function mayCreate(svc: Svc, actor: Actor, unitId: number): Promise<Result<{ id: number; name: string }>> {
  const rule = schedulePolicy.rules.create;
  const unit = await svc.db.unit.findUnique({ where: { id: unitId }, select: { id: true, name: true } });
  const allowed =
    unit && (actor.kind === 'operator' || mayTry(rule.who, actor.person)) && inScope(await scopeOf(svc.db, actor, rule), unitId);
  if (!allowed) return deny(svc.db, actor, 'schedule.create', `unit:${unitId}`, 'schedule:edit.forbidden');
  return ok(unit);
}

/** Starts an entry for a unit. */
export async function startAdd(svc: Svc, actor: Actor, unitId: number): Promise<Result<{ draft: AddDraft; unitName: string }>> {
  const unit = await mayCreate(svc, actor, unitId);
  if (!unit.ok) return unit;
  return ok({ draft: { unitId, step: 'date' }, unitName: unit.value.name });
}

/**
 * Takes the answer to the draft's current step: validated (a day from today on, a time range, text
 * within limits, participants within the actor's reach) and the draft moved to the next step.
 * Nothing is kept when the answer is refused.
 */
export async function answerStep(svc: Svc, actor: Actor, draft: AddDraft, value: string): Promise<Result<AddDraft>> {
  const unit = await mayCreate(svc, actor, draft.unitId);
  if (!unit.ok) return unit;
  const d: AddDraft = { ...draft };
  switch (d.step) {
    case 'date': {
      const day = checkDay(value, svc.config.APP_TIMEZONE, svc.clock.now());
      if (isInputError(day)) return inputRefusal(day);
      d.date = day.toISODate()!;
      break;
    }
    case 'time': {
      const r = checkTime(value);
      if (isInputError(r)) return inputRefusal(r);
      d.time = value.trim();
      break;
    }
    case 'content':
    case 'place':
    case 'chair':
    case 'participants': {
      const v = checkText(d.step, value);
      if (isInputError(v)) return inputRefusal(v);
      d[d.step] = v;
      if (d.step === 'chair' || d.step === 'participants') {
        const res = await resolveWithin(svc.db, actor, [d.chair ?? '', d.participants ?? ''], `unit:${d.unitId}`);
        if (!res.ok) return res;
      }
      break;
    }
    case 'preview':
      return ok(d);
  }
  d.step = NEXT[d.step];
  return ok(d);
}

/** The item the draft describes, with the people and units it names. */
async function fieldsOf(svc: Svc, actor: Actor, d: AddDraft): Promise<Result<ItemFields>> {
  const zone = svc.config.APP_TIMEZONE;
  const range = d.time ? parseTimeRange(d.time) : null;
  const day = d.date ? DateTime.fromISO(d.date, { zone }) : null;
  if (d.step !== 'preview' || !range || !day?.isValid || !d.content) return refused('schedule:add.expired');
  const resolved = await resolveWithin(svc.db, actor, [d.chair ?? '', d.participants ?? ''], `unit:${d.unitId}`);
  if (!resolved.ok) return resolved;
  return ok({
    unitId: d.unitId,
    ...withTime(day, range),
    content: d.content,
    place: d.place ?? '',
    chair: d.chair ?? '',
    participants: d.participants ?? '',
    unitIds: resolved.value.unitIds,
    personIds: resolved.value.personIds,
  });
}

/** The preview before saving: the item as it will be listed, and whom it names. */
export async function previewAdd(svc: Svc, actor: Actor, d: AddDraft): Promise<Result<{ item: Item; names: string[] }>> {
  const unit = await mayCreate(svc, actor, d.unitId);
  if (!unit.ok) return unit;
  const f = await fieldsOf(svc, actor, d);
  if (!f.ok) return f;
  const now = svc.clock.now();
  const item: Item = {
    ...f.value,
    id: 0,
    ref: null,
    unitName: unit.value.name,
    status: 'planned',
    version: 0,
    createdAt: now,
    updatedAt: now,
  };
  return ok({ item, names: await namesOf(svc.db, f.value) });
}

/** schedule.create: saves the draft (rules checked again: roles may have changed meanwhile). */
export async function createItem(svc: Svc, actor: Actor, d: AddDraft): Promise<Result<{ id: number; notices: number }>> {
  const unit = await mayCreate(svc, actor, d.unitId);
  if (!unit.ok) return unit;
  const f = await fieldsOf(svc, actor, d);
  if (!f.ok) return f;
  const fields = f.value;
  const by = { id: personIdOf(actor), name: auditActor(actor).actor };
  const res = await svc.db.$transaction(
    async (tx) => {
      const r = await applyOpsIn(tx, svc, [{ kind: 'create', fields }], by);
      const id = r.itemIds[0]!;
      await audit(tx, {
        ...auditActor(actor),
        action: 'schedule.create',
        target: `schedule:${id}`,
        details: { change: r.changes[0]!.id, after: { ...snapshot(fields, 'planned') } },
      });
      return { id, notices: r.notices };
    },
    { timeout: 120_000 },
  );
  return ok(res);
}
