import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue } from '../../src/delivery/outbox.js';
import { BotApiEmulator } from '../../src/emulator/botApiEmulator.js';
import { cli } from '../helpers/cli.js';
import { outboxDrained } from '../helpers/outbox.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { importFixtureOrg } from '../helpers/org.js';
import { addLinkedMembers } from '../helpers/people.js';

/** How many messages each chat received. */
function perChat(h: Harness, chats: number[]): number[] {
  return chats.map((c) => h.emulator.messagesTo(c).length);
}

async function allSent(h: Harness, timeoutMs = 20_000): Promise<void> {
  await outboxDrained(h.db, timeoutMs);
}

describe('delivery through the outbox', () => {
  let h: Harness;
  let emulator: BotApiEmulator;
  let chats: number[];

  beforeAll(async () => {
    emulator = new BotApiEmulator({ hangMs: 5000 });
    await emulator.start();
    h = await startHarness({ emulator, env: { SEND_RATE: '100', SEND_TIMEOUT_MS: '1500' } });
    await importFixtureOrg(h.database, h.config);
    chats = await addLinkedMembers(h.db, 'CB2-BTG', 40, 800_000);
  });
  afterAll(async () => {
    await h?.stop();
    await emulator?.stop();
  });

  it('reaches each linked person exactly once through 5% server errors', async () => {
    h.emulator.failRandom('sendMessage', 0.05, { code: 500, description: 'Internal Server Error' }, 7);
    const res = await cli(
      h.database,
      h.config,
      ['notify', '--unit', 'CB2-BTG', '--roles', 'dang_vien', '--text', 'Họp chi bộ 17:00 <thứ Sáu> & mang sổ'],
      h.clock,
    );
    expect(res.code, res.err).toBe(0);
    expect(res.out).toContain('Đã xếp hàng 40 tin nhắn');
    h.app.worker.kick();
    await allSent(h);
    h.emulator.clearFaults();
    expect(perChat(h, chats)).toEqual(chats.map(() => 1));
    expect(h.emulator.messagesTo(chats[0]!)[0]!.plainText).toBe('Họp chi bộ 17:00 <thứ Sáu> & mang sổ');
    expect(h.emulator.stats.errors.sendMessage ?? 0).toBeGreaterThan(0);
    expect(await h.db.outboxMessage.count({ where: { status: 'sent' } })).toBe(40);
  });

  it('waits out a 429 storm and still sends each message once', async () => {
    h.emulator.clear();
    h.emulator.failNext('sendMessage', 12, { code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 });
    await cli(h.database, h.config, ['notify', '--unit', 'CB2-BTG', '--text', 'Bão 429'], h.clock);
    h.app.worker.kick();
    await allSent(h);
    expect(perChat(h, chats)).toEqual(chats.map(() => 1));
    const metrics = await (await fetch(`http://127.0.0.1:${h.app.port}/metrics`)).text();
    expect(Number(/capuy_outbox_retried_total\{reason="429"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(12);
  });

  it('retries timeouts', async () => {
    h.emulator.clear();
    h.emulator.failNext('sendMessage', 3, 'timeout');
    await cli(h.database, h.config, ['notify', '--unit', 'CB2-BTG', '--text', 'Chậm'], h.clock);
    h.app.worker.kick();
    await allSent(h);
    expect(perChat(h, chats)).toEqual(chats.map(() => 1));
  });

  it('stops sending to a chat that blocked the bot', async () => {
    h.emulator.clear();
    const blocked = chats[3]!;
    h.emulator.blockChat(blocked);
    await cli(h.database, h.config, ['notify', '--unit', 'CB2-BTG', '--text', 'Lần một'], h.clock);
    h.app.worker.kick();
    await allSent(h);
    const chat = await h.db.chatIdentity.findUniqueOrThrow({ where: { channel_chatId: { channel: 'telegram', chatId: String(blocked) } } });
    expect(chat.active).toBe(false);
    expect(chat.blockReason).toContain('blocked');
    const failed = await h.db.outboxMessage.findFirstOrThrow({ where: { chatIdentityId: chat.id, status: 'failed' } });
    expect(failed.lastError).toContain('blocked');

    // Queued directly for the inactive chat: cancelled, never sent.
    await enqueue(h.db, [{ chatIdentityId: chat.id, dedupeKey: 'test:inactive', payload: { text: 'không gửi' } }]);
    const second = await cli(h.database, h.config, ['notify', '--unit', 'CB2-BTG', '--text', 'Lần hai'], h.clock);
    expect(second.out).toContain('Đã xếp hàng 39 tin nhắn');
    h.app.worker.kick();
    await allSent(h);
    expect((await h.db.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: 'test:inactive' } })).status).toBe('cancelled');
    expect(h.emulator.stats.errors.sendMessage).toBeGreaterThan(0);

    // Writing to the bot again means the person unblocked it: the chat is active again.
    h.emulator.unblockChat(blocked);
    const before = h.emulator.messagesTo(blocked).length;
    h.emulator.sendText({ id: blocked, first_name: 'Đảng viên' }, '/toi');
    await h.emulator.waitForMessages(blocked, before + 1);
    expect((await h.db.chatIdentity.findUniqueOrThrow({ where: { id: chat.id } })).active).toBe(true);
  });

  it('gives up at once on a 400 and records why', async () => {
    const chat = await h.db.chatIdentity.findFirstOrThrow({ where: { chatId: String(chats[5]) } });
    await enqueue(h.db, [{ chatIdentityId: chat.id, dedupeKey: 'test:bad-html', payload: { text: '<b>không đóng thẻ' } }]);
    h.app.worker.kick();
    await allSent(h);
    const row = await h.db.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: 'test:bad-html' } });
    expect(row.status).toBe('failed');
    expect(row.attempts).toBe(1);
    expect(row.lastError).toMatch(/^400 /);
  });

  it('does not queue the same dedupe key twice', async () => {
    const chat = await h.db.chatIdentity.findFirstOrThrow({ where: { chatId: String(chats[6]) } });
    const item = { chatIdentityId: chat.id, dedupeKey: 'test:once', payload: { text: 'một lần' } };
    expect(await enqueue(h.db, [item])).toBe(1);
    expect(await enqueue(h.db, [item])).toBe(0);
    h.app.worker.kick();
    await allSent(h);
    expect(h.emulator.messagesTo(chats[6]!).filter((m) => m.plainText === 'một lần')).toHaveLength(1);
  });

  it('reports the backlog on /healthz and counters on /metrics', async () => {
    const health = await (await fetch(`http://127.0.0.1:${h.app.port}/healthz`)).json();
    expect(health).toMatchObject({ status: 'ok', database: 'ok', outbox: { backlog: 0 } });
    const metrics = await (await fetch(`http://127.0.0.1:${h.app.port}/metrics`)).text();
    expect(metrics).toMatch(/capuy_outbox_sent_total \d+/);
    expect(Number(/capuy_outbox_sent_total (\d+)/.exec(metrics)![1])).toBeGreaterThanOrEqual(160);
    expect(metrics).toMatch(/capuy_outbox_retried_total\{reason="429"\} \d+/);
    expect(metrics).toContain('capuy_outbox_send_latency_seconds_bucket');
    expect(metrics).toMatch(/capuy_outbox_messages\{status="failed"\} [1-9]/);
  });

  it('prints outbox counts and last errors on the command line', async () => {
    const res = await cli(h.database, h.config, ['outbox'], h.clock);
    expect(res.out).toMatch(/sent: \d+/);
    expect(res.out).toContain('Không có tin nào chờ gửi');
    expect(res.out).toContain('400');
  });
});

