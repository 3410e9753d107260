import type { Db } from '../db/client.js';
import type { Role } from '../db/generated/enums.js';
import type { ImportResult } from '../domain/imports/errors.js';
import { importPeople } from '../domain/imports/people.js';
import type { TableRow } from '../domain/imports/readTable.js';
import { importUnits } from '../domain/imports/units.js';
import { normalizePhone } from '../domain/phone.js';
import { linkChat } from '../domain/people.js';

/**
 * The demo organisation: the bloc committee of seed 000 with three đảng bộ cơ sở and their chi bộ,
 * and one person for each role. Names and units are data, written as a committee would write them.
 */
export const DEMO_UNITS: { code: string; name: string; parent: string; kind: 'dang_bo' | 'chi_bo' }[] = [
  { code: 'DBK', name: 'Đảng bộ Khối Dân – Chính – Đảng Thành phố', parent: '', kind: 'dang_bo' },
  { code: 'DB-BTG', name: 'Đảng bộ cơ quan Ban Tuyên giáo Thành ủy', parent: 'DBK', kind: 'dang_bo' },
  { code: 'CB1-BTG', name: 'Chi bộ 1 (Phòng Tuyên truyền)', parent: 'DB-BTG', kind: 'chi_bo' },
  { code: 'CB2-BTG', name: 'Chi bộ 2 (Phòng Lý luận chính trị)', parent: 'DB-BTG', kind: 'chi_bo' },
  { code: 'CB3-BTG', name: 'Chi bộ 3 (Văn phòng Ban)', parent: 'DB-BTG', kind: 'chi_bo' },
  { code: 'DB-UBMT', name: 'Đảng bộ cơ quan Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố', parent: 'DBK', kind: 'dang_bo' },
  { code: 'CB1-MT', name: 'Chi bộ 1 (Ban Dân chủ – Pháp luật)', parent: 'DB-UBMT', kind: 'chi_bo' },
  { code: 'CB2-MT', name: 'Chi bộ 2 (Ban Phong trào)', parent: 'DB-UBMT', kind: 'chi_bo' },
  { code: 'DB-TD', name: 'Đảng bộ cơ quan Thành Đoàn', parent: 'DBK', kind: 'dang_bo' },
  { code: 'CB-VPTD', name: 'Chi bộ Văn phòng Thành Đoàn', parent: 'DB-TD', kind: 'chi_bo' },
  { code: 'CBCS-HLH', name: 'Chi bộ cơ sở Hội Liên hiệp Phụ nữ Thành phố', parent: 'DBK', kind: 'chi_bo' },
];

export interface DemoPerson {
  /** The fake Telegram user id; also the id of their private chat with the bot. */
  userId: number;
  fullName: string;
  /** Who this is, as the picker shows it ("Bí thư Chi bộ 3"). */
  title: string;
  /** Code of the unit shown under the title. */
  unit: string;
  phone: string;
  position?: string;
  roles: { unit: string; role: Role }[];
  /** Already linked to the bot; the others try /start and «Chia sẻ số điện thoại». */
  linked: boolean;
}

