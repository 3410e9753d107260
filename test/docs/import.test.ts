import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { searchDocuments } from '../../src/domain/docs/search.js';
import { cli } from '../helpers/cli.js';
import { openTestDatabase } from '../helpers/db.js';
import { DOCS_CSV, setupOrg } from '../broadcasts/org.js';

const dir = mkdtempSync(join(tmpdir(), 'capuy-docs-'));
const config = configSchema.parse({ BOT_USERNAME: 'capuy_test_bot', LOG_LEVEL: 'silent' });
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('document library from the command line', () => {
  let database: Database;
  const run = (...argv: string[]) => cli(database, config, argv);
  /** Numbers (or titles) of what `docs search` finds, best first. */
  const found = async (...words: string[]) => {
    const res = await searchDocuments(database.prisma, { text: words.join(' '), visibleUnitIds: null, page: 0, pageSize: 20 });
    const docs = await database.prisma.document.findMany({ where: { id: { in: res.ids } } });
    return res.ids.map((id) => {
      const d = docs.find((x) => x.id === id)!;
      return d.number ?? d.title.slice(0, 20);
    });
  };

  beforeAll(async () => {
    database = await openTestDatabase();
    await setupOrg(database, config, []);
  });
  afterAll(() => database?.close());

  it('imports seed 004 and friends, and a second import of the same numbers updates them', async () => {
    const first = await run('docs', 'import', file('docs.csv', DOCS_CSV));
    expect(first.code, first.err).toBe(0);
    expect(first.out).toBe('Đã nhập tài liệu: 7 mới, 0 cập nhật.');

    const changed = DOCS_CSV.replace('Ban Tuyên giáo Thành ủy,10/07/2023', 'Ban Tuyên giáo Thành ủy TP.HCM,10/07/2023');
    const second = await run('docs', 'import', file('docs2.csv', changed));
    expect(second.out).toBe('Đã nhập tài liệu: 0 mới, 7 cập nhật.');
    expect(await database.prisma.document.count()).toBe(7);
    const doc = await database.prisma.document.findUniqueOrThrow({
      where: { numberKey: '3080-cv/btgtu' },
      include: { units: true, category: true },
    });
    expect(doc).toMatchObject({
      number: '3080-CV/BTGTU',
      issuer: 'Ban Tuyên giáo Thành ủy TP.HCM',
      urls: ['https://tuyengiao.example.vn/tai-lieu/thong-bao-nhanh-hoi-nghi-21.pdf'],
    });
    expect(doc.category.name).toBe('Thông báo nhanh');
    expect(doc.issuedOn?.toISOString()).toBe('2023-07-10T00:00:00.000Z');
    expect(doc.tags).toEqual(['hội nghị thành ủy', 'kinh tế - xã hội']);
    expect(doc.units).toEqual([]);
    const chiBo = await database.prisma.document.findFirstOrThrow({
      where: { title: { startsWith: 'Tài liệu sinh hoạt chi bộ' } },
      include: { units: { include: { unit: true } } },
    });
    expect(chiBo.urls).toHaveLength(2);
    expect(chiBo.units.map((u) => u.unit.code)).toEqual(['CB1-BTG']);
  });

  it('lists every bad row with its line and column, and applies nothing', async () => {
    const before = await database.prisma.document.findMany({ orderBy: { id: 'asc' } });
    const bad = file(
      'bad.csv',
      [
        'title,number,issuer,issued_on,category,url,summary,tags,units',
        'Tài liệu mới hợp lệ,1-TB/X,,01/01/2024,Khác,https://example.vn/a,,,', // 2 fine on its own
        ',2-TB/X,,,Khác,https://example.vn/b,,,', // 3 no title
        'Ngày sai,3-TB/X,,31/02/2024,Khác,https://example.vn/c,,,', // 4 bad date
        'Loại lạ,4-TB/X,,,Bản tin,https://example.vn/d,,,', // 5 unknown category
        'Không link,5-TB/X,,,Khác,,,,', // 6 no url
        'Link sai,6-TB/X,,,Khác,ftp://example.vn/e,,,', // 7 not http(s)
        'Đơn vị lạ,7-TB/X,,,Khác,https://example.vn/f,,,KHONGCO', // 8 unknown unit
        'Trùng số,1-tb/x,,,Khác,https://example.vn/g,,,', // 9 same number as line 2
      ].join('\n'),
    );
    const res = await run('docs', 'import', bad);
    expect(res.code).toBe(1);
    expect(res.err).toContain('Không nhập gì cả: có 7 dòng lỗi');
    for (const [line, text] of [
      [3, 'title: thiếu tên tài liệu'],
      [4, 'issued_on: ngày «31/02/2024» không hợp lệ'],
      [5, 'category: không có loại tài liệu «Bản tin»'],
      [6, 'url: thiếu đường dẫn'],
      [7, 'url: đường dẫn «ftp://example.vn/e» không hợp lệ'],
      [8, 'units: không có đơn vị mã «KHONGCO»'],
      [9, 'số hiệu «1-tb/x» trùng với dòng 2'],
    ] as const) {
      expect(res.err).toContain(`Dòng ${line}: ${text}`);
    }
    expect(res.err).not.toMatch(/Dòng 2:/);
    expect(await database.prisma.document.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
  });

  it('reads XLSX, and explains a missing column', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('docs');
    ws.addRow(['title', 'number', 'issuer', 'issued_on', 'category', 'url', 'summary', 'tags', 'units']);
    ws.addRow([
      'Thông báo kết luận của Ban Thường vụ Thành ủy',
      '45-TB/TU',
      'Thành ủy',
      new Date(Date.UTC(2023, 8, 5)),
      'thong bao nhanh',
      'https://example.vn/tb-45',
      '',
      '',
      'DB-BTG',
    ]);
    const path = join(dir, 'docs.xlsx');
    await wb.xlsx.writeFile(path);
    const res = await run('docs', 'import', path);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toContain('1 mới');
    const doc = await database.prisma.document.findUniqueOrThrow({ where: { numberKey: '45-tb/tu' }, include: { category: true } });
    expect(doc.category.name).toBe('Thông báo nhanh');
    expect(doc.issuedOn?.toISOString()).toBe('2023-09-05T00:00:00.000Z');

    const missing = await run('docs', 'import', file('cols.csv', 'title,url\nA,https://example.vn\n'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('number');
  });

  it('adds with flags, extends the categories, and audits both', async () => {
    const bad = await run('docs', 'add', '--title', 'Bản tin nội bộ số 7', '--category', 'Bản tin', '--url', 'https://example.vn/bt-7');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('không có loại tài liệu «Bản tin»');

    const cat = await run('docs', 'categories', 'add', 'Bản tin');
    expect(cat.out).toBe('Đã thêm loại tài liệu «Bản tin».');
    expect((await run('docs', 'categories', 'add', 'ban tin')).out).toBe('Đã có loại tài liệu «Bản tin».');
    const list = await run('docs', 'categories');
    expect(list.out.split('\n')).toEqual([
      'Thông báo nhanh',
      'Nghị quyết',
      'Chỉ thị',
      'Kết luận',
      'Đề cương tuyên truyền',
      'Tài liệu sinh hoạt chi bộ',
      'Bản tin',
      'Khác',
    ]);

    const added = await run(
      'docs',
      'add',
      '--title',
      'Bản tin nội bộ số 7',
      '--number',
      '7-BT/BTG',
      '--category',
      'ban tin',
      '--url',
      'https://example.vn/bt-7',
      'https://example.vn/bt-7-phu-luc',
      '--tags',
      'bản tin; nội bộ',
      '--units',
      'DB-BTG,CB1-MT',
      '--issued-on',
      '2023-08-15',
    );
    expect(added.code, added.err).toBe(0);
    expect(added.out).toMatch(/^Đã thêm tài liệu #\d+: Bản tin nội bộ số 7$/);
    const doc = await database.prisma.document.findUniqueOrThrow({ where: { numberKey: '7-bt/btg' }, include: { units: true } });
    expect(doc.urls).toEqual(['https://example.vn/bt-7', 'https://example.vn/bt-7-phu-luc']);
    expect(doc.tags).toEqual(['bản tin', 'nội bộ']);
    expect(doc.units).toHaveLength(2);

    const again = await run(
      'docs',
      'add',
      '--title',
      'Bản tin nội bộ số 7 (sửa)',
      '--number',
      '7-bt/btg',
      '--category',
      'Bản tin',
      '--url',
      'https://example.vn/bt-7',
    );
    expect(again.out).toMatch(/^Đã cập nhật tài liệu #\d+: Bản tin nội bộ số 7 \(sửa\)$/);
    const audits = await database.prisma.auditLog.findMany({ where: { action: { startsWith: 'docs.' } }, orderBy: { id: 'asc' } });
    expect(audits.map((a) => a.action)).toEqual([
      'docs.import',
      'docs.import',
      'docs.import',
      'docs.category.add',
      'docs.add',
      'docs.update',
    ]);
  });

  it('an update keeps the audience unless units are given, says when it changes, and audits before and after', async () => {
    const doc = await database.prisma.document.findUniqueOrThrow({
      where: { numberKey: '7-bt/btg' },
      include: { units: { include: { unit: true } } },
    });
    expect(doc.units.map((u) => u.unit.code).sort()).toEqual(['CB1-MT', 'DB-BTG']); // kept by the update without --units above
    const audit = await database.prisma.auditLog.findFirstOrThrow({ where: { action: 'docs.update', target: `document:${doc.id}` } });
    expect(audit.details).toEqual({
      before: {
        title: 'Bản tin nội bộ số 7',
        number: '7-BT/BTG',
        urls: ['https://example.vn/bt-7', 'https://example.vn/bt-7-phu-luc'],
        units: ['CB1-MT', 'DB-BTG'],
      },
      after: { title: 'Bản tin nội bộ số 7 (sửa)', number: '7-bt/btg', urls: ['https://example.vn/bt-7'], units: ['CB1-MT', 'DB-BTG'] },
    });

    const moved = await run(
      'docs',
      'add',
      '--title',
      'Bản tin nội bộ số 7 (sửa)',
      '--number',
      '7-BT/BTG',
      '--category',
      'Bản tin',
      '--url',
      'https://example.vn/bt-7',
      '--units',
      '*',
    );
    expect(moved.out.split('\n')).toEqual([
      `Đã cập nhật tài liệu #${doc.id}: Bản tin nội bộ số 7 (sửa)`,
      'Dành cho: CB1-MT, DB-BTG → tất cả các đơn vị',
    ]);
    expect(await database.prisma.documentUnit.count({ where: { documentId: doc.id } })).toBe(0);

    // An import that changes a document records it in the import's audit row.
    const changed = DOCS_CSV.replace('https://quochoi.example.vn/nq-98-2023-qh15', 'https://quochoi.example.vn/nq-98');
    expect((await run('docs', 'import', file('docs3.csv', changed))).code).toBe(0);
    const row = await database.prisma.auditLog.findFirstOrThrow({ where: { action: 'docs.import' }, orderBy: { id: 'desc' } });
    const nq = await database.prisma.document.findUniqueOrThrow({ where: { numberKey: '98/2023/qh15' } });
    expect(row.details).toMatchObject({
      created: 0,
      updated: 7,
      changes: [
        {
          document: nq.id,
          before: { urls: ['https://quochoi.example.vn/nq-98-2023-qh15'] },
          after: { urls: ['https://quochoi.example.vn/nq-98'] },
        },
      ],
    });
  });

  it('finds seed 004 whatever way it is typed, best match first', async () => {
    for (const q of ['thong bao nhanh', 'THÔNG BÁO NHANH', 'Thông báo nhanh', 'thông bao NHANH']) {
      expect((await found(q))[0], q).toBe('3080-CV/BTGTU');
    }
    // The number: the notice itself first, then the letter that cites it in its summary.
    for (const q of ['3080', '3080-cv', '3080-CV/BTGTU', '3080-cv/btgtu']) {
      expect((await found(q)).slice(0, 2), q).toEqual(['3080-CV/BTGTU', '65-CV/BTGQU']);
    }
    // "đ" is "d": the tags "Đảng" and "xây dựng Đảng", and the "Đề cương" title.
    expect(await found('dang')).toEqual(expect.arrayContaining(['21-KL/TW', 'Đề cương tuyên truyề']));
    expect(await found('de cuong')).toEqual(['Đề cương tuyên truyề']);
    expect(await found('đề cương tuyên truyền')).toEqual(['Đề cương tuyên truyề']);
    // Every word must match; category names are searchable with the tags.
    expect(await found('nghi quyet 98')).toEqual(['98/2023/QH15']);
    expect((await found('chi thi'))[0]).toBe('12-CT/TU');
    // Whole words: "an" is not inside "ban" or "hanh".
    expect(await found('an')).toEqual([]);
    expect(await found('khong co gi nhu the nay')).toEqual([]);

    const cliSearch = await run('docs', 'search', 'thong', 'bao', 'nhanh');
    expect(cliSearch.out.split('\n')[0]).toMatch(
      /^#\d+ {2}3080-CV\/BTGTU {2}10\/07\/2023 {2}Thông báo nhanh {2}Thông báo nhanh kết quả Hội nghị/,
    );
  });
});
