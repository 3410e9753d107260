/**
 * npm run bench:org — a whole bloc the size of seed 000's Đảng bộ Khối (generated: 674 units — the
 * khối, 49 đảng bộ cơ sở with 13 đảng bộ bộ phận, 591 chi bộ trực thuộc, 20 chi bộ cơ sở — and 8,445
 * people), through the real command line (`runCli`, as `npm run cli` runs it): import units, import
 * people, re-import unchanged (plain and --sync --yes), `invite --all`, one deadline to every chi bộ;
 * then the real bot against the Bot API emulator (30/s) sends one notice to everyone: its time
 * against the physical limit (recipients / 30 s). Prints one JSON line, with idle and peak RSS.
 * Env: DATABASE_URL (PostgreSQL: a scratch database is created and dropped; embedded PGlite in a
 * temporary directory otherwise), BENCH_PEOPLE (8445), BENCH_RECIPIENTS (how many of them get the
 * notice; default all, 0 skips it), BENCH_LIMIT (30).
 */
process.env.I18NEXT_NO_SUPPORT_NOTICE = '1';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startApp } from '../src/app.js';
import { runCli } from '../src/cli/index.js';
import { configSchema } from '../src/config.js';
import { SystemClock } from '../src/core/clock.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { BotApiEmulator } from '../src/emulator/botApiEmulator.js';
import { createLogger } from '../src/logger.js';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 8445);
const RECIPIENTS = Math.min(PEOPLE, Number(process.env.BENCH_RECIPIENTS ?? PEOPLE));
const LIMIT = Number(process.env.BENCH_LIMIT ?? 30);
const url = process.env.DATABASE_URL;

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);
const mb = (n: number) => Math.round(n / 1048576);

