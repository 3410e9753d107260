import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../logger.js';
import type { Clock } from './clock.js';

/** What handlers, jobs and the CLI get to work with. */
export interface Services {
  db: Db;
  config: Config;
  clock: Clock;
  log: Logger;
  /** The bot's username, for invite links (t.me/<bot>?start=…). */
  botUsername: string;
  /** Wakes the delivery worker after something was queued (no-op in the CLI). */
  kick(): void;
}
