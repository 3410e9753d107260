import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { zaloCaller, ZaloApiError, ZaloTransportError } from '../../src/channels/zalo/api.js';
import { normalizeZaloUpdate, parseZaloUpdate } from '../../src/channels/zalo/normalize.js';
import { ZaloPoller } from '../../src/channels/zalo/poller.js';
import { ZaloSender } from '../../src/channels/zalo/sender.js';
import type { ZaloUpdate } from '../../src/channels/zalo/types.js';
import { parseZaloWebhookBody, verifyZaloSecret, ZALO_SECRET_HEADER } from '../../src/channels/zalo/webhook.js';
import { DeliveryError } from '../../src/delivery/channel.js';
import { ZaloEmulator, type ZaloEmulatorOptions, type ZaloTestUser } from '../../src/emulator/zalo/zaloEmulator.js';

const running: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

async function setup(opts: ZaloEmulatorOptions = {}): Promise<{ emu: ZaloEmulator; lan: ZaloTestUser }> {
  const emu = new ZaloEmulator(opts);
  await emu.start();
  running.push(emu);
  const lan = emu.newUser('Nguyễn Thị Lan');
  return { emu, lan };
}

function sender(emu: ZaloEmulator, opts: { token?: string; timeoutMs?: number; quotaRetryAfterSec?: number } = {}): ZaloSender {
  const call = zaloCaller({ token: opts.token ?? emu.token, apiRoot: emu.apiRoot });
  return new ZaloSender(call, {
    timeoutMs: opts.timeoutMs ?? 2000,
    ...(opts.quotaRetryAfterSec && { quotaRetryAfterSec: opts.quotaRetryAfterSec }),
  });
}

/** Polls `check` until it holds: the client's state changes without the emulator noticing. */
async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function failure(p: Promise<unknown>): Promise<DeliveryError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DeliveryError);
  return err as DeliveryError;
}

describe('callZalo', () => {
  it('returns result on ok:true and throws the envelope on ok:false, although the HTTP status is 200', async () => {
    const { emu } = await setup();
    const call = zaloCaller({ token: emu.token, apiRoot: emu.apiRoot });
    expect(await call('getMe')).toMatchObject({ account_type: 'BASIC', can_join_groups: false });
    const bad = zaloCaller({ token: '1:wrong', apiRoot: emu.apiRoot });
    const refused = await bad('getMe').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ZaloApiError);
    expect(refused).toMatchObject({ code: 401, description: 'Unauthorized' });
    expect(String((refused as Error).message)).not.toContain('1:wrong');
  });

  it('a gateway page, a dropped connection and a timeout are transport errors that never name the token', async () => {
    const { emu } = await setup({ hangMs: 5000 });
    const call = zaloCaller({ token: emu.token, apiRoot: emu.apiRoot, timeoutMs: 200 });
    emu.failNext('getMe', 1, { httpStatus: 502 });
    emu.failNext('getMe', 1, 'drop');
    emu.failNext('getMe', 1, 'timeout');
    const errors = [
      await call('getMe').catch((e: unknown) => e),
      await call('getMe').catch((e: unknown) => e),
      await call('getMe').catch((e: unknown) => e),
    ];
    for (const e of errors) {
      expect(e).toBeInstanceOf(ZaloTransportError);
      expect((e as Error).message).not.toContain(emu.token);
    }
    expect(errors.map((e) => (e as ZaloTransportError).status)).toEqual([502, undefined, undefined]);
    expect((errors[2] as ZaloTransportError).reason).toBe('timeout');
  });
});

