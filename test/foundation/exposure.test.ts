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
  });
});
