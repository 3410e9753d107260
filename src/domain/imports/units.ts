import { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { UnitKind } from '../../db/generated/enums.js';
import { audit } from '../audit.js';
import { fold, type ImportResult, type RowError } from './errors.js';
import type { TableRow } from './readTable.js';

export const UNIT_COLUMNS = ['code', 'name', 'parent_code', 'kind'] as const;

const KIND_ALIASES: Record<string, UnitKind> = { dang_bo: 'dang_bo', 'dang bo': 'dang_bo', chi_bo: 'chi_bo', 'chi bo': 'chi_bo' };

const unitRow = z.object({
  code: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'bad_code'),
  name: z.string().min(1, 'empty_name').max(200, 'name_too_long'),
  parent_code: z.string(),
  kind: z.string().transform((k, ctx) => {
    const kind = KIND_ALIASES[fold(k)];
    if (!kind) {
      ctx.addIssue({ code: 'custom', message: 'bad_kind' });
      return z.NEVER;
    }
    return kind;
  }),
});

type UnitInput = z.output<typeof unitRow> & { line: number };

export interface UnitsSummary {
  created: number;
  updated: number;
  unchanged: number;
}

export async function importUnits(db: Db, rows: TableRow[], actor = 'cli'): Promise<ImportResult<UnitsSummary>> {
  const errors: RowError[] = [];
  const inputs: UnitInput[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const parsed = unitRow.safeParse(row.values);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        errors.push({ line: row.line, key: issue.message, params: { value: String(row.values[String(issue.path[0])] ?? '') } });
      }
      continue;
    }
    const first = seen.get(parsed.data.code);
    if (first !== undefined) {
      errors.push({ line: row.line, key: 'duplicate_code', params: { value: parsed.data.code, first } });
      continue;
    }
    seen.set(parsed.data.code, row.line);
    inputs.push({ ...parsed.data, line: row.line });
  }

  // The tree after the import: what the database has, overridden by the file.
  const existing = await db.unit.findMany({ select: { id: true, code: true, name: true, kind: true, parent: { select: { code: true } } } });
  const after = new Map<string, { parent: string; kind: UnitKind }>();
  for (const u of existing) after.set(u.code, { parent: u.parent?.code ?? '', kind: u.kind });
  for (const u of inputs) after.set(u.code, { parent: u.parent_code, kind: u.kind });

  for (const u of inputs) {
    if (!u.parent_code) continue;
    const parent = after.get(u.parent_code);
    if (!parent) errors.push({ line: u.line, key: 'unknown_parent', params: { value: u.parent_code } });
    else if (parent.kind === 'chi_bo') errors.push({ line: u.line, key: 'parent_is_chi_bo', params: { value: u.parent_code } });
    else if (u.parent_code === u.code || leadsTo(after, u.parent_code, u.code)) {
      errors.push({ line: u.line, key: 'cycle', params: { value: u.code } });
    }
  }
  if (errors.length) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };

  const byCode = new Map(existing.map((u) => [u.code, u]));
  const summary: UnitsSummary = { created: 0, updated: 0, unchanged: 0 };
  await db.$transaction(
    async (tx) => {
      // Two passes: create or rename every unit first, then link parents, so order in the file is free.
      // Set operations (a bloc has 674 units): one insert, one update of the changed, one of the parents.
      const ids = new Map(existing.map((u) => [u.code, u.id]));
      const fresh = inputs.filter((u) => !byCode.has(u.code));
      const changed = inputs.filter((u) => {
        const old = byCode.get(u.code);
        return old && (old.name !== u.name || old.kind !== u.kind || (old.parent?.code ?? '') !== u.parent_code);
      });
      if (fresh.length) {
        await tx.unit.createMany({ data: fresh.map((u) => ({ code: u.code, name: u.name, kind: u.kind })) });
        const made = await tx.unit.findMany({ where: { code: { in: fresh.map((u) => u.code) } }, select: { id: true, code: true } });
        for (const u of made) ids.set(u.code, u.id);
      }
      if (changed.length) {
        await tx.$executeRaw`
          UPDATE units AS u SET name = v.name, kind = v.kind::"UnitKind", updated_at = now()
          FROM unnest(${changed.map((u) => byCode.get(u.code)!.id)}::int[], ${changed.map((u) => u.name)}::text[], ${changed.map((u) => u.kind)}::text[])
            AS v(id, name, kind)
          WHERE u.id = v.id`;
      }
      summary.created = fresh.length;
      summary.updated = changed.length;
      summary.unchanged = inputs.length - fresh.length - changed.length;
      const links = inputs.map((u) => ({ id: ids.get(u.code)!, parentId: u.parent_code ? ids.get(u.parent_code)! : null }));
      await tx.$executeRaw`
        UPDATE units AS u SET parent_id = v.parent_id, updated_at = now()
        FROM unnest(${links.map((l) => l.id)}::int[], ${links.map((l) => l.parentId)}::int[]) AS v(id, parent_id)
        WHERE u.id = v.id AND u.parent_id IS DISTINCT FROM v.parent_id`;
      await audit(tx, { actor, action: 'import.units', details: { rows: inputs.length, ...summary } });
    },
    { timeout: 120_000 },
  );
  return { ok: true, summary };
}

/** Does walking up from `from` reach `target`? (i.e. would target become its own ancestor) */
function leadsTo(tree: Map<string, { parent: string }>, from: string, target: string): boolean {
  const visited = new Set<string>();
  let cur: string | undefined = from;
  while (cur) {
    if (cur === target) return true;
    if (visited.has(cur)) return true;
    visited.add(cur);
    cur = tree.get(cur)?.parent;
  }
  return false;
}
