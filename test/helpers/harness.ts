import { DateTime } from 'luxon';
import type { Feature } from '../../commands/types.js';
import { startApp, type App } from '../../src/app.js';
import { configSchema, type Config } from '../../src/config.js';
import { AdjustableClock } from '../../src/core/clock.js';
import type { Database } from '../../src/db/client.js';
import { BotApiEmulator } from '../../src/emulator/botApiEmulator.js';
import { features, jobs, routes } from '../../src/features.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { openTestDatabase } from './db.js';

export interface Harness {
  emulator: BotApiEmulator;
  app: App;
  database: Database;
  db: Database['prisma'];
  clock: AdjustableClock;
  config: Config;
  /** Moves the clock to a local time ("2026-12-30T08:00") and runs the scheduler once. */
  at(localIso: string): Promise<void>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  database?: Database;
  emulator?: BotApiEmulator;
  now?: string;
  leaseSeconds?: number;
  /** Run these chat features alone (no jobs, no feature routes) instead of the bot's own. */
  features?: Feature[];
  /** The bot's logger (a test that reads the log output); silent otherwise. */
  log?: Logger;
}

/** The real bot, in this process, talking HTTP to a Bot API emulator, on a fresh test database. */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const emulator = opts.emulator ?? new BotApiEmulator();
  if (!opts.emulator) await emulator.start();
  const database = opts.database ?? (await openTestDatabase());
  const config = configSchema.parse({
    TELEGRAM_BOT_TOKEN: emulator.token,
    TELEGRAM_API_ROOT: emulator.apiRoot,
    PORT: '0',
    QUIET_HOURS: 'off',
    LOG_LEVEL: 'silent',
    DATA_DIR: 'memory://',
    ...opts.env,
  });
  const clock = new AdjustableClock(config.APP_TIMEZONE);
  if (opts.now) clock.set(DateTime.fromISO(opts.now, { zone: config.APP_TIMEZONE }));
  const app = await startApp({
    config,
    log: opts.log ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    clock,
    database,
    features: opts.features ?? features,
    jobs: opts.features ? [] : jobs,
    routes: opts.features ? [] : routes,
    ...(opts.leaseSeconds ? { leaseSeconds: opts.leaseSeconds } : {}),
  });
  return {
    emulator,
    app,
    database,
    db: database.prisma,
    clock,
    config,
    async at(localIso) {
      clock.set(DateTime.fromISO(localIso, { zone: config.APP_TIMEZONE }));
      await app.scheduler.tick();
    },
    async stop() {
      await app.stop();
      if (!opts.emulator) await emulator.stop();
      if (!opts.database) await database.close();
    },
  };
}