describe('ZaloSender over HTTP', () => {
  it('sends the message as plain text and returns Zalo’s message id', async () => {
    const { emu, lan } = await setup();
    emu.userSends(lan, 'xin chào');
    const sent = await sender(emu).send(lan.id, { text: '✅ <b>Đã nộp</b> &amp; <a href="https://vb.vn/a?x=1&amp;y=2">văn bản</a>' });
    expect(sent.messageId).toMatch(/^[0-9a-f]{20}$/);
    expect(emu.lastMessage(lan.id)).toMatchObject({ message_id: sent.messageId, text: '✅ Đã nộp & văn bản (https://vb.vn/a?x=1&y=2)' });
  });

  it('a 5,000-character text is cut to Zalo’s 2000 instead of being refused', async () => {
    const { emu, lan } = await setup();
    emu.userSends(lan, 'hi');
    const long = Array.from({ length: 100 }, (_, i) => `Dòng ${i}: ${'nội dung '.repeat(5)}`).join('\n');
    expect(long.length).toBeGreaterThan(5000);
    await sender(emu).send(lan.id, { text: long });
    const text = emu.lastMessage(lan.id)!.text;
    expect(text.length).toBeLessThanOrEqual(2000);
    expect(text.endsWith('\n…')).toBe(true);
    expect(long.startsWith(text.slice(0, -2))).toBe(true);
  });

  it('maps every failure to the outbox’s kinds', async () => {
    const { emu, lan } = await setup({ hangMs: 5000 });
    emu.userSends(lan, 'hi');
    const send = (s = sender(emu, { timeoutMs: 300 })) => failure(s.send(lan.id, { text: 'Nhắc hạn' }));

    emu.setQuota({ sends: 0, windowMs: 60_000 });
    expect(await send()).toMatchObject({ kind: 'rate_limited', retryAfterSec: 60 });
    expect(await send(sender(emu, { quotaRetryAfterSec: 120 }))).toMatchObject({ kind: 'rate_limited', retryAfterSec: 120 });
    emu.setQuota(undefined);

    emu.blockUser(lan.id);
    expect(await send()).toMatchObject({ kind: 'blocked' });
    emu.unblockUser(lan.id);

    expect(await failure(sender(emu).send('0'.repeat(20), { text: 'x' }))).toMatchObject({ kind: 'permanent' });
    emu.failNext('sendMessage', 1, { code: 400, description: 'Bad Request' });
    expect(await send()).toMatchObject({ kind: 'permanent' });

    // 403 is documented as "Internal server error": try again, do not give up on the person.
    emu.failNext('sendMessage', 1, { code: 403, description: 'Internal server error' });
    expect(await send()).toMatchObject({ kind: 'transient' });
    emu.failNext('sendMessage', 1, { code: 500, description: 'Internal server error' });
    expect(await send()).toMatchObject({ kind: 'transient' });
    emu.failNext('sendMessage', 1, { httpStatus: 503 });
    expect(await send()).toMatchObject({ kind: 'transient' });
    emu.failNext('sendMessage', 1, 'drop');
    expect(await send()).toMatchObject({ kind: 'transient' });
    emu.failNext('sendMessage', 1, 'timeout');
    expect(await send()).toMatchObject({ kind: 'transient', message: 'timeout' });

    const wrongToken = await send(sender(emu, { token: '1:reset' }));
    expect(wrongToken).toMatchObject({ kind: 'transient' });
    expect(wrongToken.message).toMatch(/401.*ZALO_BOT_TOKEN/);

    // None of those reached the chat; a slow answer within the timeout still does.
    expect(emu.messagesTo(lan.id)).toHaveLength(0);
    emu.failNext('sendMessage', 1, { delayMs: 100 });
    await sender(emu).send(lan.id, { text: 'Nhắc hạn' });
    expect(emu.messagesTo(lan.id).map((m) => m.text)).toEqual(['Nhắc hạn']);
  });
});

