/**
 * npm run bench:delivery — the real bot (in this process) against the Bot API emulator enforcing a
 * global limit, 5,000 queued messages to 5,000 chats, 5% injected 5xx. Prints one JSON line.
 * Env: BENCH_LIMIT (default 200/s), BENCH_MESSAGES (5000), BENCH_RATE (bot's SEND_RATE, default
 * 97% of the limit), DATABASE_URL (PostgreSQL; embedded PGlite otherwise).
 * BENCH_CHANNEL=zalo runs the Zalo-only bot against the Zalo emulator instead: its quota is
 * BENCH_LIMIT sends per second (then 429 "Quota exceeded"), the 5% faults are gateway 502s, and the
 * bot's ZALO_SEND_RATE is BENCH_RATE.
 */
import { startApp } from '../src/app.js';
import { configSchema } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { enqueue } from '../src/delivery/outbox.js';
import { BotApiEmulator } from '../src/emulator/botApiEmulator.js';
import { ZaloEmulator } from '../src/emulator/zalo/zaloEmulator.js';
import { createLogger } from '../src/logger.js';

const limit = Number(process.env.BENCH_LIMIT ?? 200);
const messages = Number(process.env.BENCH_MESSAGES ?? 5000);
const rate = Number(process.env.BENCH_RATE ?? Math.floor(limit * 0.97));

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

const zalo = process.env.BENCH_CHANNEL === 'zalo';
const channel = zalo ? 'zalo' : 'telegram';

/** What the bench needs of either emulator. */
interface BenchEmulator {
  token: string;
  apiRoot: string;
  chatId(i: number): string;
  sentTo(): Map<string, number>;
  calls(): number;
  rateLimited(): number;
  onSendCall(fn: () => void): void;
  stop(): Promise<void>;
}

async function telegramEmulator(): Promise<BenchEmulator> {
  const e = new BotApiEmulator({ rateLimit: { global: limit } });
  await e.start();
  e.failRandom('sendMessage', 0.05, { code: 502, description: 'Bad Gateway' }, 42);
  return {
    token: e.token,
    apiRoot: e.apiRoot,
    chatId: (i) => String(10_000_000 + i),
    sentTo: () => count(e.allMessages().map((m) => String(m.chat_id))),
    calls: () => (e.stats.sent.sendMessage ?? 0) + (e.stats.errors.sendMessage ?? 0),
    rateLimited: () => e.stats.rateLimited,
    onSendCall: (fn) => e.on('request', ({ method }: { method: string }) => method === 'sendMessage' && fn()),
    stop: () => e.stop(),
  };
}

async function zaloEmulator(): Promise<BenchEmulator> {
  const e = new ZaloEmulator({ quota: { sends: limit, windowMs: 1000 } });
  await e.start();
  const chatId = (i: number) => `b${String(i).padStart(19, '0')}`;
  // Zalo lets a bot write only to people who wrote to it first.
  for (let i = 0; i < messages; i++) e.userSends({ id: chatId(i), display_name: `Bench ${i}` }, 'xin chào');
  e.clear();
  e.failRandom('sendMessage', 0.05, { httpStatus: 502 }, 42);
  let requests = 0;
  e.on('request', ({ method }) => method === 'sendMessage' && requests++);
  return {
    token: e.token,
    apiRoot: e.apiRoot,
    chatId,
    sentTo: () => count(e.allMessages().map((m) => m.chat_id)),
    // Every request, answered or not (gateway faults and 429s included), as for Telegram.
    calls: () => requests,
    rateLimited: () => e.stats.quotaExceeded,
    onSendCall: (fn) => e.on('request', ({ method }) => method === 'sendMessage' && fn()),
    stop: () => e.stop(),
  };
}

function count(ids: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const id of ids) m.set(id, (m.get(id) ?? 0) + 1);
  return m;
}

const emulator = zalo ? await zaloEmulator() : await telegramEmulator();
const database = await openDatabase(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : { dataDir: 'memory://' });
const db = database.prisma;

