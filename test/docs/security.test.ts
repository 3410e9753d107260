import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage, TestUser } from '../../src/emulator/botApiEmulator.js';
import { cli } from '../helpers/cli.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { buttonsOf, dataOf } from '../helpers/chat.js';
import { DOCS_CSV, P, setupOrg, user, type Who } from '../broadcasts/org.js';

/**
 * The findings of the security review about the library (H1, L1, L2 and the smaller ones), played
 * in chat against the emulator. Xuyên is the reviewer's tuyên giáo of DB-BTG only (F1).
 */
const XUYEN = { phone: '+84914333111', tg: 7120, name: 'Lý Văn Xuyên' };
const xuyen: TestUser = { id: XUYEN.tg, first_name: 'Xuyên', language_code: 'vi' };
const SEED_TITLE = 'Thông báo nhanh kết quả Hội nghị Ban Chấp hành Đảng bộ thành phố lần thứ 21 (khóa XI)';
const SEED_URL = 'https://tuyengiao.example.vn/tai-lieu/thong-bao-nhanh-hoi-nghi-21.pdf';
const STALE = 'Nút này đã cũ, vui lòng gõ lại lệnh.';

type Someone = Who | TestUser;
const asUser = (who: Someone): TestUser => (typeof who === 'string' ? user(who) : who);

