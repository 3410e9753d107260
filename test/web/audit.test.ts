import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { personId, ROSTER, setupOrg, unitId } from '../helpers/roster.js';
import { seedDeadline, signedIn } from './setup.js';

/** The actions and names of the rows of the log. */
const actionsOf = (html: string) => [...html.matchAll(/<tr data-action="([^"]+)"/g)].map((m) => m[1]!);

describe('dashboard: Nhật ký (the audit log), scoped by the units of the viewer', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ now: '2026-12-07T09:00' });
    await setupOrg(h.database, h.config);
    await seedDeadline(h); // the command line adds a deadline; Hạnh (CB1-BTG) reports and writes a note
  });
  afterAll(() => h?.stop());

  it('an admin of the whole organisation sees everything, the command line included, and filters it', async () => {
    const an = await signedIn(h, 'an');
    const page = await an.get('/web/audit');
    expect(page.status).toBe(200);
    expect(page.text).toContain('href="/web/audit" aria-current="page"');
    const actions = actionsOf(page.text);
    expect(actions).toContain('deadline.create');
    expect(page.text).toContain(ROSTER.hanh.name);
    expect(page.text).toContain('Hệ thống');

    const hanhId = await personId(h.database, 'hanh');
    const hers = await an.get(`/web/audit?person=${hanhId}`);
    expect(hers.text).toContain(`Chỉ thao tác của ${ROSTER.hanh.name}.`);
    expect(actionsOf(hers.text).length).toBeGreaterThan(0);
    expect(hers.text).not.toContain('Hệ thống');

    const byAction = await an.get('/web/audit?action=deadline.create');
    expect(new Set(actionsOf(byAction.text))).toEqual(new Set(['deadline.create']));
    const byFeature = await an.get('/web/audit?action=deadline.');
    expect(actionsOf(byFeature.text).every((a) => a.startsWith('deadline.'))).toBe(true);

    const mt = await an.get(`/web/audit?unit=${await unitId(h.database, 'CB1-MT')}`);
    expect(mt.text).not.toContain(ROSTER.hanh.name);
    const btg = await an.get(`/web/audit?unit=${await unitId(h.database, 'DB-BTG')}`);
    expect(btg.text).toContain(ROSTER.hanh.name);
  });

  it('a chi bộ secretary sees what the people of her chi bộ did, nothing else; another unit is refused', async () => {
    const ngoc = await signedIn(h, 'ngoc');
    const page = await ngoc.get('/web/audit');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(ROSTER.hanh.name);
    expect(page.text).not.toContain('Hệ thống');
    expect(page.text).toContain('web.signin');
    const other = await ngoc.get(`/web/audit?unit=${await unitId(h.database, 'CB1-BTG')}`);
    expect(other.status).toBe(403);
    expect(other.text).not.toContain(ROSTER.hanh.name);
    expect(await h.db.auditLog.count({ where: { actorId: await personId(h.database, 'ngoc'), action: 'denied:web.audit' } })).toBe(1);

    const hanh = await signedIn(h, 'hanh');
    expect((await hanh.get('/web/audit')).text).toContain(ROSTER.hanh.name);
  });

  it('a supervising member without a secretary, office or admin role has no Nhật ký', async () => {
    const tuyen = await signedIn(h, 'tuyen');
    const home = await tuyen.get('/web/');
    expect(home.text).not.toContain('href="/web/audit"');
    const page = await tuyen.get('/web/audit');
    expect(page.status).toBe(403);
    expect(actionsOf(page.text)).toEqual([]);
  });

  it('without a session the log redirects to the sign-in page', async () => {
    const res = await fetch(`http://localhost:${h.app.port}/web/audit`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/web/signin');
  });
});
