import type { DateTime } from 'luxon';
import type { Prisma } from '../../db/generated/client.js';
import type { ScheduleStatus } from '../../db/generated/enums.js';
import type { Services } from '../../core/services.js';
import { changedFields, findItem, snapshot, type ItemFields, type Snapshot, type Tx } from './model.js';
import { queueChangeNotices } from './notices.js';

export interface Actor {
  id?: number | null;
  /** "cli", "telegram:12345"… */
  name: string;
}

export type Op =
  | { kind: 'create'; fields: ItemFields; ref?: string | null }
  /** Also brings a cancelled item back. `version`: the one the person saw (refused if it moved on). */
  | { kind: 'update'; id: number; fields: ItemFields; ref?: string | null; version?: number }
  | { kind: 'cancel'; id: number; version?: number };

/** The item changed since the person looked at it (someone else edited it meanwhile). */
export class StaleItemError extends Error {}

export type ChangeKind = 'created' | 'updated' | 'cancelled' | 'restored';

export interface ChangeRecord {
  id: number;
  itemId: number;
  kind: ChangeKind;
  before: Snapshot | null;
  after: Snapshot;
}

export interface ApplyResult {
  created: number;
  updated: number;
  cancelled: number;
  unchanged: number;
  /** Change notices queued. */
  notices: number;
  itemIds: number[];
  changes: ChangeRecord[];
}

type Svc = Pick<Services, 'db' | 'clock' | 'config'>;

/**
 * Applies creations, edits and cancellations in one transaction: each real change is written to the
 * item's history, and people who already saw the item (its week's digest, a reminder) get one
 * "Lịch thay đổi" notice per batch, queued in the same transaction. Edits that change nothing are
 * skipped, so re-importing the same file sends nothing.
 */
export async function applyOps(svc: Svc, ops: Op[], actor: Actor): Promise<ApplyResult> {
  return svc.db.$transaction((tx) => applyOpsIn(tx, svc, ops, actor), { timeout: 120_000 });
}

export async function applyOpsIn(tx: Prisma.TransactionClient, svc: Svc, ops: Op[], actor: Actor): Promise<ApplyResult> {
  const zone = svc.config.APP_TIMEZONE;
  const now = svc.clock.now();
  const res: ApplyResult = { created: 0, updated: 0, cancelled: 0, unchanged: 0, notices: 0, itemIds: [], changes: [] };
  for (const op of ops) {
    if (op.kind === 'create') {
      const after = snapshot(op.fields, 'planned');
      const item = await tx.scheduleItem.create({
        data: {
          ...columns(op.fields),
          ref: op.ref ?? null,
          createdById: actor.id ?? null,
          createdAt: now.toJSDate(),
          updatedAt: now.toJSDate(),
          units: { create: op.fields.unitIds.map((unitId) => ({ unitId })) },
          people: { create: op.fields.personIds.map((personId) => ({ personId })) },
        },
      });
      res.created++;
      res.itemIds.push(item.id);
      res.changes.push(await record(tx, now, actor, item.id, 'created', null, after));
      continue;
    }
    const old = await findItem(tx, zone, op.id);
    if (!old) throw new Error(`schedule item ${op.id} not found`);
    res.itemIds.push(old.id);
    if (op.version !== undefined && op.version !== old.version)
      throw new StaleItemError(`schedule item ${old.id} is at version ${old.version}`);
    const before = snapshot(old, old.status);
    // Guarded by the version read above, so a concurrent edit makes one of the two fail, not merge.
    const write = async (data: Prisma.ScheduleItemUncheckedUpdateManyInput) => {
      const n = await tx.scheduleItem.updateMany({
        where: { id: old.id, version: old.version },
        data: { ...data, version: { increment: 1 }, updatedAt: now.toJSDate() },
      });
      if (n.count === 0) throw new StaleItemError(`schedule item ${old.id} changed meanwhile`);
    };
    if (op.kind === 'cancel') {
      if (old.status === 'cancelled') {
        res.unchanged++;
        continue;
      }
      await write({ status: 'cancelled' });
      res.cancelled++;
      res.changes.push(await record(tx, now, actor, old.id, 'cancelled', before, { ...before, status: 'cancelled' }));
      continue;
    }
    const restoring = old.status === 'cancelled';
    const status: ScheduleStatus = 'changed';
    const after = snapshot(op.fields, status);
    const refChanged = op.ref !== undefined && op.ref !== old.ref;
    if (!restoring && changedFields(before, after).length === 0) {
      if (refChanged) await tx.scheduleItem.update({ where: { id: old.id }, data: { ref: op.ref ?? null } });
      res.unchanged++;
      continue;
    }
    await write({ ...columns(op.fields), ...(op.ref !== undefined ? { ref: op.ref } : {}), status });
    if (before.unitIds.join() !== after.unitIds.join()) {
      await tx.scheduleItemUnit.deleteMany({ where: { itemId: old.id } });
      await tx.scheduleItemUnit.createMany({ data: after.unitIds.map((unitId) => ({ itemId: old.id, unitId })) });
    }
    if (before.personIds.join() !== after.personIds.join()) {
      await tx.scheduleItemPerson.deleteMany({ where: { itemId: old.id } });
      await tx.scheduleItemPerson.createMany({ data: after.personIds.map((personId) => ({ itemId: old.id, personId })) });
    }
    res.updated++;
    res.changes.push(await record(tx, now, actor, old.id, restoring ? 'restored' : 'updated', before, after));
  }
  res.notices = await queueChangeNotices(tx, zone, now, res.changes, actor.id ?? null);
  return res;
}

function columns(f: ItemFields) {
  return {
    unitId: f.unitId,
    startsAt: f.startsAt.toJSDate(),
    endsAt: f.endsAt ? f.endsAt.toJSDate() : null,
    content: f.content,
    place: f.place,
    chair: f.chair,
    participants: f.participants,
  };
}

async function record(
  tx: Tx,
  now: DateTime,
  actor: Actor,
  itemId: number,
  kind: ChangeKind,
  before: Snapshot | null,
  after: Snapshot,
): Promise<ChangeRecord> {
  const row = await tx.scheduleChange.create({
    data: {
      itemId,
      at: now.toJSDate(),
      actorId: actor.id ?? null,
      actor: actor.name,
      kind,
      ...(before ? { before: before as unknown as Prisma.InputJsonValue } : {}),
      after: after as unknown as Prisma.InputJsonValue,
    },
  });
  return { id: row.id, itemId, kind, before, after };
}
