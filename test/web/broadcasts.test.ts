import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addXuyen, DOCS_CSV, P } from '../broadcasts/org.js';
import { buttonData, Chat } from '../helpers/chat.js';
import { cli } from '../helpers/cli.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { personId, setupOrg, unitId } from '../helpers/roster.js';
import { csrfOf, type WebClient } from './client.js';
import { signedInAs } from './checkinSetup.js';

const TEXT = 'Đề nghị các chi bộ tổ chức quán triệt <Nghị quyết> trước ngày 15/12/2026.';

/** The unit ids offered in the audience picker. */
const pickable = (html: string) => [...html.matchAll(/name="unit" value="(\d+)"/g)].map((m) => Number(m[1]));
/** The rows of the per-unit acknowledgement table: code → [count, acknowledged, pending]. */
function ackRows(html: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of html.matchAll(/<tr data-unit="([^"]*)"[^>]*>([\s\S]*?)<\/tr>/g)) {
    out[m[1]!] = [...m[2]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].slice(1).map((c) => c[1]!.trim());
  }
  return out;
}

describe('dashboard: Thông báo nhanh, through the chat’s broadcast use cases', () => {
  let h: Harness;
  let docs: { everyone: number; ubmt: number };
  let units: Record<string, number>;

  async function compose(web: WebClient, fields: Record<string, string | string[]>) {
    const form = await web.get('/web/broadcasts/new');
    return { csrf: csrfOf(form.text), form, key: /name="key" value="([^"]+)"/.exec(form.text)?.[1] ?? '', fields };
  }
  /** A form body with repeated fields (unit=1&unit=2), as a browser sends it. */
  async function post(web: WebClient, path: string, fields: Record<string, string | string[]>) {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    const res = await fetch(`${web.base}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: [...web.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
      body: body.toString(),
    });
    return { status: res.status, location: res.headers.get('location'), text: await res.text() };
  }

  beforeAll(async () => {
    h = await startHarness({ now: '2026-12-07T09:00' });
    await setupOrg(h.database, h.config);
    await addXuyen(h.database);
    const dir = mkdtempSync(join(tmpdir(), 'capuy-web-bc-'));
    writeFileSync(join(dir, 'docs.csv'), DOCS_CSV);
    const res = await cli(h.database, h.config, ['docs', 'import', join(dir, 'docs.csv')], h.clock);
    expect(res.code, res.err).toBe(0);
    const doc = async (number: string | null, title: string) =>
      (await h.db.document.findFirstOrThrow({ where: number ? { number } : { title: { startsWith: title } } })).id;
    docs = { everyone: await doc('98/2023/QH15', ''), ubmt: await doc(null, 'Đề cương tuyên truyền kỷ niệm 93 năm') };
    units = {};
    for (const code of ['DBK', 'DB-BTG', 'CB1-BTG', 'CB2-BTG', 'CB3-BTG', 'CB1-MT', 'DB-UBMT', 'CBCS-HLH'])
      units[code] = await unitId(h.database, code);
  }, 120_000);
  afterAll(() => h?.stop());

  it('the propaganda department composes with the org tree, roles, "Đã nhận" and a document, previews, and sends once', async () => {
    const web = await signedInAs(h, 'chau');
    const list = await web.get('/web/broadcasts');
    expect(list.text).toContain('Soạn thông báo mới');
    const { csrf, form, key } = await compose(web, {});
    expect(form.status).toBe(200);
    expect(pickable(form.text).sort()).toEqual(Object.values(units).sort());
    expect(form.text).toContain('98/2023/QH15');
    const fields = {
      _csrf: csrf,
      key,
      text: TEXT,
      doc: String(docs.everyone),
      unit: [String(units['DB-BTG'])],
      subtree: '1',
      role: ['bi_thu'],
      ack: 'yes',
    };
    const preview = await post(web, '/web/broadcasts/preview', fields);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('Đề nghị các chi bộ tổ chức quán triệt &lt;Nghị quyết&gt;');
    expect(preview.text).toContain('Nghị quyết về thí điểm một số cơ chế');
    expect(preview.text).toContain('3 người, 0 nhóm');
    expect(preview.text).toContain('Bí thư');
    expect(await h.db.broadcast.count()).toBe(0);

    const chats = (['hanh', 'hung', 'lan', 'ngoc'] as const).map((w) => Chat.of(() => h, w));
    const seen = chats.map((c) => c.messages().length);
    const sent = await post(web, '/web/broadcasts/send', { ...fields, _csrf: csrfOf(preview.text) });
    expect(sent.status).toBe(303);
    const b = await h.db.broadcast.findFirstOrThrow();
    expect(sent.location).toBe(`/web/broadcasts/${b.id}?sent=1`);
    for (const [i, c] of chats.slice(0, 3).entries()) {
      const msg = await c.next(seen[i]!, 'quán triệt');
      expect(msg.plainText).toContain('<Nghị quyết>');
    }
    // The same form again (a double press, a reload): nothing more is sent.
    const again = await post(web, '/web/broadcasts/send', { ...fields, _csrf: csrfOf(preview.text) });
    expect(again.location).toBe(`/web/broadcasts/${b.id}?sent=1`);
    expect(await h.db.broadcast.count()).toBe(1);
    expect(
      chats[3]!
        .messages()
        .slice(seen[3])
        .some((m) => m.plainText.includes('quán triệt')),
    ).toBe(false);
    const chauId = await personId(h.database, 'chau');
    expect(
      await h.db.auditLog.count({ where: { actorId: chauId, actor: 'web', action: { startsWith: 'broadcast' } } }),
    ).toBeGreaterThanOrEqual(1);

    // Hạnh presses «Đã nhận» in chat: the dashboard shows it per unit.
    const hanh = chats[0]!;
    const withButton = [...hanh.messages()].reverse().find((m) => buttonData(m).includes(`bc:rcv:${b.id}`))!;
    await hanh.press(`bc:rcv:${b.id}`, { on: withButton, edit: true });
    const detail = await web.get(sent.location!);
    expect(detail.status).toBe(200);
    expect(detail.text).toContain('Đã gửi thông báo tới 3 người');
    expect(detail.text).toContain('1/3 người đã xác nhận «Đã nhận»');
    const rows = ackRows(detail.text);
    expect(Object.keys(rows)).toEqual(['CB1-BTG', 'CB2-BTG', 'CB3-BTG']);
    expect(rows['CB1-BTG']![0]).toBe('1/1');
    expect(rows['CB1-BTG']![1]).toContain(`${P.hanh.name} (09:00 Thứ Hai, 07/12/2026)`);
    expect(rows['CB2-BTG']).toEqual(['0/1', '', P.hung.name]);
    expect((await web.get('/web/broadcasts')).text).toContain(`data-broadcast="${b.id}"`);
  });

  it('a POST without the CSRF token sends nothing', async () => {
    const web = await signedInAs(h, 'chau');
    const { key } = await compose(web, {});
    const before = await h.db.broadcast.count();
    const res = await post(web, '/web/broadcasts/send', {
      key,
      text: 'Không có mã CSRF',
      unit: [String(units.DBK)],
      subtree: '1',
      ack: 'no',
    });
    expect(res.status).toBe(403);
    expect(await h.db.broadcast.count()).toBe(before);
  });

  it('a chi bộ secretary may not compose: the form and a forged send are refused and audited, nothing is sent', async () => {
    const web = await signedInAs(h, 'hanh');
    expect((await web.get('/web/broadcasts')).text).not.toContain('Soạn thông báo mới');
    const form = await web.get('/web/broadcasts/new');
    expect(form.status).toBe(403);
    expect(pickable(form.text)).toEqual([]);
    const hanhId = await personId(h.database, 'hanh');
    expect(await h.db.auditLog.count({ where: { actorId: hanhId, action: 'denied:broadcasts.compose' } })).toBe(1);
    const before = await h.db.broadcast.count();
    const res = await post(web, '/web/broadcasts/send', {
      _csrf: csrfOf(form.text),
      key: '6f1d7a8e-3c2b-4d5e-9f60-7a8b9c0d1e2f',
      text: 'Giả mạo',
      unit: [String(units['CB1-BTG'])],
      ack: 'no',
    });
    expect(res.status).toBe(403);
    expect(await h.db.broadcast.count()).toBe(before);
    expect(await h.db.auditLog.count({ where: { actorId: hanhId, action: 'denied:broadcasts.send' } })).toBe(1);
  });

  it('a tuyên giáo of one đảng bộ picks only within it, follows only its notices, and cannot attach a document he does not see', async () => {
    const chau = await signedInAs(h, 'chau');
    const { csrf, key } = await compose(chau, {});
    const toAll = await post(chau, '/web/broadcasts/send', {
      _csrf: csrf,
      key,
      text: 'Thông báo toàn Khối',
      unit: [String(units.DBK)],
      subtree: '1',
      ack: 'no',
    });
    expect(toAll.status).toBe(303);
    const allId = Number(/\/web\/broadcasts\/(\d+)/.exec(toAll.location!)![1]);
    expect((await chau.get(toAll.location!)).text).toContain('Thông báo này không yêu cầu xác nhận');

    const web = await signedInAs(h, P.xuyen);
    const form = await web.get('/web/broadcasts/new');
    expect(pickable(form.text).sort()).toEqual([units['DB-BTG'], units['CB1-BTG'], units['CB2-BTG'], units['CB3-BTG']].sort());
    const list = await web.get('/web/broadcasts');
    const first = await h.db.broadcast.findFirstOrThrow({ orderBy: { id: 'asc' } });
    expect(list.text).toContain(`data-broadcast="${first.id}"`);
    expect(list.text).not.toContain(`data-broadcast="${allId}"`);
    const hidden = await web.get(`/web/broadcasts/${allId}`);
    expect(hidden.status).toBe(404);
    expect(hidden.text).not.toContain('Thông báo toàn Khối');
    const xuyenId = await personId(h.database, P.xuyen);
    expect(await h.db.auditLog.count({ where: { actorId: xuyenId, action: 'denied:broadcasts.stats' } })).toBe(1);

    const before = await h.db.broadcast.count();
    const outside = await post(web, '/web/broadcasts/send', {
      _csrf: csrfOf(form.text),
      key: /name="key" value="([^"]+)"/.exec(form.text)![1]!,
      text: 'Ngoài phạm vi',
      unit: [String(units['CB1-MT'])],
      ack: 'no',
    });
    expect(outside.status).toBe(403);
    expect(await h.db.broadcast.count()).toBe(before);
    expect(await h.db.auditLog.count({ where: { actorId: xuyenId, action: 'denied:broadcasts.send' } })).toBe(1);

    const withDoc = await web.get(`/web/broadcasts/new?doc=${docs.ubmt}`);
    expect(withDoc.text).toContain('role="alert"');
    expect(withDoc.text).not.toContain('Đề cương tuyên truyền kỷ niệm 93 năm');
    const preview = await post(web, '/web/broadcasts/preview', {
      _csrf: csrfOf(form.text),
      key: /name="key" value="([^"]+)"/.exec(form.text)![1]!,
      text: '',
      doc: String(docs.ubmt),
      unit: [String(units['CB1-BTG'])],
      ack: 'no',
    });
    expect(preview.status).toBe(403);
    expect(preview.text).not.toContain('Đề cương tuyên truyền kỷ niệm 93 năm');
    expect((await web.get('/web/broadcasts/abc')).status).toBe(404);
  });
});
