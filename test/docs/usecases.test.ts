import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operator, personActor, type PersonActor } from '../../src/application/actor.js';
import {
  canSeeDocument,
  docsPolicy,
  importLibrary,
  listSaved,
  openDocument,
  parseAudience,
  planDocument,
  saveDocument,
  searchLibrary,
  setSaved,
  type DocDraft,
} from '../../src/application/docs/index.js';
import { configSchema } from '../../src/config.js';
import type { Services } from '../../src/core/services.js';
import { SystemClock } from '../../src/core/clock.js';
import type { Database } from '../../src/db/client.js';
import type { Role } from '../../src/db/generated/enums.js';
import { DOC_COLUMNS } from '../../src/domain/docs/import.js';
import { readTable } from '../../src/domain/imports/readTable.js';
import { loadPerson } from '../../src/domain/people.js';
import { createLogger } from '../../src/logger.js';
import { openTestDatabase } from '../helpers/db.js';
import { DOCS_CSV, personId, setupOrg, type Who } from '../broadcasts/org.js';

/** The use cases of the library on a real database, without the chat. */
describe('documents: use cases and their policy', () => {
  let database: Database;
  let svc: Services;
  const config = configSchema.parse({ BOT_USERNAME: 'capuy_test_bot', LOG_LEVEL: 'silent' });
  const db = () => database.prisma;

  async function actor(who: Who): Promise<PersonActor> {
    return personActor((await loadPerson(db(), await personId(database, who)))!, `test:${who}`);
  }
  /** Someone new with these roles (unit code → role). */
  async function someone(phone: string, name: string, roles: [string, Role][]): Promise<PersonActor> {
    const p = await db().person.create({ data: { phone, fullName: name } });
    for (const [code, role] of roles) {
      const unit = await db().unit.findUniqueOrThrow({ where: { code } });
      await db().roleAssignment.create({ data: { personId: p.id, unitId: unit.id, role } });
    }
    return personActor((await loadPerson(db(), p.id))!, `test:${phone}`);
  }
  const unitId = async (code: string) => (await db().unit.findUniqueOrThrow({ where: { code } })).id;
  const docId = async (where: { numberKey: string } | { title: { startsWith: string } }) =>
    (await db().document.findFirstOrThrow({ where })).id;
  async function draft(over: Partial<DocDraft> & Pick<DocDraft, 'title'>): Promise<DocDraft> {
    const cat = await db().docCategory.findFirstOrThrow({ where: { name: 'Khác' } });
    return {
      number: null,
      issuer: null,
      issuedOn: null,
      categoryId: cat.id,
      urls: ['https://example.vn/a'],
      summary: null,
      tags: [],
      unitIds: null,
      ...over,
    };
  }
  const snapshot = (id: number) => db().document.findUniqueOrThrow({ where: { id }, include: { units: true } });

  let xuyen: PersonActor;

  beforeAll(async () => {
    database = await openTestDatabase();
    await setupOrg(database, config, []);
    svc = {
      db: database.prisma,
      config,
      clock: new SystemClock(config.APP_TIMEZONE),
      log: createLogger('silent'),
      botUsername: '',
      kick: () => undefined,
    };
    // The same CSV as `docs import` reads, through the same table reader.
    const file = join(mkdtempSync(join(tmpdir(), 'capuy-docs-uc-')), 'docs.csv');
    writeFileSync(file, DOCS_CSV);
    const res = await importLibrary(svc, operator, await readTable(file, DOC_COLUMNS));
    expect(res.ok).toBe(true);
    xuyen = await someone('+84914333111', 'Lý Văn Xuyên', [['DB-BTG', 'tuyen_giao']]);
  });
  afterAll(() => database?.close());

  it('names a rule for every action, with a line of documentation', () => {
    expect(Object.keys(docsPolicy.rules)).toEqual(['search', 'view', 'save', 'add', 'update']);
    for (const rule of Object.values(docsPolicy.rules)) expect(rule.doc.length).toBeGreaterThan(20);
    expect(docsPolicy.rules.add.who).toEqual(['tuyen_giao', 'admin']);
  });

  it('canSeeDocument: everyone’s documents, those of my units, above and below; the operator all', async () => {
    const hanh = await actor('hanh');
    const ids = {
      org: await docId({ numberKey: '3080-cv/btgtu' }), // everyone
      dbk: await docId({ numberKey: '65-cv/btgqu' }), // DBK, above Hạnh
      own: await docId({ title: { startsWith: 'Tài liệu sinh hoạt chi bộ' } }), // CB1-BTG, hers
      mt: await docId({ title: { startsWith: 'Đề cương tuyên truyền' } }), // DB-UBMT, not hers
    };
    expect(await canSeeDocument(db(), hanh, ids.org)).toBe(true);
    expect(await canSeeDocument(db(), hanh, ids.dbk)).toBe(true);
    expect(await canSeeDocument(db(), hanh, ids.own)).toBe(true);
    expect(await canSeeDocument(db(), hanh, ids.mt)).toBe(false);
    expect(await canSeeDocument(db(), hanh, 987654)).toBe(false);
    // DB-BTG is above Hạnh's chi bộ: Xuyên sees it from above, but not the Mặt trận's.
    expect(await canSeeDocument(db(), xuyen, ids.own)).toBe(true);
    expect(await canSeeDocument(db(), xuyen, ids.mt)).toBe(false);
    const nobody = await someone('+84914000001', 'Người chưa có vai trò', []);
    expect(await canSeeDocument(db(), nobody, ids.org)).toBe(true);
    expect(await canSeeDocument(db(), nobody, ids.dbk)).toBe(false);
    expect(await canSeeDocument(db(), operator, ids.mt)).toBe(true);

    const found = await searchLibrary(svc, hanh, { text: 'de cuong', page: 0, pageSize: 5 });
    expect(found.ok && found.value.total).toBe(0);
    const opened = await openDocument(svc, hanh, ids.mt);
    expect(opened).toEqual({ ok: false, refusal: { key: 'docs:detail.gone', forbidden: true } });
    expect(await db().auditLog.count({ where: { action: 'denied:docs.view', actor: 'test:hanh', target: `document:${ids.mt}` } })).toBe(1);
    expect((await setSaved(svc, hanh, ids.mt, true)).ok).toBe(false);
    expect(await db().savedDocument.count({ where: { documentId: ids.mt } })).toBe(0);
    expect((await setSaved(svc, operator, ids.org, true)).ok).toBe(false); // the operator has no list
  });

  it('update: refused to a tuyên giáo below the document’s units, with whom to ask; nothing changes', async () => {
    for (const where of [{ numberKey: '3080-cv/btgtu' }, { numberKey: '65-cv/btgqu' }] as const) {
      const id = await docId(where);
      const before = await snapshot(id);
      const d = await draft({ title: 'Bản giả mạo', number: before.number, urls: ['https://evil.example/x.apk'] });
      const plan = await planDocument(db(), xuyen, d);
      expect(plan.existing?.doc.id).toBe(id);
      expect(plan.refusal?.key).toBe('docs:new.not_yours');
      expect(String(plan.refusal?.params?.contacts)).toContain('Lê Minh Châu');
      expect(String(plan.refusal?.params?.contacts)).not.toContain('Lý Văn Xuyên');
      const res = await saveDocument(svc, xuyen, d);
      expect(res.ok).toBe(false);
      expect(await snapshot(id)).toEqual(before);
      expect(
        await db().auditLog.count({ where: { action: 'denied:docs.update', target: `document:${id}`, actorId: xuyen.person.id } }),
      ).toBe(1);
    }
    // Without a doc role at all (phụ trách of DB-BTG): refused even for a new document.
    const dung = await actor('dung');
    const res = await saveDocument(svc, dung, await draft({ title: 'Tài liệu của phụ trách', number: '1-PT/BTG' }));
    expect(res.ok).toBe(false);
    expect(await db().document.count({ where: { numberKey: '1-pt/btg' } })).toBe(0);
  });

  it('update: allowed at or above every unit (the root for everyone’s), to the creator, and to the operator', async () => {
    const own = await docId({ title: { startsWith: 'Tài liệu sinh hoạt chi bộ' } }); // CB1-BTG, from the operator
    const title = (await snapshot(own)).title;
    const res = await saveDocument(svc, xuyen, await draft({ title, urls: ['https://tuyengiao.example.vn/shcb-8-v2'] }));
    expect(res.ok && res.value).toMatchObject({ id: own, created: false, audience: null });
    const after = await db().document.findUniqueOrThrow({ where: { id: own }, include: { units: { include: { unit: true } } } });
    expect(after.units.map((u) => u.unit.code)).toEqual(['CB1-BTG']); // kept, not Xuyên's DB-BTG
    const row = await db().auditLog.findFirstOrThrow({ where: { action: 'docs.update', target: `document:${own}` } });
    expect(row.details).toMatchObject({
      before: {
        urls: ['https://tuyengiao.example.vn/sinh-hoat-chi-bo-8-2023', 'https://tuyengiao.example.vn/sinh-hoat-chi-bo-8-2023-phu-luc'],
        units: ['CB1-BTG'],
      },
      after: { urls: ['https://tuyengiao.example.vn/shcb-8-v2'], units: ['CB1-BTG'] },
    });

    // Châu holds tuyen_giao at DBK, the root: everyone's 3080 is hers to update.
    const chau = await actor('chau');
    const org = await docId({ numberKey: '3080-cv/btgtu' });
    const orgTitle = (await snapshot(org)).title;
    const byChau = await saveDocument(
      svc,
      chau,
      await draft({ title: orgTitle, number: '3080-CV/BTGTU', urls: ['https://tuyengiao.example.vn/3080-v2'] }),
    );
    expect(byChau.ok).toBe(true);
    expect((await snapshot(org)).units).toEqual([]); // still for everyone

    // The creator: Xuyên's own document, widened by Châu to DBK, is still his to update (audience kept).
    const mine = await saveDocument(
      svc,
      xuyen,
      await draft({ title: 'Hướng dẫn của Xuyên', number: '2-HD/BTG', unitIds: [await unitId('CB2-BTG')] }),
    );
    expect(mine.ok && mine.value.created).toBe(true);
    const mineId = mine.ok ? mine.value.id : 0;
    const widened = await saveDocument(
      svc,
      chau,
      await draft({ title: 'Hướng dẫn của Xuyên', number: '2-HD/BTG', unitIds: [await unitId('DBK')] }),
    );
    expect(widened.ok && widened.value.audience?.after.map((u) => u.code)).toEqual(['DBK']);
    const again = await saveDocument(svc, xuyen, await draft({ title: 'Hướng dẫn của Xuyên (sửa)', number: '2-HD/BTG' }));
    expect(again.ok && again.value.audience).toBe(null);
    expect((await snapshot(mineId)).title).toBe('Hướng dẫn của Xuyên (sửa)');
    // …but he cannot move its audience outside his subtree, nor make it everyone's.
    const out = await saveDocument(
      svc,
      xuyen,
      await draft({ title: 'Hướng dẫn của Xuyên', number: '2-HD/BTG', unitIds: [await unitId('DB-UBMT')] }),
    );
    expect(out.ok ? null : out.refusal.key).toBe('docs:new.audience_out_of_scope');
    const all = await saveDocument(svc, xuyen, await draft({ title: 'Hướng dẫn của Xuyên', number: '2-HD/BTG', unitIds: [] }));
    expect(all.ok ? null : all.refusal.key).toBe('docs:new.audience_out_of_scope');
    expect((await snapshot(mineId)).units.map((u) => u.unitId)).toEqual([await unitId('DBK')]);

    // The operator may update anything; audited as the operator.
    const op = await saveDocument(svc, operator, await draft({ title: 'Hướng dẫn của Xuyên', number: '2-HD/BTG', unitIds: [] }));
    expect(op.ok && op.value.audience?.after).toEqual([]);
    const last = await db().auditLog.findFirstOrThrow({
      where: { action: 'docs.update', target: `document:${mineId}` },
      orderBy: { id: 'desc' },
    });
    expect(last).toMatchObject({ actor: 'cli', actorId: null });
  });

  it('audience as typed: codes within scope, "*" only from the root, nothing typed is "keep or default"', async () => {
    const chau = await actor('chau');
    expect(await parseAudience(db(), xuyen, '')).toEqual({ ok: true, value: null });
    expect(await parseAudience(db(), xuyen, 'CB1-BTG, CB2-BTG')).toEqual({
      ok: true,
      value: [await unitId('CB1-BTG'), await unitId('CB2-BTG')],
    });
    expect(await parseAudience(db(), xuyen, 'CB1-MT')).toMatchObject({
      ok: false,
      refusal: { key: 'docs:errors.unit_out_of_scope', params: { value: 'CB1-MT' } },
    });
    expect(await parseAudience(db(), xuyen, '*')).toMatchObject({ ok: false, refusal: { key: 'docs:errors.everyone_out_of_scope' } });
    expect(await parseAudience(db(), chau, '*')).toEqual({ ok: true, value: [] });
    // A new document with nothing typed is for the units where the author holds the role.
    const plan = await planDocument(db(), xuyen, await draft({ title: 'Tài liệu mới hoàn toàn', number: '3-TB/BTG' }));
    expect(plan.existing).toBe(null);
    expect(plan.units.map((u) => u.code)).toEqual(['DB-BTG']);
  });

  it('a save that finds another document than its preview did is sent back to the preview', async () => {
    const d = await draft({ title: 'Cùng số, hai người', number: '4-TB/BTG' });
    expect((await planDocument(db(), xuyen, d)).existing).toBe(null);
    expect((await saveDocument(svc, await actor('chau'), d)).ok).toBe(true); // someone else, meanwhile
    const res = await saveDocument(svc, xuyen, d, { expect: null });
    expect(res.ok ? null : res.refusal.key).toBe('docs:new.changed');
  });

  it('an import by a person refuses the rows of documents they may not change, and writes nothing', async () => {
    const before = await db().document.findMany({ orderBy: { id: 'asc' } });
    const res = await importLibrary(svc, xuyen, [
      { line: 2, values: { title: 'Mới của Xuyên', number: '5-TB/BTG', category: 'Khác', url: 'https://example.vn/5', units: 'DB-BTG' } },
      { line: 3, values: { title: 'Giả 3080', number: '3080-CV/BTGTU', category: 'Khác', url: 'https://evil.example/3080.apk' } },
    ]);
    expect(res).toEqual({ ok: false, errors: [{ line: 3, key: 'not_yours', params: { value: '3080-CV/BTGTU' } }] });
    expect(await db().document.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
  });

  it('saved lists only show documents still meant for the person', async () => {
    const hanh = await actor('hanh');
    const id = await saveDocument(
      svc,
      operator,
      await draft({ title: 'Tạm cho CB1-BTG', number: '6-TB/BTG', unitIds: [await unitId('CB1-BTG')] }),
    );
    const docIdSaved = id.ok ? id.value.id : 0;
    expect((await setSaved(svc, hanh, docIdSaved, true)).ok).toBe(true);
    const listed = async () => {
      const r = await listSaved(svc, hanh, 0, 5);
      return r.ok ? r.value.docs.map((d) => d.id) : null;
    };
    expect(await listed()).toContain(docIdSaved);
    await saveDocument(svc, operator, await draft({ title: 'Tạm cho CB1-BTG', number: '6-TB/BTG', unitIds: [await unitId('CB1-MT')] }));
    expect(await listed()).not.toContain(docIdSaved);
  });
});
