import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chat, dataOf } from '../helpers/chat.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { setupOrg } from '../helpers/roster.js';

// Issue 13 #10 (part): /tailieumoi's date message spoke of "dd/MM/yyyy", and unit codes had to be
// typed in capitals ("db-btg" was refused here but accepted by /hanmoi).
describe('/tailieumoi reads what people type', () => {
  let h: Harness;
  const chau = () => Chat.of(() => h, 'chau');

  beforeAll(async () => {
    h = await startHarness({ now: '2026-12-28T09:00' });
    await setupOrg(h.database, h.config, ['chau']);
  });
  afterAll(() => h?.stop());

  it('explains a bad date in words and accepts unit codes in any letter case', async () => {
    await chau().say('/tailieumoi', 'Tên (trích yếu)');
    await chau().say('Hướng dẫn sinh hoạt chi bộ', 'Số hiệu');
    await chau().say('15-HD/BTGTU', 'Cơ quan ban hành');
    const askDate = await chau().say('-', 'Ngày ban hành');
    expect(askDate.plainText).toContain('ngày/tháng/năm');
    expect(askDate.plainText).not.toContain('dd/MM/yyyy');
    const bad = await chau().say('35/12/2026');
    expect(bad.plainText).toContain('ngày «35/12/2026» không hợp lệ');
    expect(bad.plainText).toContain('ngày/tháng/năm, ví dụ 25/11/2026');
    expect(bad.plainText).not.toContain('dd/MM/yyyy');
    const category = await chau().say('25/11/2026', 'loại nào');
    await chau().press(dataOf(category, 'Đề cương tuyên truyền'), { match: 'Đường dẫn' });
    await chau().say('https://tuyengiao.example.vn/hd-15', 'Tóm tắt');
    await chau().say('-', 'Từ khóa');
    await chau().say('-', 'dành cho đơn vị nào');
    const preview = await chau().say('db-btg, cbcs-hlh');
    expect(preview.plainText).toContain('Xem trước tài liệu');
    expect(preview.plainText).toContain('Đảng bộ cơ quan Ban Tuyên giáo Thành ủy (DB-BTG)');
    expect(preview.plainText).toContain('(CBCS-HLH)');
  });
});
