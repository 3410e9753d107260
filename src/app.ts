import type { FastifyInstance } from 'fastify';
import { createRouter } from '../commands/index.js';
import type { Feature } from '../commands/types.js';
import { anyChannelEnabled, channelTokenVariables, createChannels, type ChannelAdapter } from './channels/registry.js';
import type { Config } from './config.js';
import { SystemClock, type Clock } from './core/clock.js';
import type { Services } from './core/services.js';
import { openDatabase, type Database } from './db/client.js';
import { Inbox } from './delivery/inbox.js';
import { DeliveryMetrics } from './delivery/metrics.js';
import { parseQuietHours } from './delivery/quietHours.js';
import { DeliveryWorker } from './delivery/worker.js';
import { startMetricsServer } from './http/metrics.js';
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
  /** Inbox lease (kept alive by a heartbeat while an update is handled). */
  inboxLeaseSeconds?: number;
}

export interface App {
  svc: Services;
  database: Database;
  /** The enabled channels, in registry order. */
  channels: ChannelAdapter[];
  worker: DeliveryWorker;
  /** The durable inbox of received updates. */
  inbox: Inbox;
  scheduler: Scheduler;
  http: FastifyInstance;
  /** The port the HTTP server listens on. */
  port: number;
  /** The internal port of /metrics when METRICS_PORT is set. */
  metricsPort?: number;
  stop(): Promise<void>;
}

/** Wires configuration, database, channels, delivery, scheduling and HTTP together and starts them. */
export async function startApp(opts: AppOptions): Promise<App> {
  const { config, log } = opts;
  if (!anyChannelEnabled(config)) throw new Error(`No channel is configured: set ${channelTokenVariables()} to start the bot`);
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
  // Every channel stores what it receives here before acknowledging it, and handles it from here.
  const inbox = new Inbox(database.prisma, log, { leaseSeconds: opts.inboxLeaseSeconds ?? 30 });
  const channels = await createChannels(config, { router, svc: () => svc, inbox });
  const names = await Promise.all(channels.map((c) => c.identify()));
  svc.botUsername = names[0]!;

  worker = new DeliveryWorker(database.prisma, Object.fromEntries(channels.map((c) => [c.name, c.sender])), clock, log, metrics, {
    rate: channels.reduce((sum, c) => sum + c.capabilities.pacing.rate, 0),
    pacing: Object.fromEntries(channels.map((c) => [c.name, c.capabilities.pacing])),
    quietHours: parseQuietHours(config.QUIET_HOURS),
    leaseSeconds: opts.leaseSeconds ?? config.OUTBOX_LEASE_SECONDS,
    sendTimeoutMs: config.SEND_TIMEOUT_MS,
    ...(database.url ? { notifyUrl: database.url } : {}),
  });
  const scheduler = new Scheduler(svc, opts.jobs ?? []);

  const http = await createHttpServer({
    svc,
    metrics,
    channels: channels.map((c) => ({ name: c.name, health: () => c.health() })),
    webhooks: channels.flatMap((c) => (c.webhook ? [c.webhook] : [])),
    routes: opts.routes ?? [],
  });
  await http.listen({ port: config.PORT, host: config.HOST });
  const address = http.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const metricsServer = config.METRICS_PORT === undefined ? undefined : await startMetricsServer(svc, metrics);

  inbox.start();
  for (const c of channels) {
    await c.registerCommands().catch((err) => log.warn({ err, channel: c.name }, 'registering the command menu failed'));
    await c.start();
  }
  worker.start();
  scheduler.start();
  log.info({ bot: Object.fromEntries(channels.map((c, i) => [c.name, names[i]])), port, database: database.kind }, 'bot started');

  let stopped = false;
  return {
    svc,
    database,
    channels,
    worker,
    inbox,
    scheduler,
    http,
    port,
    ...(metricsServer ? { metricsPort: metricsServer.port } : {}),
    async stop() {
      if (stopped) return;
      stopped = true;
      // No new work: polling stops at once, not only after a running scheduler tick has finished.
      await Promise.all([scheduler.stop(), ...channels.map((c) => c.stop())]);
      // Updates being handled finish (their replies may queue messages); the rest wait in the inbox.
      await inbox.stop();
      await worker!.stop();
      await http.close();
      await metricsServer?.server.close();
      if (!opts.database) await database.close();
    },
  };
}
