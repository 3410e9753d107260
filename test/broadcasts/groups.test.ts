import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage, TestChat } from '../../src/emulator/botApiEmulator.js';
import { cli } from '../helpers/cli.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { buttonsOf } from './chat.js';
import { P, setupOrg, user, type Who } from './org.js';

const GROUP: TestChat = { id: -1001234, type: 'supergroup', title: 'Chi bộ 1 (Phòng Tuyên truyền)' };

describe('unit groups: /ganhom, and broadcasts that reach them', () => {
  let h: Harness;
  const dir = mkdtempSync(join(tmpdir(), 'capuy-bc-groups-'));
  const run = (...argv: string[]) => cli(h.database, h.config, argv, h.clock);
  const send = async (name: string, text: string, ...flags: string[]) => {
    writeFileSync(join(dir, name), text);
    const res = await run('broadcast', ...flags, '--text-file', join(dir, name));
    if (res.code !== 0) throw new Error(res.err);
    return Number(res.out);
  };
  /** Writes in the group as `who`; returns the bot's next message there. */
  async function inGroup(who: Who, text: string): Promise<StoredMessage> {
    const n = h.emulator.messagesTo(GROUP.id).length;
    h.emulator.sendText(user(who), text, GROUP);
    return (await h.emulator.waitForMessages(GROUP.id, n + 1)).at(-1)!;
  }
  const noticesIn = (chatId: number) => h.emulator.messagesTo(chatId).filter((m) => m.text.startsWith('📢'));

  beforeAll(async () => {
    h = await startHarness({ now: '2023-07-12T09:00' });
    await setupOrg(h.database, h.config, ['hanh', 'hung', 'tuyen', 'ngoc', 'chau']);
  });
  afterAll(() => h?.stop());

  it('only a secretary of the unit links its group', async () => {
    expect((await inGroup('tuyen', '/ganhom CB1-BTG')).plainText).toContain('chỉ dành cho đồng chí có vai trò phù hợp');
    expect((await inGroup('hung', '/ganhom CB1-BTG')).plainText).toContain('Chỉ Bí thư, Phó Bí thư của đơn vị «CB1-BTG»');
    expect((await inGroup('hanh', '/ganhom KHONGCO')).plainText).toContain('Không có đơn vị mã «KHONGCO»');
    expect((await inGroup('hanh', '/ganhom')).plainText).toContain('Nhóm này chưa gắn với đơn vị nào.');
    expect((await inGroup('hanh', '/ganhom@capuy_test_bot CB1-BTG')).plainText).toBe(
      '✅ Đã gắn nhóm này với Chi bộ 1 (Phòng Tuyên truyền) (CB1-BTG). Các thông báo gửi tới đơn vị sẽ được gửi cả vào nhóm.',
    );
    const chat = await h.db.chatIdentity.findUniqueOrThrow({
      where: { channel_chatId: { channel: 'telegram', chatId: String(GROUP.id) } },
      include: { unit: true },
    });
    expect(chat).toMatchObject({ isGroup: true, unit: { code: 'CB1-BTG' } });
    const audit = await h.db.auditLog.findFirstOrThrow({ where: { action: 'group.link' } });
    expect(audit).toMatchObject({
      actor: `telegram:${P.hanh.tg}`,
      target: `chat:telegram:${GROUP.id}`,
      details: { unit: 'CB1-BTG', previous: null },
    });

    // In a private chat the command explains where it belongs.
    h.emulator.sendText(user('hanh'), '/ganhom CB1-BTG');
    const [reply] = await h.emulator.waitForMessages(P.hanh.tg, 1);
    expect(reply!.plainText).toContain('cần gõ trong nhóm Telegram của đơn vị');
  });

  it('a broadcast to the unit also goes to its group, once; "Đã nhận" there counts for the presser', async () => {
    const id = await send('a.txt', 'Thông báo tới Đảng bộ Ban Tuyên giáo.', '--to', 'DB-BTG', '--subtree', '--ack');
    const [inGroupMsg] = await h.emulator.waitUntil(
      () => (noticesIn(GROUP.id).length ? noticesIn(GROUP.id) : undefined),
      8000,
      'the group notice',
    );
    for (const who of ['hanh', 'hung', 'tuyen'] as const) {
      await h.emulator.waitUntil(() => noticesIn(P[who].tg).length === 1 || undefined, 8000, who);
    }
    expect(inGroupMsg!.plainText).toContain('Thông báo tới Đảng bộ Ban Tuyên giáo.');
    expect(buttonsOf(inGroupMsg!)).toEqual([{ text: '✅ Đã nhận', callback_data: `bc:rcv:${id}` }]);

    const pressIn = async (who: Who) =>
      (await h.emulator.waitForCallbackAnswer(h.emulator.pressButton(user(who), inGroupMsg!, `bc:rcv:${id}`))).text;
    expect(await pressIn('hanh')).toBe('Cảm ơn đồng chí đã xác nhận.');
    expect(await pressIn('ngoc')).toBe('Thông báo này không gửi cho đồng chí.');
    expect(inGroupMsg!.edits).toHaveLength(0); // the button stays for the others

    let s: Record<string, number> = {};
    for (let i = 0; i < 50 && s.sent !== 4; i++) {
      s = JSON.parse((await run('broadcast', 'status', String(id), '--json')).out);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(s).toEqual({ recipients: 4, sent: 4, failed: 0, blocked: 0, acknowledged: 1 });
    expect((await run('broadcast', 'status', String(id))).out).toContain('Người nhận: 4 (3 người, 1 nhóm)');

    // Only some roles: the group (everyone) is left out.
    await send('b.txt', 'Chỉ gửi báo cáo viên.', '--to', 'DB-BTG', '--subtree', '--roles', 'bao_cao_vien');
    await h.emulator.waitUntil(() => noticesIn(P.tuyen.tg).length === 2 || undefined, 8000, 'the speakers notice');
    // Another unit's broadcast does not reach it either.
    await send('c.txt', 'Gửi Chi bộ 2.', '--to', 'CB2-BTG');
    await h.emulator.waitUntil(() => noticesIn(P.hung.tg).length === 2 || undefined, 8000, 'the CB2 notice');
    await new Promise((r) => setTimeout(r, 1000));
    expect(noticesIn(GROUP.id)).toHaveLength(1);
  });

  it('the secretary unlinks the group', async () => {
    expect((await inGroup('hanh', '/ganhom huy')).plainText).toBe('Đã bỏ gắn nhóm này với Chi bộ 1 (Phòng Tuyên truyền).');
    await send('d.txt', 'Sau khi bỏ gắn.', '--to', 'CB1-BTG');
    await h.emulator.waitUntil(() => noticesIn(P.hanh.tg).length === 2 || undefined, 8000, 'the CB1 notice');
    await new Promise((r) => setTimeout(r, 3500));
    expect(noticesIn(GROUP.id)).toHaveLength(1);
  });
});
