import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const tsx = pathToFileURL(resolve('node_modules/tsx/dist/esm/index.mjs')).href;

function run(script: string, cwd: string, env: Record<string, string> = {}, args: string[] = []): Promise<{ code: number; err: string }> {
  return new Promise((done) => {
    const p = spawn(process.execPath, ['--import', tsx, resolve(script), ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => done({ code: code ?? -1, err }));
  });
}

/** The README tells operators to put the token in `.env`: the bot and the CLI must read it (H3). */
describe('.env', () => {
  it('is read by the bot and the command line; the environment wins over the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'capuy-env-'));
    writeFileSync(join(dir, '.env'), 'TELEGRAM_BOT_TOKEN=123456:from-dot-env\nAPP_TIMEZONE=Sao/Hoa\n');
    for (const [script, ...args] of [['src/main.ts'], ['src/cli/index.ts', 'units']] as [string, ...string[]][]) {
      const res = await run(script, dir, {}, args);
      expect(res.code, script).toBe(1);
      expect(res.err, script).toContain('APP_TIMEZONE');
    }
    // Set in the environment, the good value is used and the bad one in the file is ignored.
    const res = await run('src/cli/index.ts', dir, { APP_TIMEZONE: 'Asia/Ho_Chi_Minh', DATA_DIR: join(dir, 'data') }, ['units']);
    expect(res.err).not.toContain('APP_TIMEZONE');
    expect(res.code).toBe(0);
  }, 60_000);
});
