import { mkdirSync, rmSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { openDatabase, type Database } from '../db/client.js';
import { applyMigrations } from '../db/migrate.js';
import type { Logger } from '../logger.js';

/**
 * The sandbox's own embedded database, never the real one. It is kept between runs because creating
 * one takes PGlite several seconds; a directory it cannot use (a killed process, a migration edited
 * during development) is thrown away, since it only ever holds demo data.
 */
export async function openSandboxDatabase(dataDir: string, log: Logger): Promise<Database> {
  let lite: PGlite | undefined;
  try {
    mkdirSync(dataDir, { recursive: true });
    lite = await PGlite.create(dataDir);
    return await openDatabase({ pglite: lite });
  } catch (err) {
    log.info({ err, dataDir }, 'sandbox database unusable; creating a new one');
    await lite?.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    return openDatabase({ dataDir });
  }
}

/**
 * Back to a freshly migrated database: the schema is dropped and the migrations run again, so rows
 * that migrations insert (document categories…) come back too.
 */
export async function wipe(database: Database): Promise<void> {
  await database.sql.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  await applyMigrations(database.sql);
}
