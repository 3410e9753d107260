import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BLOCKED_DESCRIPTION, ZaloEmulator, type ZaloEmulatorOptions } from '../../src/emulator/zalo/zaloEmulator.js';

const HEX20 = /^[0-9a-f]{20}$/;

const running: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

async function setup(opts: ZaloEmulatorOptions = {}): Promise<ZaloEmulator> {
  const emu = new ZaloEmulator(opts);
  await emu.start();
  running.push(emu);
  return emu;
}

type Encoding = 'json' | 'query' | 'form' | 'multipart';

/** One raw HTTP call, as any client would make it: the HTTP status and the parsed body. */
async function api(
  emu: ZaloEmulator,
  method: string,
  params: Record<string, string | number> = {},
  opts: { via?: Encoding; token?: string } = {},
): Promise<{ status: number; body: any }> {
  const via = opts.via ?? 'json';
  let url = `${emu.apiRoot}/bot${opts.token ?? emu.token}/${method}`;
  const init: RequestInit = { method: 'POST' };
  const strings = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));
  if (via === 'json') Object.assign(init, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
  if (via === 'form') init.body = new URLSearchParams(strings);
  if (via === 'multipart') {
    const form = new FormData();
    for (const [k, v] of Object.entries(strings)) form.append(k, v);
    init.body = form;
  }
  if (via === 'query') {
    url += `?${new URLSearchParams(strings)}`;
    init.method = 'GET';
  }
  const res = await fetch(url, init);
  return { status: res.status, body: await res.json() };
}

describe('Zalo emulator: the envelope', () => {
  it('answers every error with HTTP 200 and ok:false, error_code, description', async () => {
    const emu = await setup();
    expect(await api(emu, 'getMe', {}, { token: '1:wrong' })).toEqual({
      status: 200,
      body: { ok: false, error_code: 401, description: 'Unauthorized' },
    });
    const unknownMethod = await api(emu, 'editMessageText', { chat_id: 'x' });
    expect(unknownMethod.status).toBe(200);
    expect(unknownMethod.body).toMatchObject({ ok: false, error_code: 404 });
    const noChat = await api(emu, 'sendMessage', { text: 'hi' });
    expect(noChat).toMatchObject({ status: 200, body: { ok: false, error_code: 400 } });
  });

  it('getMe describes a basic bot that cannot join groups, by GET or POST', async () => {
    const emu = await setup({ token: '1459232241454765289:abc-xyz' });
    const expected = { id: '1459232241454765289', account_type: 'BASIC', can_join_groups: false };
    expect((await api(emu, 'getMe', {}, { via: 'query' })).body).toMatchObject({ ok: true, result: expected });
    expect((await api(emu, 'getMe')).body).toMatchObject({ ok: true, result: expected });
  });

  it('takes parameters from the query, a url-encoded form, JSON or multipart', async () => {
    const emu = await setup();
    const lan = emu.newUser('Lan');
    emu.userSends(lan, 'xin chào');
    for (const via of ['query', 'form', 'json', 'multipart'] as const) {
      const sent = await api(emu, 'sendMessage', { chat_id: lan.id, text: `qua ${via}` }, { via });
      expect(sent.body).toMatchObject({ ok: true, result: { message_id: expect.stringMatching(HEX20) } });
    }
    expect(emu.messagesTo(lan.id).map((m) => m.text)).toEqual(['qua query', 'qua form', 'qua json', 'qua multipart']);
  });
});