const dir = mkdtempSync(join(tmpdir(), 'capuy-bench-org-'));
async function open(): Promise<{ database: Database; drop(): Promise<void> }> {
  if (!url) return { database: await openDatabase({ dataDir: join(dir, 'data') }), drop: async () => undefined };
  const name = `capuy_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    database: await openDatabase({ databaseUrl: u.toString() }),
    async drop() {
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

// ---- the bloc ----
const units: string[] = ['code,name,parent_code,kind', 'DBK,Đảng bộ Khối Dân - Chính - Đảng,,dang_bo'];
const chiBo: string[] = [];
for (let i = 1; i <= 49; i++) units.push(`DBCS${i},Đảng bộ cơ sở ${i},DBK,dang_bo`);
for (let i = 1; i <= 13; i++) units.push(`DBBP${i},Đảng bộ bộ phận ${i},DBCS${i},dang_bo`);
// 591 chi bộ trực thuộc: under the 13 đảng bộ bộ phận first, then the 49 đảng bộ cơ sở.
const parents = [...Array.from({ length: 13 }, (_, i) => `DBBP${i + 1}`), ...Array.from({ length: 49 }, (_, i) => `DBCS${i + 1}`)];
for (let i = 1; i <= 591; i++) {
  units.push(`CB${i},Chi bộ ${i},${parents[i % parents.length]},chi_bo`);
  chiBo.push(`CB${i}`);
}
for (let i = 1; i <= 20; i++) {
  units.push(`CBCS${i},Chi bộ cơ sở ${i},DBK,chi_bo`);
  chiBo.push(`CBCS${i}`);
}
const people: string[] = ['full_name,phone,unit_code,role'];
const family = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Võ', 'Đặng', 'Bùi'];
const given = ['Văn An', 'Thị Bình', 'Minh Châu', 'Quốc Dũng', 'Thu Hà', 'Đức Huy', 'Ngọc Lan', 'Thanh Sơn', 'Hồng Nhung', 'Gia Bảo'];
for (let i = 0; i < PEOPLE; i++) {
  const unit = chiBo[i % chiBo.length]!;
  const name = `${family[i % 10]} ${given[Math.floor(i / 10) % 10]} ${i + 1}`;
  const phone = `09${String(10_000_000 + i).padStart(8, '0')}`;
  people.push(`${name},${phone},${unit},dang_vien`);
  // The first member of each chi bộ is its bí thư.
  if (i < chiBo.length) people.push(`${name},${phone},${unit},bi_thu`);
}
const unitsFile = join(dir, 'don-vi.csv');
const peopleFile = join(dir, 'nhan-su.csv');
writeFileSync(unitsFile, units.join('\n') + '\n');
writeFileSync(peopleFile, people.join('\n') + '\n');

const emulator = new BotApiEmulator({ rateLimit: { global: LIMIT } });
await emulator.start();
const { database, drop } = await open();
const db = database.prisma;
const config = configSchema.parse({
  TELEGRAM_BOT_TOKEN: emulator.token,
  TELEGRAM_API_ROOT: emulator.apiRoot,
  BOT_USERNAME: 'capuy_bench_bot',
  PORT: '0',
  QUIET_HOURS: 'off',
  SEND_RATE: String(LIMIT),
  LOG_LEVEL: 'error',
});
const clock = new SystemClock(config.APP_TIMEZONE);

async function cli(...argv: string[]): Promise<{ ms: number; lines: string[] }> {
  const lines: string[] = [];
  const errors: string[] = [];
  const started = performance.now();
  const code = await runCli(
    argv,
    (l) => lines.push(l),
    { database, config, clock },
    (l) => errors.push(l),
  );
  const ms = Math.round(performance.now() - started);
  if (code !== 0) throw new Error(`${argv.join(' ')} → ${code}: ${errors.join('\n').slice(0, 2000)}`);
  return { ms, lines };
}

const result: Record<string, unknown> = { bench: 'org', database: database.kind, units: units.length - 1, people: PEOPLE };
result.import_units_ms = (await cli('import', 'units', unitsFile)).ms;
result.import_people_ms = (await cli('import', 'people', peopleFile)).ms;
result.reimport_unchanged_ms = (await cli('import', 'people', peopleFile)).ms;
result.reimport_sync_unchanged_ms = (await cli('import', 'people', peopleFile, '--sync', '--yes')).ms;
const invites = await cli('invite', '--all');
result.invite_all_ms = invites.ms;
result.invites = await db.invite.count();
const due = clock.now().plus({ days: 14 }).toFormat('dd/MM/yyyy');
result.deadline_every_chi_bo_ms = (
  await cli('deadline', 'add', '--title', 'Báo cáo sơ kết 6 tháng', '--due', due, '--units', 'DBK', '--subtree')
).ms;
result.deadline_units = await db.deadlineUnit.count();

if (RECIPIENTS > 0) {
  // The first RECIPIENTS people linked their chats (as redeeming the invites would).
  const linked = await db.person.findMany({ orderBy: { id: 'asc' }, take: RECIPIENTS, select: { id: true } });
  await db.chatIdentity.createMany({
    data: linked.map((p) => ({ channel: 'telegram', chatId: String(50_000_000 + p.id), personId: p.id })),
  });
  const app = await startApp({ config, log: createLogger('error'), database });
  await new Promise((r) => setTimeout(r, 3000));
  global.gc?.();
  result.idle_rss_mb = mb(process.memoryUsage().rss);
  const text = join(dir, 'thong-bao.txt');
  writeFileSync(text, 'Thông báo: Hội nghị quán triệt Nghị quyết Đại hội Đảng bộ Khối lần thứ III, 08:00 thứ Hai tuần tới.');
  const sentBefore = emulator.stats.sent.sendMessage ?? 0;
  const started = Date.now();
  result.notice_queue_ms = (await cli('broadcast', '--to', 'DBK', '--subtree', '--text-file', text)).ms;
  app.worker.kick();
  while ((emulator.stats.sent.sendMessage ?? 0) - sentBefore < RECIPIENTS && Date.now() - started < RECIPIENTS * 1000) {
    await new Promise((r) => setTimeout(r, 200));
  }
  const seconds = (Date.now() - started) / 1000;
  result.notice_recipients = RECIPIENTS;
  result.notice_delivered = (emulator.stats.sent.sendMessage ?? 0) - sentBefore;
  result.notice_seconds = Number(seconds.toFixed(1));
  result.notice_physical_limit_seconds = Number((RECIPIENTS / LIMIT).toFixed(1));
  result.notice_ratio = Number((RECIPIENTS / LIMIT / seconds).toFixed(3));
  result.rate_limited_429 = emulator.stats.rateLimited;
  await app.stop();
}
result.peak_rss_mb = mb(peakRss);
clearInterval(sampler);
await database.close();
await emulator.stop();
await drop();
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify(result));
