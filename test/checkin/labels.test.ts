import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonsOf, Chat } from '../helpers/chat.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { cli } from '../helpers/cli.js';
import { personId, setupOrg, unitId } from '../helpers/roster.js';
import { openByCli } from './setup.js';

// Issue 13 #9: a long button label is shortened after a whole word, never "(Phòng Tuyên tru".
describe('shortened button labels', () => {
  let h: Harness;
  const hanh = () => Chat.of(() => h, 'hanh');

  beforeAll(async () => {
    h = await startHarness({ now: '2026-12-28T09:00' });
    await setupOrg(h.database, h.config, ['hanh', 'binh']);
    // Hạnh answers for two chi bộ, so /baocao asks which.
    await h.db.roleAssignment.create({
      data: { personId: await personId(h.database, 'hanh'), unitId: await unitId(h.database, 'CB1-MT'), role: 'bi_thu' },
    });
  });
  afterAll(() => h?.stop());

  it('cuts the /baocao choices at a word boundary with "…"', async () => {
    await openByCli(h, '--period', '2026-Q4', '--units', 'CB1-BTG,CB1-MT', '--closes', '05/01/2027');
    const choose = await hanh().say('/baocao', 'nhiều báo cáo');
    expect(buttonsOf(choose).map((b) => b.text)).toEqual([
      'Báo cáo tình hình chi bộ Quý IV/2026 — Chi bộ 1 (Phòng Tuyên…',
      'Báo cáo tình hình chi bộ Quý IV/2026 — Chi bộ 1 (Ban Dân chủ…',
    ]);
  });

  it('cuts the /danop choices at a word boundary too', async () => {
    for (const title of ['Báo cáo kiểm điểm tập thể cấp ủy cuối năm', 'Báo cáo chuyên đề học tập và làm theo']) {
      const res = await cli(
        h.database,
        h.config,
        ['deadline', 'add', '--title', title, '--due', '20/01/2027', '--units', 'CB1-BTG'],
        h.clock,
      );
      expect(res.code, res.err).toBe(0);
    }
    const choose = await hanh().say('/danop', 'hạn nào');
    expect(buttonsOf(choose).map((b) => b.text)).toEqual([
      '✅ Đã nộp: Báo cáo kiểm điểm tập thể cấp… (CB1-BTG)',
      '✅ Đã nộp: Báo cáo chuyên đề học tập và… (CB1-BTG)',
    ]);
  });
});
