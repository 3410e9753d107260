import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { importFixtureOrg, linkByPhone } from '../helpers/org.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

describe('webhook mode', () => {
  let h: Harness;
  let url: string;
  const HANH = { id: 5101, first_name: 'Hạnh' };

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}/telegram/webhook`;
    h = await startHarness({ env: { PORT: String(port), WEBHOOK_URL: url, WEBHOOK_SECRET: 'bi-mat_cua-cap-uy' } });
    await importFixtureOrg(h.database, h.config);
    await linkByPhone(h.database, '+84913222333', HANH.id);
  });
  afterAll(() => h?.stop());

  it('receives updates from Telegram with the secret and answers', async () => {
    h.emulator.sendText(HANH, '/toi');
    const [reply] = await h.emulator.waitForMessages(HANH.id, 1);
    expect(reply!.plainText).toContain('Võ Thị Hạnh');
  });

  it('refuses a request without the right secret', async () => {
    const update = {
      update_id: 999,
      message: { message_id: 1, date: 0, chat: { id: 1, type: 'private' }, from: { id: 1, is_bot: false, first_name: 'X' }, text: '/toi' },
    };
    const none = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(update) });
    expect(none.status).toBe(401);
    const wrong = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'sai' },
      body: JSON.stringify(update),
    });
    expect(wrong.status).toBe(401);
    expect(h.emulator.messagesTo(1)).toHaveLength(0);
  });
});
