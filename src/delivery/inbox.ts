import { randomUUID } from 'node:crypto';
import { databaseUnavailable } from '../db/availability.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../logger.js';

/** One update as a channel received it. */
export interface ReceivedUpdate {
  /** The platform's id of the update, unique per channel (a redelivered update is stored once). */
  updateId: string;
  /** The chat it belongs to: one chat's updates are handled one at a time, in the order stored. */
  chatKey: string;
  /** The update as the platform sent it (JSON); handed back to the channel's handler as it is. */
  payload: unknown;
}

/** Handles one stored update; throwing means "not handled", and it is tried again. */
export type InboxHandler = (payload: unknown, update: { channel: string; updateId: string }) => Promise<void>;

export interface InboxOptions {
  /** How long a claimed update stays ours without a heartbeat; another process may take it after. */
  leaseSeconds?: number;
  /** Failures (not counting the database being unreachable) after which an update is given up. */
  maxAttempts?: number;
  /** Updates handled at once by this process (each of another chat). */
  concurrency?: number;
  /** How often to look for work stored by other processes when nothing woke us. */
  idlePollMs?: number;
  /** First retry of a failed update; doubled on each further failure, up to 5 minutes. */
  retryBaseMs?: number;
}

interface Claimed {
  id: bigint;
  channel: string;
  update_id: string;
  payload: unknown;
  attempts: number;
}

/**
 * The durable inbox (`inbox_updates`), channel-neutral. A channel stores what it receives with
 * `store()` BEFORE acknowledging it to the platform (moving its poll offset past it, or answering
 * the webhook 2xx); if storing fails it does not acknowledge, and the platform gives the update
 * again. This worker then hands each stored update to the channel's handler (`registerHandler`):
 * - claimed with FOR UPDATE SKIP LOCKED and a lease kept alive by a heartbeat while the handler runs,
 *   so several bot processes on one database never handle one update twice;
 * - one chat's updates one at a time, oldest first;
 * - a failure because the database is unreachable is retried with backoff, without counting; any
 *   other failure (a bug) counts, and after `maxAttempts` the update is given up and logged by its
 *   id and the error's kind only (updates carry texts, names and phone numbers).
 * A handled update keeps only its keys (the payload is blanked) until the retention job deletes it.
 * On embedded PGlite the same table and worker run in the one process.
 */
