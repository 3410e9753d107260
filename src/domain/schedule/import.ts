import type { Services } from '../../core/services.js';
import { audit } from '../audit.js';
import type { ImportResult, RowError } from '../imports/errors.js';
import type { TableRow } from '../imports/readTable.js';
import { applyOpsIn, type Actor, type Op } from './changes.js';
import { findItems } from './model.js';
import { loadDirectory } from './participants.js';
import { identity, parseScheduleRows, type ImportInput } from './importRows.js';

export interface ScheduleImportSummary {
  created: number;
  updated: number;
  cancelled: number;
  unchanged: number;
  notices: number;
}

/**
 * Imports schedule rows: a row whose ref (or, without a ref, whose unit, start and content) matches
 * an item updates it, any other row adds one. Items missing from the file are left alone (a file
 * may hold only part of the week); cancel one with status "huy". All or nothing. `check` may refuse
 * rows the importer is not allowed to write (units or participants out of reach).
 */
export async function importSchedule(
  svc: Pick<Services, 'db' | 'clock' | 'config'>,
  rows: TableRow[],
  actor: Actor,
  check?: (inputs: ImportInput[]) => Promise<RowError[]>,
  opts: { dryRun?: boolean } = {},
): Promise<ImportResult<ScheduleImportSummary>> {
  const zone = svc.config.APP_TIMEZONE;
  const parsed = parseScheduleRows(rows, zone, await loadDirectory(svc.db));
  const { inputs } = parsed;
  const errors = parsed.errors.length || !check ? parsed.errors : await check(inputs);
  if (errors.length) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };
  let preview: ScheduleImportSummary | null = null;
  const summary = await svc.db
    .$transaction(
      async (tx) => {
        const ops = await toOps(tx, zone, inputs);
        const res = await applyOpsIn(tx, svc, ops, actor);
        const s: ScheduleImportSummary = {
          created: res.created,
          updated: res.updated,
          cancelled: res.cancelled,
          unchanged: res.unchanged + (inputs.length - ops.length),
          notices: res.notices,
        };
        await audit(tx, { actorId: actor.id ?? null, actor: actor.name, action: 'schedule.import', details: { rows: rows.length, ...s } });
        // A dry run (the dashboard's preview) does everything, then rolls it all back: the counts are exact.
        if (opts.dryRun) {
          preview = s;
          throw new DryRun();
        }
        return s;
      },
      { timeout: 120_000 },
    )
    .catch((err: unknown) => {
      if (err instanceof DryRun && preview) return preview;
      throw err;
    });
  return { ok: true, summary };
}

async function toOps(tx: Parameters<typeof findItems>[0], zone: string, inputs: ImportInput[]): Promise<Op[]> {
  const refs = inputs.flatMap((i) => (i.ref ? [i.ref] : []));
  const byRef = new Map(
    (await tx.scheduleItem.findMany({ where: { ref: { in: refs } }, select: { id: true, ref: true } })).map((r) => [r.ref!, r.id]),
  );
  const unref = inputs.filter((i) => !i.ref);
  const byKey = new Map<string, number>();
  if (unref.length) {
    const times = unref.map((i) => i.fields.startsAt.toJSDate());
    const candidates = await findItems(tx, zone, { startsAt: { in: times } });
    for (const c of candidates) byKey.set(identity(c), c.id);
  }
  const ops: Op[] = [];
  for (const input of inputs) {
    const id = input.ref ? byRef.get(input.ref) : byKey.get(identity(input.fields));
    if (input.cancel) {
      if (id !== undefined) ops.push({ kind: 'cancel', id });
    } else if (id !== undefined) ops.push({ kind: 'update', id, fields: input.fields });
    else ops.push({ kind: 'create', fields: input.fields, ref: input.ref });
  }
  return ops;
}

class DryRun extends Error {}
