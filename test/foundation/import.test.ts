import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { cli } from '../helpers/cli.js';
import { openTestDatabase } from '../helpers/db.js';

const dir = mkdtempSync(join(tmpdir(), 'capuy-import-'));
const config = configSchema.parse({ BOT_USERNAME: 'capuy_test_bot', LOG_LEVEL: 'silent' });
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('import units and people', () => {
  let database: Database;
  const run = (...argv: string[]) => cli(database, config, argv);

  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database?.close());

  it('imports the tree and the roster, and a second import changes nothing', async () => {
    const u1 = await run('import', 'units', 'test/fixtures/units.csv');
    expect(u1.code, u1.err).toBe(0);
    expect(u1.out).toContain('8 mới');
    const p1 = await run('import', 'people', 'test/fixtures/people.csv');
    expect(p1.code, p1.err).toBe(0);
    expect(p1.out).toContain('11 người mới');
    expect(p1.out).toContain('12 vai trò mới');

    const u2 = await run('import', 'units', 'test/fixtures/units.csv');
    expect(u2.out).toContain('0 mới, 0 cập nhật, 8 không đổi');
    const p2 = await run('import', 'people', 'test/fixtures/people.csv');
    expect(p2.out).toContain('0 người mới, 0 cập nhật, 0 vai trò mới');
    expect(await database.prisma.unit.count()).toBe(8);
    expect(await database.prisma.person.count()).toBe(11);
    expect(await database.prisma.roleAssignment.count()).toBe(12);

    const dung = await database.prisma.person.findUnique({ where: { phone: '+84908765432' }, include: { roles: true } });
    expect(dung?.roles.map((r) => r.role).sort()).toEqual(['cap_uy_vien', 'phu_trach']);
  });

  it('lists every bad unit row with its line and applies nothing', async () => {
    const before = await database.prisma.unit.count();
    const bad = file(
      'bad-units.csv',
      [
        'code,name,parent_code,kind',
        'NEW1,Chi bộ mới,KHONGCO,chi_bo', // 2 unknown parent
        'NEW2,Đảng bộ X,CB1-BTG,dang_bo', // 3 parent is a chi bộ
        'NEW3,Đơn vị Y,,to_dang', // 4 bad kind
        'bad code!,Đơn vị Z,DBK,chi_bo', // 5 bad code
        'NEW4,,DBK,chi_bo', // 6 empty name
        'NEW5,Trùng,DBK,chi_bo',
        'NEW5,Trùng lần hai,DBK,chi_bo', // 8 duplicate
        'DBK,Đảng bộ Khối,DB-BTG,dang_bo', // 9 cycle: DBK under its own child
      ].join('\n'),
    );
    const res = await run('import', 'units', bad);
    expect(res.code).toBe(1);
    expect(res.err).toContain('Không nhập gì cả');
    for (const [line, text] of [
      [2, 'KHONGCO'],
      [3, 'là chi bộ'],
      [4, 'to_dang'],
      [5, 'bad code!'],
      [6, 'thiếu tên'],
      [8, 'trùng với dòng 7'],
      [9, 'vòng lặp'],
    ] as const) {
      expect(res.err).toMatch(new RegExp(`Dòng ${line}: .*${text.replace(/[!()]/g, '\\$&')}`));
    }
    expect(await database.prisma.unit.count()).toBe(before);
  });

  it('lists every bad person row and applies nothing', async () => {
    const before = await database.prisma.roleAssignment.count();
    const bad = file(
      'bad-people.csv',
      [
        'full_name,phone,unit_code,role',
        'Người Mới,0999 000 111,CB1-BTG,bi_thu', // fine on its own
        'Sai Số,12345,CB1-BTG,bi_thu', // 3 bad phone
        'Không Đơn Vị,0913 000 001,KHONGCO,bi_thu', // 4 unknown unit
        'Sai Vai Trò,0913 000 002,CB1-BTG,chu_tich', // 5 bad role
        'Tên Khác,0999000111,CB2-BTG,bi_thu', // 6 same phone other name
      ].join('\n'),
    );
    const res = await run('import', 'people', bad);
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/Dòng 3: .*12345/);
    expect(res.err).toMatch(/Dòng 4: .*KHONGCO/);
    expect(res.err).toMatch(/Dòng 5: .*chu_tich/);
    expect(res.err).toMatch(/Dòng 6: .*Người Mới/);
    expect(res.err).not.toMatch(/Dòng 2/);
    expect(await database.prisma.roleAssignment.count()).toBe(before);
    expect(await database.prisma.person.findUnique({ where: { phone: '+84999000111' } })).toBeNull();
  });

  it('explains a missing column or file', async () => {
    const res = await run('import', 'people', file('cols.csv', 'name,phone\nA,0912345678\n'));
    expect(res.code).toBe(1);
    expect(res.err).toContain('full_name');
    const missing = await run('import', 'units', join(dir, 'nope.csv'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('Không đọc được tệp');
  });

  it('reads XLSX and adds roles to a known phone written differently', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('people');
    ws.addRow(['full_name', 'phone', 'unit_code', 'role']);
    ws.addRow(['Võ Thị Hạnh', '+84913222333', 'DB-BTG', 'dang_vien']);
    const path = join(dir, 'people.xlsx');
    await wb.xlsx.writeFile(path);
    const res = await run('import', 'people', path);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toContain('0 người mới, 0 cập nhật, 1 vai trò mới');
  });

  it('prints the tree with counts', async () => {
    const res = await run('units');
    expect(res.out).toMatch(/^DBK {2}Đảng bộ Khối/m);
    expect(res.out).toMatch(/^ {4}CB3-BTG {2}Chi bộ 3 \(Văn phòng Ban\) {2}\[chi bộ\] {2}2 người, 0 đã liên kết/m);
  });
});
