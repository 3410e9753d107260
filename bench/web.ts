/**
 * Times every dashboard page on an organisation the size of seed 000's bloc: 674 units (1 đảng bộ khối,
 * 33 đảng bộ, 640 chi bộ) and 8,445 people (a secretary per chi bộ, the rest party members, two thirds
 * linked), with an open deadline over every chi bộ, 200 library documents, a week of schedule and
 * 50,000 audit rows. Signed in as the admin of the whole bloc (the largest view of every page).
 * Embedded PGlite by default, or DATABASE_URL's PostgreSQL (a scratch database is created and dropped).
 * Prints p50/p95 per page and a JSON line.
 *   npm run bench:web [-- --runs 30]
 */
process.env.I18NEXT_NO_SUPPORT_NOTICE = '1';
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import pg from 'pg';
import { operator, personActor } from '../src/application/actor.js';
import { create as createDeadline } from '../src/application/deadlines/create.js';
import { saveDocument } from '../src/application/docs/index.js';
import { importRows } from '../src/application/schedule/operator.js';
import { requestSignIn, signIn } from '../src/application/web/index.js';
import { startApp } from '../src/app.js';
import { configSchema } from '../src/config.js';
import { AdjustableClock } from '../src/core/clock.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { loadPerson } from '../src/domain/people.js';
import { BotApiEmulator } from '../src/emulator/botApiEmulator.js';
import { features, routes } from '../src/features.js';
import { createLogger } from '../src/logger.js';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] ?? 0) || 30;
const url = process.env.DATABASE_URL;
const UNITS = 674;
const PEOPLE = 8445;
const DANG_BO = 33;

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
const chiBo = UNITS - 1 - DANG_BO;
await database.sql.exec(`
  INSERT INTO units (code, name, kind, updated_at) VALUES ('DBK', 'Đảng bộ Khối', 'dang_bo', now());
  INSERT INTO units (code, name, kind, parent_id, updated_at)
    SELECT 'DB' || g, 'Đảng bộ ' || g, 'dang_bo', (SELECT id FROM units WHERE code = 'DBK'), now() FROM generate_series(1, ${DANG_BO}) g;
  INSERT INTO units (code, name, kind, parent_id, updated_at)
    SELECT 'CB' || g, 'Chi bộ ' || g, 'chi_bo', (SELECT id FROM units WHERE code = 'DB' || (1 + g % ${DANG_BO})), now()
    FROM generate_series(1, ${chiBo}) g;
  INSERT INTO people (full_name, phone, updated_at)
    SELECT 'Đảng viên ' || g, '+8490' || lpad(g::text, 7, '0'), now() FROM generate_series(1, ${PEOPLE}) g;
  INSERT INTO role_assignments (person_id, unit_id, role)
    SELECT p.id, (SELECT id FROM units WHERE code = 'CB' || (1 + p.id % ${chiBo})),
           CASE WHEN p.id <= ${chiBo} THEN 'bi_thu'::"Role" ELSE 'dang_vien'::"Role" END
    FROM people p;
  INSERT INTO role_assignments (person_id, unit_id, role)
    SELECT p.id, (SELECT id FROM units WHERE code = 'DBK'), 'admin' FROM people p WHERE p.id = 1;
  INSERT INTO chat_identities (channel, chat_id, person_id)
    SELECT 'telegram', (100000 + p.id)::text, p.id FROM people p WHERE p.id % 3 <> 0;
  INSERT INTO audit_log (actor_id, actor, action, target, at)
    SELECT 1 + g % ${PEOPLE}, 'telegram:' || g, (ARRAY['deadline.report','schedule.create','docs.add','web.signin','denied:deadlines.board'])[1 + g % 5],
           'unit:' || (g % ${UNITS}), now() - (g || ' seconds')::interval
    FROM generate_series(1, 50000) g;
`);

const emulator = new BotApiEmulator();
await emulator.start();
const config = configSchema.parse({
  TELEGRAM_BOT_TOKEN: emulator.token,
  TELEGRAM_API_ROOT: emulator.apiRoot,
  PORT: '0',
  QUIET_HOURS: 'off',
  LOG_LEVEL: 'silent',
  DATA_DIR: 'memory://',
});
const clock = new AdjustableClock(config.APP_TIMEZONE);
clock.set(DateTime.fromISO('2026-12-07T09:00', { zone: config.APP_TIMEZONE }));
// No jobs: nothing runs beside the pages being timed.
const app = await startApp({ config, log: createLogger('silent'), clock, database, features, jobs: [], routes });
const svc = app.svc;
const db = database.prisma;

