import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { chat } from '../broadcasts/chat.js';
import { buttonsOf, dataOf } from '../helpers/chat.js';
import { DOCS_CSV, setupOrg } from '../broadcasts/org.js';

const SEED_TITLE = 'Thông báo nhanh kết quả Hội nghị Ban Chấp hành Đảng bộ thành phố lần thứ 21 (khóa XI)';

describe('document library in chat', () => {
  let h: Harness;
  const { say, press } = chat(() => h);
  const run = (...argv: string[]) => cli(h.database, h.config, argv, h.clock);

  beforeAll(async () => {
    h = await startHarness({ now: '2023-08-10T09:00' });
    await setupOrg(h.database, h.config, ['chau', 'hanh', 'ngoc']);
    const dir = mkdtempSync(join(tmpdir(), 'capuy-docs-chat-'));
    writeFileSync(join(dir, 'docs.csv'), DOCS_CSV);
    const res = await run('docs', 'import', join(dir, 'docs.csv'));
    if (res.code !== 0) throw new Error(res.err);
  });
  afterAll(() => h?.stop());

  it('/tailieu lists the newest documents meant for my units, five a page', async () => {
    const list = await say('hanh', '/tailieu');
    expect(list.plainText).toContain('Tài liệu mới nhất (1–5 trong 6)');
    const lines = list.plainText.split('\n').filter((l) => /^\d\. /.test(l));
    const expected = [
      '1. Tài liệu sinh hoạt chi bộ tháng 8/2023', // for CB1-BTG, Hạnh's chi bộ
      '2. Về việc gửi tài liệu', // for DBK, above her
      `3. ${SEED_TITLE}`,
      '4. Nghị quyết về thí điểm',
      '5. Chỉ thị về tăng cường',
    ];
    expect(lines).toHaveLength(5);
    lines.forEach((l, i) => expect(l.startsWith(expected[i]!), l).toBe(true));
    expect(list.plainText).toContain('3080-CV/BTGTU · Ban Tuyên giáo Thành ủy · 10/07/2023');
    expect(list.plainText).not.toContain('Đề cương'); // for DB-UBMT only
    expect(buttonsOf(list).map((b) => b.text)).toEqual(['1', '2', '3', '4', '5', 'Sau ▶️']);

    await press('hanh', list, dataOf(list, 'Sau'), 'edit');
    expect(list.plainText).toContain('(6–6 trong 6)');
    expect(list.plainText).toContain('6. Kết luận về tiếp tục thực hiện Nghị quyết Trung ương 4 khóa XII');
    expect(buttonsOf(list).map((b) => b.text)).toEqual(['6', '◀️ Trước']);

    // Ngọc's chi bộ is under the Mặt trận: the đề cương is for her, the chi bộ material is not.
    const ngoc = await say('ngoc', '/tailieu');
    expect(ngoc.plainText).toContain('Đề cương tuyên truyền kỷ niệm 93 năm');
    expect(ngoc.plainText).not.toContain('sinh hoạt chi bộ tháng 8');
  });

  it('finds seed 004 typed with or without diacritics, by words or number', async () => {
    for (const q of ['thong bao nhanh', 'THÔNG BÁO', '3080', '3080-cv', '3080-CV/BTGTU']) {
      const res = await say('hanh', `/tailieu ${q}`);
      const first = res.plainText.split('\n').find((l) => l.startsWith('1. '));
      expect(first, q).toBe(`1. ${SEED_TITLE}`);
    }
    const dang = await say('ngoc', '/tailieu đang');
    expect(dang.plainText).toContain('Đề cương tuyên truyền kỷ niệm 93 năm Ngày thành lập Đảng');
    const none = await say('hanh', '/tailieu de cuong'); // exists, but not for her units
    expect(none.plainText).toContain('Không tìm thấy tài liệu nào với «de cuong»');
  });

  it('opens a document with its links, saves it, and lists saved documents with /luu', async () => {
    const results = await say('hanh', '/tailieu thong bao nhanh');
    expect(results.plainText).toContain('Kết quả tìm «thong bao nhanh»: 1–2 trong 2');
    const {
      messages: [detail],
    } = await press('hanh', results, dataOf(results, '1'), 1);
    expect(detail!.plainText).toContain(SEED_TITLE);
    expect(detail!.plainText).toContain('Số: 3080-CV/BTGTU');
    expect(detail!.plainText).toContain('Cơ quan ban hành: Ban Tuyên giáo Thành ủy');
    expect(detail!.plainText).toContain('Ngày ban hành: 10/07/2023');
    expect(detail!.plainText).toContain('Loại: Thông báo nhanh');
    expect(detail!.plainText).toContain('Dành cho: tất cả các đơn vị');
    expect(detail!.plainText).toContain('Từ khóa: hội nghị thành ủy, kinh tế - xã hội');
    expect(detail!.text).toContain('<a href="https://tuyengiao.example.vn/tai-lieu/thong-bao-nhanh-hoi-nghi-21.pdf">');
    const buttons = buttonsOf(detail!);
    expect(buttons[0]).toEqual({ text: '🔗 Mở tài liệu', url: 'https://tuyengiao.example.vn/tai-lieu/thong-bao-nhanh-hoi-nghi-21.pdf' });
    expect(buttons.map((b) => b.text)).not.toContain('📢 Gửi thông báo'); // a bí thư does not broadcast

    const saved = await press('hanh', detail!, dataOf(detail!, 'Lưu'), 'edit');
    expect(saved.popup).toBe('Đã lưu tài liệu.');
    expect(buttonsOf(detail!).map((b) => b.text)).toContain('✖️ Bỏ lưu');

    expect((await say('hanh', '/luu 65-cv/btgqu')).plainText).toBe(
      '⭐ Đã lưu tài liệu «Về việc gửi tài liệu Thông báo nhanh kết quả Hội nghị Ban Chấp hành Đảng bộ thành phố lần thứ 21 (khóa XI)». Xem các tài liệu đã lưu: /luu',
    );
    const mine = await say('hanh', '/luu');
    expect(mine.plainText).toContain('Tài liệu đã lưu (1–2 trong 2)');
    expect(mine.plainText).toMatch(/1\. Về việc gửi tài liệu[\s\S]*2\. Thông báo nhanh kết quả/);
    // Several match: she is asked to pick; nothing is saved.
    const which = await say('hanh', '/luu nghi quyet');
    expect(which.plainText).toContain('tài liệu khớp với «nghi quyet»');

    await press('hanh', detail!, dataOf(detail!, 'Bỏ lưu'), 'edit');
    expect((await say('hanh', '/luu')).plainText).toContain('(1–1 trong 1)');
  });

  it('/tailieumoi walks tuyên giáo through the fields, previews, and saves on "Lưu"', async () => {
    expect((await say('hanh', '/tailieumoi')).plainText).toContain('chỉ dành cho đồng chí có vai trò phù hợp');

    expect((await say('chau', '/tailieumoi')).plainText).toContain('Tên (trích yếu) của tài liệu là gì?');
    expect((await say('chau', 'Hỏi & đáp <chuyên đề> về Nghị quyết số 98')).plainText).toContain('Số hiệu');
    expect((await say('chau', '102-HD/BTGTU')).plainText).toContain('Cơ quan ban hành');
    expect((await say('chau', '-')).plainText).toContain('Ngày ban hành');
    expect((await say('chau', '31/02/2023')).plainText).toContain('ngày «31/02/2023» không hợp lệ');
    const category = await say('chau', '20/07/2023');
    expect(category.plainText).toContain('Tài liệu thuộc loại nào?');
    const {
      messages: [askUrl],
    } = await press('chau', category, dataOf(category, 'Đề cương tuyên truyền'), 1);
    expect(askUrl!.plainText).toContain('Đường dẫn tải tài liệu');
    expect(category.plainText).toBe('Loại tài liệu: Đề cương tuyên truyền');
    expect((await say('chau', 'tuyengiao.example.vn/hd-102')).plainText).toContain('không hợp lệ');
    expect((await say('chau', 'https://tuyengiao.example.vn/hd-102?a=1&b=2')).plainText).toContain('Tóm tắt');
    expect((await say('chau', '-')).plainText).toContain('Từ khóa');
    expect((await say('chau', 'nghị quyết 98, cơ chế đặc thù')).plainText).toContain('dành cho đơn vị nào');
    expect((await say('chau', 'KHONGCO')).plainText).toContain('không có đơn vị mã «KHONGCO»');
    const preview = await say('chau', 'DB-BTG, CBCS-HLH');
    expect(preview.plainText).toContain('Xem trước tài liệu');
    expect(preview.plainText).toContain('Hỏi & đáp <chuyên đề> về Nghị quyết số 98');
    expect(preview.plainText).toContain(
      'Dành cho: Chi bộ cơ sở Hội Liên hiệp Phụ nữ Thành phố (CBCS-HLH), Đảng bộ cơ quan Ban Tuyên giáo Thành ủy (DB-BTG)',
    );
    expect(preview.text).toContain('href="https://tuyengiao.example.vn/hd-102?a=1&amp;b=2"');
    expect(await h.db.document.count({ where: { numberKey: '102-hd/btgtu' } })).toBe(0);

    await press('chau', preview, 'doc:ok', 'edit');
    expect(preview.plainText).toMatch(/^✅ Đã lưu tài liệu #\d+ «Hỏi & đáp <chuyên đề> về Nghị quyết số 98» vào thư viện\.$/);
    const doc = await h.db.document.findUniqueOrThrow({ where: { numberKey: '102-hd/btgtu' }, include: { units: true } });
    expect(doc.issuedOn?.toISOString()).toBe('2023-07-20T00:00:00.000Z');
    expect(doc.units).toHaveLength(2);
    const audit = await h.db.auditLog.findFirstOrThrow({ where: { action: 'docs.add', target: `document:${doc.id}` } });
    expect(audit.actor).toBe(`telegram:${7102}`);

    // Hạnh's chi bộ is under DB-BTG: she finds it, even typed without diacritics.
    const found = await say('hanh', '/tailieu hoi dap nghi quyet 98');
    expect(found.plainText).toContain('1. Hỏi & đáp <chuyên đề> về Nghị quyết số 98');
    // Tuyên giáo sees "Gửi thông báo" under a document.
    const results = await say('chau', '/tailieu 102-HD');
    const {
      messages: [detail],
    } = await press('chau', results, dataOf(results, '1'), 1);
    expect(buttonsOf(detail!).map((b) => b.text)).toContain('📢 Gửi thông báo');
  });
});
