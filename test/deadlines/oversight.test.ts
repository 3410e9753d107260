import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { Chat } from '../helpers/chat.js';
import { runCli } from '../schedule/setup.js';
import { setupOrg } from '../helpers/roster.js';
import { openByCli } from '../checkin/setup.js';

const TAM = { id: 8101, first_name: 'Tâm' }; // bí thư of the đảng bộ DB-BTG (not in people.csv)

/**
 * Issue 13 #4: the bí thư of a đảng bộ and the office follow their subtree (/tiendo, /tonghop, the
 * morning list of late units), and /tiendo and /tonghop count the same units for the same person.
 */
describe('oversight for leadership roles', () => {
  let h: Harness;
  const tam = new Chat(() => h, TAM);
  const dung = Chat.of(() => h, 'dung');
  const binh = Chat.of(() => h, 'binh');
  const hanh = Chat.of(() => h, 'hanh');

  beforeAll(async () => {
    h = await startHarness({ now: '2026-12-28T09:00' });
    await setupOrg(h.database, h.config);
    const unit = await h.db.unit.findUniqueOrThrow({ where: { code: 'DB-BTG' } });
    const p = await h.db.person.create({ data: { fullName: 'Lê Văn Tâm', phone: '+84915000222' } });
    await h.db.roleAssignment.create({ data: { personId: p.id, unitId: unit.id, role: 'bi_thu' } });
    await h.db.chatIdentity.create({ data: { channel: 'telegram', chatId: String(TAM.id), personId: p.id } });
    const units = 'CB1-BTG,CB2-BTG,CB1-MT';
    const res = await runCli(h, 'deadline', 'add', '--title', 'Báo cáo sơ kết năm', '--due', '29/12/2026', '--units', units);
    if (res.code !== 0) throw new Error(res.err);
    await openByCli(h, '--period', '2026-Q4', '--units', units, '--closes', '05/01/2027 17:00');
  });
  afterAll(() => h?.stop());

  it('gives the bí thư of a đảng bộ /tiendo and /tonghop over the chi bộ under it', async () => {
    const progress = await tam.say('/tiendo', 'Tiến độ');
    expect(progress.plainText).toContain('Báo cáo sơ kết năm');
    expect(progress.plainText).toContain('Đã nộp: 0/2');
    expect(progress.plainText).not.toContain('CB1-MT');
    expect((await tam.say('/tonghop', 'Tổng hợp')).plainText).toContain('Đã báo cáo: 0/2 đơn vị (0%)');
  });

  it('counts the same units in /tiendo and /tonghop for the same person (phụ trách DB-BTG and cấp ủy viên DBK)', async () => {
    const progress = await dung.say('/tiendo', 'Tiến độ');
    expect(progress.plainText).toContain('Đã nộp: 0/3');
    expect((await dung.say('/tonghop', 'Tổng hợp')).plainText).toContain('Đã báo cáo: 0/3 đơn vị (0%)');
  });

  it('gives the office /tonghop too', async () => {
    expect((await binh.say('/tonghop', 'Tổng hợp')).plainText).toContain('Đã báo cáo: 0/3 đơn vị (0%)');
  });

  it("sends the morning list of late units to the đảng bộ's bí thư, not to the late chi bộ's own", async () => {
    const before = hanh.messages().length;
    await h.at('2026-12-30T09:00');
    const list = await tam.next(0, 'Đơn vị chậm báo cáo');
    expect(list.plainText).toContain('(CB1-BTG)');
    expect(list.plainText).toContain('(CB2-BTG)');
    expect(list.plainText).not.toContain('CB1-MT');
    await hanh.next(before, 'quá hạn'); // her own overdue notice
    await new Promise((r) => setTimeout(r, 800));
    expect(hanh.messages().some((m) => m.plainText.includes('Đơn vị chậm báo cáo'))).toBe(false);
  });
});
