import type { Command } from 'commander';
import type { Role } from '../../db/generated/enums.js';
import type { RowError } from '../../domain/imports/errors.js';
import { importPeople, PEOPLE_COLUMNS } from '../../domain/imports/people.js';
import { readTable, TableError } from '../../domain/imports/readTable.js';
import { importUnits, UNIT_COLUMNS } from '../../domain/imports/units.js';
import { createInvite, inviteLink } from '../../domain/invites.js';
import { normalizePhone } from '../../domain/phone.js';
import { subtreeIds } from '../../domain/org/tree.js';
import type { CliContext } from '../context.js';
import { CliFailure } from '../failure.js';
import { toCsv } from '../csv.js';
import { help } from '../help.js';

export function registerOrg(program: Command, cli: () => Promise<CliContext>): void {
  const imp = program.command('import').description(help('import.description'));
  imp
    .command('units <file>')
    .description(help('import.units.description'))
    .action(async (file: string) => {
      const c = await cli();
      const rows = await readOrFail(c, file, UNIT_COLUMNS);
      const res = await importUnits(c.svc.db, rows);
      if (!res.ok) reportErrors(c, res.errors);
      c.out(c.t('cli:import.units_done', { ...res.summary }));
    });
  imp
    .command('people <file>')
    .description(help('import.people.description'))
    .action(async (file: string) => {
      const c = await cli();
      const rows = await readOrFail(c, file, PEOPLE_COLUMNS);
      const res = await importPeople(c.svc.db, rows);
      if (!res.ok) reportErrors(c, res.errors);
      c.out(c.t('cli:import.people_done', { ...res.summary }));
    });

  program
    .command('units')
    .description(help('units.description'))
    .action(async () => {
      const c = await cli();
      const units = await c.svc.db.unit.findMany({ orderBy: { code: 'asc' } });
      const people = await c.svc.db.roleAssignment.groupBy({ by: ['unitId'], _count: { personId: true } });
      const peopleBy = new Map(people.map((p) => [p.unitId, p._count.personId]));
      const linked = await c.svc.db.$queryRawUnsafe<{ unit_id: number; n: bigint }[]>(
        `SELECT r.unit_id, count(DISTINCT r.person_id) AS n FROM role_assignments r
         JOIN chat_identities c ON c.person_id = r.person_id AND c.active GROUP BY r.unit_id`,
      );
      const linkedBy = new Map(linked.map((l) => [Number(l.unit_id), Number(l.n)]));
      const children = new Map<number | null, typeof units>();
      for (const u of units) children.set(u.parentId, [...(children.get(u.parentId) ?? []), u]);
      const walk = (parent: number | null, depth: number) => {
        for (const u of children.get(parent) ?? []) {
          c.out(
            `${'  '.repeat(depth)}${u.code}  ${u.name}  [${c.t(`cli:kind.${u.kind}`)}]  ${c.t('cli:units.counts', {
              people: peopleBy.get(u.id) ?? 0,
              linked: linkedBy.get(u.id) ?? 0,
            })}`,
          );
          walk(u.id, depth + 1);
        }
      };
      walk(null, 0);
      if (units.length === 0) c.out(c.t('cli:units.empty'));
    });

  program
    .command('invite')
    .description(help('invite.description'))
    .option('--phone <phone>')
    .option('--all')
    .option('--unit <code>')
    .action(async (o: { phone?: string; all?: boolean; unit?: string }) => {
      const c = await cli();
      const bot = await c.botUsername();
      const ttl = c.config.INVITE_TTL_DAYS;
      if (o.phone) {
        const phone = normalizePhone(o.phone);
        const person = phone ? await c.svc.db.person.findUnique({ where: { phone } }) : null;
        if (!person) throw new CliFailure(c.t('cli:invite.unknown_phone', { phone: o.phone }));
        c.out(inviteLink(bot, await createInvite(c.svc.db, c.svc.clock, person.id, ttl)));
        return;
      }
      if (!o.all) throw new CliFailure(c.t('cli:invite.usage'));
      let unitIds: number[] | undefined;
      if (o.unit) {
        const unit = await c.svc.db.unit.findUnique({ where: { code: o.unit } });
        if (!unit) throw new CliFailure(c.t('cli:unknown_unit', { code: o.unit }));
        unitIds = await subtreeIds(c.svc.db, [unit.id]);
      }
      const people = await c.svc.db.person.findMany({
        where: {
          chats: { none: { active: true, isGroup: false } },
          ...(unitIds ? { roles: { some: { unitId: { in: unitIds } } } } : {}),
        },
        include: { roles: { include: { unit: true }, orderBy: { id: 'asc' } } },
        orderBy: { fullName: 'asc' },
      });
      const rows: string[][] = [['full_name', 'phone', 'unit', 'token', 'link']];
      for (const p of people) {
        const token = await createInvite(c.svc.db, c.svc.clock, p.id, ttl);
        const unit = (unitIds ? p.roles.find((r) => unitIds!.includes(r.unitId)) : p.roles[0])?.unit.code ?? '';
        rows.push([p.fullName, p.phone, unit, token, inviteLink(bot, token)]);
      }
      c.out(toCsv(rows).trimEnd());
    });
}

async function readOrFail(c: CliContext, file: string, columns: readonly string[]) {
  try {
    return await readTable(file, columns);
  } catch (err) {
    if (err instanceof TableError || (err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CliFailure(c.t('cli:import.bad_file', { file, reason: (err as Error).message }));
    }
    throw err;
  }
}

function reportErrors(c: CliContext, errors: RowError[]): never {
  const lines = [c.t('cli:import.rejected', { count: errors.length })];
  for (const e of errors) lines.push(`  ${c.t('cli:import.line', { line: e.line })}: ${c.t(`cli:import.errors.${e.key}`, e.params ?? {})}`);
  throw new CliFailure(lines.join('\n'));
}

export type { Role };