// 5,000 linked chats.
const run = Date.now().toString(36);
await db.person.createMany({
  data: Array.from({ length: messages }, (_, i) => ({
    fullName: `Bench ${i}`,
    phone: `+849${String(Date.now()).slice(-4)}${String(i).padStart(4, '0')}`,
  })),
});
const people = await db.person.findMany({ where: { fullName: { startsWith: 'Bench ' }, chats: { none: {} } }, select: { id: true } });
await db.chatIdentity.createMany({ data: people.map((p, i) => ({ channel, chatId: emulator.chatId(i), personId: p.id })) });
const chats = await db.chatIdentity.findMany({ where: { personId: { in: people.map((p) => p.id) } }, select: { id: true, chatId: true } });

const config = configSchema.parse({
  ...(zalo
    ? { TELEGRAM_BOT_TOKEN: '', ZALO_BOT_TOKEN: emulator.token, ZALO_API_ROOT: emulator.apiRoot, ZALO_SEND_RATE: String(rate) }
    : { TELEGRAM_BOT_TOKEN: emulator.token, TELEGRAM_API_ROOT: emulator.apiRoot, SEND_RATE: String(rate) }),
  PORT: '0',
  QUIET_HOURS: 'off',
  LOG_LEVEL: 'error',
});
const app = await startApp({ config, log: createLogger('error'), database });

// When each sendMessage reached the API, to tell the steady sending rate from the retry tail.
const calls: number[] = [];
emulator.onSendCall(() => calls.push(Date.now()));

const queuedAt = Date.now();
await enqueue(
  db,
  chats.map((c) => ({ chatIdentityId: c.id, dedupeKey: `bench:${run}:${c.chatId}`, payload: { text: `Thông báo nhanh số ${c.chatId}` } })),
);
const queueMs = Date.now() - queuedAt;
app.worker.kick();

const started = Date.now();
const target = new Set(chats.map((c) => c.chatId));
while (true) {
  const left = await db.outboxMessage.count({
    where: { dedupeKey: { startsWith: `bench:${run}:` }, status: { in: ['pending', 'sending'] } },
  });
  if (left === 0) break;
  if (Date.now() - started > 300_000) break;
  await new Promise((r) => setTimeout(r, 200));
}
const seconds = (Date.now() - started) / 1000;

const received = new Map([...emulator.sentTo()].filter(([id]) => target.has(id)));
const lost = [...target].filter((c) => !received.has(c)).length;
const duplicates = [...received.values()].reduce((s, n) => s + n - 1, 0);
const delays = (
  await db.$queryRawUnsafe<{ ms: number }[]>(
    `SELECT extract(epoch FROM (sent_at - created_at)) * 1000 AS ms FROM outbox WHERE dedupe_key LIKE $1 AND status = 'sent' ORDER BY 1`,
    `bench:${run}:%`,
  )
).map((r) => Number(r.ms));
const pct = (p: number) => Math.round(delays[Math.min(delays.length - 1, Math.floor(p * delays.length))] ?? NaN);
const attempts = emulator.calls();
// Steady state: from the first call to the one by which 95% of all calls were made; the last 5%
// are mostly retries waiting out their backoff.
const steadyEnd = calls[Math.floor(calls.length * 0.95)] ?? Date.now();
const steadyRate = Math.floor(calls.length * 0.95) / ((steadyEnd - (calls[0] ?? 0)) / 1000) || 0;

await app.stop();
await database.close();
await emulator.stop();
clearInterval(sampler);

console.log(
  JSON.stringify({
    channel,
    messages,
    limit_per_s: limit,
    bot_rate_per_s: rate,
    lost,
    duplicates,
    rate_limited_429: emulator.rateLimited(),
    seconds: Number(seconds.toFixed(2)),
    api_calls_per_s: Number((attempts / seconds).toFixed(1)),
    ratio: Number((attempts / seconds / limit).toFixed(3)),
    steady_ratio: Number((steadyRate / limit).toFixed(3)),
    delivered_per_s: Number((messages / seconds).toFixed(1)),
    delay_p50_ms: pct(0.5),
    delay_p99_ms: pct(0.99),
    enqueue_ms: queueMs,
    peak_rss_mb: Math.round(peakRss / 1048576),
    database: database.kind,
  }),
);
