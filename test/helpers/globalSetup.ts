import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { applyMigrations, type SqlRunner } from '../../src/db/migrate.js';
import { templatePath } from './template.js';

/**
 * Migrates one embedded database and saves it, so each test file starts from a copy in under a
 * second instead of creating and migrating its own (PGlite's start-up is the slow part).
 */
export default async function setup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  const file = templatePath();
  if (existsSync(file)) return;
  const lite = await PGlite.create('memory://');
  const sql: SqlRunner = {
    exec: async (s) => void (await lite.exec(s)),
    query: async (s, p = []) => (await lite.query(s, p)).rows as Record<string, unknown>[],
    withLock: async (fn) => fn(sql),
  };
  await applyMigrations(sql);
  const dump = await lite.dumpDataDir('none');
  await lite.close();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, Buffer.from(await dump.arrayBuffer()));
  renameSync(`${file}.tmp`, file);
}
