import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { applyMigrations, readMigrations } from '../../src/db/migrate.js';
import { openTestDatabase } from '../helpers/db.js';

const require = createRequire(import.meta.url);
const wasm = require('@prisma/prisma-schema-wasm') as { get_dmmf(params: string): string };

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'enum' | 'object';
  type: string;
  isRequired: boolean;
  isList: boolean;
  relationFromFields?: string[];
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}

const SQL_TYPE: Record<string, string> = {
  Int: 'integer',
  BigInt: 'bigint',
  String: 'text',
  Boolean: 'boolean',
  DateTime: 'timestamp without time zone',
  Json: 'jsonb',
  Float: 'double precision',
};

describe('schema.prisma and the migrated database', () => {
  let database: Database;
  const dmmf = JSON.parse(wasm.get_dmmf(JSON.stringify({ prismaSchema: readFileSync('prisma/schema.prisma', 'utf8') })));
  const models = dmmf.datamodel.models as DmmfModel[];
  const enums = dmmf.datamodel.enums as { name: string; values: { name: string }[] }[];

  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database?.close());

  it('have the same tables and columns, with the same types and nullability', async () => {
    const cols = await database.sql.query(
      `SELECT table_name, column_name, data_type, udt_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const byTable = new Map<string, Map<string, Record<string, unknown>>>();
    for (const c of cols) {
      const t = byTable.get(String(c.table_name)) ?? new Map();
      t.set(String(c.column_name), c);
      byTable.set(String(c.table_name), t);
    }
    const expectedTables = models.map((m) => m.dbName ?? m.name).sort();
    const actualTables = [...byTable.keys()].filter((t) => t !== '_prisma_migrations').sort();
    expect(actualTables).toEqual(expectedTables);
    for (const m of models) {
      const table = byTable.get(m.dbName ?? m.name)!;
      const scalars = m.fields.filter((f) => f.kind !== 'object');
      expect([...table.keys()].sort(), m.name).toEqual(scalars.map((f) => f.dbName ?? f.name).sort());
      for (const f of scalars) {
        const col = table.get(f.dbName ?? f.name)!;
        const type = f.kind === 'enum' ? f.type : SQL_TYPE[f.type];
        const actual = col.data_type === 'USER-DEFINED' ? col.udt_name : col.data_type;
        expect(actual, `${m.name}.${f.name}`).toBe(type);
        expect(col.is_nullable, `${m.name}.${f.name} nullable`).toBe(f.isRequired ? 'NO' : 'YES');
      }
    }
  });

  it('have the same enums and values', async () => {
    const rows = await database.sql.query(
      `SELECT t.typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    );
    const actual = Object.fromEntries(rows.map((r) => [r.typname, r.labels]));
    const expected = Object.fromEntries(enums.map((e) => [e.name, e.values.map((v) => v.name)]));
    expect(actual).toEqual(expected);
  });

  it('have every unique constraint of the schema as a unique index', async () => {
    const rows = await database.sql.query(
      `SELECT t.relname AS table_name, array_agg(a.attname::text ORDER BY k.ord) AS cols
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
       JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
       JOIN pg_namespace n ON n.oid = t.relnamespace
       WHERE i.indisunique AND n.nspname = 'public' GROUP BY t.relname, i.indexrelid`,
    );
    const actual = new Set(rows.map((r) => `${r.table_name}(${(r.cols as string[]).join(',')})`));
    for (const m of models) {
      const col = (name: string) => {
        const f = m.fields.find((x) => x.name === name)!;
        return f.dbName ?? f.name;
      };
      const uniques = [
        ...m.fields.filter((f) => (f as { isUnique?: boolean }).isUnique || (f as { isId?: boolean }).isId).map((f) => [f.name]),
        ...((m as unknown as { uniqueFields: string[][] }).uniqueFields ?? []),
        ...((m as unknown as { primaryKey?: { fields: string[] } | null }).primaryKey
          ? [(m as unknown as { primaryKey: { fields: string[] } }).primaryKey.fields]
          : []),
      ];
      for (const u of uniques)
        expect(actual, `${m.name} unique (${u.join(',')})`).toContain(`${m.dbName ?? m.name}(${u.map(col).join(',')})`);
    }
  });

  it('record migrations the way prisma migrate deploy does', async () => {
    const rows = await database.sql.query(
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    const files = readMigrations();
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    for (const [i, f] of files.entries()) {
      const sha = createHash('sha256')
        .update(readFileSync(`prisma/migrations/${f.name}/migration.sql`))
        .digest('hex');
      expect(rows[i]!.checksum).toBe(sha);
      expect(rows[i]!.finished_at).not.toBeNull();
      expect(Number(rows[i]!.applied_steps_count)).toBe(1);
    }
    // Running again applies nothing.
    expect(await applyMigrations(database.sql)).toEqual([]);
  });
});
