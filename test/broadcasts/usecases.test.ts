import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operator, personActor, type PersonActor } from '../../src/application/actor.js';
import { acknowledgeBroadcast } from '../../src/application/broadcasts/ack.js';
import { linkGroupToUnit } from '../../src/application/broadcasts/groups.js';
import { broadcastsPolicy } from '../../src/application/broadcasts/policy.js';
import { sendBroadcast, startWithDocument, type BroadcastInput } from '../../src/application/broadcasts/send.js';
import { broadcastDetails, listBroadcasts } from '../../src/application/broadcasts/stats.js';
import { configSchema } from '../../src/config.js';
import { AdjustableClock } from '../../src/core/clock.js';
import type { Services } from '../../src/core/services.js';
import type { Database } from '../../src/db/client.js';
import { broadcastButtons } from '../../src/domain/broadcasts/buttons.js';
import { ackData } from '../../src/domain/broadcasts/compose.js';
import { loadPerson } from '../../src/domain/people.js';
import { createLogger } from '../../src/logger.js';
import { broadcastsFeature } from '../../commands/broadcasts/index.js';
import { cli } from '../helpers/cli.js';
import { openTestDatabase } from '../helpers/db.js';
import { addXuyen, DOCS_CSV, personId, setupOrg, type Who } from './org.js';

const config = configSchema.parse({ BOT_USERNAME: 'capuy_test_bot', LOG_LEVEL: 'silent' });
const clock = new AdjustableClock(config.APP_TIMEZONE);
clock.set(DateTime.fromISO('2023-07-12T09:00', { zone: config.APP_TIMEZONE }));

