import type { Services } from '../../core/services.js';
import { importLibrary } from '../../application/docs/index.js';
import type { TableRow } from '../../domain/imports/readTable.js';
import type { Moment } from '../clockPanel.js';
import { DemoSeedError } from '../demo.js';

// example.org stands in for the party website's "Tài liệu tuyên truyền" section of seed 004.
const SITE = 'https://example.org/tai-lieu-tuyen-truyen';

/** Seed 004: the quick notice of the city committee's 21st conference, its cover letter, and Nghị quyết 31. */
const DOCS: Record<string, string>[] = [
  {
    title: 'Thông báo nhanh kết quả Hội nghị Ban Chấp hành Đảng bộ thành phố lần thứ 21 (khóa XI)',
    number: '',
    issuer: 'Ban Tuyên giáo Thành ủy',
    issued_on: '10/07/2023',
    category: 'Thông báo nhanh',
    url: `${SITE}/thong-bao-nhanh-hoi-nghi-lan-thu-21-khoa-xi`,
    summary:
      'Ngày 08 tháng 7 năm 2023, Hội nghị Ban Chấp hành Đảng bộ thành phố lần thứ 21 khóa XI (mở rộng) được tổ chức tại Hội trường thành phố; thảo luận, cho ý kiến về báo cáo công tác xây dựng Đảng 6 tháng đầu năm, tình hình kinh tế - xã hội 6 tháng đầu năm 2023 và dự thảo Chỉ thị của Thành ủy về thực hiện Nghị quyết số 98/2023/QH15.',
    tags: 'hội nghị Thành ủy; khóa XI; Nghị quyết 98',
    units: '',
  },
  {
    title: 'Về việc gửi tài liệu “Thông báo nhanh kết quả Hội nghị Ban Chấp hành Đảng bộ thành phố lần thứ 21 (khóa XI)”',
    number: '65-CV/BTGQU',
    issuer: 'Ban Tuyên giáo Quận ủy Quận 1',
    issued_on: '12/07/2023',
    category: 'Khác',
    url: `${SITE}/65-cv-btgqu`,
    summary:
      'Thực hiện Công văn số 3080-CV/BTGTU ngày 10 tháng 7 năm 2023 của Ban Tuyên giáo Thành ủy, gửi Mặt trận Tổ quốc và các tổ chức chính trị - xã hội, cấp ủy cơ sở đảng, các đồng chí báo cáo viên tài liệu Thông báo nhanh để phổ biến tại địa phương, cơ quan, đơn vị.',
    tags: 'báo cáo viên; thông báo nhanh',
    units: '',
  },
  {
    title: 'Nghị quyết của Bộ Chính trị về phương hướng, nhiệm vụ phát triển Thành phố Hồ Chí Minh đến năm 2030, tầm nhìn đến năm 2045',
    number: '31-NQ/TW',
    issuer: 'Bộ Chính trị',
    issued_on: '30/12/2022',
    category: 'Nghị quyết',
    url: `${SITE}/31-nq-tw`,
    summary: '',
    tags: 'Nghị quyết 31',
    units: '',
  },
];

/** The library starts with the documents of seed 004, so /tailieu finds "thong bao nhanh" or "65-CV". */
export async function seedDocs(svc: Services): Promise<Moment[]> {
  const rows: TableRow[] = DOCS.map((values, i) => ({ line: i + 2, values }));
  const res = await importLibrary(svc, { kind: 'operator', via: 'sandbox' }, rows);
  if (!res.ok) throw new DemoSeedError(`demo documents rejected: ${JSON.stringify(res.errors)}`);
  return [];
}
