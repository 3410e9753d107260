import type { DateTime } from 'luxon';
import type { Db } from '../../db/client.js';
import type { Role } from '../../db/generated/enums.js';
import { hasRoleFor, unitsInScope } from '../org/tree.js';
import { SECRETARY_ROLES } from './recipients.js';
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
export async function openForUnits(db: Db, unitIds: number[], now: DateTime, opts: { unreportedOnly?: boolean } = {}): Promise<UnitDeadline[]> {
  if (unitIds.length === 0) return [];
  const rows = await db.deadlineUnit.findMany({
    where: {
      unitId: { in: unitIds },
      deadline: { closedAt: null },
      OR: opts.unreportedOnly
        ? [{ reportedAt: null }]
        : [{ deadline: { dueAt: { gt: now.toJSDate() } } }, { reportedAt: null }],
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

/** Units where the person holds one of `roles` directly (not the units below). */
export async function unitsHeld(db: Db, personId: number, roles?: readonly Role[]): Promise<number[]> {
  const rows = await db.roleAssignment.findMany({
    where: { personId, ...(roles ? { role: { in: [...roles] } } : {}) },
    select: { unitId: true },
    distinct: ['unitId'],
  });
  return rows.map((r) => r.unitId);
}

/** Roles that let someone follow the progress of the units under them. */
export const OVERSIGHT_ROLES: readonly Role[] = ['admin', 'phu_trach'];

/**
 * Deadlines a person may follow in /tiendo, with the target units they may see: all units of the
 * deadlines they created, and the units under their `admin`/`phu_trach` roles of the others.
 */
export async function followedDeadlines(db: Db, personId: number, since: DateTime): Promise<{ deadlineId: number; unitIds: number[] | undefined }[]> {
  const scope = await unitsInScope(db, personId, OVERSIGHT_ROLES);
  const rows = await db.deadline.findMany({
    where: {
      closedAt: null,
      dueAt: { gt: since.toJSDate() },
      OR: [{ createdById: personId }, ...(scope.length ? [{ units: { some: { unitId: { in: scope } } } }] : [])],
    },
    select: { id: true, createdById: true },
    orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
  });
  return rows.map((r) => ({ deadlineId: r.id, unitIds: r.createdById === personId ? undefined : scope }));
}

/** May this person record a unit's report: its secretaries, or the office/admin at or above it. */
export async function mayReportFor(db: Db, personId: number, unitId: number): Promise<boolean> {
  const direct = await db.roleAssignment.count({ where: { personId, unitId, role: { in: [...SECRETARY_ROLES] } } });
  return direct > 0 || hasRoleFor(db, personId, unitId, ['admin', 'van_phong']);
}