describe('document library: who may change what, and views that always open', () => {
  let h: Harness;
  let xuyenId: number;
  const run = (...argv: string[]) => cli(h.database, h.config, argv, h.clock);
  const count = (who: Someone) => h.emulator.messagesTo(asUser(who).id).length;

  async function say(who: Someone, text: string): Promise<StoredMessage> {
    const before = count(who);
    h.emulator.sendText(asUser(who), text);
    return (await h.emulator.waitForMessages(asUser(who).id, before + 1)).at(-1)!;
  }
  /** Presses a button (forged when it is not on the message); waits for the popup and an edit or new messages. */
  async function press(who: Someone, msg: StoredMessage, data: string, expect: 'none' | 'edit' | number = 'none') {
    const before = count(who);
    const edits = msg.edits.length;
    const q = h.emulator.pressButton(asUser(who), msg, data, { force: true });
    const answer = await h.emulator.waitForCallbackAnswer(q);
    if (expect === 'edit') await h.emulator.waitUntil(() => msg.edits.length > edits, 5000, `an edit of message ${msg.message_id}`);
    let messages: StoredMessage[] = [];
    if (typeof expect === 'number') messages = (await h.emulator.waitForMessages(asUser(who).id, before + expect)).slice(before);
    return { popup: answer.text, messages };
  }

  interface Answers {
    title: string;
    number?: string;
    category?: string;
    url: string;
    summary?: string;
    tags?: string;
    units?: string;
  }
  /** /tailieumoi answered step by step; returns the preview. */
  async function newDoc(who: Someone, a: Answers): Promise<StoredMessage> {
    expect((await say(who, '/tailieumoi')).plainText).toContain('Tên (trích yếu)');
    expect((await say(who, a.title)).plainText).toContain('Số hiệu');
    expect((await say(who, a.number ?? '-')).plainText).toContain('Cơ quan ban hành');
    expect((await say(who, '-')).plainText).toContain('Ngày ban hành');
    const category = await say(who, '-');
    expect(category.plainText).toContain('Tài liệu thuộc loại nào?');
    await press(who, category, dataOf(category, a.category ?? 'Khác'), 1);
    const summary = await say(who, a.url);
    expect(summary.plainText, summary.plainText).toContain('Tóm tắt');
    expect((await say(who, a.summary ?? '-')).plainText).toContain('Từ khóa');
    expect((await say(who, a.tags ?? '-')).plainText).toContain('dành cho đơn vị nào');
    return say(who, a.units ?? '-');
  }
  const doc3080 = () => h.db.document.findUniqueOrThrow({ where: { numberKey: '3080-cv/btgtu' }, include: { units: true } });

  beforeAll(async () => {
    h = await startHarness({ now: '2023-08-10T09:00' });
    await setupOrg(h.database, h.config, ['an', 'chau', 'hanh', 'ngoc']);
    const unit = await h.db.unit.findUniqueOrThrow({ where: { code: 'DB-BTG' } });
    const person = await h.db.person.create({ data: { phone: XUYEN.phone, fullName: XUYEN.name } });
    xuyenId = person.id;
    await h.db.roleAssignment.create({ data: { personId: person.id, unitId: unit.id, role: 'tuyen_giao' } });
    await h.db.chatIdentity.create({ data: { channel: 'telegram', chatId: String(XUYEN.tg), personId: person.id } });
    const dir = mkdtempSync(join(tmpdir(), 'capuy-docs-sec-'));
    writeFileSync(join(dir, 'docs.csv'), DOCS_CSV);
    const res = await run('docs', 'import', join(dir, 'docs.csv'));
    if (res.code !== 0) throw new Error(res.err);
  });
  afterAll(() => h?.stop());

  it('H1 (F1): a tuyên giáo of DB-BTG cannot overwrite the org-wide 3080-CV/BTGTU, not even with a forged "Lưu"', async () => {
    const before = await doc3080();
    const preview = await newDoc(xuyen, {
      title: 'Thông báo nhanh kết quả Hội nghị (bản cập nhật)',
      number: '3080-CV/BTGTU',
      category: 'Thông báo nhanh',
      url: 'https://evil.example/thong-bao-3080.apk',
    });
    const shown = { text: preview.plainText, buttons: buttonsOf(preview).map((b) => b.text) };

    await press(xuyen, preview, 'doc:ok', 'edit');
    const after = await doc3080();
    expect(after.urls).toEqual([SEED_URL]);
    expect(after).toEqual(before);
    expect(preview.plainText).toContain('Thư viện đã có tài liệu «3080-CV/BTGTU»');
    // The preview said so politely, named whom to ask, and offered no "Lưu".
    expect(shown.text).toContain('Thư viện đã có tài liệu «3080-CV/BTGTU»');
    expect(shown.text).toContain('liên hệ');
    expect(shown.text).toContain(P.chau.name); // tuyên giáo of DBK, the root: she may change it
    expect(shown.buttons).not.toContain('✅ Lưu tài liệu');
    const denied = await h.db.auditLog.findMany({ where: { actorId: xuyenId, action: { startsWith: 'denied:' } } });
    expect(denied.map((a) => [a.action, a.target])).toEqual([['denied:docs.update', `document:${before.id}`]]);
    expect(await h.db.auditLog.count({ where: { action: 'docs.update' } })).toBe(0);

    // A replay of the same press changes nothing either.
    const replay = await press(xuyen, preview, 'doc:ok');
    expect(replay.popup).toBeTruthy();
    expect(await doc3080()).toEqual(before);
    expect(await h.db.auditLog.count({ where: { action: 'docs.update' } })).toBe(0);

    // Ngọc (CB1-MT) still finds the real notice.
    const found = await say('ngoc', '/tailieu 3080-CV/BTGTU');
    expect(found.plainText).toContain(`1. ${SEED_TITLE}`);
  });

  it('H1: the same exact title without a number is refused too', async () => {
    const before = await h.db.document.findFirstOrThrow({
      where: { title: { startsWith: 'Đề cương tuyên truyền' } },
      include: { units: true },
    });
    const preview = await newDoc(xuyen, { title: before.title, url: 'https://evil.example/de-cuong.apk' });
    expect(preview.plainText).toContain('Thư viện đã có tài liệu «Đề cương tuyên truyền kỷ niệm 93 năm');
    await press(xuyen, preview, 'doc:ok', 'edit');
    expect(await h.db.document.findUniqueOrThrow({ where: { id: before.id }, include: { units: true } })).toEqual(before);
  });

  it('H1: the creator and a tuyên giáo above every unit may update; the audience is kept or shown old → new', async () => {
    // Xuyên adds a document for CB1-BTG, then updates it himself.
    const first = await newDoc(xuyen, {
      title: 'Hướng dẫn học tập chuyên đề năm 2023',
      number: '15-HD/BTG',
      url: 'https://tuyengiao.example.vn/hd-15',
      units: 'CB1-BTG',
    });
    await press(xuyen, first, dataOf(first, 'Lưu'), 'edit');
    const created = await h.db.document.findUniqueOrThrow({
      where: { numberKey: '15-hd/btg' },
      include: { units: { include: { unit: true } } },
    });
    expect(created.createdById).toBe(xuyenId);
    expect(created.units.map((u) => u.unit.code)).toEqual(['CB1-BTG']);

    const own = await newDoc(xuyen, {
      title: 'Hướng dẫn học tập chuyên đề năm 2023 (sửa)',
      number: '15-hd/btg',
      url: 'https://tuyengiao.example.vn/hd-15-v2',
    });
    expect(own.plainText).toContain('lưu sẽ cập nhật tài liệu đó');
    await press(xuyen, own, dataOf(own, 'Lưu'), 'edit');
    expect(own.plainText).toContain('Đã cập nhật tài liệu');
    const updated = await h.db.document.findUniqueOrThrow({ where: { id: created.id }, include: { units: { include: { unit: true } } } });
    expect(updated.urls).toEqual(['https://tuyengiao.example.vn/hd-15-v2']);
    // Skipping the audience question keeps the audience (it is not reset to Xuyên's DB-BTG).
    expect(updated.units.map((u) => u.unit.code)).toEqual(['CB1-BTG']);
    const audit = await h.db.auditLog.findFirstOrThrow({ where: { action: 'docs.update', target: `document:${created.id}` } });
    expect(audit.details).toMatchObject({
      before: {
        title: 'Hướng dẫn học tập chuyên đề năm 2023',
        urls: ['https://tuyengiao.example.vn/hd-15'],
        units: ['CB1-BTG'],
        number: '15-HD/BTG',
      },
      after: {
        title: 'Hướng dẫn học tập chuyên đề năm 2023 (sửa)',
        urls: ['https://tuyengiao.example.vn/hd-15-v2'],
        units: ['CB1-BTG'],
        number: '15-hd/btg',
      },
    });

    // Châu (tuyên giáo of DBK, above CB1-BTG) may update it and widen it within her subtree.
    const chau = await newDoc('chau', {
      title: 'Hướng dẫn học tập chuyên đề năm 2023',
      number: '15-HD/BTG',
      url: 'https://tuyengiao.example.vn/hd-15-v3',
      units: 'DB-BTG',
    });
    expect(chau.plainText).toContain(
      'Dành cho: Chi bộ 1 (Phòng Tuyên truyền) (CB1-BTG) → Đảng bộ cơ quan Ban Tuyên giáo Thành ủy (DB-BTG)',
    );
    await press('chau', chau, dataOf(chau, 'Lưu'), 'edit');
    const widened = await h.db.document.findUniqueOrThrow({ where: { id: created.id }, include: { units: { include: { unit: true } } } });
    expect(widened.units.map((u) => u.unit.code)).toEqual(['DB-BTG']);
    expect(widened.createdById).toBe(xuyenId); // still his

    // Xuyên cannot widen his own document beyond his subtree.
    await say(xuyen, '/tailieumoi');
    await say(xuyen, 'Hướng dẫn học tập chuyên đề năm 2023');
    await say(xuyen, '15-HD/BTG');
    await say(xuyen, '-');
    const cat = await say(xuyen, '-');
    await press(xuyen, cat, dataOf(cat, 'Khác'), 1);
    await say(xuyen, 'https://tuyengiao.example.vn/hd-15');
    await say(xuyen, '-');
    await say(xuyen, '-');
    expect((await say(xuyen, 'DBK')).plainText).toContain('đơn vị «DBK» nằm ngoài phạm vi');
    await say(xuyen, '/huy');
  });

  it('L1: a quote in a URL host is refused politely; links already stored are escaped', async () => {
    await say('chau', '/tailieumoi');
    await say('chau', 'Tài liệu có đường dẫn lạ');
    await say('chau', '-');
    await say('chau', '-');
    const cat = await say('chau', '-');
    await press('chau', cat, dataOf(cat, 'Khác'), 1);
    const bad = await say('chau', 'https://tuyengiao.example.vn"x/tai-lieu');
    expect(bad.plainText).toContain('không hợp lệ');
    expect(bad.plainText).not.toContain('Tóm tắt');
    await say('chau', '/huy');

    const add = await run('docs', 'add', '--title', 'Đường dẫn có dấu nháy', '--url', 'https://a"onmouseover=x.vn/t');
    expect(add.code).toBe(1);
    expect(add.err).toContain('không hợp lệ');
  });

  it('L1: a link stored before the check (an older import) still opens, quoted properly', async () => {
    const cat1 = await h.db.docCategory.findFirstOrThrow();
    const doc = await h.db.document.create({
      data: {
        title: 'Tài liệu cũ có đường dẫn hỏng',
        categoryId: cat1.id,
        urls: ['https://tuyengiao.example.vn"x/cu'],
        tags: [],
        searchNumber: '',
        searchTitle: 'tai lieu cu co duong dan hong',
        searchTags: '',
        searchSummary: '',
      },
    });
    const list = await say('hanh', '/tailieu tai lieu cu duong dan hong');
    const {
      messages: [detail],
    } = await press('hanh', list, dataOf(list, '1'), 1);
    expect(detail!.plainText).toContain('Tài liệu cũ có đường dẫn hỏng');
    expect(detail!.text).toContain('href="https://tuyengiao.example.vn&quot;x/cu"');
    await h.db.document.delete({ where: { id: doc.id } });
  });

  it('docs:new.invalid shows the typed value escaped', async () => {
    await say('chau', '/tailieumoi');
    await say('chau', 'Tài liệu gõ sai đường dẫn');
    await say('chau', '-');
    await say('chau', '-');
    const cat = await say('chau', '-');
    await press('chau', cat, dataOf(cat, 'Khác'), 1);
    const angle = await say('chau', '<x');
    expect(angle.plainText).toContain('đường dẫn «<x» không hợp lệ');
    await say('chau', '/huy');
  });

  it('L2: a document with every field at its limit opens within 4096 characters, and so does its preview', async () => {
    const long = (n: number, w = 'tuyên truyền') =>
      Array.from({ length: Math.ceil(n / (w.length + 1)) }, () => w)
        .join(' ')
        .slice(0, n)
        .trim();
    const urls = Array.from({ length: 10 }, (_, i) => `https://tuyengiao.example.vn/tai-lieu/${i}/${'a'.repeat(960)}`);
    const tags = Array.from({ length: 20 }, (_, i) => `${i} ${long(46, 'từ khóa')}`).join(', ');
    const add = await run(
      'docs',
      'add',
      '--title',
      `Tài liệu rất dài ${long(280)}`,
      '--number',
      '999-TL/DAI',
      '--category',
      'Khác',
      '--url',
      ...urls,
      '--summary',
      long(3000),
      '--tags',
      tags,
    );
    expect(add.code, add.err).toBe(0);
    const list = await say('hanh', '/tailieu 999-TL/DAI');
    const {
      messages: [detail],
    } = await press('hanh', list, dataOf(list, '1'), 1);
    expect(detail!.plainText).toContain('Tài liệu rất dài');
    expect(detail!.plainText.length).toBeLessThanOrEqual(4096);
    expect(detail!.plainText).toContain('…');
    for (const u of urls) expect(detail!.text).toContain(`href="${u}"`);
    // Saving redraws the same view.
    await press('hanh', detail!, dataOf(detail!, 'Lưu'), 'edit');
    expect(detail!.plainText.length).toBeLessThanOrEqual(4096);

    // Typed in chat: the longest title, summary and tags with a long link.
    const preview = await newDoc('chau', {
      title: `Tài liệu dài ${long(285)}`,
      number: '998-TL/DAI',
      url: urls[0]!,
      summary: long(3000),
      tags,
    });
    expect(preview.plainText).toContain('Xem trước tài liệu');
    expect(preview.plainText.length).toBeLessThanOrEqual(4096);
    await press('chau', preview, dataOf(preview, 'Lưu'), 'edit');
    expect((await h.db.document.findUniqueOrThrow({ where: { numberKey: '998-tl/dai' } })).summary).toHaveLength(long(3000).length);

    // A query as long as a message is cut in the answer, not refused by Telegram.
    const none = await say('hanh', `/tailieu ${'khongco '.repeat(500)}`);
    expect(none.plainText).toContain('Không tìm thấy tài liệu nào');
  });

  it('/luu and its pages show only saved documents the person may still see', async () => {
    const title = 'Tài liệu sinh hoạt chi bộ tháng 8/2023: học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh';
    const list = await say('hanh', '/tailieu sinh hoat chi bo thang 8');
    const {
      messages: [detail],
    } = await press('hanh', list, dataOf(list, '1'), 1);
    expect(detail!.plainText).toContain(title);
    await press('hanh', detail!, dataOf(detail!, 'Lưu'), 'edit');
    expect((await say('hanh', '/luu')).plainText).toContain(title);

    // The operator moves it to the Mặt trận's đảng bộ: it is no longer for Hạnh.
    const moved = await run(
      'docs',
      'add',
      '--title',
      title,
      '--category',
      'Tài liệu sinh hoạt chi bộ',
      '--url',
      'https://tuyengiao.example.vn/sinh-hoat-chi-bo-8-2023',
      '--units',
      'DB-UBMT',
    );
    expect(moved.code, moved.err).toBe(0);
    const mine = await say('hanh', '/luu');
    expect(mine.plainText).not.toContain('sinh hoạt chi bộ tháng 8');
    expect(moved.out).toContain('CB1-BTG → DB-UBMT');
    const { popup } = await press('hanh', detail!, dataOf(detail!, 'Bỏ lưu'));
    expect(popup).toBe('Tài liệu này không còn hoặc không dành cho đơn vị của đồng chí.');
  });

  it('forged or stale buttons get the "stale" popup, never an internal error', async () => {
    const list = await say('hanh', '/tailieu');
    for (const data of ['doc:v:abc', 'doc:p:-1', 'doc:v:99999999999', 'doc:v:0', 'doc:s:1:2', 'doc:sp:x', 'doc:zz', 'doc:c:abc']) {
      const before = count('hanh');
      const { popup } = await press('hanh', list, data);
      expect(popup, data).toBe(STALE);
      expect(count('hanh'), data).toBe(before);
    }
    // A document that is not for her: refused, and the attempt is on record.
    const mt = await h.db.document.findFirstOrThrow({ where: { title: { startsWith: 'Đề cương tuyên truyền' } } });
    const { popup } = await press('hanh', list, `doc:v:${mt.id}`);
    expect(popup).toBe('Tài liệu này không còn hoặc không dành cho đơn vị của đồng chí.');
    expect(await h.db.auditLog.count({ where: { action: 'denied:docs.view', target: `document:${mt.id}` } })).toBe(1);
    // Someone without a tuyên giáo role cannot drive the new-document flow by buttons.
    expect((await press('hanh', list, 'doc:ok')).popup).toBe('Đồng chí không có quyền thực hiện thao tác này.');
  });
});
