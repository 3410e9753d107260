import type { Services } from '../../core/services.js';
import type { ImportResult, RowError } from '../../domain/imports/errors.js';
import type { TableRow } from '../../domain/imports/readTable.js';
import { sendDigest, sendDueDigests, type DigestResult } from '../../domain/schedule/digest.js';
import { importSchedule, type ScheduleImportSummary } from '../../domain/schedule/import.js';
import { sendDueReminders } from '../../domain/schedule/reminders.js';
import type { Week } from '../../domain/schedule/week.js';
import { auditActor, personIdOf, type Actor } from '../actor.js';
import { deny, inScope, mayTry, scopeOf } from '../policy.js';
import { ok, type Result } from '../result.js';
import { participantScope } from './participants.js';
import { schedulePolicy } from './policy.js';

type Svc = Pick<Services, 'db' | 'clock' | 'config'>;

/**
 * schedule.import: a schedule file, all or nothing. The operator (command line) writes any unit and
 * names anyone; a person only rows of units in their subtree, naming whom schedule.participants reaches.
 */
export async function importRows(
  svc: Svc,
  actor: Actor,
  rows: TableRow[],
  opts: { dryRun?: boolean } = {},
): Promise<Result<ImportResult<ScheduleImportSummary>>> {
  const rule = schedulePolicy.rules.import;
  if (actor.kind === 'person' && !mayTry(rule.who, actor.person)) return deny(svc.db, actor, 'schedule.import');
  const by = { id: personIdOf(actor), name: auditActor(actor).actor };
  if (actor.kind === 'operator') return ok(await importSchedule(svc, rows, by, undefined, opts));
  const units = await scopeOf(svc.db, actor, rule);
  const reach = await participantScope(svc.db, actor);
  let refusedRows = 0;
  const res = await importSchedule(
    svc,
    rows,
    by,
    async (inputs) => {
      const errors: RowError[] = [];
      for (const i of inputs) {
        if (!inScope(units, i.fields.unitId)) errors.push({ line: i.line, key: 'unit_out_of_scope', params: {} });
        if (
          !reach.all &&
          (i.fields.unitIds.some((u) => !reach.unitIds.has(u)) || i.fields.personIds.some((p) => !reach.personIds.has(p)))
        ) {
          errors.push({ line: i.line, key: 'participant_out_of_scope', params: {} });
        }
      }
      refusedRows = new Set(errors.map((e) => e.line)).size;
      return errors;
    },
    opts,
  );
  if (refusedRows) await deny(svc.db, actor, 'schedule.import', `rows:${refusedRows}`);
  return ok(res);
}

export interface DigestSent extends DigestResult {
  unitId: number;
  unitCode: string;
}

/**
 * schedule.digest: sends the weekly digest of `week` now, for the given units or for every unit
 * with items that week (within the actor's subtree). Once per unit and week unless `resend`.
 */
export async function sendDigestsNow(
  svc: Svc,
  actor: Actor,
  opts: { week: Week; unitIds?: number[]; resend?: boolean },
): Promise<Result<DigestSent[]>> {
  const rule = schedulePolicy.rules.digest;
  if (actor.kind === 'person' && !mayTry(rule.who, actor.person)) return deny(svc.db, actor, 'schedule.digest');
  const scope = await scopeOf(svc.db, actor, rule);
  const { week } = opts;
  let unitIds = opts.unitIds;
  if (unitIds) {
    const outside = unitIds.find((id) => !inScope(scope, id));
    if (outside !== undefined) return deny(svc.db, actor, 'schedule.digest', `unit:${outside}`);
  } else {
    const rows = await svc.db.scheduleItem.findMany({
      where: { status: { not: 'cancelled' }, startsAt: { gte: week.start.toJSDate(), lt: week.end.toJSDate() } },
      select: { unitId: true },
      distinct: ['unitId'],
    });
    unitIds = rows.map((r) => r.unitId).filter((id) => inScope(scope, id));
  }
  const out: DigestSent[] = [];
  for (const unitId of unitIds) {
    const unit = await svc.db.unit.findUniqueOrThrow({ where: { id: unitId }, select: { code: true } });
    out.push({ unitId, unitCode: unit.code, ...(await sendDigest(svc, unitId, week, { resend: !!opts.resend })) });
  }
  return ok(out);
}

/** The scheduler's work (as the operator): digests due by SCHEDULE_DIGEST_CRON, then reminders. */
export async function runScheduleJobs(svc: Svc & Pick<Services, 'log'>): Promise<{ digests: number; reminders: number }> {
  const digests = await sendDueDigests(svc);
  const reminders = await sendDueReminders(svc);
  return { digests, reminders };
}
