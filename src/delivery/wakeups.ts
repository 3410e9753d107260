import pg from 'pg';
import type { Logger } from '../logger.js';
import { OUTBOX_NOTIFY_CHANNEL } from './outbox.js';

/**
 * LISTENs on a dedicated connection so that a message queued by another process (the CLI, another
 * bot process) wakes the worker at once instead of at its next poll. If the connection drops it is
 * opened again with backoff, and the worker is woken once after (a notification may have been
 * missed meanwhile; the poll would find the rows anyway).
 *
 * Written by hand: node-postgres' Client already delivers notifications, only reconnecting is added;
 * pg-listen, the usual wrapper, has had no release since 2020 and would bring its own pg peer.
 */
export class OutboxWakeups {
  private client?: pg.Client;
  private closed = false;
  private timer?: NodeJS.Timeout;
  private failures = 0;

  constructor(
    private readonly url: string,
    private readonly onWake: () => void,
    private readonly log: Logger,
  ) {}

  /** Resolves once listening (or once the first attempt failed; it keeps trying in the background). */
  async start(): Promise<void> {
    await this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (n) => {
      if (n.channel === OUTBOX_NOTIFY_CHANNEL) this.onWake();
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_NOTIFY_CHANNEL}`);
      if (this.closed) return void (await client.end().catch(() => undefined));
      this.client = client;
      if (this.failures > 0) this.onWake();
      this.failures = 0;
    } catch (err) {
      this.lost(client, err);
    }
  }

  private lost(client: pg.Client, err?: unknown): void {
    if (this.closed || (this.client && this.client !== client)) return;
    this.client = undefined;
    client.removeAllListeners('end');
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.timer) return;
    this.failures++;
    const delay = Math.min(30_000, 500 * 2 ** Math.min(6, this.failures - 1));
    this.log.warn({ err, retryInMs: delay }, 'outbox wake-up connection lost; polling meanwhile');
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.connect();
    }, delay);
  }
}
