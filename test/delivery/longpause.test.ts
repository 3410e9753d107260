import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { outboxDrained } from '../helpers/outbox.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { importFixtureOrg } from '../helpers/org.js';
import { addLinkedMembers } from '../helpers/people.js';

/**
 * A 429 whose retry_after is longer than the lease (M3): the rows claimed ahead wait out the pause
 * with their leases expiring. Before, the worker claimed them again and sent both copies.
 */
describe('a pause longer than the lease', () => {
  let h: Harness;
  let chats: number[];

  beforeAll(async () => {
    h = await startHarness({ env: { SEND_RATE: '20', SEND_TIMEOUT_MS: '1500' }, leaseSeconds: 5 });
    await importFixtureOrg(h.database, h.config);
    chats = await addLinkedMembers(h.db, 'CB2-BTG', 60, 810_000);
  });
  afterAll(() => h?.stop());

  it('sends every message once', async () => {
    h.emulator.failNext('sendMessage', 3, { code: 429, description: 'Too Many Requests: retry after 8', retry_after: 8 });
    const res = await cli(
      h.database,
      h.config,
      ['notify', '--unit', 'CB2-BTG', '--roles', 'dang_vien', '--text', 'Thông báo dài'],
      h.clock,
    );
    expect(res.code, res.err).toBe(0);
    h.app.worker.kick();
    await outboxDrained(h.db, 40_000);
    const counts = chats.map((c) => h.emulator.messagesTo(c).length);
    const duplicates = counts.reduce((s, n) => s + Math.max(0, n - 1), 0);
    expect({ lost: counts.filter((n) => n === 0).length, duplicates }).toEqual({ lost: 0, duplicates: 0 });
  }, 60_000);
});
