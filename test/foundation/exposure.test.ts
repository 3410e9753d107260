import { afterEach, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../helpers/db.js';
import { startHarness, type Harness } from '../helpers/harness.js';

/**
 * What the real server exposes and where (M9). The whole of 127.0.0.0/8 is this machine: a server
 * bound to 0.0.0.0 answers on 127.0.0.2, one bound to 127.0.0.1 does not.
 */
const status = (url: string, init?: RequestInit) =>
  fetch(url, init).then(
    (r) => r.status,
    () => 'refused' as const,
  );

describe('HTTP exposure', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('binds all addresses by default and only the address HOST names when set', async () => {
    const database = await openTestDatabase();
    try {
      h = await startHarness({ database });
      expect(await status(`http://127.0.0.2:${h.app.port}/healthz`)).toBe(200);
      await h.stop();
      h = await startHarness({ database, env: { HOST: '127.0.0.1' } });
      expect(await status(`http://127.0.0.1:${h.app.port}/healthz`)).toBe(200);
      expect(await status(`http://127.0.0.2:${h.app.port}/healthz`)).toBe('refused');
    } finally {
      await h?.stop();
      h = undefined;
      await database.close();
    }
  }, 90_000); // two starts of the bot

  it('answers /metrics 401 without the METRICS_TOKEN bearer, and the metrics with it', async () => {
    const token = 'metrics-secret-0123456789';
    h = await startHarness({ env: { METRICS_TOKEN: token } });
    const url = `http://127.0.0.1:${h.app.port}/metrics`;
    expect(await status(url)).toBe(401);
    expect(await status(url, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).toBe(401);
    expect(await status(url, { headers: { authorization: token } })).toBe(401);
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('capuy_outbox_sent_total');
  });

  it('serves /metrics only on METRICS_PORT (on 127.0.0.1) when set, not on the public port', async () => {
    h = await startHarness({ env: { METRICS_PORT: '0' } });
    expect(h.app.metricsPort).toBeGreaterThan(0);
    expect(h.app.metricsPort).not.toBe(h.app.port);
    expect(await status(`http://127.0.0.1:${h.app.port}/metrics`)).toBe(404);
    expect(await status(`http://127.0.0.1:${h.app.port}/healthz`)).toBe(200);
    const res = await fetch(`http://127.0.0.1:${h.app.metricsPort}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('capuy_outbox_sent_total');
    expect(await status(`http://127.0.0.2:${h.app.metricsPort}/metrics`)).toBe('refused');
    await h.stop();
    h = undefined;
  });
});
