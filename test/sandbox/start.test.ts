import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dataDir = mkdtempSync(join(tmpdir(), 'capuy-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** `npm start`'s command without a token: waits for the address line, checks the page, stops it with SIGTERM. */
async function startWithoutToken(): Promise<{ stdout: string; stderr: string; code: number | null; page: number }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, SANDBOX_PORT: '0' };
  for (const name of ['TELEGRAM_BOT_TOKEN', 'DATABASE_URL', 'LOG_LEVEL', 'WEBHOOK_URL', 'WEBHOOK_SECRET', 'PORT']) delete env[name];
  // tsx's own wrapper process would SIGKILL a child that is slow to acknowledge a signal: load tsx in-process.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address after 150 s; stderr: ${stderr}`)), 150_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /^Sandbox: (http:\/\/localhost:\d+)$/m.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then((code) => reject(new Error(`exited with ${code} before printing the address; stderr: ${stderr}`)));
  });
  const page = (await fetch(url)).status;
  child.kill('SIGTERM');
  return { stdout, stderr, code: await exited, page };
}

describe('npm start without TELEGRAM_BOT_TOKEN', () => {
  it('prints the sandbox address as its only line, serves the page, and stops on SIGTERM; a second start reuses the data', async () => {
    for (let run = 1; run <= 2; run++) {
      const { stdout, stderr, code, page } = await startWithoutToken();
      expect(stdout.trim().split('\n'), `run ${run}`).toEqual([expect.stringMatching(/^Sandbox: http:\/\/localhost:\d+$/)]);
      expect(stderr, `run ${run}`).toBe('');
      expect(page, `run ${run}`).toBe(200);
      expect(code, `run ${run}`).toBe(0);
    }
  }, 300_000);
});
