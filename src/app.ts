import type { FastifyInstance } from 'fastify';
import { createRouter } from '../commands/index.js';
import type { Feature } from '../commands/types.js';
import { TelegramChannel } from './channels/telegram/bot.js';
import type { Config } from './config.js';
import { SystemClock, type Clock } from './core/clock.js';
import type { Services } from './core/services.js';
import { openDatabase, type Database } from './db/client.js';
import { DeliveryMetrics } from './delivery/metrics.js';
import { parseQuietHours } from './delivery/quietHours.js';
import { DeliveryWorker } from './delivery/worker.js';
import { createHttpServer, type HttpRoute } from './http/server.js';
import type { Logger } from './logger.js';
import { Scheduler, type Job } from './scheduling/scheduler.js';

export interface AppOptions {
  config: Config;
  log: Logger;
  clock?: Clock;
  /** An already open database (the sandbox and tests share one). */
  database?: Database;
  features?: Feature[];
  jobs?: Job[];
  routes?: HttpRoute[];
  /** Outbox lease; tests of crash recovery shorten it. */
  leaseSeconds?: number;
}

export interface App {
  svc: Services;
  database: Database;
  telegram: TelegramChannel;
  worker: DeliveryWorker;
  scheduler: Scheduler;
  http: FastifyInstance;
  /** The port the HTTP server listens on. */
  port: number;
  stop(): Promise<void>;
}

/** Wires configuration, database, channels, delivery, scheduling and HTTP together and starts them. */
export async function startApp(opts: AppOptions): Promise<App> {
  const { config, log } = opts;
  if (!config.TELEGRAM_BOT_TOKEN) throw new Error('TELEGRAM_BOT_TOKEN is required to start the bot');
  const clock = opts.clock ?? new SystemClock(config.APP_TIMEZONE);
  const database =
    opts.database ??
    (await openDatabase({ ...(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : {}), dataDir: config.DATA_DIR }));
  const metrics = new DeliveryMetrics();
  const router = createRouter(opts.features ?? []);

  let worker: DeliveryWorker | undefined;
  const svc: Services = {
    db: database.prisma,
    config,
    clock,
    log,
    botUsername: '',
    kick: () => worker?.kick(),
  };
  const webhook = config.WEBHOOK_URL ? { url: config.WEBHOOK_URL, secret: config.WEBHOOK_SECRET! } : undefined;
  const telegram = new TelegramChannel(
    {
      token: config.TELEGRAM_BOT_TOKEN,
      apiRoot: config.TELEGRAM_API_ROOT,
      sendTimeoutMs: config.SEND_TIMEOUT_MS,
      ...(webhook ? { webhook } : {}),
    },
    router,
    () => svc,
  );
  svc.botUsername = await telegram.identify();

  worker = new DeliveryWorker(database.prisma, { telegram: telegram.sender }, clock, log, metrics, {
    rate: config.SEND_RATE,
    quietHours: parseQuietHours(config.QUIET_HOURS),
    leaseSeconds: opts.leaseSeconds ?? config.OUTBOX_LEASE_SECONDS,
    sendTimeoutMs: config.SEND_TIMEOUT_MS,
    ...(database.url ? { notifyUrl: database.url } : {}),
  });
  const scheduler = new Scheduler(svc, opts.jobs ?? []);

  const http = await createHttpServer({
    svc,
    metrics,
    channels: [{ name: 'telegram', health: () => telegram.health() }],
    ...(webhook
      ? { webhook: { path: new URL(webhook.url).pathname, secret: webhook.secret, handle: (u) => telegram.handleWebhook(u) } }
      : {}),
    routes: opts.routes ?? [],
  });
  await http.listen({ port: config.PORT, host: '0.0.0.0' });
  const address = http.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;

  await telegram.registerCommands().catch((err) => log.warn({ err }, 'setMyCommands failed'));
  await telegram.start();
  worker.start();
  scheduler.start();
  log.info({ bot: svc.botUsername, port, database: database.kind }, 'bot started');

  let stopped = false;
  return {
    svc,
    database,
    telegram,
    worker,
    scheduler,
    http,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await scheduler.stop();
      await telegram.stop();
      await worker!.stop();
      await http.close();
      if (!opts.database) await database.close();
    },
  };
}