describe('ZaloPoller over HTTP', () => {
  function poller(emu: ZaloEmulator, got: ZaloUpdate[], opts: { token?: string; pollTimeoutSec?: number; dedupeSize?: number } = {}) {
    const p = new ZaloPoller({
      call: zaloCaller({ token: opts.token ?? emu.token, apiRoot: emu.apiRoot }),
      handle: async (u) => void got.push(u),
      pollTimeoutSec: opts.pollTimeoutSec ?? 1,
      backoffMs: 20,
      ...(opts.dedupeSize && { dedupeSize: opts.dedupeSize }),
    });
    p.start();
    running.push(p);
    return p;
  }

  it('hands each message over exactly once, in order, through empty polls, faults and redeliveries', async () => {
    const { emu, lan } = await setup({ hangMs: 300 });
    const got: ZaloUpdate[] = [];
    const p = poller(emu, got, { pollTimeoutSec: 1 });
    const first = emu.userSends(lan, 'một');
    await until(() => got.length === 1, 3000, 'first update');
    // Empty polls (408) for a while, then faults of every sort before the next messages.
    await new Promise((r) => setTimeout(r, 1300));
    emu.failNext('getUpdates', 1, 'drop');
    emu.failNext('getUpdates', 1, { code: 500, description: 'Internal server error' });
    emu.failNext('getUpdates', 1, { httpStatus: 502 });
    emu.failNext('getUpdates', 1, 'timeout');
    const second = emu.userSends(lan, 'hai');
    emu.redeliver(first);
    const third = emu.userSendsUnsupported(lan);
    emu.redeliver(second);
    await until(() => emu.pendingUpdates.length === 0 && got.length >= 3, 8000, 'all updates taken');
    await new Promise((r) => setTimeout(r, 100));
    expect(got.map((u) => u.message.message_id)).toEqual([first, second, third].map((u) => u.message.message_id));
    expect(p.health()).toEqual({ ok: true });
  });

  it('remembers a bounded number of ids', async () => {
    const { emu, lan } = await setup();
    const got: ZaloUpdate[] = [];
    poller(emu, got, { dedupeSize: 2 });
    const [a, b, c] = [emu.userSends(lan, 'a'), emu.userSends(lan, 'b'), emu.userSends(lan, 'c')];
    await until(() => got.length === 3, 3000, 'three updates');
    emu.redeliver(c); // still remembered: dropped
    emu.redeliver(a); // forgotten (only the latest two are kept): handed over again
    await until(() => got.length === 4 && emu.pendingUpdates.length === 0, 3000, 'the forgotten one again');
    expect(got.map((u) => u.message.text)).toEqual(['a', 'b', 'c', 'a']);
    expect(b.message.message_id).not.toBe(a.message.message_id);
  });

  it('reports a 401 in health() at once, and repeated failures after three', async () => {
    const { emu, lan } = await setup();
    const wrong = poller(emu, [], { token: '1:reset' });
    await until(() => !wrong.health().ok, 3000, 'unhealthy on 401');
    expect(wrong.health()).toEqual({ ok: false, reason: 'getUpdates: 401 Unauthorized' });

    const got: ZaloUpdate[] = [];
    emu.failRandom('getUpdates', 1, { code: 500, description: 'Internal server error' });
    const p = poller(emu, got);
    await until(() => (emu.stats.errors.getUpdates ?? 0) >= 4, 5000, 'four failed polls');
    expect(p.health()).toEqual({ ok: false, reason: 'getUpdates: 500 Internal server error' });
    emu.clearFaults();
    emu.userSends(lan, 'đã ổn');
    await until(() => got.length === 1, 5000, 'polling again');
    expect(p.health()).toEqual({ ok: true });
  });

  it('stop() returns promptly in the middle of a long poll', async () => {
    const { emu } = await setup();
    const p = poller(emu, [], { pollTimeoutSec: 30 });
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    await p.stop();
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

describe('normalize', () => {
  it('turns every event into a channel-neutral message the router can answer; what has no words is unsupported', async () => {
    const { emu, lan } = await setup();
    const toi = emu.userSends(lan, '/toi');
    expect(normalizeZaloUpdate(toi)).toEqual({
      channel: 'zalo',
      updateId: toi.message.message_id,
      chat: { id: lan.id, isGroup: false },
      sender: { id: lan.id, name: 'Nguyễn Thị Lan' },
      kind: 'text',
      text: '/toi',
    });
    for (const update of [
      emu.userSendsUnsupported(lan),
      emu.userSendsImage(lan, 'https://example.invalid/a.jpg', 'ảnh'),
      emu.userSendsSticker(lan),
    ]) {
      // Never empty text: an open flow would take that for an answer.
      const msg = normalizeZaloUpdate(update);
      expect(msg).toMatchObject({ channel: 'zalo', kind: 'unsupported', chat: { id: lan.id }, sender: { id: lan.id } });
      expect(msg).not.toHaveProperty('text');
    }
    const groupy = await setup({ canJoinGroups: true });
    const inGroup = groupy.emu.userSends(lan, '/hanchot', { group: { id: 'b'.repeat(20) } });
    expect(normalizeZaloUpdate(inGroup)).toMatchObject({ chat: { id: 'b'.repeat(20), isGroup: true }, sender: { id: lan.id } });
    const fromBot = { ...inGroup, message: { ...inGroup.message, from: { ...inGroup.message.from, is_bot: true } } };
    expect(normalizeZaloUpdate(fromBot)).toBeNull();
  });

  it('refuses what is not an update', () => {
    expect(parseZaloUpdate(null)).toBeNull();
    expect(parseZaloUpdate({ event_name: 'message.text.received' })).toBeNull();
    expect(parseZaloUpdate({ event_name: 'x', message: { from: { id: 1 }, chat: { id: 'a' }, message_id: 'b', date: 1 } })).toBeNull();
  });
});

describe('webhook', () => {
  it('verifies the secret header and reads the update Zalo POSTs', async () => {
    expect(verifyZaloSecret('secret-123', 'secret-123')).toBe(true);
    expect(verifyZaloSecret('secret-124', 'secret-123')).toBe(false);
    expect(verifyZaloSecret('secret-1234', 'secret-123')).toBe(false);
    expect(verifyZaloSecret(undefined, 'secret-123')).toBe(false);
    expect(verifyZaloSecret(['secret-123'], 'secret-123')).toBe(false);
    expect(verifyZaloSecret('', '')).toBe(false);

    const { emu, lan } = await setup();
    const got: ZaloUpdate[] = [];
    const server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      req.on('end', () => {
        if (!verifyZaloSecret(req.headers[ZALO_SECRET_HEADER], 'secret-123')) {
          res.statusCode = 401;
          return void res.end();
        }
        const update = parseZaloWebhookBody(JSON.parse(raw));
        if (update) got.push(update);
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    running.push({ stop: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/zalo`;
    const call = zaloCaller({ token: emu.token, apiRoot: emu.apiRoot });

    await call('setWebhook', { url, secret_token: 'wrong-secret' });
    const update = emu.userSends(lan, 'qua webhook');
    await until(() => emu.stats.webhookFailures >= 2, 3000, 'refused deliveries');
    expect(got).toEqual([]);
    await call('setWebhook', { url, secret_token: 'secret-123' });
    await until(() => got.length === 1, 3000, 'delivery with the right secret');
    expect(got).toEqual([update]);
    expect(parseZaloWebhookBody(update)).toEqual(update);
    expect(parseZaloWebhookBody({ ok: true })).toBeNull();
  });
});
