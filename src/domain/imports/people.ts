import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { Role } from '../../db/generated/enums.js';
import { audit } from '../audit.js';
import { normalizePhone } from '../phone.js';
import type { ImportResult, RowError } from './errors.js';
import type { TableRow } from './readTable.js';

export const PEOPLE_COLUMNS = ['full_name', 'phone', 'unit_code', 'role'] as const;
const ROLES = Object.values(Role) as [Role, ...Role[]];

const personRow = z.object({
  full_name: z.string().min(2, 'empty_name').max(120, 'name_too_long'),
  phone: z.string().transform((p, ctx) => {
    const phone = normalizePhone(p);
    if (!phone) {
      ctx.addIssue({ code: 'custom', message: 'bad_phone' });
      return z.NEVER;
    }
    return phone;
  }),
  unit_code: z.string().min(1, 'empty_unit'),
  role: z.string().transform((r, ctx) => {
    const role = r.trim().toLowerCase() as Role;
    if (!ROLES.includes(role)) {
      ctx.addIssue({ code: 'custom', message: 'bad_role' });
      return z.NEVER;
    }
    return role;
  }),
  position: z.string().max(200).optional(),
});

export interface PeopleSummary {
  peopleCreated: number;
  peopleUpdated: number;
  rolesAdded: number;
}

export async function importPeople(db: Db, rows: TableRow[], actor = 'cli'): Promise<ImportResult<PeopleSummary>> {
  const errors: RowError[] = [];
  const units = new Map((await db.unit.findMany({ select: { id: true, code: true } })).map((u) => [u.code, u.id]));
  const people = new Map<string, { fullName: string; position?: string; line: number; roles: { unitId: number; role: Role }[] }>();

  for (const row of rows) {
    const parsed = personRow.safeParse(row.values);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        errors.push({ line: row.line, key: issue.message, params: { value: String(row.values[String(issue.path[0])] ?? '') } });
      }
      continue;
    }
    const p = parsed.data;
    const unitId = units.get(p.unit_code);
    if (unitId === undefined) {
      errors.push({ line: row.line, key: 'unknown_unit', params: { value: p.unit_code } });
      continue;
    }
    const known = people.get(p.phone);
    if (known && known.fullName !== p.full_name) {
      errors.push({ line: row.line, key: 'phone_name_conflict', params: { value: p.phone, name: known.fullName, first: known.line } });
      continue;
    }
    const entry = known ?? { fullName: p.full_name, line: row.line, roles: [] };
    if (p.position) entry.position = p.position;
    entry.roles.push({ unitId, role: p.role });
    people.set(p.phone, entry);
  }
  if (errors.length) return { ok: false, errors };

  const summary: PeopleSummary = { peopleCreated: 0, peopleUpdated: 0, rolesAdded: 0 };
  await db.$transaction(
    async (tx) => {
      const existing = new Map(
        (await tx.person.findMany({ where: { phone: { in: [...people.keys()] } } })).map((p) => [p.phone, p]),
      );
      for (const [phone, p] of people) {
        const old = existing.get(phone);
        let personId: number;
        if (!old) {
          personId = (await tx.person.create({ data: { phone, fullName: p.fullName, position: p.position ?? null } })).id;
          summary.peopleCreated++;
        } else {
          personId = old.id;
          if (old.fullName !== p.fullName || (p.position !== undefined && old.position !== p.position)) {
            await tx.person.update({ where: { id: old.id }, data: { fullName: p.fullName, ...(p.position ? { position: p.position } : {}) } });
            summary.peopleUpdated++;
          }
        }
        const res = await tx.roleAssignment.createMany({
          data: p.roles.map((r) => ({ personId, unitId: r.unitId, role: r.role })),
          skipDuplicates: true,
        });
        summary.rolesAdded += res.count;
      }
      await audit(tx, { actor, action: 'import.people', details: { rows: rows.length, ...summary } });
    },
    { timeout: 120_000 },
  );
  return { ok: true, summary };
}