export class Inbox {
  readonly id = randomUUID();
  private readonly handlers = new Map<string, InboxHandler>();
  private readonly o: Required<InboxOptions>;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private kicked = false;
  private heartbeat?: NodeJS.Timeout;
  /** Claimed rows whose handler runs (their leases are renewed). */
  private readonly held = new Map<bigint, Promise<void>>();
  /** Handled updates waiting to be marked so (see markHandled). */
  private finished: { row: Claimed; resolve: () => void }[] = [];

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    opts: InboxOptions = {},
  ) {
    this.o = { leaseSeconds: 30, maxAttempts: 5, concurrency: 32, idlePollMs: 1000, retryBaseMs: 2000, ...opts };
  }

  /** The channel's handler for its stored updates; a process handles only channels it registered. */
  registerHandler(channel: string, handler: InboxHandler): void {
    if (this.handlers.has(channel)) throw new Error(`inbox: a handler for ${channel} is already registered`);
    this.handlers.set(channel, handler);
  }

  /**
   * Stores updates durably (one statement; those already stored are left as they are) and wakes the
   * worker. Throws when the database cannot take them: the caller must then not acknowledge them.
   */
  async store(channel: string, updates: ReceivedUpdate[]): Promise<void> {
    if (!updates.length) return;
    await this.db.$executeRawUnsafe(
      `INSERT INTO inbox_updates (channel, update_id, chat_key, payload)
       SELECT $1, u.update_id, u.chat_key, u.payload
       FROM jsonb_to_recordset($2::jsonb) AS u(update_id text, chat_key text, payload jsonb)
       ON CONFLICT (channel, update_id) DO NOTHING`,
      channel,
      JSON.stringify(updates.map((u) => ({ update_id: u.updateId, chat_key: u.chatKey, payload: u.payload }))),
    );
    this.kick();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
    const every = Math.max(200, (this.o.leaseSeconds * 1000) / 3);
    this.heartbeat = setInterval(() => void this.renew(), every);
    this.heartbeat.unref();
  }

  /** Something was stored (or a chat's update finished): look now instead of at the next poll. */
  kick(): void {
    const wake = this.wake;
    this.wake = undefined;
    if (wake) wake();
    else this.kicked = true;
  }

  /** Claims nothing more and waits for the handlers running. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.kick();
    await this.loop;
    await Promise.allSettled([...this.held.values()]);
    clearInterval(this.heartbeat);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      const free = this.o.concurrency - this.held.size;
      // Refilled in batches, not one claim query per finished update.
      if (free < Math.max(1, this.o.concurrency >> 2)) {
        await this.idle(this.o.idlePollMs);
        continue;
      }
      let rows: Claimed[];
      try {
        rows = await this.claim(free);
        if (failures) this.log.info({ failures }, 'inbox: database answers again');
        failures = 0;
      } catch (err) {
        if (failures++ === 0) this.log.warn({ err: { kind: errorKind(err) } }, 'inbox: claiming failed; trying again with backoff');
        await this.idle(Math.min(5000, 250 * 2 ** Math.min(failures - 1, 5)));
        continue;
      }
      for (const row of rows) {
        const p = this.handle(row).finally(() => {
          this.held.delete(row.id);
          // The chat's next update may be claimed now.
          this.kick();
        });
        this.held.set(row.id, p);
      }
      if (!rows.length) await this.idle(this.o.idlePollMs);
    }
  }

  private idle(ms: number): Promise<void> {
    if (this.kicked || !this.running) {
      this.kicked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  /**
   * The oldest unhandled update of each chat, if it is due and nobody holds it: a chat whose oldest
   * update is being handled elsewhere, or waits for its retry, has nothing claimable.
   */
  private async claim(limit: number): Promise<Claimed[]> {
    const channels = [...this.handlers.keys()];
    if (!channels.length) return [];
    return this.db.$queryRawUnsafe<Claimed[]>(
      `WITH heads AS (
         SELECT DISTINCT ON (channel, chat_key) id, claimed_until, next_attempt_at
         FROM inbox_updates
         WHERE handled_at IS NULL AND channel = ANY($1::text[])
         ORDER BY channel, chat_key, id
       ), picked AS (
         SELECT i.id FROM inbox_updates i JOIN heads h ON h.id = i.id
         WHERE (h.claimed_until IS NULL OR h.claimed_until < now()) AND h.next_attempt_at <= now()
         ORDER BY i.id
         LIMIT $2
         FOR UPDATE OF i SKIP LOCKED
       )
       UPDATE inbox_updates i SET claimed_by = $3, attempts = i.attempts + 1,
         claimed_until = now() + make_interval(secs => $4::double precision)
       FROM picked
       WHERE i.id = picked.id AND i.handled_at IS NULL AND (i.claimed_until IS NULL OR i.claimed_until < now())
       RETURNING i.id, i.channel, i.update_id, i.payload, i.attempts`,
      channels,
      limit,
      this.id,
      this.o.leaseSeconds,
    );
  }

  /** Keeps the leases of the updates being handled; one that was taken over is only logged (it cannot be stopped). */
  private async renew(): Promise<void> {
    if (!this.held.size) return;
    const ids = [...this.held.keys()];
    try {
      const renewed = await this.db.$queryRawUnsafe<{ id: bigint }[]>(
        `UPDATE inbox_updates SET claimed_until = now() + make_interval(secs => $3::double precision)
         WHERE id = ANY($1::text[]::bigint[]) AND claimed_by = $2 AND handled_at IS NULL
         RETURNING id`,
        ids.map(String),
        this.id,
        this.o.leaseSeconds,
      );
      if (renewed.length < ids.length) {
        const ours = new Set(renewed.map((r) => String(r.id)));
        const lost = ids.filter((id) => !ours.has(String(id)) && this.held.has(id));
        if (lost.length) this.log.warn({ ids: lost.map(String) }, 'inbox: lease of an update being handled was lost');
      }
    } catch (err) {
      this.log.warn({ err: { kind: errorKind(err) } }, 'inbox: renewing leases failed');
    }
  }

  private async handle(row: Claimed): Promise<void> {
    const update = { channel: row.channel, updateId: row.update_id };
    try {
      await this.handlers.get(row.channel)!(row.payload, update);
    } catch (err) {
      return this.failed(row, err);
    }
    await this.markHandled(row);
  }

  /**
   * Marks an update handled, together with the others that finished meanwhile (one statement for
   * all of them: under load, updates finish in bursts). Resolves once recorded.
   */
  private markHandled(row: Claimed): Promise<void> {
    return new Promise((resolve) => {
      this.finished.push({ row, resolve });
      if (this.finished.length === 1) setImmediate(() => void this.flushHandled());
    });
  }

  private async flushHandled(): Promise<void> {
    const batch = this.finished.splice(0);
    if (!batch.length) return;
    await this.settle(
      batch.map((b) => b.row),
      `UPDATE inbox_updates SET handled_at = now(), payload = '{}'::jsonb, claimed_until = NULL, last_error = NULL
       WHERE id = ANY($1::text[]::bigint[]) AND claimed_by = $2`,
    );
    for (const b of batch) b.resolve();
  }

  private async failed(row: Claimed, err: unknown): Promise<void> {
    const kind = errorKind(err);
    const update = { channel: row.channel, updateId: row.update_id, attempt: row.attempts, kind };
    if (await databaseUnavailable(this.db, err)) {
      // Not the update's fault: the attempt is given back, and it is tried again soon.
      this.log.warn({ update }, 'inbox: database unreachable while handling an update; it will be handled again');
      return this.settle(
        row,
        `UPDATE inbox_updates SET attempts = attempts - 1, claimed_until = NULL, last_error = $3,
           next_attempt_at = now() + interval '1 second'
         WHERE id = $1 AND claimed_by = $2`,
        'database unreachable',
      );
    }
    if (row.attempts >= this.o.maxAttempts) {
      this.log.error({ update }, 'inbox: update given up after repeated failures');
      return this.settle(
        row,
        `UPDATE inbox_updates SET handled_at = now(), gave_up = true, claimed_until = NULL, last_error = $3
         WHERE id = $1 AND claimed_by = $2`,
        kind,
      );
    }
    const delay = Math.min(300_000, this.o.retryBaseMs * 2 ** Math.max(0, row.attempts - 1));
    this.log.warn({ update, retryInMs: delay }, 'inbox: handling an update failed; trying again');
    return this.settle(
      row,
      `UPDATE inbox_updates SET claimed_until = NULL, last_error = $3,
         next_attempt_at = now() + make_interval(secs => $4::double precision)
       WHERE id = $1 AND claimed_by = $2`,
      kind,
      delay / 1000,
    );
  }

  /**
   * Records how the update ended. If the database is away right then, this is tried again with
   * backoff while the lease could still be ours (the heartbeat keeps it): a handled update that
   * could not be marked would otherwise be handled a second time when its lease ran out.
   */
  private async settle(row: Claimed | Claimed[], sql: string, ...params: unknown[]): Promise<void> {
    const end = Date.now() + this.o.leaseSeconds * 1000;
    const rows = Array.isArray(row) ? row : [row];
    const id = Array.isArray(row) ? row.map((r) => String(r.id)) : row.id;
    for (let n = 0; ; n++) {
      try {
        await this.db.$executeRawUnsafe(sql, id, this.id, ...params);
        return;
      } catch (err) {
        if (Date.now() > end || (!this.running && n > 3)) {
          this.log.error(
            { updates: rows.map((r) => ({ channel: r.channel, updateId: r.update_id })), err: { kind: errorKind(err) } },
            'inbox: could not record an update',
          );
          return;
        }
        await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** n)));
      }
    }
  }
}

/** What kind of error it was, without its message (which can quote a person's text): "TypeError", "P2002", an API error with its code. */
export function errorKind(err: unknown): string {
  if (!(err instanceof Error)) return typeof err;
  const code = (err as { code?: unknown }).code;
  return (typeof code === 'string' || typeof code === 'number' ? `${err.name} ${code}` : err.name).slice(0, 100);
}
