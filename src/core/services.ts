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
  /** The bot's name on its first channel (logs); invite links come from the channel (src/channels/registry.ts). */
  botUsername: string;
  /** Wakes the delivery worker after something was queued (no-op in the CLI). */
  kick(): void;
}
