import { EventEmitter } from 'node:events';
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import { startApp, type App } from '../app.js';
import type { Config } from '../config.js';
import { AdjustableClock } from '../core/clock.js';
import type { Services } from '../core/services.js';
import type { Database } from '../db/client.js';
import { BotApiEmulator } from '../emulator/botApiEmulator.js';
import { features, jobs, routes as featureRoutes } from '../features.js';
import type { Logger } from '../logger.js';
import { targetOf, type Moment } from './clockPanel.js';
import { openSandboxDatabase, wipe } from './database.js';
import { seedOrganisation } from './demo.js';
import { seedFeatures } from './demoFeatures.js';
import { sandboxRoutes } from './routes.js';
import { Transcript } from './transcript.js';

export interface SandboxEvents {
  clock: [];
  /** The demo data was restored; `generation` tells a page its chats are gone. */
  reset: [generation: number];
}

/** What the sandbox page's API works with. */
export interface SandboxControl {
  readonly emulator: BotApiEmulator;
  readonly clock: AdjustableClock;
  readonly transcript: Transcript;
  readonly events: EventEmitter<SandboxEvents>;
  readonly config: Config;
  generation(): number;
  moments(): readonly Moment[];
  db(): Database['prisma'];
  /** Moves the clock by a panel button (or to `to`), then runs the due jobs at once. False when the button means nothing now. */
  moveClock(id: string, to?: string): Promise<boolean>;
  /** Restores the demo data in the background (the HTTP server restarts with the app). */
  requestReset(): void;
}

export interface Sandbox {
  url: string;
  port: number;
  control: SandboxControl;
  /** The running bot; a reset replaces it. */
  app(): App;
  /** Restores the demo data and waits until the bot is back. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The real bot on its own embedded database, talking to an in-process Bot API emulator instead of
 * Telegram, with a demo organisation, a movable clock and a chat page served by the bot's HTTP server.
 */
export async function startSandbox(config: Config, log: Logger, opts: { database?: Database } = {}): Promise<Sandbox> {
  const clock = new AdjustableClock(config.APP_TIMEZONE);
  const emulator = new BotApiEmulator({
    token: `${randomInt(100_000, 999_999)}:sandbox-${randomInt(1e9)}`,
    botUsername: 'capuy_sandbox_bot',
    botFirstName: 'Trợ lý cấp ủy',
    // Real Telegram keeps a bare "&" as text; the sandbox should behave like it, not like a strict test.
    strictHtmlAmpersand: false,
  });
  await emulator.start();
  // Tests hand in a database of their own: creating an embedded one from nothing is the slow part.
  const database = opts.database ?? (await openSandboxDatabase(join(config.DATA_DIR, 'sandbox'), log));
  const transcript = new Transcript(() => clock.now().toMillis());
  const detach = transcript.attach(emulator);
  const events = new EventEmitter<SandboxEvents>();

  let generation = 1;
  let moments: Moment[] = [];
  let app: App | undefined;
  let port = config.SANDBOX_PORT;
  let resetting: Promise<void> | undefined;

  const appConfig = (): Config => ({
    ...config,
    TELEGRAM_BOT_TOKEN: emulator.token,
    TELEGRAM_API_ROOT: emulator.apiRoot,
    PORT: port,
    // The sandbox has anonymous write, reset and clock endpoints: never reachable from other machines.
    HOST: '127.0.0.1',
    METRICS_PORT: undefined,
    QUIET_HOURS: 'off',
    DATABASE_URL: undefined,
    WEBHOOK_URL: undefined,
    WEBHOOK_SECRET: undefined,
    // Links the bot writes (the calendar feed) must lead to this sandbox, not to a real deployment.
    PUBLIC_URL: port ? `http://localhost:${port}` : undefined,
  });

  const seed = async (): Promise<void> => {
    await wipe(database);
    await seedOrganisation(database.prisma);
    const svc: Services = { db: database.prisma, config: appConfig(), clock, log, botUsername: emulator.botInfo.username, kick() {} };
    moments = await seedFeatures(svc);
  };

  const control: SandboxControl = {
    emulator,
    clock,
    transcript,
    events,
    config,
    generation: () => generation,
    moments: () => moments,
    db: () => database.prisma,
    async moveClock(id, to) {
      const target = to ? parseLocal(to, config.APP_TIMEZONE) : targetOf(id, clock.now(), moments);
      if (!target) return false;
      clock.set(target);
      events.emit('clock');
      if (app) {
        await app.scheduler.tick();
        app.svc.kick();
      }
      return true;
    },
    requestReset() {
      void sandbox.reset().catch((err) => log.error({ err }, 'sandbox reset failed'));
    },
  };

  const launch = async (): Promise<void> => {
    // Ready means polling: telegraf cannot be stopped before its first getUpdates (a reset right after start).
    let stopWaiting = (): void => undefined;
    const polling = new Promise<void>((resolve) => {
      const timer = setTimeout(done, 10_000);
      stopWaiting = done;
      function done(): void {
        clearTimeout(timer);
        emulator.off('request', onRequest);
        resolve();
      }
      function onRequest(r: { method: string }): void {
        if (r.method.toLowerCase() === 'getupdates') done();
      }
      emulator.on('request', onRequest);
    });
    try {
      app = await startApp({
        config: appConfig(),
        log,
        clock,
        database,
        features,
        jobs,
        routes: [...featureRoutes, (http: FastifyInstance) => sandboxRoutes(http, control)],
      });
    } catch (err) {
      stopWaiting();
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new Error(`Port ${port} is already in use: set SANDBOX_PORT to a free port (e.g. SANDBOX_PORT=3001 npm start).`, {
          cause: err,
        });
      }
      throw err;
    }
    port = app.port;
    await polling;
  };

  await seed();
  await launch();

  const sandbox: Sandbox = {
    get url() {
      return `http://localhost:${port}`;
    },
    get port() {
      return port;
    },
    control,
    app: () => app!,
    reset() {
      resetting ??= (async () => {
        await app?.stop();
        app = undefined;
        emulator.clear();
        transcript.clear();
        clock.reset();
        await seed();
        generation++;
        await launch();
        events.emit('reset', generation);
      })().finally(() => (resetting = undefined));
      return resetting;
    },
    async stop() {
      await resetting?.catch(() => undefined);
      await app?.stop();
      detach();
      await emulator.stop();
      if (!opts.database) await database.close();
    },
  };
  return sandbox;
}

function parseLocal(iso: string, zone: string): DateTime | null {
  const dt = DateTime.fromISO(iso, { zone });
  return dt.isValid ? dt : null;
}
