import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Command } from 'commander';
import { formatDay } from '../../core/format.js';
import type { RowError } from '../../domain/imports/errors.js';
import { readTable, TableError, type TableRow } from '../../domain/imports/readTable.js';
import { operator } from '../../application/actor.js';
import type { Result } from '../../application/result.js';
import { importRows, sendDigestsNow } from '../../application/schedule/operator.js';
import { listSchedule } from '../../application/schedule/view.js';
import { icsToRows } from '../../domain/schedule/importIcs.js';
import { SCHEDULE_COLUMNS } from '../../domain/schedule/importRows.js';
import { timeRange } from '../../domain/schedule/render.js';
import { nextWeek, weekFromKey, weekOf, weekToPublish, type Week } from '../../domain/schedule/week.js';
import type { CliContext } from '../context.js';
import { CliFailure } from '../failure.js';
import { help } from '../help.js';

export function registerSchedule(program: Command, cli: () => Promise<CliContext>): void {
  const sch = program.command('schedule').description(help('schedule.description'));

  sch
    .command('import <file>')
    .description(help('schedule.import.description', { columns: SCHEDULE_COLUMNS.join(',') }))
    .option('--unit <code>', help('schedule.import.unit'))
    .action(async (file: string, o: { unit?: string }) => {
      const c = await cli();
      const rows = await readRows(c, file, o.unit);
      const res = value(c, await importRows(c.svc, operator, rows));
      if (!res.ok) reportErrors(c, res.errors);
      c.out(c.t('schedule:cli.imported', { ...res.summary }));
    });

  sch
    .command('digest')
    .description(help('schedule.digest.description'))
    .option('--now', help('schedule.digest.now'))
    .option('--unit <code>', help('schedule.digest.unit'))
    .option('--week <week>', help('schedule.digest.week'))
    .option('--resend', help('schedule.digest.resend'))
    .action(async (o: { now?: boolean; unit?: string; week?: string; resend?: boolean }) => {
      const c = await cli();
      if (!o.now) throw new CliFailure(c.t('schedule:cli.digest_usage'));
      const week = chooseWeek(c, o.week);
      const unitIds = o.unit ? [await unitId(c, o.unit)] : undefined;
      const sent = value(c, await sendDigestsNow(c.svc, operator, { week, resend: !!o.resend, ...(unitIds ? { unitIds } : {}) }));
      if (sent.length === 0) return c.out(c.t('schedule:cli.digest_nothing', { week: week.key }));
      for (const res of sent) {
        c.out(
          c.t(`schedule:cli.digest_${res.status}`, { unit: res.unitCode, week: week.key, people: res.recipients, messages: res.messages }),
        );
      }
    });

  sch
    .command('list')
    .description(help('schedule.list.description'))
    .option('--week <week>', help('schedule.list.week'))
    .option('--unit <code>')
    .action(async (o: { week?: string; unit?: string }) => {
      const c = await cli();
      const week = o.week ? chooseWeek(c, o.week) : weekOf(c.svc.clock.now(), c.config.APP_TIMEZONE);
      const { items } = value(
        c,
        await listSchedule(c.svc, operator, { from: week.start, to: week.end, ...(o.unit ? { unitId: await unitId(c, o.unit) } : {}) }),
      );
      c.out(c.t('schedule:cli.list_title', { week: week.key, count: items.length }));
      for (const i of items) {
        c.out(
          `#${i.id}  ${formatDay(i.startsAt)} ${timeRange(i)}  ${i.content}  [${c.t(`schedule:status.${i.status}`)}]${i.ref ? `  ref=${i.ref}` : ''}`,
        );
      }
    });
}

async function readRows(c: CliContext, file: string, unit: string | undefined): Promise<TableRow[]> {
  try {
    if (extname(file).toLowerCase() === '.ics') {
      if (!unit) throw new CliFailure(c.t('schedule:cli.ics_needs_unit'));
      const body = await readFile(file, 'utf8');
      let parsed: ReturnType<typeof icsToRows>;
      try {
        parsed = icsToRows(body, c.config.APP_TIMEZONE, unit);
      } catch (err) {
        throw new CliFailure(c.t('cli:import.bad_file', { file, reason: (err as Error).message }));
      }
      const { rows, errors } = parsed;
      if (errors.length) reportErrors(c, errors);
      return rows;
    }
    const rows = await readTable(file, SCHEDULE_COLUMNS);
    if (unit) for (const r of rows) r.values.unit_code ||= unit;
    return rows;
  } catch (err) {
    if (err instanceof TableError || (err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CliFailure(c.t('cli:import.bad_file', { file, reason: (err as Error).message }));
    }
    throw err;
  }
}

function reportErrors(c: CliContext, errors: RowError[]): never {
  const lines = [c.t('cli:import.rejected', { count: new Set(errors.map((e) => e.line)).size })];
  for (const e of errors)
    lines.push(`  ${c.t('cli:import.line', { line: e.line })}: ${c.t(`schedule:import.errors.${e.key}`, e.params ?? {})}`);
  throw new CliFailure(lines.join('\n'));
}

function chooseWeek(c: CliContext, spec: string | undefined): Week {
  const zone = c.config.APP_TIMEZONE;
  const now = c.svc.clock.now();
  if (!spec) return weekToPublish(now, zone);
  if (spec === 'next') return nextWeek(weekOf(now, zone), zone);
  if (spec === 'this') return weekOf(now, zone);
  const w = weekFromKey(spec, zone);
  if (!w) throw new CliFailure(c.t('schedule:cli.bad_week', { value: spec }));
  return w;
}

async function unitId(c: CliContext, code: string): Promise<number> {
  const unit = await c.svc.db.unit.findUnique({ where: { code } });
  if (!unit) throw new CliFailure(c.t('cli:unknown_unit', { code }));
  return unit.id;
}

/** A use case's value, or its refusal as the command's failure. */
function value<T>(c: CliContext, res: Result<T>): T {
  if (!res.ok) throw new CliFailure(c.t(res.refusal.key, res.refusal.params ?? {}));
  return res.value;
}
