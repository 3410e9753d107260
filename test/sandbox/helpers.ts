import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { openTestDatabase } from '../helpers/db.js';

export const LAN = 7100001; // Bí thư Chi bộ 3, linked
export const HUNG = 7100002; // Bí thư Chi bộ 2, not linked
export const STRANGER = 7100099;

export interface TestSandbox {
  sandbox: Sandbox;
  url: string;
  get<T = any>(path: string): Promise<{ status: number; body: T }>;
  post<T = any>(path: string, body?: unknown): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

/** The sandbox in this process, on a random port and a throw-away data directory. */
export async function startTestSandbox(): Promise<TestSandbox> {
  const dataDir = mkdtempSync(join(tmpdir(), 'capuy-sandbox-'));
  const config = configSchema.parse({ SANDBOX_PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const database = await openTestDatabase();
  const sandbox = await startSandbox(config, createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'), { database });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(sandbox.url + path, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text };
  };
  return {
    sandbox,
    get url() {
      return sandbox.url;
    },
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body ?? {}),
    async stop() {
      await sandbox.stop();
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns something truthy. */
export async function eventually<T>(check: () => Promise<T | undefined | false | null>, what: string, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
