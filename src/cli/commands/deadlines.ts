import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { formatDateTime } from '../../core/format.js';
import type { UnitKind } from '../../db/generated/enums.js';
import { operator } from '../../application/actor.js';
import { close, create, followed, progress } from '../../application/deadlines/index.js';
import type { Refusal } from '../../application/result.js';
import { checkLink, DeadlineError, resolveUnits } from '../../domain/deadlines/input.js';
import { dueText } from '../../domain/deadlines/render.js';
import type { DeadlineProgress } from '../../domain/deadlines/service.js';
import { parseDue, parseRemindDays } from '../../domain/deadlines/time.js';
import { normalizePhone } from '../../domain/phone.js';
import type { CliContext } from '../context.js';
import { toCsv } from '../csv.js';
import { CliFailure } from '../failure.js';
import { help } from '../help.js';

interface AddOptions {
  title: string;
  due: string;
  time?: string;
  units: string;
  subtree?: boolean;
  kind?: string;
  doc?: string;
  link?: string;
  remind?: string;
  by?: string;
}

/** A DeadlineError as the CLI's one-line failure, in the same words the chat uses. */
function fail(c: CliContext, err: unknown): never {
  if (err instanceof DeadlineError) throw new CliFailure(c.t(`deadlines:errors.${err.key}`, err.params));
  throw err;
}

/** A use case's refusal as the CLI's one-line failure. */
function refuse(c: CliContext, r: Refusal): never {
  throw new CliFailure(c.t(r.key, r.params ?? {}));
}

function idOf(c: CliContext, s: string): number {
  if (!/^\d{1,9}$/.test(s)) throw new CliFailure(c.t('deadlines:errors.bad_id', { value: s }));
  return Number(s);
}

async function add(c: CliContext, o: AddOptions): Promise<void> {
  const zone = c.config.APP_TIMEZONE;
  try {
    const due = parseDue(o.due, o.time, zone);
    if (!due.ok) throw new DeadlineError(due.error, { value: due.error === 'bad_date' ? o.due : (o.time ?? '') });
    if (due.dueAt <= c.svc.clock.now()) throw new DeadlineError('past_due', { due: dueText(c.t, 'vi', due.dueAt) });
    if (o.kind && o.kind !== 'chi_bo' && o.kind !== 'dang_bo') throw new DeadlineError('bad_kind', { value: o.kind });
    const remindDays = o.remind === undefined ? undefined : parseRemindDays(o.remind);
    if (remindDays === null) throw new DeadlineError('bad_remind');
    const link = o.link ? checkLink(o.link) : null;
    let createdById: number | null = null;
    if (o.by) {
      const phone = normalizePhone(o.by);
      const person = phone ? await c.svc.db.person.findUnique({ where: { phone } }) : null;
      if (!person) throw new DeadlineError('unknown_person', { phone: o.by });
      createdById = person.id;
    }
    const units = await resolveUnits(c.svc.db, o.units.split(','), {
      subtree: !!o.subtree,
      ...(o.kind ? { kind: o.kind as UnitKind } : {}),
    });
    const res = await create(c.svc, operator, {
      title: o.title,
      dueAt: due.dueAt,
      unitIds: units.map((u) => u.id),
      ...(remindDays ? { remindDays } : {}),
      docNumber: o.doc ?? null,
      link,
      createdById,
    });
    if (!res.ok) refuse(c, res.refusal);
    // The id alone on the first line, for scripts: id=$(npm run -s cli -- deadline add … | head -1)
    c.out(String(res.value.id));
    c.out(
      c.t('deadlines:cli.created', {
        id: res.value.id,
        units: units.length,
        due: dueText(c.t, 'vi', due.dueAt),
        count: res.value.announced,
      }),
    );
  } catch (err) {
    fail(c, err);
  }
}

function statusRows(p: DeadlineProgress): (string | number | null)[][] {
  const rows: (string | number | null)[][] = [['unit_code', 'unit_name', 'status', 'reported_at', 'reported_by', 'note']];
  for (const r of p.rows) {
    const status = r.reportedAt ? (r.reportedLate ? 'reported_late' : 'reported') : r.late ? 'late' : 'pending';
    rows.push([
      r.code,
      r.name,
      status,
      r.reportedAt?.startOf('second').toISO({ suppressMilliseconds: true }) ?? null,
      r.reportedBy,
      r.note,
    ]);
  }
  return rows;
}

