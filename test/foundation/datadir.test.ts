import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { DataDirLockedError } from '../../src/db/dataDirLock.js';

function cli(dataDir: string, ...argv: string[]): Promise<{ code: number; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...argv], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => resolve({ code: code ?? -1, err }));
  });
}

describe('the embedded database directory', () => {
  it('is opened by one process at a time, and the command line says so politely', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'capuy-lock-'));
    const db = await openDatabase({ dataDir: dir });
    await expect(openDatabase({ dataDir: dir })).rejects.toBeInstanceOf(DataDirLockedError);
    const res = await cli(dir, 'units');
    expect(res.code).toBe(1);
    expect(res.err.trim()).toMatch(/^Cơ sở dữ liệu nhúng trong .* đang được tiến trình \d+ .*DATABASE_URL/);
    await db.close();
    expect((await cli(dir, 'units')).code).toBe(0);
  }, 60_000);

  it('takes over a lock left by a process that no longer exists', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'capuy-lock-'));
    writeFileSync(join(dir, 'capuy.lock'), '999999');
    const db = await openDatabase({ dataDir: dir });
    expect(readFileSync(join(dir, 'capuy.lock'), 'utf8')).toMatch(new RegExp(`^${process.pid} \\d+$`));
    await db.close();
    expect(existsSync(join(dir, 'capuy.lock'))).toBe(false);
  }, 60_000);

  it('takes over a lock naming its own pid or a reused pid (a container restarted after a kill)', async () => {
    for (const content of [String(process.pid), `${process.pid} 1`, `${process.ppid} 1`]) {
      const dir = mkdtempSync(join(tmpdir(), 'capuy-lock-'));
      writeFileSync(join(dir, 'capuy.lock'), content);
      const db = await openDatabase({ dataDir: dir });
      expect(readFileSync(join(dir, 'capuy.lock'), 'utf8')).toMatch(new RegExp(`^${process.pid} \\d+$`));
      await db.close();
    }
  }, 60_000);
});
