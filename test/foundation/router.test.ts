import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter } from '../../commands/index.js';
import { configSchema } from '../../src/config.js';
import { SystemClock } from '../../src/core/clock.js';
import type { IncomingMessage, OutgoingMessage, Reply } from '../../src/core/messages.js';
import type { Services } from '../../src/core/services.js';
import type { Database } from '../../src/db/client.js';
import { createLogger } from '../../src/logger.js';
import { openTestDatabase } from '../helpers/db.js';
import { importFixtureOrg, linkByPhone } from '../helpers/org.js';

/** The router is channel-neutral: this drives it the way any adapter would, with a Reply of its own. */
describe('router', () => {
  let database: Database;
  let svc: Services;
  const logged: unknown[] = [];

  beforeAll(async () => {
    database = await openTestDatabase();
    const config = configSchema.parse({ LOG_LEVEL: 'silent' });
    await importFixtureOrg(database, config);
    await linkByPhone(database, '+84913222333', 42);
    const log = createLogger('silent');
    log.error = ((obj: unknown) => void logged.push(obj)) as typeof log.error;
    svc = {
      db: database.prisma,
      config,
      clock: new SystemClock(config.APP_TIMEZONE),
      log,
      botUsername: 'capuy_test_bot',
      kick: () => undefined,
    };
  });
  afterAll(() => database?.close());

  function collector() {
    const sent: OutgoingMessage[] = [];
    const reply: Reply = {
      send: async (m) => (sent.push(m), String(sent.length)),
      edit: async (m) => void sent.push(m),
      notify: async () => undefined,
    };
    return { sent, reply };
  }
  const text = (t: string): IncomingMessage => ({
    channel: 'zalo',
    chat: { id: '42', isGroup: false },
    sender: { id: '42', name: 'Hạnh' },
    kind: 'text',
    text: t,
  });

  it('answers a failing handler with an apology, logs it with the update, and keeps going', async () => {
    const router = createRouter([
      {
        commands: [
          {
            name: 'hong',
            access: 'anyone',
            run: async () => {
              throw new Error('boom');
            },
          },
        ],
      },
    ]);
    const { sent, reply } = collector();
    await router.handle(svc, { ...text('/hong'), channel: 'telegram' }, reply);
    expect(sent[0]!.text).toContain('Xin lỗi đồng chí');
    expect(JSON.stringify(logged)).toContain('/hong');
    await router.handle(svc, { ...text('/help'), channel: 'telegram' }, reply);
    expect(sent[1]!.text).toContain('Các lệnh');
    // The command is named, what the person typed after it is not (M5).
    await router.handle(svc, { ...text('/hong 0913 222 333 mã mời abc'), channel: 'telegram' }, reply);
    expect(JSON.stringify(logged.at(-1))).not.toMatch(/0913|abc|Hạnh/);
  });

  it('serves another channel (Zalo) with the same handlers', async () => {
    const person = await database.prisma.person.findUniqueOrThrow({ where: { phone: '+84913222333' } });
    await database.prisma.chatIdentity.create({ data: { channel: 'zalo', chatId: '42', personId: person.id } });
    const { sent, reply } = collector();
    await createRouter().handle(svc, text('/toi'), reply);
    expect(sent[0]!.text).toContain('Võ Thị Hạnh');
  });

  it('understands /command@botname and ignores commands in groups that are not for groups', async () => {
    const { sent, reply } = collector();
    await createRouter().handle(svc, { ...text('/toi@capuy_test_bot'), channel: 'telegram' }, reply);
    expect(sent[0]!.text).toContain('Võ Thị Hạnh');
    await createRouter().handle(svc, { ...text('/toi'), channel: 'telegram', chat: { id: '-100', isGroup: true } }, reply);
    expect(sent).toHaveLength(1);
  });

  it('audits a linked person refused at the first gate, and drops a flow their roles no longer allow', async () => {
    const person = await database.prisma.person.findUniqueOrThrow({ where: { phone: '+84913222333' } });
    const guarded = {
      commands: [{ name: 'chiquantri', access: ['admin'] as const, run: async () => undefined }],
      flows: [{ name: 'test.admin', access: ['admin'] as const, onText: async () => undefined }],
    };
    const router = createRouter([guarded]);
    const { sent, reply } = collector();
    const before = await database.prisma.auditLog.count({ where: { actorId: person.id, action: { startsWith: 'denied:' } } });
    await router.handle(svc, { ...text('/chiquantri'), channel: 'telegram' }, reply);
    expect(sent.at(-1)!.text).toContain('chỉ dành cho đồng chí có vai trò phù hợp');
    const chat = await database.prisma.chatIdentity.findUniqueOrThrow({ where: { channel_chatId: { channel: 'telegram', chatId: '42' } } });
    await database.prisma.chatState.create({ data: { chatIdentityId: chat.id, flow: 'test.admin', data: {} } });
    await router.handle(svc, { ...text('trả lời'), channel: 'telegram' }, reply);
    expect(sent.at(-1)!.text).toContain('chỉ dành cho đồng chí có vai trò phù hợp');
    expect(await database.prisma.chatState.count({ where: { chatIdentityId: chat.id } })).toBe(0);
    const denied = await database.prisma.auditLog.findMany({
      where: { actorId: person.id, action: { startsWith: 'denied:' } },
      orderBy: { id: 'asc' },
    });
    expect(denied.slice(before).map((d) => d.action)).toEqual(['denied:command:chiquantri', 'denied:flow:test.admin']);
  });

  it('censors personal data in any log line (names, texts, phone numbers)', () => {
    const lines: string[] = [];
    const log = createLogger('info', { write: (l: string) => void lines.push(l) });
    log.error({ update: { message: { text: '/start abc', from: { first_name: 'Hạnh' }, contact: { phone_number: '84913222333' } } } }, 'x');
    expect(lines.join('')).not.toMatch(/abc|Hạnh|84913222333/);
    expect(lines.join('')).toContain('[redacted]');
  });
});
