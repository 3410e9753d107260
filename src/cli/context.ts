import { codeJoinEnabled, inviteLinksFor, type InviteLinks } from '../channels/registry.js';
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
  /** Invite links of the first channel that has them (asking the platform who the bot is); fails when none can. */
  /** Null when the enabled channels take join codes only (Zalo alone): invites then have no link. */
  inviteLinks(): Promise<InviteLinks | null>;
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
    botUsername: '',
    kick: () => undefined,
  };
  return {
    svc,
    database,
    config,
    out,
    t: t('vi'),
    async inviteLinks() {
      const links = await inviteLinksFor(config);
      if (!links && codeJoinEnabled(config)) return null;
      if (!links) throw new Error(t('vi')('cli:invite.no_username'));
      return links;
    },
    close: async () => {
      if (!deps.database) await database.close();
    },
  };
}