function printStatus(c: CliContext, p: DeadlineProgress): void {
  const d = p.deadline;
  c.out(
    `${c.t('deadlines:cli.header', { id: d.id, title: d.title, due: dueText(c.t, 'vi', d.dueAt) })}${d.closedAt ? ` ${c.t('deadlines:cli.closed_note')}` : ''}`,
  );
  c.out(c.t('deadlines:cli.counts', { reported: p.reported, units: p.units }));
  if (p.late.length) c.out(c.t('deadlines:cli.late', { count: p.late.length, list: p.late.map((l) => l.code).join(', ') }));
  const width = Math.max(...p.rows.map((r) => r.code.length), 4);
  for (const r of p.rows) {
    const state = r.reportedAt
      ? c.t(r.reportedLate ? 'deadlines:cli.row_reported_late' : 'deadlines:cli.row_reported', {
          at: formatDateTime(r.reportedAt),
          who: r.reportedBy ?? '—',
        })
      : c.t(r.late ? 'deadlines:cli.row_late' : 'deadlines:cli.row_pending');
    c.out(`  ${r.code.padEnd(width)}  ${r.name}  ${state}${r.note ? `  «${r.note}»` : ''}`);
  }
}

export function registerDeadlines(program: Command, cli: () => Promise<CliContext>): void {
  const dl = program.command('deadline').description(help('deadline.description'));

  dl.command('add')
    .description(help('deadline.add.description'))
    .requiredOption('--title <title>', help('deadline.add.title'))
    .requiredOption('--due <date>', help('deadline.add.due'))
    .option('--time <HH:mm>', help('deadline.add.time'))
    .requiredOption('--units <codes>', help('deadline.add.units'))
    .option('--subtree', help('deadline.add.subtree'))
    .option('--kind <kind>', help('deadline.add.kind'))
    .option('--doc <number>', help('deadline.add.doc'))
    .option('--link <url>', help('deadline.add.link'))
    .option('--remind <days>', help('deadline.add.remind'))
    .option('--by <phone>', help('deadline.add.by'))
    .action(async (o: AddOptions) => add(await cli(), o));

  dl.command('status <id>')
    .description(help('deadline.status.description'))
    .option('--csv [file]', help('deadline.status.csv'))
    .option('--json', help('deadline.status.json'))
    .action(async (id: string, o: { csv?: string | boolean; json?: boolean }) => {
      const c = await cli();
      const res = await progress(c.svc, operator, idOf(c, id));
      if (!res.ok) refuse(c, res.refusal);
      const p = res.value;
      if (o.json) {
        const d = p.deadline;
        c.out(
          JSON.stringify({ id: d.id, title: d.title, dueAt: d.dueAt.toISO(), units: p.units, reported: p.reported, late: p.late }, null, 2),
        );
        return;
      }
      if (o.csv !== undefined) {
        const csv = toCsv(statusRows(p));
        if (typeof o.csv === 'string') {
          writeFileSync(o.csv, csv);
          c.out(c.t('deadlines:cli.csv_written', { count: p.rows.length, file: o.csv }));
        } else {
          c.out(csv.trimEnd());
        }
        return;
      }
      printStatus(c, p);
    });

  dl.command('list')
    .description(help('deadline.list.description'))
    .action(async () => {
      const c = await cli();
      const open = await followed(c.svc, operator);
      if (open.length === 0) return c.out(c.t('deadlines:cli.list_empty'));
      for (const p of open) {
        c.out(
          c.t('deadlines:cli.list_row', {
            id: p.deadline.id,
            due: formatDateTime(p.deadline.dueAt),
            reported: p.reported,
            units: p.units,
            title: p.deadline.title,
          }),
        );
      }
    });

  dl.command('close <id>')
    .description(help('deadline.close.description'))
    .action(async (id: string) => {
      const c = await cli();
      const n = idOf(c, id);
      const res = await close(c.svc, operator, { deadlineId: n });
      if (!res.ok) refuse(c, res.refusal);
      c.out(c.t(res.value.closed ? 'deadlines:cli.closed' : 'deadlines:cli.already_closed', { id: n }));
    });
}
