/**
 * How long queueing a broadcast to 10,000 linked people takes (records, recipients, outbox rows,
 * audit, in one transaction). Embedded PGlite by default, or DATABASE_URL's PostgreSQL (a scratch
 * database is created and dropped there). Prints one JSON line.
 *   npm run bench:broadcast [-- --people 10000] [--two-channels]
 * With --two-channels every other person also has a second channel's chat, so the reach rule
 * (src/domain/reach.ts) has a choice to make for half of them; each still gets one message.
 */
// Keep stdout to the one JSON line (i18next otherwise prints a notice on first use).
process.env.I18NEXT_NO_SUPPORT_NOTICE = '1';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { SystemClock } from '../src/core/clock.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { createBroadcast } from '../src/domain/broadcasts/create.js';

const args = process.argv.slice(2);
const people = Number(args[args.indexOf('--people') + 1] ?? 0) || 10_000;
const twoChannels = args.includes('--two-channels');
const url = process.env.DATABASE_URL;

async function open(): Promise<{ database: Database; drop(): Promise<void> }> {
  if (!url) return { database: await openDatabase({ dataDir: 'memory://' }), drop: async () => undefined };
  const name = `capuy_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: u.toString() });
  return {
    database,
    async drop() {
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

const { database, drop } = await open();
const { sql, prisma } = database;
// 100 chi bộ under one đảng bộ, `people` linked đảng viên spread over them.
await sql.exec(`
  INSERT INTO units (code, name, kind, updated_at) VALUES ('DBK', 'Đảng bộ Khối', 'dang_bo', now());
  INSERT INTO units (code, name, kind, parent_id, updated_at)
    SELECT 'CB' || g, 'Chi bộ ' || g, 'chi_bo', (SELECT id FROM units WHERE code = 'DBK'), now() FROM generate_series(1, 100) g;
  INSERT INTO people (full_name, phone, updated_at)
    SELECT 'Đảng viên ' || g, '+8490' || lpad(g::text, 7, '0'), now() FROM generate_series(1, ${people}) g;
  INSERT INTO role_assignments (person_id, unit_id, role)
    SELECT p.id, (SELECT id FROM units WHERE code = 'CB' || (1 + p.id % 100)), 'dang_vien' FROM people p;
  INSERT INTO chat_identities (channel, chat_id, person_id) SELECT 'telegram', (100000 + p.id)::text, p.id FROM people p;
`);
if (twoChannels)
  await sql.exec(`
    INSERT INTO chat_identities (channel, chat_id, person_id, linked_at)
      SELECT 'zalo', md5(p.id::text), p.id, now() + interval '1 minute' FROM people p WHERE p.id % 2 = 0;
    UPDATE people SET last_chat_id = c.id FROM chat_identities c WHERE c.person_id = people.id AND c.channel = 'telegram' AND people.id % 4 = 0;
  `);
const root = await prisma.unit.findUniqueOrThrow({ where: { code: 'DBK' } });
const text =
  'Ban Tuyên giáo gửi các đơn vị tài liệu “Thông báo nhanh kết quả Hội nghị Ban Chấp hành Đảng bộ thành phố lần thứ 21 (khóa XI)” ' +
  'để các đồng chí phổ biến tại địa phương, cơ quan, đơn vị.';

const clock = new SystemClock('Asia/Ho_Chi_Minh');
const send = (unitId: number, subtree: boolean) =>
  createBroadcast(prisma, clock, {
    requestKey: randomUUID(),
    authorId: null,
    actor: 'bench',
    text,
    doc: null,
    audience: { unitIds: [unitId], subtree, roles: [] },
    ack: true,
    remindAfterHours: 24,
  });
// A running bot has its query engine and caches warm: one small broadcast first (one chi bộ).
const warm = await send((await prisma.unit.findUniqueOrThrow({ where: { code: 'CB1' } })).id, false);
const before = await prisma.outboxMessage.count();

const started = performance.now();
const res = await send(root.id, true);
const queueMs = Math.round(performance.now() - started);
const outbox = (await prisma.outboxMessage.count()) - before;

console.log(
  JSON.stringify({
    bench: 'broadcast',
    database: database.kind,
    warmUpRecipients: warm.chats,
    people: res.people,
    twoChannels,
    recipients: res.chats,
    messagesQueued: res.messages,
    outboxRows: outbox,
    queueMs,
    recipientsPerSecond: Math.round((res.chats / queueMs) * 1000),
    underTwoSeconds: queueMs < 2000,
  }),
);
await database.close();
await drop();
