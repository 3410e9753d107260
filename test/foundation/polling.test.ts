import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

const STRANGER = { id: 93_001, first_name: 'Khách' };

async function health(h: Harness): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${h.app.port}/healthz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A poller that telegraf gives up on (401, 409) is noticed by /healthz and started again (M7). */
describe('a stopped poller', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.stop());

  it('makes /healthz fail with the reason, polls again with backoff, and answers what came meanwhile', async () => {
    expect((await health(h)).status).toBe(200);
    h.emulator.failNext('getUpdates', 2, { code: 401, description: 'Unauthorized' });
    // An update ends the current long poll; the next two polls are refused.
    h.emulator.sendText(STRANGER, 'xin chào');
    await h.emulator.waitForMessages(STRANGER.id, 1);
    const deaf = await until('a failing /healthz', async () => {
      const r = await health(h);
      return r.status === 503 ? r : undefined;
    });
    expect(deaf.body).toMatchObject({ status: 'error', telegram: 'not receiving: 401 Unauthorized' });
    // Written while the bot was not polling: answered once it polls again (1 s, then 2 s).
    h.emulator.sendText(STRANGER, '/toi');
    const answered = await h.emulator.waitForMessages(STRANGER.id, 2, 15_000);
    expect(answered[1]!.plainText).toContain('chưa được liên kết');
    expect((await health(h)).status).toBe(200);
  }, 30_000);

  // 409: another poller, or a webhook set elsewhere; and an error telegraf would not expect.
  for (const [code, description] of [
    [409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'],
    [400, 'Bad Request: something unexpected'],
  ] as const) {
    it(`makes /healthz fail on ${code} with the reason and recovers`, async () => {
      const before = h.emulator.messagesTo(STRANGER.id).length;
      h.emulator.failNext('getUpdates', 2, { code, description });
      h.emulator.sendText(STRANGER, '/toi');
      await h.emulator.waitForMessages(STRANGER.id, before + 1);
      const deaf = await until('a failing /healthz', async () => {
        const r = await health(h);
        return r.status === 503 ? r : undefined;
      });
      expect(deaf.body).toMatchObject({ status: 'error', telegram: `not receiving: ${code} ${description}` });
      h.emulator.sendText(STRANGER, '/toi');
      await h.emulator.waitForMessages(STRANGER.id, before + 2, 15_000);
      expect((await health(h)).status).toBe(200);
      expect(h.emulator.messagesTo(STRANGER.id)).toHaveLength(before + 2);
    }, 30_000);
  }
});
