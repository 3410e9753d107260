import type { Command } from 'commander';
import { DateTime } from 'luxon';
import type { Role } from '../../db/generated/enums.js';
import type { RowError } from '../../domain/imports/errors.js';
import { PEOPLE_COLUMNS, type PlanPerson, type PlanRole } from '../../domain/imports/people.js';
import { readTable, TableError } from '../../domain/imports/readTable.js';
import { importUnits, UNIT_COLUMNS } from '../../domain/imports/units.js';
import { formatInviteCode } from '../../domain/inviteCodes.js';
import { displayPhone } from '../../domain/phone.js';
import { operator } from '../../application/actor.js';
import type { Result } from '../../application/result.js';
import { invitePerson, inviteUnlinked, revokePersonInvites } from '../../application/people/access.js';
import { importPeopleFile, syncPeopleFile, type SyncOutcome } from '../../application/people/import.js';
import type { CliContext } from '../context.js';
import { CliFailure } from '../failure.js';
import { toCsv } from '../csv.js';
import { help } from '../help.js';
import { registerPeople } from './people.js';

export function registerOrg(program: Command, cli: () => Promise<CliContext>): void {
  registerPeople(program, cli);
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
    .option('--sync', help('import.people.sync'))
    .option('--unit <code>', help('import.people.unit'))
    .option('--yes', help('import.people.yes'))
    .action(async (file: string, o: { sync?: boolean; unit?: string; yes?: boolean }) => {
      const c = await cli();
      if (!o.sync && (o.unit || o.yes)) throw new CliFailure(c.t('cli:import.sync_only'));
      const rows = await readOrFail(c, file, PEOPLE_COLUMNS);
      if (o.sync)
        return printSync(
          c,
          unwrap(c, await syncPeopleFile(c.svc, operator, { rows, ...(o.unit ? { unitCode: o.unit } : {}), apply: !!o.yes })),
        );
      const res = unwrap(c, await importPeopleFile(c.svc, operator, { rows }));
      if (res.kind === 'rejected') reportErrors(c, res.errors);
      c.out(c.t('cli:import.people_done', { ...res.summary }));
      if (res.summary.peopleReactivated) c.out(c.t('cli:import.reactivated', { count: res.summary.peopleReactivated }));
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
    // `invite revoke --phone <p>` is this command with the word "revoke": a subcommand would lose
    // its --phone to this command's own option.
    .argument('[revoke]', help('invite.revoke.description'))
    .option('--phone <phone>')
    .option('--all')
    .option('--unit <code>')
    .option('--json', help('invite.json'))
    .action(async (word: string | undefined, o: { phone?: string; all?: boolean; unit?: string; json?: boolean }) => {
      const c = await cli();
      if (word !== undefined) {
        if (word !== 'revoke' || !o.phone || o.all) throw new CliFailure(c.t('cli:invite.usage'));
        const res = unwrap(c, await revokePersonInvites(c.svc, operator, { phone: o.phone }));
        c.out(c.t('cli:invite.revoked', { count: res.revoked, name: res.fullName, phone: displayPhone(res.phone) }));
        return;
      }
      const inviteLink = await c.inviteLinks();
      if (o.phone) {
        const res = unwrap(c, await invitePerson(c.svc, operator, { phone: o.phone }));
        const link = inviteLink?.(res.token) ?? null;
        const code = formatInviteCode(res.code);
        if (o.json) {
          const expires = res.expiresAt.toISOString();
          return c.out(JSON.stringify({ link, code, fullName: res.fullName, phone: res.phone, expiresAt: expires }));
        }
        if (link) c.out(link);
        c.out(c.t('cli:invite.code_line', { code }));
        return;
      }
      if (!o.all || o.json) throw new CliFailure(c.t('cli:invite.usage'));
      const people = unwrap(c, await inviteUnlinked(c.svc, operator, o.unit ? { unitCode: o.unit } : {}));
      const rows: string[][] = [['full_name', 'phone', 'unit', 'token', 'link', 'code', 'message']];
      for (const p of people) {
        const link = inviteLink?.(p.token) ?? '';
        const code = formatInviteCode(p.code);
        const until = DateTime.fromJSDate(p.expiresAt).setZone(c.config.APP_TIMEZONE).toFormat('dd/MM/yyyy');
        const message = c.t(link ? 'cli:invite.message' : 'cli:invite.message_code', { name: p.fullName, link, code, until });
        rows.push([p.fullName, p.phone, p.unitCode, p.token, link, code, message]);
      }
      c.out(toCsv(rows).trimEnd());
    });
}

/** A use case's value, or its refusal as the one line the command fails with. */
export function unwrap<T>(c: CliContext, res: Result<T>): T {
  if (!res.ok) throw new CliFailure(c.t(res.refusal.key, res.refusal.params ?? {}));
  return res.value;
}

function printSync(c: CliContext, res: SyncOutcome): void {
  if (res.kind === 'rejected') reportErrors(c, res.errors);
  const scope = res.scope.unit ? c.t('cli:import.scope_unit', { ...res.scope.unit }) : c.t('cli:import.scope_all');
  if (res.kind === 'applied') {
    c.out(c.t('cli:import.sync_done', { scope, ...res.summary }));
    for (const p of res.plan.deactivated)
      c.out(`  ${c.t('cli:import.deactivated_person', { name: p.fullName, phone: displayPhone(p.phone) })}`);
    if (res.summary.peopleReactivated) c.out(c.t('cli:import.reactivated', { count: res.summary.peopleReactivated }));
    return;
  }
  const { plan } = res;
  c.out(c.t('cli:import.plan_title', { scope }));
  const person = (p: PlanPerson) => c.t('cli:import.plan_person', { name: p.fullName, phone: displayPhone(p.phone) });
  const role = (r: PlanRole) =>
    c.t('cli:import.plan_role', {
      name: r.fullName,
      phone: displayPhone(r.phone),
      role: c.t(`core:roles.${r.role}`),
      unit: r.unitName,
      code: r.unitCode,
    });
  const section = <T>(key: string, items: T[], mark: string, line: (x: T) => string) => {
    if (!items.length) return;
    c.out(c.t(`cli:import.${key}`, { count: items.length }));
    for (const x of items) c.out(`  ${mark} ${line(x)}`);
  };
  section('plan_new_people', plan.newPeople, '+', person);
  section('plan_reactivated', plan.reactivated, '+', person);
  section('plan_roles_added', plan.rolesAdded, '+', role);
  section('plan_roles_removed', plan.rolesRemoved, '-', role);
  section('plan_deactivated', plan.deactivated, '✗', person);
  const empty = !plan.newPeople.length && !plan.reactivated.length && !plan.rolesAdded.length && !plan.rolesRemoved.length;
  c.out(c.t(empty ? 'cli:import.plan_nothing' : 'cli:import.plan_apply'));
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
