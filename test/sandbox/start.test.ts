import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dataDir = mkdtempSync(join(tmpdir(), 'capuy-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** `npm start`'s command without a token: waits for the address line, checks the page, stops it with SIGTERM. */
async function startWithoutToken(): Promise<{
  stdout: string;
  stderr: string;
  code: number | null;
  page: number;
  otherAddress: number | 'refused';
}> {
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
  // The whole of 127.0.0.0/8 is this machine: a server bound to 0.0.0.0 answers on 127.0.0.2, one
  // bound to 127.0.0.1 (and so unreachable from other machines) does not.
  const otherAddress = await fetch(url.replace('localhost', '127.0.0.2')).then(
    (r) => r.status,
    () => 'refused' as const,
  );
  child.kill('SIGTERM');
  return { stdout, stderr, code: await exited, page, otherAddress };
}

describe('npm start without TELEGRAM_BOT_TOKEN', () => {
  it('prints the sandbox address as its only line, serves the page, and stops on SIGTERM; a second start reuses the data', async () => {
    for (let run = 1; run <= 2; run++) {
      const { stdout, stderr, code, page, otherAddress } = await startWithoutToken();
      expect(stdout.trim().split('\n'), `run ${run}`).toEqual([expect.stringMatching(/^Sandbox: http:\/\/localhost:\d+$/)]);
      expect(stderr, `run ${run}`).toBe('');
      expect(page, `run ${run}`).toBe(200);
      expect(otherAddress, `run ${run}: listens on 127.0.0.1 only`).toBe('refused');
      expect(code, `run ${run}`).toBe(0);
    }
  }, 300_000);
});

describe('npm start without a token but with production settings', () => {
  const refused = (extra: Record<string, string>) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, SANDBOX_PORT: '0', ...extra };
      for (const name of ['TELEGRAM_BOT_TOKEN', 'LOG_LEVEL', 'WEBHOOK_URL', 'WEBHOOK_SECRET']) delete env[name];
      if (!extra.DATABASE_URL) delete env.DATABASE_URL;
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      // A sandbox that started anyway would run until killed.
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });

  it('refuses to open the sandbox, with one line naming the missing token, and exits 1', async () => {
    const cases: Record<string, string>[] = [{ NODE_ENV: 'production' }, { DATABASE_URL: 'postgresql://capuy@127.0.0.1:1/capuy' }];
    for (const extra of cases) {
      const { code, stdout, stderr } = await refused(extra);
      const what = JSON.stringify(extra);
      expect(code, what).toBe(1);
      expect(stdout, what).toBe('');
      expect(stderr.trim().split('\n'), what).toEqual([expect.stringContaining('TELEGRAM_BOT_TOKEN is not set')]);
      expect(stderr, what).toContain(Object.keys(extra)[0]);
    }
  }, 150_000);
});
