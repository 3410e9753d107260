import { DateTime } from 'luxon';
import { z } from 'zod';
import { formatDate } from '../../core/format.js';
import type { Services } from '../../core/services.js';
import { audit } from '../../domain/audit.js';
import { applyOpsIn, StaleItemError, type ChangeRecord, type Op } from '../../domain/schedule/changes.js';
import { checkDay, checkText, checkTime, isInputError, withTime } from '../../domain/schedule/input.js';
import { changedFields, findItem, snapshot, type Item, type ItemFields } from '../../domain/schedule/model.js';
import { loadDirectory, resolveParticipants } from '../../domain/schedule/participants.js';
import { timeRange } from '../../domain/schedule/render.js';
import { auditActor, personIdOf, type Actor } from '../actor.js';
import { deny, inScope, mayTry, scopeOf } from '../policy.js';
import { ok, refused, type Result } from '../result.js';
import { resolveWithin } from './participants.js';
import { schedulePolicy } from './policy.js';

type Svc = Pick<Services, 'db' | 'clock' | 'config'>;

export const EDIT_FIELDS = ['time', 'date', 'content', 'place', 'chair', 'participants'] as const;
export type EditField = (typeof EDIT_FIELDS)[number];

/** An edit waiting for its new value, then for "Xác nhận" (kept in the chat's flow state). */
export const pendingEditSchema = z.object({
  id: z.number().int().positive(),
  version: z.number().int(),
  field: z.enum(EDIT_FIELDS),
  value: z.string().optional(),
});
export type PendingEdit = z.infer<typeof pendingEditSchema>;

type ItemAction = 'edit' | 'cancel' | 'restore';

/**
 * The item, when the actor may act on it: van_phong or admin at or above its unit. A missing item
 * is "not found"; anything else refused is audited (forged buttons included).
 */
async function target(svc: Svc, actor: Actor, id: number, action: ItemAction): Promise<Result<Item>> {
  const item = await findItem(svc.db, svc.config.APP_TIMEZONE, id);
  if (!item) return refused('schedule:edit.not_found');
  const rule = schedulePolicy.rules[action];
  const allowed = (actor.kind === 'operator' || mayTry(rule.who, actor.person)) && inScope(await scopeOf(svc.db, actor, rule), item.unitId);
  if (!allowed) return deny(svc.db, actor, `schedule.${action}`, `schedule:${id}`, 'schedule:edit.forbidden');
  return ok(item);
}

export interface ItemCard {
  item: Item;
  /** Changes after its creation: how many, and the last one. */
  history: { count: number; at: DateTime; actor: string } | null;
}

/** schedule.edit: the item's card, from which it is edited, cancelled or restored. */
export async function openItem(svc: Svc, actor: Actor, id: number): Promise<Result<ItemCard>> {
  const item = await target(svc, actor, id, 'edit');
  if (!item.ok) return item;
  const changes = await svc.db.scheduleChange.findMany({
    where: { itemId: id, kind: { not: 'created' } },
    orderBy: { id: 'desc' },
    select: { at: true, actor: true },
  });
  const last = changes[0];
  return ok({
    item: item.value,
    history: last
      ? { count: changes.length, at: DateTime.fromJSDate(last.at, { zone: svc.config.APP_TIMEZONE }), actor: last.actor }
      : null,
  });
}

/** schedule.edit: asks for a field's new value; `current` is what it says now. */
export async function startEdit(
  svc: Svc,
  actor: Actor,
  id: number,
  field: EditField,
): Promise<Result<{ pending: PendingEdit; current: string }>> {
  const item = await target(svc, actor, id, 'edit');
  if (!item.ok) return item;
  return ok({ pending: { id, version: item.value.version, field }, current: currentValue(item.value, field) });
}

function currentValue(item: Item, field: EditField): string {
  if (field === 'time') return timeRange(item);
  if (field === 'date') return formatDate(item.startsAt);
  return item[field];
}

