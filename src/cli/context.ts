import { telegramBotUsername } from '../channels/telegram/identity.js';
import { loadConfig, type Config } from '../config.js';
import { SystemClock, type Clock } from '../core/clock.js';
import type { Services } from '../core/services.js';
import { openDatabase, type Database } from '../db/client.js';
import { createLogger } from '../logger.js';
import { plainT as t } from '../i18n.js';

export interface CliContext {
  svc: Services;
  database: Database;
  config: Config;
  out(line: string): void;
  /** Vietnamese CLI messages (namespace `cli`). */
  t: ReturnType<typeof t>;
  botUsername(): Promise<string>;
  close(): Promise<void>;
}

export interface CliDeps {
  /** Tests pass their database, clock and config instead of reading the environment. */
  database?: Database;
  config?: Config;
  clock?: Clock;
}

export async function openCli(out: (line: string) => void = (l) => console.log(l), deps: CliDeps = {}): Promise<CliContext> {
  const config = deps.config ?? loadConfig();
  const database =
    deps.database ??
    (await openDatabase({
      ...(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : {}),
      dataDir: config.DATA_DIR,
    }));
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const svc: Services = {
    db: database.prisma,
    config,
    clock: deps.clock ?? new SystemClock(config.APP_TIMEZONE),
    log,
    botUsername: config.BOT_USERNAME ?? '',
    kick: () => undefined,
  };
  return {
    svc,
    database,
    config,
    out,
    t: t('vi'),
    async botUsername() {
      if (svc.botUsername) return svc.botUsername;
      if (!config.TELEGRAM_BOT_TOKEN) throw new Error(t('vi')('cli:invite.no_username'));
      svc.botUsername = await telegramBotUsername(config.TELEGRAM_BOT_TOKEN, config.TELEGRAM_API_ROOT);
      return svc.botUsername;
    },
    close: async () => {
      if (!deps.database) await database.close();
    },
  };
}
