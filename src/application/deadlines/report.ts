import type { DateTime } from 'luxon';
import type { Services } from '../../core/services.js';
import { openForUnits, type UnitDeadline } from '../../domain/deadlines/queries.js';
import type { UnitRef } from '../../domain/deadlines/render.js';
import { markReported, setReportNote, undoReport } from '../../domain/deadlines/service.js';
import { local } from '../../domain/deadlines/time.js';
import { auditActor, type Actor } from '../actor.js';
import { deny, scopeIds } from '../policy.js';
import { ok, refused, type Result } from '../result.js';
import { mayReport, scopeFor } from './access.js';

/** How long after reporting a typed text is taken as the report's note. */
export const NOTE_WINDOW_MIN = 30;

const target = (deadlineId: number, unit: { code: string } | number) =>
  `deadline:${deadlineId}:unit:${typeof unit === 'number' ? unit : unit.code}`;

async function loadTarget(svc: Services, deadlineId: number, unitId: number) {
  return svc.db.deadlineUnit.findUnique({
    where: { deadlineId_unitId: { deadlineId, unitId } },
    include: { deadline: true, unit: { select: { id: true, code: true, name: true } }, reportedBy: { select: { fullName: true } } },
  });
}

/** (deadline, unit) pairs still to report that the actor answers for as a secretary (for /danop). */
export async function pendingReports(svc: Services, actor: Actor): Promise<UnitDeadline[]> {
  const ids = scopeIds(await scopeFor(svc.db, actor, 'report'));
  if (ids === 'all') return [];
  const open = await openForUnits(svc.db, ids, svc.clock.now(), { unreportedOnly: true });
  return open.filter((o) => o.deadline.kind === 'deadline');
}

export type ReportOutcome =
  | { status: 'recorded'; title: string; unit: UnitRef; at: DateTime }
  | { status: 'already'; title: string; unit: UnitRef; at: DateTime | null; by: string | null };

/** «Đã nộp»: records that a unit has reported (deadlines.report or deadlines.reportOffice). */
export async function report(
  svc: Services,
  actor: Actor,
  input: { deadlineId: number; unitId: number; note?: string | null },
): Promise<Result<ReportOutcome>> {
  if (actor.kind !== 'person') return refused('deadlines:report.forbidden');
  const { deadlineId, unitId } = input;
  const row = await loadTarget(svc, deadlineId, unitId);
  if (!row) return refused('deadlines:report.not_target');
  if (row.deadline.kind !== 'deadline') return refused('deadlines:report.not_deadline');
  if (row.deadline.closedAt) return refused('deadlines:report.closed');
  if (!(await mayReport(svc.db, actor, unitId)))
    return deny(svc.db, actor, 'deadlines.report', target(deadlineId, row.unit), 'deadlines:report.forbidden');
  const res = await markReported(svc, {
    deadlineId,
    unitId,
    personId: actor.person.id,
    note: input.note ?? null,
    actor: auditActor(actor).actor,
  });
  if (res.ok) return ok({ status: 'recorded', title: row.deadline.title, unit: row.unit, at: svc.clock.now() });
  if (res.reason === 'not_target') return refused('deadlines:report.not_target');
  const now = await loadTarget(svc, deadlineId, unitId);
  return ok({
    status: 'already',
    title: row.deadline.title,
    unit: row.unit,
    at: now?.reportedAt ? local(now.reportedAt, svc.clock.zone) : null,
    by: now?.reportedBy?.fullName ?? null,
  });
}

/** «Hoàn tác»: the reporter takes back a report on the day it was made. */
export async function undo(
  svc: Services,
  actor: Actor,
  input: { deadlineId: number; unitId: number },
): Promise<Result<{ title: string; unit: UnitRef }>> {
  const { deadlineId, unitId } = input;
  const row = await loadTarget(svc, deadlineId, unitId);
  if (!row?.reportedAt) return refused('deadlines:undo.not_reported');
  if (actor.kind !== 'person' || row.reportedById !== actor.person.id) {
    return deny(svc.db, actor, 'deadlines.undo', target(deadlineId, row.unit), 'deadlines:undo.not_reporter');
  }
  const res = await undoReport(svc, { deadlineId, unitId, personId: actor.person.id, actor: auditActor(actor).actor });
  if (!res.ok) return refused(`deadlines:undo.${res.reason}`);
  return ok({ title: row.deadline.title, unit: row.unit });
}

/** The text typed right after reporting, kept as the report's note (audited before and after). */
export async function note(
  svc: Services,
  actor: Actor,
  input: { deadlineId: number; unitId: number; text: string },
): Promise<Result<{ unit: UnitRef }>> {
  const { deadlineId, unitId } = input;
  if (actor.kind !== 'person') return refused('core:error.not_understood');
  const row = await loadTarget(svc, deadlineId, unitId);
  const fresh =
    row?.reportedAt &&
    row.reportedById === actor.person.id &&
    svc.clock.now().diff(local(row.reportedAt, svc.clock.zone), 'minutes').minutes <= NOTE_WINDOW_MIN;
  if (!row || !fresh) return refused('core:error.not_understood');
  const saved = await setReportNote(svc, {
    deadlineId,
    unitId,
    personId: actor.person.id,
    note: input.text,
    actor: auditActor(actor).actor,
  });
  return saved ? ok({ unit: row.unit }) : refused('core:error.not_understood');
}