/** The item's fields with the new value, or why the value does not do. */
async function withValue(svc: Svc, actor: Actor, item: Item, field: EditField, value: string): Promise<Result<ItemFields>> {
  const f: ItemFields = { ...item };
  switch (field) {
    case 'time': {
      const r = checkTime(value);
      if (isInputError(r)) return refused(`schedule:input.${r.error}`, r.params);
      Object.assign(f, withTime(item.startsAt, r));
      break;
    }
    case 'date': {
      const day = checkDay(value, svc.config.APP_TIMEZONE, svc.clock.now());
      if (isInputError(day)) return refused(`schedule:input.${day.error}`, day.params);
      const shift = day.diff(item.startsAt.startOf('day'));
      f.startsAt = item.startsAt.plus(shift);
      f.endsAt = item.endsAt ? item.endsAt.plus(shift) : null;
      break;
    }
    default: {
      const v = checkText(field, value);
      if (isInputError(v)) return refused(`schedule:input.${v.error}`, v.params);
      f[field] = v;
      if (field === 'chair' || field === 'participants') {
        // Who the old text named may stay (an import may name anyone); new names must be within reach.
        // Units given by code (not named in the text) stay; the rest follows the new text.
        const was = resolveParticipants(await loadDirectory(svc.db), [item.chair, item.participants]);
        const keep = {
          unitIds: [...new Set([...was.unitIds, ...item.unitIds])],
          personIds: [...new Set([...was.personIds, ...item.personIds])],
        };
        const now = await resolveWithin(svc.db, actor, [f.chair, f.participants], `schedule:${item.id}`, keep);
        if (!now.ok) return now;
        f.unitIds = [...new Set([...now.value.unitIds, ...item.unitIds.filter((u) => !was.unitIds.includes(u))])].sort((a, b) => a - b);
        f.personIds = now.value.personIds;
      }
    }
  }
  return ok(f);
}

/** schedule.edit: checks the new value and shows the change before it is made. */
export async function previewEdit(
  svc: Svc,
  actor: Actor,
  p: PendingEdit,
  value: string,
): Promise<Result<{ pending: PendingEdit; change: ChangeRecord }>> {
  const item = await target(svc, actor, p.id, 'edit');
  if (!item.ok) return item;
  const next = await withValue(svc, actor, item.value, p.field, value);
  if (!next.ok) return next;
  const change: ChangeRecord = {
    id: 0,
    itemId: p.id,
    kind: 'updated',
    before: snapshot(item.value, item.value.status),
    after: snapshot(next.value, 'changed'),
  };
  return ok({ pending: { ...p, value }, change });
}

export interface Applied {
  /** False when the edit changed nothing. */
  changed: boolean;
  notices: number;
}

/** schedule.edit: makes the confirmed edit, on the version the actor saw. */
export async function applyEdit(svc: Svc, actor: Actor, p: PendingEdit): Promise<Result<Applied>> {
  if (p.value === undefined) return refused('schedule:edit.expired');
  const item = await target(svc, actor, p.id, 'edit');
  if (!item.ok) return item;
  if (item.value.version !== p.version) return refused('schedule:edit.stale');
  const next = await withValue(svc, actor, item.value, p.field, p.value);
  if (!next.ok) return next;
  return run(svc, actor, { kind: 'update', id: p.id, fields: next.value, version: p.version }, 'schedule.update');
}

/** schedule.cancel, on the version the actor saw. */
export async function cancelItem(svc: Svc, actor: Actor, id: number, version: number): Promise<Result<Applied>> {
  const item = await target(svc, actor, id, 'cancel');
  if (!item.ok) return item;
  if (item.value.version !== version) return refused('schedule:edit.stale');
  return run(svc, actor, { kind: 'cancel', id, version }, 'schedule.cancel');
}

/** schedule.restore: brings a cancelled item back as it was, on the version the actor saw. */
export async function restoreItem(svc: Svc, actor: Actor, id: number, version: number): Promise<Result<Applied>> {
  const item = await target(svc, actor, id, 'restore');
  if (!item.ok) return item;
  if (item.value.version !== version) return refused('schedule:edit.stale');
  return run(svc, actor, { kind: 'update', id, fields: item.value, version }, 'schedule.restore');
}

/** Applies one change with its history row, its notices and an audit row holding before and after. */
async function run(svc: Svc, actor: Actor, op: Op, action: string): Promise<Result<Applied>> {
  const by = { id: personIdOf(actor), name: auditActor(actor).actor };
  try {
    return ok(
      await svc.db.$transaction(
        async (tx) => {
          const res = await applyOpsIn(tx, svc, [op], by);
          const c = res.changes[0];
          if (!c) return { changed: false, notices: 0 };
          const details = {
            kind: c.kind,
            change: c.id,
            fields: c.before ? changedFields(c.before, c.after) : [],
            before: c.before ? { ...c.before } : null,
            after: { ...c.after },
          };
          await audit(tx, { ...auditActor(actor), action, target: `schedule:${c.itemId}`, details });
          return { changed: true, notices: res.notices };
        },
        { timeout: 120_000 },
      ),
    );
  } catch (err) {
    if (err instanceof StaleItemError) return refused('schedule:edit.stale');
    throw err;
  }
}
