import type { DateTime } from 'luxon';
import type { Db } from '../../db/client.js';
import { toView, type DeadlineView, type UnitRef } from './render.js';
import { local } from './time.js';

export interface UnitDeadline {
  deadline: DeadlineView;
  unit: UnitRef;
  reportedAt: DateTime | null;
  reportedBy: string | null;
  reportedById: number | null;
}

/**
 * Open deadlines of these units: those not yet due, and overdue ones still unreported (until the
 * deadline is closed). Soonest first.
 */
export async function openForUnits(
  db: Db,
  unitIds: number[],
  now: DateTime,
  opts: { unreportedOnly?: boolean } = {},
): Promise<UnitDeadline[]> {
  if (unitIds.length === 0) return [];
  const rows = await db.deadlineUnit.findMany({
    where: {
      unitId: { in: unitIds },
      deadline: { closedAt: null },
      OR: opts.unreportedOnly ? [{ reportedAt: null }] : [{ deadline: { dueAt: { gt: now.toJSDate() } } }, { reportedAt: null }],
    },
    include: { deadline: true, unit: { select: { id: true, code: true, name: true } }, reportedBy: { select: { fullName: true } } },
    orderBy: [{ deadline: { dueAt: 'asc' } }, { deadlineId: 'asc' }, { unitId: 'asc' }],
  });
  const zone = now.zone.name;
  return rows.map((r) => ({
    deadline: toView(r.deadline, zone),
    unit: r.unit,
    reportedAt: r.reportedAt ? local(r.reportedAt, zone) : null,
    reportedBy: r.reportedBy?.fullName ?? null,
    reportedById: r.reportedById,
  }));
}

/**
 * Open deadlines (closed ones excluded, due after `since` when given) that a person created, or that
 * target one of `unitIds` ('all': every one). Who may follow what is decided by the caller
 * (`src/application/deadlines`); this only reads.
 */
export async function deadlinesFor(
  db: Db,
  opts: { createdById: number | null; unitIds: number[] | 'all'; since?: DateTime },
): Promise<{ id: number; createdById: number | null }[]> {
  const { createdById, unitIds } = opts;
  const either =
    unitIds === 'all'
      ? []
      : [...(createdById !== null ? [{ createdById }] : []), ...(unitIds.length ? [{ units: { some: { unitId: { in: unitIds } } } }] : [])];
  if (unitIds !== 'all' && either.length === 0) return [];
  const concerned = unitIds === 'all' ? {} : { OR: either };
  return db.deadline.findMany({
    where: { closedAt: null, ...(opts.since ? { dueAt: { gt: opts.since.toJSDate() } } : {}), ...concerned },
    select: { id: true, createdById: true },
    orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
  });
}
