import { DateTime } from 'luxon';
import { startApp, type App } from '../../src/app.js';
import { configSchema, type Config } from '../../src/config.js';
import { AdjustableClock } from '../../src/core/clock.js';
import type { Database } from '../../src/db/client.js';
import { ZaloEmulator, type ZaloStoredMessage, type ZaloTestUser } from '../../src/emulator/zalo/zaloEmulator.js';
import { features, jobs, routes } from '../../src/features.js';
import { createLogger } from '../../src/logger.js';
import { openTestDatabase } from './db.js';
import { ROSTER, type Who } from './roster.js';

export interface ZaloHarness {
  emulator: ZaloEmulator;
  app: App;
  database: Database;
  db: Database['prisma'];
  clock: AdjustableClock;
  config: Config;
  /** Moves the clock to a local time ("2026-12-30T08:00") and runs the scheduler once. */
  at(localIso: string): Promise<void>;
  stop(): Promise<void>;
}

/** The real bot on Zalo alone (no Telegram token), in this process, against the Zalo emulator over HTTP. */
export async function startZaloHarness(
  opts: { env?: Record<string, string>; database?: Database; now?: string } = {},
): Promise<ZaloHarness> {
  const emulator = new ZaloEmulator();
  await emulator.start();
  const database = opts.database ?? (await openTestDatabase());
  const config = configSchema.parse({
    ZALO_BOT_TOKEN: emulator.token,
    ZALO_API_ROOT: emulator.apiRoot,
    ZALO_SEND_RATE: '50',
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
    log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    clock,
    database,
    features,
    jobs,
    routes,
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
      await emulator.stop();
      if (!opts.database) await database.close();
    },
  };
}

/** Zalo ids are 20 hex characters: a roster person's, made from their Telegram test id. */
export function zaloUser(who: Who): ZaloTestUser {
  const p = ROSTER[who];
  return { id: `a${String(p.tg).padStart(19, '0')}`, display_name: p.name };
}

/** Links a roster person's Zalo chat directly, as onboarding would. */
export async function linkZalo(database: Database, who: Who): Promise<void> {
  const person = await database.prisma.person.findUniqueOrThrow({ where: { phone: ROSTER[who].phone } });
  const chatId = zaloUser(who).id;
  await database.prisma.chatIdentity.upsert({
    where: { channel_chatId: { channel: 'zalo', chatId } },
    create: { channel: 'zalo', chatId, personId: person.id },
    update: { personId: person.id, active: true },
  });
}

/** The number shown beside `label` in a message's choice lines ("12 — ✅ Đã nộp", or "#12 — …"). */
export function numberOf(m: ZaloStoredMessage | undefined, label: string): string {
  for (const line of (m?.text ?? '').split('\n')) {
    const hit = /^(#?\d+) — (.*)$/.exec(line);
    if (hit && hit[2]!.includes(label)) return hit[1]!;
  }
  throw new Error(`no choice "${label}" in ${JSON.stringify(m?.text)}`);
}

/** The labels of a message's choice lines, in order. */
export function choicesOf(m: ZaloStoredMessage | undefined): string[] {
  return (m?.text ?? '').split('\n').flatMap((line) => /^#?\d+ — (.*)$/.exec(line)?.[1] ?? []);
}

/** One person's private chat with the bot on Zalo. */
export class ZaloChat {
  constructor(
    private readonly harness: () => ZaloHarness,
    readonly user: ZaloTestUser,
  ) {}

  static of(harness: () => ZaloHarness, who: Who): ZaloChat {
    return new ZaloChat(harness, zaloUser(who));
  }

  private get emu() {
    return this.harness().emulator;
  }

  messages(): ZaloStoredMessage[] {
    return this.emu.messagesTo(this.user.id);
  }

  last(): ZaloStoredMessage {
    return this.messages().at(-1)!;
  }

  /** Waits for the next message after the first `after` ones, optionally one whose text contains `match`. */
  next(after: number, match?: string): Promise<ZaloStoredMessage> {
    return this.emu.waitUntil(
      () =>
        this.messages()
          .slice(after)
          .find((m) => !match || m.text.includes(match)),
      8000,
      `a message to ${this.user.id}${match ? ` containing ${JSON.stringify(match)}` : ''}: got ${JSON.stringify(
        this.messages()
          .slice(after)
          .map((m) => m.text.slice(0, 120)),
      )}`,
    );
  }

  /** Sends a text and returns the bot's answer (the first after it, or the first containing `match`). */
  async say(text: string, match?: string): Promise<ZaloStoredMessage> {
    const n = this.messages().length;
    this.emu.userSends(this.user, text);
    return this.next(n, match);
  }

  /** Sends a text and returns the bot's messages once it has sent `more` of them. */
  async sayMany(text: string, more: number): Promise<ZaloStoredMessage[]> {
    const n = this.messages().length;
    this.emu.userSends(this.user, text);
    return (await this.emu.waitForMessages(this.user.id, n + more, 8000)).slice(n);
  }
}
