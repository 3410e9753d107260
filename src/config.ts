import { z } from 'zod';
import { parseWeeklyCron } from './domain/schedule/cron.js';

const quietHours = z.string().regex(/^(off|\d{1,2}:\d{2}-\d{1,2}:\d{2})$/, 'use HH:mm-HH:mm (e.g. 21:00-06:30) or "off"');

const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), z.url().optional());

export const configSchema = z
  .object({
    TELEGRAM_BOT_TOKEN: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .string()
        .regex(/^\d+:[\w-]+$/, 'expected the token BotFather gave you, like 123456:ABC-def')
        .optional(),
    ),
    TELEGRAM_API_ROOT: z.url().default('https://api.telegram.org'),
    DATABASE_URL: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'expected postgresql://user@host:port/db')
        .optional(),
    ),
    DATA_DIR: z.string().min(1).default('./data'),
    WEBHOOK_URL: optionalUrl,
    WEBHOOK_SECRET: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .string()
        .regex(/^[A-Za-z0-9_-]{8,256}$/, '8–256 characters of A-Z a-z 0-9 _ -')
        .optional(),
    ),
    /** Turns Zalo on: the token "Zalo Bot Manager" gives, `<bot id>:<secret>`. */
    ZALO_BOT_TOKEN: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .string()
        .regex(/^\d+:[\w-]+$/, 'expected the token Zalo Bot Manager gave you, like 1234567890:AbC-dEf')
        .optional(),
    ),
    ZALO_API_ROOT: z.url().default('https://bot-api.zaloplatforms.com'),
    /** Zalo posts updates here (webhook mode); long polling otherwise. */
    ZALO_WEBHOOK_URL: optionalUrl,
    /** setWebhook's secret_token; Zalo sends it back in X-Bot-Api-Secret-Token. */
    ZALO_WEBHOOK_SECRET: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .string()
        .regex(/^[A-Za-z0-9_-]{8,256}$/, '8–256 characters of A-Z a-z 0-9 _ -')
        .optional(),
    ),
    /** Messages per second to Zalo over all chats. Zalo publishes no quota: a conservative default, and 429 backs off. */
    ZALO_SEND_RATE: z.coerce.number().positive().max(1000).default(5),
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    APP_TIMEZONE: z
      .string()
      .default('Asia/Ho_Chi_Minh')
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'unknown IANA time zone'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    INVITE_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(14),
    SEND_RATE: z.coerce.number().positive().max(1000).default(25),
    /** How long a claimed outbox message stays with one process before another may take it over. */
    OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    SEND_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    QUIET_HOURS: quietHours.default('21:00-06:30'),
    REMIND_AT: z
      .string()
      .regex(/^\d{1,2}:\d{2}$/, 'use HH:mm')
      .default('08:00'),
    SCHEDULE_DIGEST_CRON: z
      .string()
      .default('0 7 * * 1')
      .refine((s) => parseWeeklyCron(s) !== null, 'use "m h * * dow", e.g. "0 7 * * 1" (Monday 07:00)'),
    /** When participants are reminded of the next day's schedule items (HH:mm). */
    SCHEDULE_REMIND_AT: z
      .string()
      .regex(/^\d{1,2}:\d{2}$/, 'use HH:mm')
      .default('17:00'),
    PUBLIC_URL: optionalUrl,
    /** For invite links printed by the CLI when no token is set (otherwise asked with getMe). */
    BOT_USERNAME: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .string()
        .regex(/^\w{5,32}$/, 'a Telegram bot username without @')
        .optional(),
    ),
    /** The address the bot's HTTP server binds to (the sandbox always uses 127.0.0.1). */
    HOST: z.string().min(1).default('0.0.0.0'),
    /** When set, GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`. */
    METRICS_TOKEN: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .string()
        .regex(/^[\x21-\x7e]{16,256}$/, '16–256 printable characters without spaces')
        .optional(),
    ),
    /** When set, /metrics is served only on this port (bound to METRICS_HOST), not on PORT. */
    METRICS_PORT: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(0).max(65535).optional()),
    METRICS_HOST: z.string().min(1).default('127.0.0.1'),
    /** After SIGTERM the process exits within this time even if something hangs (docker stop waits 10 s). */
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(8000),
    /** Sent outbox rows and job marks older than this are pruned (payloads blanked where the row must stay). */
    OUTBOX_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  })
  .refine((c) => !c.WEBHOOK_URL || c.WEBHOOK_SECRET, {
    path: ['WEBHOOK_SECRET'],
    message: 'required when WEBHOOK_URL is set',
  })
  .refine((c) => !c.ZALO_WEBHOOK_URL || c.ZALO_WEBHOOK_SECRET, {
    path: ['ZALO_WEBHOOK_SECRET'],
    message: 'required when ZALO_WEBHOOK_URL is set',
  })
  // Both webhooks are routes of the one HTTP server: one path cannot serve two channels.
  .refine((c) => !c.WEBHOOK_URL || !c.ZALO_WEBHOOK_URL || new URL(c.WEBHOOK_URL).pathname !== new URL(c.ZALO_WEBHOOK_URL).pathname, {
    path: ['ZALO_WEBHOOK_URL'],
    message: 'must have another path than WEBHOOK_URL',
  })
  // A claimed message may wait up to ~2 s for its turn and then SEND_TIMEOUT_MS for an answer; a
  // shorter lease would let another process send it a second time.
  .refine((c) => c.OUTBOX_LEASE_SECONDS * 1000 >= c.SEND_TIMEOUT_MS + 3000, {
    path: ['OUTBOX_LEASE_SECONDS'],
    message: 'must be at least SEND_TIMEOUT_MS + 3 seconds',
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** Parses the environment; a bad value becomes one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const name = String(issue.path[0] ?? 'environment');
  throw new ConfigError(`Invalid configuration: ${name}: ${issue.message}`);
}