describe('quiet hours', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { QUIET_HOURS: '21:00-06:30' }, now: '2026-11-24T22:15' });
    await importFixtureOrg(h.database, h.config);
  });
  afterAll(() => h?.stop());

  it('holds non-urgent messages until morning and sends urgent ones at once', async () => {
    const chats = await addLinkedMembers(h.db, 'CB3-BTG', 2, 900_000);
    await cli(h.database, h.config, ['notify', '--unit', 'CB3-BTG', '--roles', 'dang_vien', '--text', 'Sáng mai họp'], h.clock);
    await cli(
      h.database,
      h.config,
      ['notify', '--unit', 'CB3-BTG', '--roles', 'dang_vien', '--text', 'Khẩn: đổi phòng họp', '--urgent'],
      h.clock,
    );
    h.app.worker.kick();
    await h.emulator.waitForMessages(chats[0]!, 1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(h.emulator.messagesTo(chats[0]!).map((m) => m.plainText)).toEqual(['Khẩn: đổi phòng họp']);
    expect(await h.db.outboxMessage.count({ where: { status: 'pending' } })).toBe(2);

    await h.at('2026-11-25T06:31');
    const msgs = await h.emulator.waitForMessages(chats[1]!, 2);
    expect(msgs.map((m) => m.plainText)).toEqual(['Khẩn: đổi phòng họp', 'Sáng mai họp']);
  });
});
