import type { Services } from '../../core/services.js';
import { audit } from '../../domain/audit.js';
import { DeadlineError } from '../../domain/deadlines/input.js';
import { holdersAbove } from '../../domain/deadlines/recipients.js';
import { toView } from '../../domain/deadlines/render.js';
import { deadlineProgress, notifyUnits, type DeadlineProgress, type ProgressRow } from '../../domain/deadlines/service.js';
import { deadlinesFor } from '../../domain/deadlines/queries.js';
import { auditActor, type Actor } from '../actor.js';
import { deny, inScope, mayTryRule, scopeIds, scopeOf, type UnitScope } from '../policy.js';
import { ok, refused, type Result } from '../result.js';
import { personId } from './access.js';
import { deadlinesPolicy, type DeadlinesAction } from './policy.js';
import { FOLLOW_DAYS } from './views.js';

export interface BoardRow extends ProgressRow {
  /** Who supervises the unit: phụ trách of it or of a unit above it. */
  supervisors: string[];
  /** Late, the actor may remind it, and it has not been reminded today. */
  remindable: boolean;
  /** «Nhắc lại ngay» was already used for it today. */
  remindedToday: boolean;
}

export interface BoardDeadline {
  /** The rows and counts of the units the actor may see. */
  progress: DeadlineProgress;
  /** True when that is every target unit. */
  full: boolean;
}

export interface DeadlineBoard extends BoardDeadline {
  rows: BoardRow[];
}

/** The units an actor reaches for a rule with all its grants (nothing when no grant lets them try). */
async function scopeFor(db: Services['db'], actor: Actor, action: DeadlinesAction): Promise<UnitScope> {
  const r = deadlinesPolicy.rules[action];
  if (actor.kind === 'person' && !mayTryRule(r, actor.person)) return { all: false, ids: new Set() };
  return scopeOf(db, actor, r);
}

/** Today's «Nhắc lại ngay» mark of a unit (a job mark: claimed once per unit and day). */
function remindKey(deadlineId: number, unitId: number, day: string): string {
  return `deadline:${deadlineId}:unit:${unitId}:remind-now:${day}`;
}

function limited(p: DeadlineProgress, rows: ProgressRow[]): DeadlineProgress {
  return {
    ...p,
    rows,
    units: rows.length,
    reported: rows.filter((r) => r.reportedAt).length,
    late: rows.filter((r) => r.late).map((r) => ({ code: r.code, name: r.name })),
  };
}

async function visibleProgress(svc: Services, actor: Actor, deadlineId: number, scope: UnitScope): Promise<BoardDeadline | null> {
  const p = await deadlineProgress(svc, deadlineId);
  const creator = p.deadline.createdById !== null && p.deadline.createdById === personId(actor);
  const rows = creator ? p.rows : p.rows.filter((r) => inScope(scope, r.unitId));
  return rows.length ? { progress: limited(p, rows), full: rows.length === p.rows.length } : null;
}

/**
 * The dashboard's open deadlines (deadlines.board): those the actor created or with a target unit
 * in reach, each limited to those units; due within the last FOLLOW_DAYS days, soonest first.
 */
export async function board(svc: Services, actor: Actor): Promise<BoardDeadline[]> {
  const scope = await scopeFor(svc.db, actor, 'board');
  const rows = await deadlinesFor(svc.db, {
    createdById: personId(actor),
    unitIds: scopeIds(scope),
    since: svc.clock.now().minus({ days: FOLLOW_DAYS }),
  });
  const out: BoardDeadline[] = [];
  for (const d of rows) {
    const v = await visibleProgress(svc, actor, d.id, scope);
    if (v) out.push(v);
  }
  return out;
}

/** The per-unit table of one deadline (Hạn báo cáo): who reported when, who supervises, what may be reminded. */
export async function deadlineBoard(svc: Services, actor: Actor, input: { deadlineId: number }): Promise<Result<DeadlineBoard>> {
  const notFound = refused('deadlines:board.not_found');
  let v: BoardDeadline | null;
  try {
    v = await visibleProgress(svc, actor, input.deadlineId, await scopeFor(svc.db, actor, 'board'));
  } catch (err) {
    if (err instanceof DeadlineError) return notFound;
    throw err;
  }
  if (!v) return deny(svc.db, actor, 'deadlines.board', `deadline:${input.deadlineId}`, notFound.refusal.key);
  const ids = v.progress.rows.map((r) => r.unitId);
  const supervisorIds = await holdersAbove(svc.db, ids);
  const names = new Map(
    (
      await svc.db.person.findMany({
        where: { id: { in: [...new Set([...supervisorIds.values()].flat())] } },
        select: { id: true, fullName: true },
      })
    ).map((p) => [p.id, p.fullName]),
  );
  const remindable = await remindableUnits(svc, actor, v.progress);
  const day = svc.clock.now().toISODate()!;
  const marks = new Set(
    (
      await svc.db.jobMark.findMany({
        where: { key: { in: ids.map((u) => remindKey(input.deadlineId, u, day)) } },
        select: { key: true },
      })
    ).map((m) => m.key),
  );
  const rows: BoardRow[] = v.progress.rows.map((r) => {
    const remindedToday = marks.has(remindKey(input.deadlineId, r.unitId, day));
    return {
      ...r,
      supervisors: (supervisorIds.get(r.unitId) ?? []).map((id) => names.get(id) ?? '').filter(Boolean),
      remindable: remindable.has(r.unitId) && !remindedToday,
      remindedToday,
    };
  });
  return ok({ ...v, rows });
}

