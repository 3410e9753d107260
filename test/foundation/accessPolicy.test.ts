import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operator, personActor } from '../../src/application/actor.js';
import { removePerson, revokePersonInvites, unlinkPerson } from '../../src/application/people/access.js';
import { syncPeopleFile } from '../../src/application/people/import.js';
import { configSchema } from '../../src/config.js';
import { SystemClock } from '../../src/core/clock.js';
import type { Services } from '../../src/core/services.js';
import type { Database } from '../../src/db/client.js';
import { loadPerson } from '../../src/domain/people.js';
import { normalizePhone } from '../../src/domain/phone.js';
import { createLogger } from '../../src/logger.js';
import { openTestDatabase } from '../helpers/db.js';
import { importFixtureOrg } from '../helpers/org.js';

const config = configSchema.parse({ BOT_USERNAME: 'capuy_test_bot', LOG_LEVEL: 'silent' });

/** The people use cases called directly, as a person would through a future web page. */
describe('who may take access away (use cases)', () => {
  let database: Database;
  let svc: Services;
  const actorFor = async (phone: string) => {
    const p = await database.prisma.person.findUniqueOrThrow({ where: { phone: normalizePhone(phone)! } });
    return personActor((await loadPerson(database.prisma, p.id))!, 'web');
  };

  beforeAll(async () => {
    database = await openTestDatabase();
    svc = {
      db: database.prisma,
      config,
      clock: new SystemClock(config.APP_TIMEZONE),
      log: createLogger('silent'),
      botUsername: 'capuy_test_bot',
      kick: () => undefined,
    };
    await importFixtureOrg(database, config);
    // An admin of Đảng bộ cơ quan Ban Tuyên giáo only (DB-BTG and its chi bộ).
    await database.prisma.roleAssignment.create({
      data: {
        personId: (await database.prisma.person.findUniqueOrThrow({ where: { phone: '+84987654321' } })).id, // Lê Minh Châu
        unitId: (await database.prisma.unit.findUniqueOrThrow({ where: { code: 'DB-BTG' } })).id,
        role: 'admin',
      },
    });
  });
  afterAll(() => database?.close());

  it('lets an admin act on people whose every role is in the subtree, and refuses and audits the rest', async () => {
    const chau = await actorFor('0987 654 321');
    // Ngọc is bí thư of CB1-MT, outside DB-BTG.
    const out = await removePerson(svc, chau, { phone: '0914 333 888' });
    expect(out).toMatchObject({ ok: false, refusal: { forbidden: true } });
    expect(
      (await database.prisma.person.findUniqueOrThrow({ where: { phone: '+84914333888' }, include: { roles: true } })).roles,
    ).toHaveLength(1);
    // Dũng holds a role in DB-BTG and one in DBK: not all of them are Châu's.
    expect(await unlinkPerson(svc, chau, { phone: '0908 765 432' })).toMatchObject({ ok: false, refusal: { forbidden: true } });
    expect(
      await database.prisma.auditLog.count({
        where: { action: { in: ['denied:people.remove', 'denied:people.unlink'] }, actorId: chau.person.id },
      }),
    ).toBe(2);

    // Hùng (CB2-BTG) is inside.
    const inside = await revokePersonInvites(svc, chau, { phone: '0913 222 444' });
    expect(inside).toMatchObject({ ok: true, value: { revoked: 0 } });
    const removed = await removePerson(svc, chau, { phone: '0913 222 444' });
    expect(removed.ok).toBe(true);
    const audit = await database.prisma.auditLog.findFirstOrThrow({ where: { action: 'person.deactivate' } });
    expect(audit).toMatchObject({ actorId: chau.person.id, actor: 'web' });
  });

  it('refuses people without the admin role, wherever the target is', async () => {
    const lan = await actorFor('0913 222 555'); // bí thư CB3-BTG
    expect(await removePerson(svc, lan, { phone: '0913 222 666' })).toMatchObject({ ok: false, refusal: { forbidden: true } });
    expect(await database.prisma.person.findUniqueOrThrow({ where: { phone: '+84913222666' }, include: { roles: true } })).toMatchObject({
      deactivatedAt: null,
    });
  });

  it('lets an admin sync only a subtree within reach', async () => {
    const chau = await actorFor('0987 654 321');
    const rows = [{ line: 2, values: { full_name: 'Huỳnh Thị Lan', phone: '0913 222 555', unit_code: 'CB3-BTG', role: 'bi_thu' } }];
    expect(await syncPeopleFile(svc, chau, { rows, apply: false })).toMatchObject({ ok: false, refusal: { forbidden: true } });
    expect(await syncPeopleFile(svc, chau, { rows, unitCode: 'DB-UBMT', apply: false })).toMatchObject({
      ok: false,
      refusal: { forbidden: true },
    });
    const plan = await syncPeopleFile(svc, chau, { rows, unitCode: 'CB3-BTG', apply: false });
    expect(plan.ok && plan.value.kind === 'plan' && plan.value.plan.deactivated.map((p) => p.fullName)).toEqual(['Bùi Thanh Long']);
    // The operator reaches everything.
    expect((await syncPeopleFile(svc, operator, { rows, apply: false })).ok).toBe(true);
  });
});
