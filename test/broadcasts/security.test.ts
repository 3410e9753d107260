import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage, TestChat } from '../../src/emulator/botApiEmulator.js';
import { cli } from '../helpers/cli.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { buttonsOf, chat, dataOf } from './chat.js';
import { addXuyen, DOCS_CSV, FIXTURE_PEOPLE, P, personId, setupOrg, user, type Who } from './org.js';

/** Findings M1, M2, L7 and L9 of the security review, replayed against the bot. */
describe('broadcasts: who may attach, see and link what', () => {
  let h: Harness;
  const { say, press } = chat(() => h);
  const dir = mkdtempSync(join(tmpdir(), 'capuy-bc-sec-'));
  const run = (...argv: string[]) => cli(h.database, h.config, argv, h.clock);
  const sendCli = async (name: string, text: string, ...flags: string[]) => {
    writeFileSync(join(dir, name), text);
    const res = await run('broadcast', ...flags, '--text-file', join(dir, name));
    if (res.code !== 0) throw new Error(res.err);
    return Number(res.out);
  };
  /** Presses data that is on no button of `msg` (forged, or an old message's). */
  const forge = async (who: Who, msg: StoredMessage, data: string) =>
    (await h.emulator.waitForCallbackAnswer(h.emulator.pressButton(user(who), msg, data, { force: true }))).text;
  /** Forges a press and waits for the bot's next message. */
  const forgeThen = async (who: Who, msg: StoredMessage, data: string) => {
    const n = h.emulator.messagesTo(P[who].tg).length;
    const popup = await forge(who, msg, data);
    return { popup, next: (await h.emulator.waitForMessages(P[who].tg, n + 1)).at(-1)! };
  };
  const flowOf = async (who: Who) => {
    const c = await h.db.chatIdentity.findUniqueOrThrow({ where: { channel_chatId: { channel: 'telegram', chatId: String(P[who].tg) } } });
    return h.db.chatState.findUnique({ where: { chatIdentityId: c.id } });
  };
  const docId = async (title: string) => (await h.db.document.findFirstOrThrow({ where: { title: { startsWith: title } } })).id;
  /** Waits until `who` has received broadcasts `ids` (their notices, so that they do not arrive mid-conversation). */
  const waitCopies = (who: Who, ...ids: number[]) =>
    h.emulator.waitUntil(
      () =>
        ids.every((id) => h.emulator.messagesTo(P[who].tg).some((m) => buttonsOf(m).some((b) => b.callback_data === `bc:rcv:${id}`))) ||
        undefined,
      8000,
      `notices ${ids.join(', ')} to ${who}`,
    );
  /** /thongbao <text> to the whole scope, everyone, asking for "Đã nhận"; the broadcast's id (once the author's own copy is in). */
  const composeAndSend = async (who: Who, text: string) => {
    const audience = await say(who, `/thongbao ${text}`);
    const {
      messages: [roles],
    } = await press(who, audience, 'bc:aud:all', 1);
    const {
      messages: [ack],
    } = await press(who, roles!, 'bc:r:all', 1);
    const {
      messages: [, , summary],
    } = await press(who, ack!, 'bc:ask:1', 3);
    await press(who, summary!, 'bc:send', 'edit');
    const id = Number(/#(\d+)/.exec(summary!.plainText)![1]);
    await waitCopies(who, id);
    return id;
  };
  const denied = (action: string, target: string) => h.db.auditLog.count({ where: { action: `denied:broadcasts.${action}`, target } });

  beforeAll(async () => {
    h = await startHarness({ now: '2023-07-12T09:00' });
    await setupOrg(h.database, h.config, FIXTURE_PEOPLE);
    await addXuyen(h.database);
    writeFileSync(join(dir, 'docs.csv'), DOCS_CSV);
    const res = await run('docs', 'import', join(dir, 'docs.csv'));
    if (res.code !== 0) throw new Error(res.err);
  });
  afterAll(() => h?.stop());

  it('M1: a forged bc:doc for a document meant for another unit is refused, politely and on record', async () => {
    const hidden = await docId('Đề cương tuyên truyền kỷ niệm 93 năm');
    const last = await say('xuyen', '/toi');
    const popup = await forge('xuyen', last, `bc:doc:${hidden}`);
    expect(popup).toBe('Tài liệu này không còn hoặc không dành cho đơn vị của đồng chí.');
    await new Promise((r) => setTimeout(r, 300));
    expect(h.emulator.lastMessage(P.xuyen.tg)!.message_id).toBe(last.message_id); // nothing about the document
    expect(await flowOf('xuyen')).toBeNull();
    expect(await denied('attachDocument', `document:${hidden}`)).toBe(1);
    // A document for everyone is his to send.
    const open = await forgeThen('xuyen', last, `bc:doc:${await docId('Thông báo nhanh kết quả Hội nghị')}`);
    expect(open.popup).toBeFalsy();
    expect(open.next.plainText).toContain('Thông báo kèm tài liệu «Thông báo nhanh kết quả Hội nghị');
    await say('xuyen', '/huy');
  });

  it('M1: the document is checked again at "Gửi"', async () => {
    const forCb1 = await docId('Tài liệu sinh hoạt chi bộ tháng 8/2023');
    const last = await say('xuyen', '/toi');
    const { next: askText } = await forgeThen('xuyen', last, `bc:doc:${forCb1}`);
    expect(askText.plainText).toContain('Thông báo kèm tài liệu «Tài liệu sinh hoạt chi bộ tháng 8/2023');
    const {
      messages: [audience],
    } = await press('xuyen', askText, 'bc:notext', 1);
    const {
      messages: [roles],
    } = await press('xuyen', audience!, 'bc:aud:all', 1);
    const {
      messages: [ack],
    } = await press('xuyen', roles!, 'bc:r:all', 1);
    const {
      messages: [, , summary],
    } = await press('xuyen', ack!, 'bc:ask:0', 3);
    // Meanwhile the document is narrowed to the Front's units, which he does not see.
    const ubmt = await h.db.unit.findUniqueOrThrow({ where: { code: 'DB-UBMT' } });
    await h.db.documentUnit.deleteMany({ where: { documentId: forCb1 } });
    await h.db.documentUnit.create({ data: { documentId: forCb1, unitId: ubmt.id } });
    const before = await h.db.broadcast.count();
    const { popup } = await press('xuyen', summary!, 'bc:send');
    expect(popup).toBe('Tài liệu này không còn hoặc không dành cho đơn vị của đồng chí.');
    expect(await h.db.broadcast.count()).toBe(before);
    expect(await denied('send', `document:${forCb1}`)).toBe(1);
    expect(await flowOf('xuyen')).toBeNull();
  });

  it('L7: forged reminder hours are stale buttons, not reminders now or an internal error', async () => {
    await say('chau', '/thongbao Đề nghị các đơn vị xác nhận đã nhận.');
    const audience = h.emulator.lastMessage(P.chau.tg)!;
    const {
      messages: [roles],
    } = await press('chau', audience, 'bc:aud:all', 1);
    const {
      messages: [ack],
    } = await press('chau', roles!, 'bc:r:all', 1);
    for (const bad of ['bc:ask:1:-5', 'bc:ask:1:1e12', 'bc:ask:1:0', 'bc:ask:1:337', 'bc:ask:1:4.5', 'bc:ask:x']) {
      expect(await forge('chau', ack!, bad), bad).toBe('Nút này đã cũ, vui lòng gõ lại lệnh.');
    }
    for (const bad of ['bc:rcv:1e3', 'bc:rcv:abc', 'bc:st:NaN', 'bc:st:1:x', 'bc:doc:-1', 'bc:r:chu_tich', 'bc:sub:2']) {
      expect(await forge('chau', ack!, bad), bad).toBe('Nút này đã cũ, vui lòng gõ lại lệnh.');
    }
    expect((await flowOf('chau'))?.data).toMatchObject({ step: 'ack' });
    expect(h.emulator.messagesTo(P.chau.tg).some((m) => m.plainText.includes('lỗi'))).toBe(false);
    const {
      messages: [, , summary],
    } = await press('chau', ack!, dataOf(ack!, '24 giờ'), 3);
    await press('chau', summary!, 'bc:send', 'edit');
    const b = await h.db.broadcast.findFirstOrThrow({ where: { authorId: await personId(h.database, 'chau') } });
    await waitCopies('chau', b.id);
    expect(b.remindAt!.getTime() - b.createdAt.getTime()).toBe(24 * 3600_000);
  });

  it('M2: an admin of one chi bộ sees only broadcasts to units under them', async () => {
    const hlh = await h.db.unit.findUniqueOrThrow({ where: { code: 'CBCS-HLH' } });
    await h.db.roleAssignment.create({ data: { personId: await personId(h.database, 'phuc'), unitId: hlh.id, role: 'admin' } });
    const byChau = await composeAndSend('chau', 'Thông báo của Ban Tuyên giáo Đảng ủy Khối.');
    const wide = await sendCli('wide.txt', 'Gửi toàn Đảng bộ Khối.', '--to', 'DBK', '--subtree', '--ack');
    const own = await sendCli('hlh.txt', 'Gửi Chi bộ Hội Liên hiệp Phụ nữ.', '--to', 'CBCS-HLH', '--ack');
    await waitCopies('phuc', byChau, wide, own);
    await waitCopies('an', byChau, wide);
    await waitCopies('chau', wide);

    const list = await say('phuc', '/thongke');
    expect(list.plainText).toContain(`#${own} ·`);
    expect(list.plainText).not.toContain(`#${wide} ·`);
    expect(list.plainText).not.toContain(`#${byChau} ·`);
    expect(list.plainText).not.toContain('Gửi toàn Đảng bộ Khối.');

    expect((await say('phuc', `/thongke ${wide}`)).plainText).toBe(`Không có thông báo #${wide} do đồng chí gửi.`);
    expect(await forge('phuc', list, `bc:st:${wide}`)).toBe(`Không có thông báo #${wide} do đồng chí gửi.`);
    expect(await denied('stats', `broadcast:${wide}`)).toBe(2);
    expect((await say('phuc', `/thongke ${own}`)).plainText).toContain('Chưa xác nhận, theo đơn vị:');

    // The admin of the whole đảng bộ sees it, with everyone who has not confirmed.
    const all = await say('an', `/thongke ${wide}`);
    expect(all.plainText).toContain('Trương Mỹ Ngọc');
    expect(all.plainText).toContain('Huỳnh Thị Lan');
  });

  it('M2: the "not acknowledged" list and the counts keep to the viewer\'s units', async () => {
    const chau = await personId(h.database, 'chau');
    const b = { id: await composeAndSend('chau', 'Đề nghị các đồng chí xác nhận đã nhận.') };
    // Lê Minh Châu now works for DB-BTG only; her broadcast to all of DBK stays hers to follow.
    const [dbk, btg] = await Promise.all(['DBK', 'DB-BTG'].map((code) => h.db.unit.findUniqueOrThrow({ where: { code } })));
    await h.db.roleAssignment.deleteMany({ where: { personId: chau, unitId: dbk!.id, role: 'tuyen_giao' } });
    await h.db.roleAssignment.create({ data: { personId: chau, unitId: btg!.id, role: 'tuyen_giao' } });
    const btgUnits = await h.db.unit.findMany({
      where: { OR: [{ code: 'DB-BTG' }, { parent: { code: 'DB-BTG' } }] },
      select: { id: true },
    });
    const inBtg = await h.db.broadcastRecipient.findMany({
      where: { broadcastId: b.id, personId: { not: null }, unitId: { in: btgUnits.map((u) => u.id) } },
      select: { personId: true },
      distinct: ['personId'],
    });
    expect(inBtg.length).toBeGreaterThan(1);
    const details = await say('chau', `/thongke ${b.id}`);
    expect(details.plainText).toContain(`👍 Đã xác nhận: 0/${inBtg.length} người`);
    expect(details.plainText).toContain('Chi bộ 3 (Văn phòng Ban) (CB3-BTG) — 2: Bùi Thanh Long, Huỳnh Thị Lan');
    expect(details.plainText).not.toMatch(/Trương Mỹ Ngọc|Hồ Văn Phúc|Nguyễn Văn An/);
  });

  it('L9: re-linking a group needs rights over the unit it is linked to now', async () => {
    const group: TestChat = { id: -1009876, type: 'supergroup', title: 'Chi bộ 1 (Phòng Tuyên truyền)' };
    const inGroup = async (who: Who, text: string) => {
      const n = h.emulator.messagesTo(group.id).length;
      h.emulator.sendText(user(who), text, group);
      return (await h.emulator.waitForMessages(group.id, n + 1)).at(-1)!;
    };
    const linkedTo = async () =>
      (
        await h.db.chatIdentity.findUniqueOrThrow({
          where: { channel_chatId: { channel: 'telegram', chatId: String(group.id) } },
          include: { unit: true },
        })
      ).unit?.code;
    expect((await inGroup('hanh', '/ganhom CB1-BTG')).plainText).toContain('✅ Đã gắn nhóm này với Chi bộ 1 (Phòng Tuyên truyền)');
    const refused = await inGroup('ngoc', '/ganhom CB1-MT');
    expect(refused.plainText).toBe(
      'Nhóm này đang gắn với Chi bộ 1 (Phòng Tuyên truyền) (CB1-BTG). Chỉ Bí thư, Phó Bí thư của đơn vị đó (hoặc cấp trên) mới chuyển được nhóm sang đơn vị khác.',
    );
    expect(await linkedTo()).toBe('CB1-BTG');
    expect(await denied('linkGroup', `chat:telegram:${group.id}`)).toBe(1);
    expect((await inGroup('ngoc', '/ganhom huy')).plainText).toContain('Chỉ Bí thư, Phó Bí thư của đơn vị «CB1-BTG»');
    // The admin of the đảng bộ holds both units.
    const moved = await inGroup('an', '/ganhom CB1-MT');
    expect(moved.plainText).toContain('✅ Đã gắn nhóm này với Chi bộ 1 (Ban Dân chủ – Pháp luật)');
    expect(moved.plainText).toContain('(Trước đây nhóm gắn với Chi bộ 1 (Phòng Tuyên truyền).)');
    expect(await linkedTo()).toBe('CB1-MT');
  });
});