export const DEMO_PEOPLE: DemoPerson[] = [
  {
    userId: 7100001,
    fullName: 'Huỳnh Thị Lan',
    title: 'Bí thư Chi bộ 3',
    unit: 'CB3-BTG',
    phone: '0913 222 555',
    position: 'Chánh Văn phòng Ban Tuyên giáo Thành ủy',
    roles: [{ unit: 'CB3-BTG', role: 'bi_thu' }],
    linked: true,
  },
  {
    userId: 7100002,
    fullName: 'Đặng Văn Hùng',
    title: 'Bí thư Chi bộ 2',
    unit: 'CB2-BTG',
    phone: '0913 222 444',
    position: 'Trưởng phòng Lý luận chính trị',
    roles: [{ unit: 'CB2-BTG', role: 'bi_thu' }],
    linked: false,
  },
  {
    userId: 7100003,
    fullName: 'Võ Thị Hạnh',
    title: 'Bí thư Chi bộ 1',
    unit: 'CB1-BTG',
    phone: '0913 222 333',
    roles: [{ unit: 'CB1-BTG', role: 'bi_thu' }],
    linked: true,
  },
  {
    userId: 7100004,
    fullName: 'Bùi Thanh Long',
    title: 'Phó Bí thư Chi bộ 3',
    unit: 'CB3-BTG',
    phone: '0913 222 666',
    roles: [{ unit: 'CB3-BTG', role: 'pho_bi_thu' }],
    linked: true,
  },
  {
    userId: 7100005,
    fullName: 'Đoàn Thị Mai',
    title: 'Đảng viên Chi bộ 3',
    unit: 'CB3-BTG',
    phone: '0913 222 777',
    roles: [{ unit: 'CB3-BTG', role: 'dang_vien' }],
    linked: false,
  },
  {
    userId: 7100006,
    fullName: 'Trần Thị Bình',
    title: 'Văn phòng Đảng ủy Khối',
    unit: 'DBK',
    phone: '0903 111 222',
    position: 'Chánh Văn phòng Đảng ủy Khối',
    roles: [{ unit: 'DBK', role: 'van_phong' }],
    linked: true,
  },
  {
    userId: 7100007,
    fullName: 'Lê Minh Châu',
    title: 'Ban Tuyên giáo',
    unit: 'DBK',
    phone: '0987 654 321',
    position: 'Trưởng Ban Tuyên giáo Đảng ủy Khối',
    roles: [{ unit: 'DBK', role: 'tuyen_giao' }],
    linked: true,
  },
  {
    userId: 7100008,
    fullName: 'Phạm Quốc Dũng',
    title: 'Ủy viên BCH phụ trách',
    unit: 'DB-BTG',
    phone: '0908 765 432',
    position: 'Ủy viên Ban Chấp hành Đảng bộ Khối',
    roles: [
      { unit: 'DB-BTG', role: 'phu_trach' },
      { unit: 'DBK', role: 'cap_uy_vien' },
    ],
    linked: true,
  },
  {
    userId: 7100009,
    fullName: 'Mai Xuân Đức',
    title: 'Bí thư Đảng bộ cơ quan Ban Tuyên giáo',
    unit: 'DB-BTG',
    phone: '0909 123 456',
    roles: [{ unit: 'DB-BTG', role: 'bi_thu' }],
    linked: true,
  },
  {
    userId: 7100010,
    fullName: 'Nguyễn Trung Châu Tuyên',
    title: 'Báo cáo viên',
    unit: 'DBK',
    phone: '0914 333 777',
    roles: [{ unit: 'DBK', role: 'bao_cao_vien' }],
    linked: true,
  },
  {
    userId: 7100011,
    fullName: 'Trương Mỹ Ngọc',
    title: 'Bí thư Chi bộ 1 (Mặt trận)',
    unit: 'CB1-MT',
    phone: '0914 333 888',
    roles: [{ unit: 'CB1-MT', role: 'bi_thu' }],
    linked: true,
  },
  {
    userId: 7100012,
    fullName: 'Lý Hoàng Nam',
    title: 'Bí thư Chi bộ Văn phòng Thành Đoàn',
    unit: 'CB-VPTD',
    phone: '0935 444 555',
    roles: [{ unit: 'CB-VPTD', role: 'bi_thu' }],
    linked: true,
  },
  {
    userId: 7100013,
    fullName: 'Hồ Văn Phúc',
    title: 'Bí thư Chi bộ cơ sở Hội LHPN',
    unit: 'CBCS-HLH',
    phone: '0914 333 999',
    roles: [{ unit: 'CBCS-HLH', role: 'bi_thu' }],
    linked: true,
  },
  {
    userId: 7100014,
    fullName: 'Nguyễn Văn An',
    title: 'Quản trị hệ thống',
    unit: 'DBK',
    phone: '0912 345 678',
    roles: [{ unit: 'DBK', role: 'admin' }],
    linked: true,
  },
];

/** Someone who writes to the bot but is on no list: shows what a stranger gets. */
export const DEMO_STRANGER = { userId: 7100099, fullName: 'Người lạ', phone: '0988 000 111' } as const;

export class DemoSeedError extends Error {}

/** Imports the demo units and people through the real import services and links most chats. */
export async function seedOrganisation(db: Db): Promise<void> {
  const units: TableRow[] = DEMO_UNITS.map((u, i) => ({
    line: i + 2,
    values: { code: u.code, name: u.name, parent_code: u.parent, kind: u.kind },
  }));
  check(await importUnits(db, units, 'sandbox'));
  const people: TableRow[] = DEMO_PEOPLE.flatMap((p) =>
    p.roles.map((r) => ({
      line: 0,
      values: { full_name: p.fullName, phone: p.phone, unit_code: r.unit, role: r.role, position: p.position ?? '' },
    })),
  ).map((row, i) => ({ ...row, line: i + 2 }));
  check(await importPeople(db, people, 'sandbox'));

  for (const p of DEMO_PEOPLE.filter((d) => d.linked)) {
    const person = await db.person.findUniqueOrThrow({ where: { phone: normalizePhone(p.phone)! } });
    await linkChat(db, 'telegram', String(p.userId), person.id);
  }
}

function check<T>(res: ImportResult<T>): void {
  if (!res.ok) throw new DemoSeedError(`demo data rejected: ${JSON.stringify(res.errors)}`);
}

/** The database id of the first demo person holding `role` (the office, the propaganda department…). */
export async function demoPersonId(db: Db, role: Role): Promise<number> {
  const demo = DEMO_PEOPLE.find((p) => p.roles.some((r) => r.role === role));
  if (!demo) throw new DemoSeedError(`no demo person with role ${role}`);
  const person = await db.person.findUniqueOrThrow({ where: { phone: normalizePhone(demo.phone)! }, select: { id: true } });
  return person.id;
}