/** The target units whose late reports the actor may chase (deadlines.remind; the creator: every one). */
async function remindScope(svc: Services, actor: Actor, p: DeadlineProgress): Promise<Set<number>> {
  const creator = p.deadline.createdById !== null && p.deadline.createdById === personId(actor);
  const scope = await scopeFor(svc.db, actor, 'remind');
  return new Set(p.rows.filter((r) => creator || inScope(scope, r.unitId)).map((r) => r.unitId));
}

/** The late units of an open deadline the actor may remind. */
async function remindableUnits(svc: Services, actor: Actor, p: DeadlineProgress): Promise<Set<number>> {
  if (p.deadline.closedAt || p.deadline.kind !== 'deadline') return new Set();
  const reach = await remindScope(svc, actor, p);
  return new Set(p.rows.filter((r) => r.late && reach.has(r.unitId)).map((r) => r.unitId));
}

/** How many late units of a deadline the actor could remind now (not yet reminded today): for showing the button. */
export async function remindableNow(svc: Services, actor: Actor, p: DeadlineProgress): Promise<number> {
  const units = [...(await remindableUnits(svc, actor, p))];
  if (units.length === 0) return 0;
  const day = svc.clock.now().toISODate()!;
  const done = await svc.db.jobMark.count({ where: { key: { in: units.map((u) => remindKey(p.deadline.id, u, day)) } } });
  return units.length - done;
}

/**
 * «Nhắc lại ngay» (the dashboard, and the chat's button under /tiendo <id>): the overdue notice goes
 * again now, through the outbox, to the secretaries of the late units the actor may remind
 * (`unitIds`: some of them; default all). Each unit at most once a day, whoever asks; units already
 * reminded today are counted, not sent again. A deadline none of whose units are within the
 * actor's reach, or a unit outside it, is refused and audited; nothing late is a polite "nothing to do".
 */
export async function remindLate(
  svc: Services,
  actor: Actor,
  input: { deadlineId: number; unitIds?: number[] },
): Promise<Result<{ units: number; queued: number; already: number }>> {
  const target = `deadline:${input.deadlineId}`;
  let p: DeadlineProgress;
  try {
    p = await deadlineProgress(svc, input.deadlineId);
  } catch (err) {
    if (err instanceof DeadlineError) return refused('deadlines:board.not_found');
    throw err;
  }
  const reach = await remindScope(svc, actor, p);
  const targets = new Set(p.rows.map((r) => r.unitId));
  if (reach.size === 0 || (input.unitIds ?? []).some((u) => targets.has(u) && !reach.has(u)))
    return deny(svc.db, actor, 'deadlines.remind', target, 'deadlines:board.not_allowed');
  const allowed = await remindableUnits(svc, actor, p);
  const asked = input.unitIds ?? [...allowed];
  // Nothing late (any more), or the deadline was closed: a stale page, not a refusal.
  if (asked.length === 0 || asked.some((u) => !allowed.has(u))) return refused('deadlines:board.none_late');
  const now = svc.clock.now();
  const day = now.toISODate()!;
  const units = p.rows.filter((r) => asked.includes(r.unitId)).map((r) => ({ id: r.unitId, code: r.code, name: r.name }));
  const res = await svc.db.$transaction(
    async (tx) => {
      const fresh: typeof units = [];
      for (const u of units) {
        const claimed = await tx.jobMark.createMany({ data: [{ key: remindKey(input.deadlineId, u.id, day) }], skipDuplicates: true });
        if (claimed.count === 1) fresh.push(u);
      }
      const row = await tx.deadline.findUniqueOrThrow({ where: { id: input.deadlineId } });
      const queued = fresh.length ? await notifyUnits(tx, toView(row, svc.clock.zone), fresh, `now-${day}`, now, 'overdue') : 0;
      await audit(tx, {
        ...auditActor(actor),
        action: 'deadline.remind',
        target,
        details: { units: fresh.map((u) => u.code), already: units.length - fresh.length, queued },
      });
      return { units: fresh.length, queued, already: units.length - fresh.length };
    },
    { timeout: 60_000 },
  );
  if (res.queued) svc.kick();
  return ok(res);
}
