import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { setupOrg } from '../helpers/roster.js';
import { csrfOf } from './client.js';
import { signedIn } from './setup.js';

const TITLE = 'Hướng dẫn nghiên cứu, học tập Nghị quyết Đại hội XXI';
const DOC = {
  title: TITLE,
  number: '65-CV/BTGQU',
  issuer: 'Ban Tuyên giáo Quận ủy',
  issued_on: '01/12/2026',
  category: 'Khác',
  urls: 'https://tuyengiao.example.vn/tai-lieu/65',
  summary: 'Tài liệu tuyên truyền',
  tags: 'nghị quyết, đại hội',
  units: 'DB-BTG',
};

describe('dashboard: Tài liệu, the library on the same rules as /tailieu and /tailieumoi', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ now: '2026-12-07T09:00' });
    await setupOrg(h.database, h.config);
    const res = await cli(
      h.database,
      h.config,
      [
        'docs',
        'add',
        '--title',
        'Tài liệu sinh hoạt Mặt trận',
        '--number',
        '12-HD/MT',
        '--category',
        'Khác',
        '--url',
        'https://example.vn/mt',
        '--units',
        'DB-UBMT',
      ],
      h.clock,
    );
    expect(res.code, res.err).toBe(0);
  });
  afterAll(() => h?.stop());

  it('the propaganda department previews, then saves a document; found without diacritics by title or number', async () => {
    const chau = await signedIn(h, 'chau');
    const form = await chau.get('/web/docs/new');
    expect(form.status).toBe(200);
    const bad = await chau.post('/web/docs/new', { _csrf: csrfOf(form.text), ...DOC, urls: 'ftp://x' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Chưa lưu:');
    const preview = await chau.post('/web/docs/new', { _csrf: csrfOf(form.text), ...DOC });
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('Lưu sẽ thêm một tài liệu mới vào thư viện.');
    expect(await h.db.document.count()).toBe(1);
    const saved = await chau.post('/web/docs/new', { _csrf: csrfOf(preview.text), ...DOC, confirm: '1', expect: '' });
    expect(saved.status).toBe(303);
    expect(await h.db.document.count()).toBe(2);
    expect(await h.db.auditLog.count({ where: { action: 'docs.add', actor: 'web' } })).toBe(1);

    for (const q of ['nghi quyet dai hoi', '65-cv', 'HUONG DAN']) {
      const found = await chau.get(`/web/docs?q=${encodeURIComponent(q)}`);
      expect(found.text, q).toContain(TITLE);
    }
    // Editing: the same number updates the document (expect = its id).
    const id = (await h.db.document.findFirstOrThrow({ where: { title: TITLE } })).id;
    const edit = await chau.get(`/web/docs/${id}/edit`);
    expect(edit.text).toContain('value="65-CV/BTGQU"');
    const p2 = await chau.post('/web/docs/new', { _csrf: csrfOf(edit.text), ...DOC, summary: 'Bản cập nhật' });
    expect(p2.text).toContain('Lưu sẽ cập nhật tài liệu «65-CV/BTGQU»');
    const s2 = await chau.post('/web/docs/new', {
      _csrf: csrfOf(p2.text),
      ...DOC,
      summary: 'Bản cập nhật',
      confirm: '1',
      expect: String(id),
    });
    expect(s2.status).toBe(303);
    expect((await h.db.document.findUniqueOrThrow({ where: { id } })).summary).toBe('Bản cập nhật');
    expect(await h.db.document.count()).toBe(2);
  });

  it('a chi bộ secretary sees only what is meant for her units, and may not add: refused and audited', async () => {
    const hanh = await signedIn(h, 'hanh'); // CB1-BTG, under DB-BTG
    const lib = await hanh.get('/web/docs');
    expect(lib.text).toContain(TITLE);
    expect(lib.text).not.toContain('Tài liệu sinh hoạt Mặt trận');
    expect(lib.text).not.toContain('/web/docs/new');
    const ngoc = await signedIn(h, 'ngoc'); // CB1-MT
    const hers = await ngoc.get('/web/docs');
    expect(hers.text).not.toContain(TITLE);
    expect(hers.text).toContain('Tài liệu sinh hoạt Mặt trận');
    const id = (await h.db.document.findFirstOrThrow({ where: { title: TITLE } })).id;
    expect((await ngoc.get(`/web/docs/${id}/edit`)).status).toBe(404);

    const forged = await hanh.post('/web/docs/new', { ...DOC, number: '66-CV', confirm: '1', expect: '' });
    expect(forged.status).toBe(403);
    const res = await hanh.post('/web/docs/new', { _csrf: csrfOf(lib.text), ...DOC, number: '66-CV', units: '', confirm: '1', expect: '' });
    expect(res.status).toBe(403);
    expect(await h.db.document.count()).toBe(2);
    expect(await h.db.auditLog.count({ where: { action: 'denied:docs.add' } })).toBe(1);
  });
});
