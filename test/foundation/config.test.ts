import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const run = promisify(execFile);

describe('configuration', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c.APP_TIMEZONE).toBe('Asia/Ho_Chi_Minh');
    expect(c.DATA_DIR).toBe('./data');
    expect(c.QUIET_HOURS).toBe('21:00-06:30');
    expect(c.TELEGRAM_BOT_TOKEN).toBeUndefined();
  });

  it.each([
    [{ TELEGRAM_BOT_TOKEN: 'not a token' }, 'TELEGRAM_BOT_TOKEN'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ APP_TIMEZONE: 'Mars/Olympus' }, 'APP_TIMEZONE'],
    [{ QUIET_HOURS: '9pm' }, 'QUIET_HOURS'],
    [{ WEBHOOK_URL: 'https://bot.example.org/tg' }, 'WEBHOOK_SECRET'],
    [{ TELEGRAM_API_ROOT: 'nowhere' }, 'TELEGRAM_API_ROOT'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ OUTBOX_LEASE_SECONDS: '5' }, 'OUTBOX_LEASE_SECONDS'],
  ])('names the bad variable: %j', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid configuration: ${name}: `));
  });

  it('stops the bot with one clear line', async () => {
    const err = await run(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, TELEGRAM_BOT_TOKEN: '123456:ABC', PORT: 'abc', DATABASE_URL: '' },
    }).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).toBe(1);
    const lines = (err as { stderr: string }).stderr.trim().split('\n');
    expect(lines).toEqual([expect.stringMatching(/^Invalid configuration: PORT: /)]);
  });
});