// An open deadline over every chi bộ, a fifth of them reported.
const chiBoIds = (await db.unit.findMany({ where: { kind: 'chi_bo' }, select: { id: true } })).map((u) => u.id);
const dl = await createDeadline(svc, operator, {
  title: 'Báo cáo sơ kết công tác tuyên giáo năm 2026',
  dueAt: DateTime.fromISO('2026-12-20T17:00', { zone: config.APP_TIMEZONE }),
  unitIds: chiBoIds,
});
if (!dl.ok) throw new Error(dl.refusal.key);
await database.sql.exec(
  `UPDATE deadline_units SET reported_at = now(), reported_by_id = 1 WHERE deadline_id = ${dl.value.id} AND unit_id % 5 = 0`,
);
// 200 documents; a week of schedule (6 items a day).
const category = (await db.docCategory.findFirstOrThrow()).id;
for (let i = 1; i <= 200; i++) {
  const r = await saveDocument(svc, operator, {
    title: `Nghị quyết số ${i} về công tác tuyên giáo`,
    number: `${i}-NQ/DUK`,
    issuer: 'Đảng ủy Khối',
    issuedOn: null,
    categoryId: category,
    urls: [`https://example.vn/tai-lieu/${i}`],
    summary: null,
    tags: [],
    unitIds: i % 2 ? [] : [chiBoIds[i % chiBoIds.length]!],
  });
  if (!r.ok) throw new Error(r.refusal.key);
}
const rows = [];
for (let d = 0; d < 7; d++)
  for (let k = 0; k < 6; k++)
    rows.push({
      line: rows.length + 2,
      values: {
        date: DateTime.fromISO('2026-12-07').plus({ days: d }).toFormat('dd/MM/yyyy'),
        start: `${String(7 + k * 2).padStart(2, '0')}:00`,
        end: `${String(8 + k * 2).padStart(2, '0')}:30`,
        content: `Họp giao ban ${d}-${k}`,
        place: 'Phòng họp 1',
        chair: '',
        participants: '',
        unit_code: 'DBK',
        ref: `B-${d}-${k}`,
      },
    });
const sched = await importRows(svc, operator, rows);
if (!sched.ok || !sched.value.ok) throw new Error('schedule import failed');

// Sign in as the admin of the whole bloc, as /web and the link would.
const admin = (await loadPerson(db, 1))!;
const link = await requestSignIn(svc, personActor(admin, 'bench'));
if (!link.ok) throw new Error(link.refusal.key);
const session = await signIn(svc, link.value.token);
if (!session.ok) throw new Error(session.refusal.key);
const cookie = `capuy_web=${session.value.session}`;
const someDangBo = (await db.unit.findFirstOrThrow({ where: { code: 'DB1' } })).id;

const pages: [string, string][] = [
  ['Tổng quan', '/web/'],
  ['Hạn báo cáo (một hạn)', `/web/deadlines/${dl.value.id}`],
  ['Hạn báo cáo (chậm)', `/web/deadlines/${dl.value.id}?filter=late`],
  ['Nhật ký', '/web/audit'],
  ['Nhật ký (lọc đơn vị)', `/web/audit?unit=${someDangBo}`],
  ['Lịch làm việc tuần', '/web/schedule'],
  ['Tài liệu', '/web/docs'],
  ['Tài liệu (tìm không dấu)', '/web/docs?q=nghi%20quyet%2012'],
  ['Tổ chức', '/web/org'],
  ['Tổ chức (một đảng bộ)', `/web/org?unit=${someDangBo}`],
  ['Nhập danh sách', '/web/org/roster'],
];
const base = `http://localhost:${app.port}`;
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const results: { page: string; path: string; p50: number; p95: number; bytes: number }[] = [];
for (const [name, path] of pages) {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs + 3; i++) {
    const t0 = performance.now();
    const res = await fetch(base + path, { headers: { cookie }, redirect: 'manual' });
    const body = await res.text();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
    bytes = body.length;
    if (i >= 3) times.push(ms); // the first three warm the caches, as on a running bot
  }
  times.sort((a, b) => a - b);
  results.push({ page: name, path, p50: Math.round(pct(times, 50)), p95: Math.round(pct(times, 95)), bytes });
}
const engine = url ? 'PostgreSQL' : 'PGlite';
console.log(`Bảng điều hành on ${engine}: ${UNITS} units, ${PEOPLE} people, ${runs} runs per page (ms)`);
console.log(`${'page'.padEnd(28)} ${'p50'.padStart(6)} ${'p95'.padStart(6)} ${'kB'.padStart(6)}`);
for (const r of results)
  console.log(
    `${r.page.padEnd(28)} ${String(r.p50).padStart(6)} ${String(r.p95).padStart(6)} ${String(Math.round(r.bytes / 1024)).padStart(6)}`,
  );
console.log(JSON.stringify({ bench: 'web', engine, units: UNITS, people: PEOPLE, runs, pages: results }));
await app.stop();
await emulator.stop();
await database.close();
await drop();
