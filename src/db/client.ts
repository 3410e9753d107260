import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import type { PrismaClient, Prisma } from './generated/client.js';
import { lockDataDir } from './dataDirLock.js';
import { applyMigrations, type SqlRunner } from './migrate.js';

// The drivers, their Prisma adapters and the Prisma client are imported when a database is opened,
// not when this module is: a CLI command that never reaches the database (`--help`) starts without them.

export type { PrismaClient };
export type Db = PrismaClient;
/** A client or an open transaction: what read helpers and in-transaction writes accept. */
export type Tx = Db | Prisma.TransactionClient;

export interface Database {
  prisma: PrismaClient;
  kind: 'postgres' | 'pglite';
  /** The server's URL (PostgreSQL only): for connections of their own, like LISTEN. */
  url?: string;
  /** Runs plain SQL with the native driver (migrations, test resets). */
  sql: SqlRunner;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  /** Directory for embedded PGlite; `memory://` keeps it in memory. */
  dataDir?: string;
  migrate?: boolean;
  /** An already created PGlite (tests load one from a migrated template). */
  pglite?: PGlite;
}

/** PostgreSQL when a URL is given, embedded PGlite (real PostgreSQL in WebAssembly) otherwise. */
export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.databaseUrl) return migrated(await openPostgres(opts.databaseUrl), opts);
  if (opts.pglite) return migrated(await wrapPglite(opts.pglite), opts);
  const dataDir = opts.dataDir ?? './data';
  if (dataDir.startsWith('memory://')) return migrated(await wrapPglite(await createPglite(dataDir)), opts);
  mkdirSync(dataDir, { recursive: true });
  const unlock = lockDataDir(dataDir);
  try {
    const db = await wrapPglite(await createPglite(dataDir));
    const close = db.close;
    db.close = async () => {
      await close();
      unlock();
    };
    return await migrated(db, opts);
  } catch (err) {
    unlock();
    throw err;
  }
}

async function migrated(db: Database, opts: DatabaseOptions): Promise<Database> {
  if (opts.migrate !== false) await applyMigrations(db.sql);
  return db;
}

async function openPostgres(url: string): Promise<Database> {
  const [{ default: pg }, { PrismaPg }, { PrismaClient }] = await Promise.all([
    import('pg'),
    import('@prisma/adapter-pg'),
    import('./generated/client.js'),
  ]);
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection dropped by the server (restart, failover) must not crash the bot.
  pool.on('error', () => undefined);
  const sql: SqlRunner = {
    async exec(text) {
      await pool.query(text);
    },
    async query(text, params = []) {
      return (await pool.query(text, params as unknown[])).rows;
    },
    async withLock(fn) {
      const client = await pool.connect();
      try {
        // One migrator at a time when several bot processes start together.
        await client.query('SELECT pg_advisory_lock(72707301)');
        return await fn({
          exec: async (t) => void (await client.query(t)),
          query: async (t, p = []) => (await client.query(t, p as unknown[])).rows,
        });
      } finally {
        await client.query('SELECT pg_advisory_unlock(72707301)').catch(() => undefined);
        client.release();
      }
    },
  };
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }) });
  return {
    prisma,
    kind: 'postgres',
    url,
    sql,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function wrapPglite(lite: PGlite): Promise<Database> {
  const [{ PrismaPGlite }, { PrismaClient }] = await Promise.all([import('pglite-prisma-adapter'), import('./generated/client.js')]);
  const sql: SqlRunner = {
    async exec(text) {
      await lite.exec(text);
    },
    async query(text, params = []) {
      return (await lite.query(text, params as unknown[])).rows as Record<string, unknown>[];
    },
    async withLock(fn) {
      return fn(sql);
    },
  };
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(lite) });
  return {
    prisma,
    kind: 'pglite',
    sql,
    async close() {
      await prisma.$disconnect();
      await lite.close();
    },
  };
}

/** Embedded PostgreSQL for a data directory (or `memory://`). */
export async function createPglite(dataDir: string): Promise<PGlite> {
  const { PGlite } = await import('@electric-sql/pglite');
  return PGlite.create(dataDir);
}