describe('broadcasts use cases', () => {
  let database: Database;
  let svc: Services;
  let kicks = 0;
  const actorOf = async (who: Who): Promise<PersonActor> =>
    personActor((await loadPerson(database.prisma, await personId(database, who)))!, `test:${who}`);
  const unitIds = async (...codes: string[]) => (await database.prisma.unit.findMany({ where: { code: { in: codes } } })).map((u) => u.id);
  const input = async (codes: string[], more: Partial<BroadcastInput> = {}): Promise<BroadcastInput & { requestKey: string }> => ({
    requestKey: randomUUID(),
    text: 'Đề nghị các đồng chí phổ biến tại chi bộ.',
    docId: null,
    unitIds: await unitIds(...codes),
    subtree: true,
    roles: [],
    ack: true,
    remindHours: null,
    ...more,
  });
  const denials = (action: string) => database.prisma.auditLog.count({ where: { action: `denied:broadcasts.${action}` } });

  beforeAll(async () => {
    database = await openTestDatabase();
    await setupOrg(database, config);
    await addXuyen(database);
    svc = { db: database.prisma, config, clock, log: createLogger('silent'), botUsername: '', kick: () => void kicks++ };
    const dir = mkdtempSync(join(tmpdir(), 'capuy-bc-uc-'));
    writeFileSync(join(dir, 'docs.csv'), DOCS_CSV);
    const res = await cli(database, config, ['docs', 'import', join(dir, 'docs.csv')], clock);
    if (res.code !== 0) throw new Error(res.err);
  });
  afterAll(() => database?.close());

  it('every command, button action and flow names a rule of the table, and every rule says what it means', () => {
    const rules = Object.keys(broadcastsPolicy.rules).map((a) => `broadcasts.${a}`);
    for (const r of Object.values(broadcastsPolicy.rules)) expect(r.doc.length).toBeGreaterThan(20);
    const named = [
      ...(broadcastsFeature.commands ?? []).map((c) => c.policy),
      ...(broadcastsFeature.flows ?? []).map((f) => f.policy),
      ...(broadcastsFeature.buttons ?? []).flatMap((b) => (b.actions ?? []).map((a) => a.policy)),
    ];
    expect(named.length).toBe(3 + 1 + broadcastButtons.actions.length);
    for (const p of named) expect(rules).toContain(p);
  });

  it("keeps the wire format of buttons already in people's chats", () => {
    expect(ackData(12)).toBe('bc:rcv:12');
    expect(ackData(12, true)).toBe('bc:rcv:12:r');
    for (const data of [
      'bc:rcv:12:r',
      'bc:doc:4',
      'bc:notext',
      'bc:aud:all',
      'bc:aud:pick',
      'bc:sub:0',
      'bc:sub:1',
      'bc:r:bi_thu',
      'bc:r:all',
      'bc:r:ok',
      'bc:ask:0',
      'bc:ask:1',
      'bc:ask:1:24',
      'bc:send',
      'bc:cancel',
      'bc:st:7',
      'bc:st:7:r',
      'bc:pv',
    ]) {
      const pressed = broadcastButtons.unpack(data.split(':').slice(1));
      expect(pressed, data).not.toBeNull();
      expect(broadcastButtons.pack(pressed!.action, pressed!.data as never), data).toBe(data);
    }
  });

  it('sends within the subtree only, and checks the document against what the author sees', async () => {
    const xuyen = await actorOf('xuyen');
    const outside = await sendBroadcast(svc, xuyen, await input(['DBK']));
    expect(outside).toMatchObject({ ok: false, refusal: { forbidden: true } });
    expect(await denials('send')).toBe(1);

    const hidden = (await database.prisma.document.findFirstOrThrow({ where: { title: { startsWith: 'Đề cương tuyên truyền' } } })).id;
    expect(await startWithDocument(svc, xuyen, hidden)).toMatchObject({
      ok: false,
      refusal: { key: 'broadcasts:compose.doc_gone', forbidden: true },
    });
    expect(await startWithDocument(svc, xuyen, 999_999)).toMatchObject({ ok: false, refusal: { key: 'broadcasts:compose.doc_gone' } });
    const withHidden = await sendBroadcast(svc, xuyen, await input(['DB-BTG'], { docId: hidden }));
    expect(withHidden).toMatchObject({ ok: false, refusal: { key: 'broadcasts:compose.doc_gone', forbidden: true } });
    expect(await database.prisma.broadcast.count()).toBe(0);

    // The Front's officer sees it; so does the operator.
    const binh = await actorOf('binh');
    await database.prisma.roleAssignment.create({
      data: { personId: binh.person.id, unitId: (await unitIds('DB-UBMT'))[0]!, role: 'tuyen_giao' },
    });
    expect((await startWithDocument(svc, await actorOf('binh'), hidden)).ok).toBe(true);
    const before = kicks;
    const sent = await sendBroadcast(svc, xuyen, await input(['DB-BTG'], { remindHours: 4 }));
    expect(sent.ok && sent.value.people).toBeGreaterThan(1);
    expect(kicks).toBe(before + 1);
    const b = await database.prisma.broadcast.findFirstOrThrow({ where: { authorId: xuyen.person.id } });
    expect(b.remindAt!.getTime() - b.createdAt.getTime()).toBe(4 * 3600_000);
    expect((await sendBroadcast(svc, operator, await input(['DBK'], { docId: hidden }))).ok).toBe(true);
  });

  it('refuses reminder hours out of 1…336 and roles that do not exist', async () => {
    const chau = await actorOf('chau');
    for (const remindHours of [-5, 0, 337, 1e12, 2.5]) {
      expect(await sendBroadcast(svc, chau, await input(['DBK'], { remindHours })), String(remindHours)).toMatchObject({
        ok: false,
        refusal: { key: 'broadcasts:compose.bad_remind' },
      });
    }
    expect(await sendBroadcast(svc, chau, await input(['DBK'], { remindHours: 4, ack: false }))).toMatchObject({
      ok: false,
      refusal: { key: 'broadcasts:compose.bad_remind' },
    });
    expect(await sendBroadcast(svc, chau, await input(['DBK'], { roles: ['chu_tich' as never] }))).toMatchObject({
      ok: false,
      refusal: { key: 'broadcasts:compose.bad_roles' },
    });
    expect(await sendBroadcast(svc, chau, await input(['DBK'], { text: '  ' }))).toMatchObject({
      ok: false,
      refusal: { key: 'broadcasts:compose.text_empty' },
    });
  });

  it("stats: own broadcasts, and others only when every audience unit is in the viewer's subtree", async () => {
    const xuyen = await actorOf('xuyen');
    const toDbk = (await database.prisma.broadcast.findFirstOrThrow({ where: { authorId: null } })).id;
    const mine = (await database.prisma.broadcast.findFirstOrThrow({ where: { authorId: xuyen.person.id } })).id;
    const list = await listBroadcasts(svc, xuyen);
    expect(list.ok && list.value.map((s) => s.broadcast.id)).toEqual([mine]);
    expect(await broadcastDetails(svc, xuyen, toDbk)).toMatchObject({
      ok: false,
      refusal: { key: 'broadcasts:stats.not_found', params: { id: toDbk }, forbidden: true },
    });
    expect(await broadcastDetails(svc, xuyen, 999_999)).toMatchObject({ ok: false, refusal: { key: 'broadcasts:stats.not_found' } });
    expect(await denials('stats')).toBe(1);
    // The admin of DBK sees both; the operator too, with every recipient counted.
    const an = await listBroadcasts(svc, await actorOf('an'));
    expect(an.ok && an.value.map((s) => s.broadcast.id)).toEqual([toDbk, mine]);
    const all = await broadcastDetails(svc, operator, toDbk);
    const recipients = await database.prisma.broadcastRecipient.count({ where: { broadcastId: toDbk } });
    expect(all.ok && all.value.status.recipients).toBe(recipients);
  });

  it("acknowledges for recipients only, and records the others' attempts", async () => {
    const b = (await database.prisma.broadcast.findFirstOrThrow({ where: { authorId: (await actorOf('xuyen')).person.id } })).id;
    const hanh = await actorOf('hanh');
    const chat = await database.prisma.chatIdentity.findFirstOrThrow({ where: { personId: hanh.person.id } });
    const first = await acknowledgeBroadcast(svc, hanh, { broadcastId: b, chatIdentityId: chat.id, reminder: false });
    expect(first).toMatchObject({ ok: true, value: { outcome: 'acked' } });
    expect(await acknowledgeBroadcast(svc, hanh, { broadcastId: b, chatIdentityId: chat.id, reminder: false })).toMatchObject({
      ok: true,
      value: { outcome: 'already' },
    });
    const ngoc = await actorOf('ngoc');
    expect(await acknowledgeBroadcast(svc, ngoc, { broadcastId: b, chatIdentityId: chat.id, reminder: false })).toMatchObject({
      ok: false,
      refusal: { key: 'broadcasts:ack.not_recipient' },
    });
    expect(await denials('acknowledge')).toBe(1);
    expect(await acknowledgeBroadcast(svc, ngoc, { broadcastId: 999_999, chatIdentityId: chat.id, reminder: false })).toMatchObject({
      ok: false,
      refusal: { key: 'core:error.stale_button' },
    });
  });

  it('links only group chats, to units within reach of the actor', async () => {
    const hanh = await actorOf('hanh');
    const own = await database.prisma.chatIdentity.findFirstOrThrow({ where: { personId: hanh.person.id } });
    expect(await linkGroupToUnit(svc, hanh, { chatIdentityId: own.id, code: 'CB1-BTG' })).toMatchObject({
      ok: false,
      refusal: { key: 'broadcasts:ganhom.only_group' },
    });
    const group = await database.prisma.chatIdentity.create({ data: { channel: 'telegram', chatId: '-100555', isGroup: true } });
    expect(await linkGroupToUnit(svc, hanh, { chatIdentityId: group.id, code: 'CB2-BTG' })).toMatchObject({
      ok: false,
      refusal: { key: 'broadcasts:ganhom.not_secretary', params: { code: 'CB2-BTG' } },
    });
    expect(await linkGroupToUnit(svc, hanh, { chatIdentityId: group.id, code: 'CB1-BTG' })).toMatchObject({
      ok: true,
      value: { unit: { code: 'CB1-BTG' }, previous: null },
    });
    expect(await linkGroupToUnit(svc, await actorOf('hung'), { chatIdentityId: group.id, code: null })).toMatchObject({
      ok: false,
      refusal: { forbidden: true },
    });
    expect(await linkGroupToUnit(svc, operator, { chatIdentityId: group.id, code: 'CB2-BTG' })).toMatchObject({
      ok: true,
      value: { previous: { code: 'CB1-BTG' } },
    });
    const audit = await database.prisma.auditLog.findFirstOrThrow({
      where: { action: 'group.link', details: { path: ['unit'], equals: 'CB2-BTG' } },
    });
    expect(audit).toMatchObject({ actorId: null, actor: 'cli' });
  });
});
