import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { personId, ROSTER, setupOrg, unitId } from '../helpers/roster.js';
import { csrfOf, type WebClient } from './client.js';
import { signedIn } from './setup.js';

const unitsOf = (html: string) => [...html.matchAll(/<li data-unit="([^"]+)"/g)].map((m) => m[1]!);

async function upload(web: WebClient, path: string, fields: Record<string, string>, body?: string) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (body !== undefined) form.set('file', new Blob([body], { type: 'text/csv' }), 'roster.csv');
  const res = await fetch(`${web.base}${path}`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
    headers: { cookie: [...web.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
  return { status: res.status, text: await res.text() };
}

/** DB-BTG's roster without Huỳnh Thị Lan, with one newcomer. */
const SYNC = [
  'full_name,phone,unit_code,role',
  'Phạm Quốc Dũng,0908 765 432,DB-BTG,phu_trach',
  'Võ Thị Hạnh,0913 222 333,CB1-BTG,bi_thu',
  'Đặng Văn Hùng,0913 222 444,CB2-BTG,bi_thu',
  'Bùi Thanh Long,0913 222 666,CB3-BTG,pho_bi_thu',
  'Nguyễn Trung Châu Tuyên,0914 333 777,DB-BTG,bao_cao_vien',
  'Lý Thị Mai,0915 444 111,CB3-BTG,bi_thu',
].join('\n');

describe('dashboard: Tổ chức, the org tree and the roster upload with its dry run', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ now: '2026-12-07T09:00' });
    await setupOrg(h.database, h.config, ['an', 'hanh', 'ngoc', 'tuyen']);
  });
  afterAll(() => h?.stop());

  it('an admin sees every unit with its people and linked chats; a chi bộ secretary only her chi bộ', async () => {
    const an = await signedIn(h, 'an');
    const tree = await an.get('/web/org');
    expect(tree.status).toBe(200);
    expect(unitsOf(tree.text)).toEqual(expect.arrayContaining(['DBK', 'DB-BTG', 'CB1-BTG', 'CB1-MT', 'CBCS-HLH']));
    const cb1 = await an.get(`/web/org?unit=${await unitId(h.database, 'CB1-BTG')}`);
    expect(cb1.text).toContain(ROSTER.hanh.name);
    expect(cb1.text).toContain('Bí thư');
    expect(cb1.text).toContain('1 người, 1 đã liên kết chat');
    expect(cb1.text).not.toContain('+84913222333');

    const ngoc = await signedIn(h, 'ngoc');
    const hers = await ngoc.get('/web/org');
    expect(unitsOf(hers.text)).toEqual(['CB1-MT']);
    expect(hers.text).not.toContain('/web/org/roster');
    const other = await ngoc.get(`/web/org?unit=${await unitId(h.database, 'CB1-BTG')}`);
    expect(other.status).toBe(403);
    expect(other.text).not.toContain(ROSTER.hanh.name);

    const tuyen = await signedIn(h, 'tuyen'); // báo cáo viên only
    expect((await tuyen.get('/web/org')).status).toBe(403);
  });

  it('a sync lists every change, the removal included, before anything is applied; bad rows are all listed', async () => {
    const an = await signedIn(h, 'an');
    const csrf = csrfOf((await an.get('/web/org/roster')).text);
    const bad = await upload(
      an,
      '/web/org/roster',
      { _csrf: csrf, mode: 'sync', unit: 'DB-BTG' },
      SYNC + '\nAi Đó,123,CB9-XX,bi_thu\nKhác,0915 444 222,CB1-BTG,vua',
    );
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Tệp có 2 dòng lỗi');
    expect(bad.text).toContain('Dòng 8');
    expect(bad.text).toContain('Dòng 9');

    const plan = await upload(an, '/web/org/roster', { _csrf: csrf, mode: 'sync', unit: 'DB-BTG' }, SYNC);
    expect(plan.status).toBe(200);
    expect(plan.text).toContain('Người mới (1)');
    expect(plan.text).toContain('Lý Thị Mai');
    expect(plan.text).toContain('Vai trò bị bỏ (1)');
    expect(plan.text).toContain('Sẽ mất mọi vai trò và bị ngừng truy cập (1)');
    expect(plan.text).toContain(ROSTER.lan.name);
    const lan = await personId(h.database, 'lan');
    expect(await h.db.roleAssignment.count({ where: { personId: lan } })).toBe(1);

    const rows = /name="rows" value="([^"]+)"/.exec(plan.text)![1]!.replaceAll('&quot;', '"').replaceAll('&amp;', '&');
    expect((await upload(an, '/web/org/roster/apply', { mode: 'sync', unit: 'DB-BTG', rows })).status).toBe(403);
    expect(await h.db.roleAssignment.count({ where: { personId: lan } })).toBe(1);
    const done = await upload(an, '/web/org/roster/apply', { _csrf: csrfOf(plan.text), mode: 'sync', unit: 'DB-BTG', rows });
    expect(done.status).toBe(200);
    expect(await h.db.roleAssignment.count({ where: { personId: lan } })).toBe(0);
    expect(await h.db.person.count({ where: { fullName: 'Lý Thị Mai' } })).toBe(1);
  });

  it('someone who is not an admin may not upload: refused and audited, nothing changes', async () => {
    const hanh = await signedIn(h, 'hanh');
    const page = await hanh.get('/web/org');
    const res = await upload(hanh, '/web/org/roster', { _csrf: csrfOf(page.text), mode: 'sync' }, SYNC);
    expect(res.status).toBe(403);
    expect(await h.db.auditLog.count({ where: { action: 'denied:people.sync', actorId: await personId(h.database, 'hanh') } })).toBe(1);
  });
});
