import type { Database } from '../../src/db/client.js';
import type { Config } from '../../src/config.js';
import { importFixtureOrg } from '../helpers/org.js';
import { EVERYONE, link as linkChat, personId as personIdOf, ROSTER, user as userOf } from '../helpers/roster.js';
import type { TestUser } from '../../src/emulator/botApiEmulator.js';

/** The shared roster (test/helpers/roster.ts) and, on top of it, the one person only these tests need. */
export const P = {
  ...ROSTER,
  // Not in people.csv: created by addXuyen (the review's tuyên giáo of DB-BTG only).
  xuyen: { name: 'Lý Văn Xuyên', phone: '+84914333555', tg: 7112, unit: 'DB-BTG' }, // tuyen_giao DB-BTG
} as const;
export type Who = keyof typeof P;

export const user = (who: Who): TestUser => userOf(P[who]);

/** The people of test/fixtures/people.csv. */
export const FIXTURE_PEOPLE = EVERYONE;

/** Imports the fixture organisation and links the chats of `linked` (everyone of people.csv by default). */
export async function setupOrg(database: Database, config: Config, linked: readonly Who[] = FIXTURE_PEOPLE): Promise<void> {
  await importFixtureOrg(database, config);
  for (const who of linked) await link(database, who);
}

/** Lý Văn Xuyên, tuyen_giao of DB-BTG only, with a linked chat. */
export async function addXuyen(database: Database): Promise<number> {
  const unit = await database.prisma.unit.findUniqueOrThrow({ where: { code: 'DB-BTG' } });
  await database.prisma.person.create({
    data: { fullName: P.xuyen.name, phone: P.xuyen.phone, roles: { create: { unitId: unit.id, role: 'tuyen_giao' } } },
  });
  return link(database, 'xuyen');
}

export const link = (database: Database, who: Who): Promise<number> => linkChat(database, P[who]);

export const personId = (database: Database, who: Who): Promise<number> => personIdOf(database, P[who]);

/** Seed 004's documents and a few more, as `docs import` reads them. */
export const DOCS_CSV = [
  'title,number,issuer,issued_on,category,url,summary,tags,units',
  '"Thông báo nhanh kết quả Hội nghị Ban Chấp hành Đảng bộ thành phố lần thứ 21 (khóa XI)",3080-CV/BTGTU,Ban Tuyên giáo Thành ủy,10/07/2023,Thông báo nhanh,https://tuyengiao.example.vn/tai-lieu/thong-bao-nhanh-hoi-nghi-21.pdf,"Hội nghị Ban Chấp hành Đảng bộ thành phố lần thứ 21 khóa XI (mở rộng) thảo luận tình hình kinh tế - xã hội 6 tháng đầu năm 2023 và nhiệm vụ 6 tháng cuối năm.","hội nghị thành ủy, kinh tế - xã hội",',
  '"Về việc gửi tài liệu Thông báo nhanh kết quả Hội nghị Ban Chấp hành Đảng bộ thành phố lần thứ 21 (khóa XI)",65-CV/BTGQU,Ban Tuyên giáo Quận ủy,12/07/2023,Khác,https://quan1.example.vn/tai-lieu-tuyen-truyen/65-cv-btgqu,"Thực hiện Công văn số 3080-CV/BTGTU ngày 10 tháng 7 năm 2023 của Ban Tuyên giáo Thành ủy; đề nghị các đơn vị truy cập Trang tin điện tử (mục Tài liệu tuyên truyền) để tải tài liệu.",công văn,DBK',
  '"Nghị quyết về thí điểm một số cơ chế, chính sách đặc thù phát triển Thành phố Hồ Chí Minh",98/2023/QH15,Quốc hội,24/06/2023,Nghị quyết,https://quochoi.example.vn/nq-98-2023-qh15,,"cơ chế đặc thù",',
  '"Đề cương tuyên truyền kỷ niệm 93 năm Ngày thành lập Đảng Cộng sản Việt Nam",,Ban Tuyên giáo Trung ương,05/01/2023,Đề cương tuyên truyền,https://tuyengiao.example.vn/de-cuong-93-nam,,"Đảng, kỷ niệm",DB-UBMT',
  '"Tài liệu sinh hoạt chi bộ tháng 8/2023: học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",,Ban Tuyên giáo Thành ủy,01/08/2023,Tài liệu sinh hoạt chi bộ,https://tuyengiao.example.vn/sinh-hoat-chi-bo-8-2023 https://tuyengiao.example.vn/sinh-hoat-chi-bo-8-2023-phu-luc,,"sinh hoạt chi bộ",CB1-BTG',
  '"Chỉ thị về tăng cường công tác tuyên truyền trên không gian mạng",12-CT/TU,Thành ủy,15/03/2023,Chỉ thị,https://tuyengiao.example.vn/ct-12,,"không gian mạng",',
  '"Kết luận về tiếp tục thực hiện Nghị quyết Trung ương 4 khóa XII",21-KL/TW,Ban Chấp hành Trung ương,25/10/2021,Kết luận,https://tuyengiao.example.vn/kl-21,,"xây dựng Đảng",',
].join('\n');
