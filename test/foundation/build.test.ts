import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Production runs the JavaScript that scripts/build.mjs compiles into dist/ (`npm start`, `npm run cli`,
 * the Docker image): no TypeScript compiler in the process. Built here into a directory of its own.
 */
const out = mkdtempSync(join(process.cwd(), 'test', 'output-build-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('exit', (code) => resolve({ code: code ?? -1, out: stdout, err: stderr }));
  });
}

describe('the compiled build', () => {
  it('compiles once, skips an unchanged tree, and runs the CLI without TypeScript', async () => {
    const rel = relative(process.cwd(), out);
    expect((await run(['scripts/build.mjs', '--out', rel, '--force'])).code).toBe(0);
    const again = Date.now();
    expect((await run(['scripts/build.mjs', '--out', rel])).code).toBe(0);
    expect(Date.now() - again).toBeLessThan(5000);

    // A loader hook that fails the process if anything TypeScript (tsx, typescript) is loaded.
    const guard =
      'data:text/javascript,' +
      encodeURIComponent(
        `import { register } from 'node:module';
         register('data:text/javascript,' + encodeURIComponent("export async function resolve(s, c, n) { if (/(^|\\\\/)(tsx|typescript)(\\\\/|$)|\\\\.ts$/.test(s)) throw new Error('TypeScript at run time: ' + s); return n(s, c); }"));`,
      );
    const help = await run(['--import', guard, join(out, 'src/cli/index.js'), '--help']);
    expect(help.err).toBe('');
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: capuy');

    // Reaches the database: migrations, locales and the Prisma client come from the build.
    const dataDir = mkdtempSync(join(tmpdir(), 'capuy-build-'));
    const units = await run(['--import', guard, join(out, 'src/cli/index.js'), 'units'], {
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      LOG_LEVEL: 'silent',
    });
    rmSync(dataDir, { recursive: true, force: true });
    expect(units.err).toBe('');
    expect(units.code).toBe(0);
  }, 120_000);
});