describe('Zalo emulator: receiving', () => {
  it('getUpdates returns ONE update object per call, oldest first, with hex ids and ms dates', async () => {
    const emu = await setup();
    const lan = emu.newUser('Lan');
    expect(lan.id).toMatch(HEX20);
    const first = emu.userSends(lan, 'một');
    emu.userSends(lan, 'hai');

    const a = await api(emu, 'getUpdates', { timeout: 0 });
    expect(a.body.ok).toBe(true);
    expect(Array.isArray(a.body.result)).toBe(false);
    expect(a.body.result).toEqual(first);
    expect(a.body.result).toMatchObject({
      event_name: 'message.text.received',
      message: {
        from: { id: lan.id, display_name: 'Lan', is_bot: false },
        chat: { id: lan.id, chat_type: 'PRIVATE' },
        text: 'một',
        message_id: expect.stringMatching(HEX20),
      },
    });
    expect(a.body.result.message.date).toBeGreaterThan(Date.now() - 60_000);
    expect(a.body.result.message.date).toBeLessThanOrEqual(Date.now());
    expect(a.body.result).not.toHaveProperty('update_id');

    expect((await api(emu, 'getUpdates', { timeout: 0 })).body.result.message.text).toBe('hai');
    expect(await api(emu, 'getUpdates', { timeout: 0 })).toEqual({
      status: 200,
      body: { ok: false, error_code: 408, description: 'Request timeout' },
    });
  });

  it('holds an empty poll for `timeout` seconds, then answers 408; a message during the wait answers at once', async () => {
    const emu = await setup();
    const started = Date.now();
    expect((await api(emu, 'getUpdates', { timeout: 1 })).body.error_code).toBe(408);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);

    const lan = emu.newUser('Lan');
    const waiting = api(emu, 'getUpdates', { timeout: 10 });
    setTimeout(() => emu.userSends(lan, 'đây'), 100);
    const t0 = Date.now();
    expect((await waiting).body.result.message.text).toBe('đây');
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('unsupported events carry no content; images carry the photo; groups need can_join_groups', async () => {
    const emu = await setup();
    const lan = emu.newUser('Lan');
    emu.userSendsUnsupported(lan);
    emu.userSendsImage(lan, 'https://example.invalid/a.jpg', 'ảnh');
    emu.userSendsSticker(lan);
    const unsupported = (await api(emu, 'getUpdates', { timeout: 0 })).body.result;
    expect(unsupported.event_name).toBe('message.unsupported.received');
    expect(Object.keys(unsupported.message).sort()).toEqual(['chat', 'date', 'from', 'message_id']);
    const image = (await api(emu, 'getUpdates', { timeout: 0 })).body.result;
    expect(image).toMatchObject({
      event_name: 'message.image.received',
      message: { photo_url: 'https://example.invalid/a.jpg', caption: 'ảnh' },
    });
    expect((await api(emu, 'getUpdates', { timeout: 0 })).body.result.event_name).toBe('message.sticker.received');

    expect(() => emu.userSends(lan, 'hi', { group: { id: 'a'.repeat(20) } })).toThrow(/cannot join groups/);
    const groupy = await setup({ canJoinGroups: true });
    const update = groupy.userSends(lan, '@bot hi', { group: { id: 'a'.repeat(20) } });
    expect(update.message.chat).toEqual({ id: 'a'.repeat(20), chat_type: 'GROUP' });
    expect((await api(groupy, 'getMe')).body.result.can_join_groups).toBe(true);
  });
});

describe('Zalo emulator: sending', () => {
  it('sends 1–2000 characters to a known chat; longer or empty is 400, an unknown chat 404', async () => {
    const emu = await setup();
    const lan = emu.newUser('Lan');
    expect((await api(emu, 'sendMessage', { chat_id: lan.id, text: 'hi' })).body).toMatchObject({ ok: false, error_code: 404 });
    emu.userSends(lan, 'xin chào');

    const full = 'ạ'.repeat(2000);
    const ok = await api(emu, 'sendMessage', { chat_id: lan.id, text: full });
    expect(ok.body).toEqual({ ok: true, result: { message_id: expect.stringMatching(HEX20), date: expect.any(Number) } });
    expect(emu.lastMessage(lan.id)).toMatchObject({ text: full, kind: 'text', message_id: ok.body.result.message_id });

    const tooLong = await api(emu, 'sendMessage', { chat_id: lan.id, text: `${full}x` });
    expect(tooLong).toMatchObject({ status: 200, body: { ok: false, error_code: 400 } });
    expect((await api(emu, 'sendMessage', { chat_id: lan.id, text: '' })).body).toMatchObject({ ok: false, error_code: 400 });
    expect(emu.messagesTo(lan.id)).toHaveLength(1);
  });

  it('sendPhoto takes a URL and a caption; sendChatAction answers {ok:true}', async () => {
    const emu = await setup();
    const lan = emu.newUser('Lan');
    emu.userSends(lan, 'hi');
    const photo = await api(emu, 'sendPhoto', { chat_id: lan.id, photo: 'https://example.invalid/p.png', caption: 'Ảnh' });
    expect(photo.body.ok).toBe(true);
    expect(emu.lastMessage(lan.id)).toMatchObject({ kind: 'photo', photo: 'https://example.invalid/p.png', text: 'Ảnh' });
    expect((await api(emu, 'sendPhoto', { chat_id: lan.id, photo: 'not a url' })).body.error_code).toBe(400);
    expect((await api(emu, 'sendChatAction', { chat_id: lan.id, action: 'typing' })).body).toEqual({ ok: true });
    expect((await api(emu, 'sendChatAction', { chat_id: lan.id, action: 'dancing' })).body.error_code).toBe(400);
  });

  it('a quota of N sends per window answers 429 "Quota exceeded" without retry_after, until the window passes', async () => {
    const emu = await setup({ quota: { sends: 2, windowMs: 1500 } });
    const lan = emu.newUser('Lan');
    emu.userSends(lan, 'hi');
    const send = (text: string) => api(emu, 'sendMessage', { chat_id: lan.id, text });
    expect((await send('1')).body.ok).toBe(true);
    expect((await send('2')).body.ok).toBe(true);
    expect(await send('3')).toEqual({ status: 200, body: { ok: false, error_code: 429, description: 'Quota exceeded' } });
    expect(emu.stats.quotaExceeded).toBe(1);
    await new Promise((r) => setTimeout(r, 1550));
    expect((await send('4')).body.ok).toBe(true);
    emu.setQuota(undefined);
    for (const n of ['5', '6', '7']) expect((await send(n)).body.ok).toBe(true);
    expect(emu.messagesTo(lan.id).map((m) => m.text)).toEqual(['1', '2', '4', '5', '6', '7']);
  });

  it('a person who blocked the bot cannot be sent to', async () => {
    const emu = await setup();
    const lan = emu.newUser('Lan');
    emu.userSends(lan, 'hi');
    emu.blockUser(lan.id);
    expect((await api(emu, 'sendMessage', { chat_id: lan.id, text: 'x' })).body).toEqual({
      ok: false,
      error_code: 403,
      description: BLOCKED_DESCRIPTION,
    });
    emu.unblockUser(lan.id);
    expect((await api(emu, 'sendMessage', { chat_id: lan.id, text: 'x' })).body.ok).toBe(true);
  });
});

describe('Zalo emulator: faults', () => {
  it('injects platform errors, gateway errors, dropped connections, hangs and slow answers', async () => {
    const emu = await setup({ hangMs: 200 });
    const lan = emu.newUser('Lan');
    emu.userSends(lan, 'hi');
    const send = () => api(emu, 'sendMessage', { chat_id: lan.id, text: 'x' });

    emu.failNext('sendMessage', 1, { code: 500, description: 'Internal server error' });
    expect(await send()).toEqual({ status: 200, body: { ok: false, error_code: 500, description: 'Internal server error' } });

    emu.failNext('sendMessage', 1, { httpStatus: 502 });
    const gateway = await fetch(`${emu.apiRoot}/bot${emu.token}/sendMessage?chat_id=${lan.id}&text=x`);
    expect(gateway.status).toBe(502);
    expect(await gateway.text()).toMatch(/<html>/);

    emu.failNext('sendMessage', 1, 'drop');
    await expect(send()).rejects.toThrow();
    emu.failNext('sendMessage', 1, 'timeout');
    await expect(send()).rejects.toThrow();

    emu.failNext('sendMessage', 1, { delayMs: 300 });
    const t0 = Date.now();
    expect((await send()).body.ok).toBe(true);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    expect(emu.messagesTo(lan.id)).toHaveLength(1);
  });

  it('a dropped getUpdates loses no update', async () => {
    const emu = await setup();
    const lan = emu.newUser('Lan');
    emu.userSends(lan, 'vẫn còn');
    emu.failNext('getUpdates', 1, 'drop');
    await expect(api(emu, 'getUpdates', { timeout: 0 })).rejects.toThrow();
    expect((await api(emu, 'getUpdates', { timeout: 0 })).body.result.message.text).toBe('vẫn còn');
  });
});

describe('Zalo emulator: webhook', () => {
  async function receiver(
    statuses: number[],
  ): Promise<{ url: string; got: Array<{ headers: IncomingHttpHeaders; body: any }>; server: Server }> {
    const got: Array<{ headers: IncomingHttpHeaders; body: any }> = [];
    const server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      req.on('end', () => {
        got.push({ headers: req.headers, body: JSON.parse(raw) });
        res.statusCode = statuses.shift() ?? 200;
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    running.push({ stop: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/zalo`, got, server };
  }

  it('checks the secret, POSTs each update with X-Bot-Api-Secret-Token, retries a non-2xx answer, refuses polling', async () => {
    const emu = await setup();
    const hook = await receiver([500]);
    expect((await api(emu, 'setWebhook', { url: hook.url, secret_token: 'short' })).body).toMatchObject({ ok: false, error_code: 400 });
    expect((await api(emu, 'setWebhook', { url: hook.url, secret_token: 'x'.repeat(257) })).body.error_code).toBe(400);
    expect((await api(emu, 'setWebhook', { url: 'ftp://nope', secret_token: 'secret-123' })).body.error_code).toBe(400);

    const set = await api(emu, 'setWebhook', { url: hook.url, secret_token: 'secret-123' });
    expect(set.body).toEqual({ ok: true, result: { url: hook.url, updated_at: expect.any(Number) } });
    expect((await api(emu, 'getWebhookInfo')).body.result.url).toBe(hook.url);
    const poll = await api(emu, 'getUpdates', { timeout: 0 });
    expect(poll.body).toMatchObject({ ok: false, error_code: 400 });

    const lan = emu.newUser('Lan');
    const update = emu.userSends(lan, 'qua webhook');
    await emu.waitUntil(() => emu.pendingUpdates.length === 0 && hook.got.length === 2, 5000, 'webhook delivery');
    expect(hook.got.map((g) => g.body)).toEqual([
      { ok: true, result: update },
      { ok: true, result: update },
    ]);
    expect(hook.got[0]!.headers['x-bot-api-secret-token']).toBe('secret-123');
    expect(emu.stats.webhookFailures).toBe(1);

    expect((await api(emu, 'deleteWebhook')).body).toEqual({ ok: true, result: { url: '', updated_at: expect.any(Number) } });
    emu.userSends(lan, 'lại polling');
    expect((await api(emu, 'getUpdates', { timeout: 0 })).body.result.message.text).toBe('lại polling');
  });
});
