import type { DateTime } from 'luxon';
import type { Services } from '../../core/services.js';
import { deadlinesFor, openForUnits, type UnitDeadline } from '../../domain/deadlines/queries.js';
import { DeadlineError } from '../../domain/deadlines/input.js';
import { deadlineProgress, type DeadlineProgress, type ProgressRow } from '../../domain/deadlines/service.js';
import { local } from '../../domain/deadlines/time.js';
import type { Actor } from '../actor.js';
import { deny, inScope, scopeIds } from '../policy.js';
import { ok, refused, type Result } from '../result.js';
import { personId, scopeFor } from './access.js';

/** /tiendo follows deadlines due at most this many days ago. */
export const FOLLOW_DAYS = 60;

export interface OpenDeadline extends UnitDeadline {
  /** The actor may press «Đã nộp» for this unit here (a secretary of it, not yet reported). */
  reportable: boolean;
}

/** /hanchot: the open deadlines of the units where the actor holds a role directly. */
export async function myDeadlines(svc: Services, actor: Actor): Promise<OpenDeadline[]> {
  const ids = scopeIds(await scopeFor(svc.db, actor, 'list'));
  if (ids === 'all') return [];
  const open = await openForUnits(svc.db, ids, svc.clock.now());
  const mine = await scopeFor(svc.db, actor, 'report');
  return open.map((o) => ({ ...o, reportable: !o.reportedAt && o.deadline.kind === 'deadline' && inScope(mine, o.unit.id) }));
}

/** A deadline's progress as far as the actor may follow it. */
async function followedProgress(svc: Services, actor: Actor, d: { id: number; createdById: number | null }): Promise<DeadlineProgress> {
  const scope = await scopeFor(svc.db, actor, 'progress');
  const all = scope.all || (d.createdById !== null && d.createdById === personId(actor));
  return deadlineProgress(svc, d.id, all ? {} : { unitIds: [...scope.ids] });
}

/**
 * /tiendo (and `deadline list`): the open deadlines the actor follows, each limited to the units
 * they may see. People see those due within the last FOLLOW_DAYS days; the operator every open one.
 */
export async function followed(svc: Services, actor: Actor): Promise<DeadlineProgress[]> {
  const scope = await scopeFor(svc.db, actor, 'progress');
  const rows = await deadlinesFor(svc.db, {
    createdById: personId(actor),
    unitIds: scopeIds(scope),
    ...(actor.kind === 'person' ? { since: svc.clock.now().minus({ days: FOLLOW_DAYS }) } : {}),
  });
  const out: DeadlineProgress[] = [];
  for (const d of rows) out.push(await followedProgress(svc, actor, d));
  return out;
}

/** /tiendo <id> and `deadline status <id>`: one deadline's progress, limited as in `followed`. */
export async function progress(svc: Services, actor: Actor, deadlineId: number): Promise<Result<DeadlineProgress>> {
  const notFound = refused(actor.kind === 'person' ? 'deadlines:tiendo.not_found' : 'deadlines:errors.not_found', { id: deadlineId });
  const d = await svc.db.deadline.findUnique({
    where: { id: deadlineId },
    select: { id: true, createdById: true, closedAt: true, dueAt: true },
  });
  if (!d) return notFound;
  if (actor.kind === 'person') {
    const scope = await scopeFor(svc.db, actor, 'progress');
    const since = svc.clock.now().minus({ days: FOLLOW_DAYS });
    const targets = await svc.db.deadlineUnit.findMany({ where: { deadlineId }, select: { unitId: true } });
    const concerned = d.createdById === actor.person.id || targets.some((t) => inScope(scope, t.unitId));
    // Asking for a deadline of units one does not follow is a refused attempt (the answer stays
    // "not found", so ids cannot be probed); closed or old ones are simply not followed any more.
    if (!concerned) return deny(svc.db, actor, 'deadlines.progress', `deadline:${deadlineId}`, notFound.refusal.key).then(() => notFound);
    if (d.closedAt || local(d.dueAt, svc.clock.zone) <= since) return notFound;
  }
  return ok(await followedProgress(svc, actor, d));
}

export interface DeadlineInfo {
  /** The rows and counts the actor may see. */
  progress: DeadlineProgress;
  /** True when that is every target unit. */
  full: boolean;
  /** The unit asked about, when the actor may see it. */
  row: ProgressRow | null;
  createdAt: DateTime;
  remindDays: number[];
}

/**
 * «Chi tiết»: the deadline, the status of the unit asked about and the count of reports, for its
 * creator (every unit) and for people with a role at or above a target unit (those units only).
 * Asking about a unit outside that is audited and shows no row.
 */
export async function info(
  svc: Services,
  actor: Actor,
  input: { deadlineId: number; unitId?: number | undefined },
): Promise<Result<DeadlineInfo>> {
  let p: DeadlineProgress;
  try {
    p = await deadlineProgress(svc, input.deadlineId);
  } catch (err) {
    if (err instanceof DeadlineError) return refused('deadlines:info.not_found');
    throw err;
  }
  const scope = await scopeFor(svc.db, actor, 'info');
  const creator = p.deadline.createdById !== null && p.deadline.createdById === personId(actor);
  const rows = creator ? p.rows : p.rows.filter((r) => inScope(scope, r.unitId));
  const where = `deadline:${input.deadlineId}${input.unitId ? `:unit:${input.unitId}` : ''}`;
  if (rows.length === 0) return deny(svc.db, actor, 'deadlines.info', where, 'deadlines:info.not_found');
  let row: ProgressRow | null = null;
  if (input.unitId !== undefined) {
    row = rows.find((r) => r.unitId === input.unitId) ?? null;
    if (!row && p.rows.some((r) => r.unitId === input.unitId)) await deny(svc.db, actor, 'deadlines.info', where);
  }
  const d = await svc.db.deadline.findUniqueOrThrow({ where: { id: input.deadlineId }, select: { createdAt: true, remindDays: true } });
  const visible: DeadlineProgress = {
    ...p,
    rows,
    units: rows.length,
    reported: rows.filter((r) => r.reportedAt).length,
    late: rows.filter((r) => r.late).map((r) => ({ code: r.code, name: r.name })),
  };
  return ok({
    progress: visible,
    full: rows.length === p.rows.length,
    row,
    createdAt: local(d.createdAt, svc.clock.zone),
    remindDays: d.remindDays as number[],
  });
}
