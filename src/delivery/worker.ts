import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { OutgoingMessage } from '../core/messages.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../logger.js';
import { DeliveryError, type ChannelPacing, type ChannelSender } from './channel.js';
import type { DeliveryMetrics } from './metrics.js';
import { SentLog } from './sentLog.js';
import { SharedRate } from './sharedRate.js';
import { isQuiet, type QuietHours } from './quietHours.js';
import { OutboxWakeups } from './wakeups.js';

export interface WorkerOptions {
  /** Messages per second over all chats, for the bot as a whole (shared by all processes on the database); the pace of a channel without `pacing`. */
  rate: number;
  /** Each channel's own bot-wide pace and per-chat gaps; a channel not listed uses `rate` and the gaps below. */
  pacing?: Record<string, ChannelPacing>;
  /** PostgreSQL URL to LISTEN on for messages queued by other processes (none on embedded PGlite). */
  notifyUrl?: string;
  quietHours: QuietHours | null;
  /** How long a claimed message stays ours; after that another process may take it over. */
  leaseSeconds?: number;
  maxAttempts?: number;
  /** Gap between two messages to one private chat, and to one group (ms). */
  privateGapMs?: number;
  groupGapMs?: number;
  idlePollMs?: number;
  /** How long one send may take (the channel's timeout): a lease must outlast it. */
  sendTimeoutMs?: number;
}

interface Claimed {
  id: bigint;
  chat_identity_id: number;
  payload: OutgoingMessage;
  attempts: number;
  created_at: Date;
  /** When this process's lease on the row began (local clock). */
  leasedAt: number;
  /** Another process has taken the row over (its lease had run out): never sent by this one. */
  lost?: boolean;
  chat_id: string;
  channel: string;
  active: boolean;
}

/**
 * Sends what the outbox holds. Rows are claimed with FOR UPDATE SKIP LOCKED and a lease, so several
 * processes share the work and a crashed process's messages are taken over when its lease ends.
 * A message is sent twice only if a process dies between the channel's answer and the commit.
 */
export class DeliveryWorker {
  readonly id = randomUUID();
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  /** A kick that came while the worker was busy: the next idle wait ends at once. */
  private kicked = false;
  /** One bot-wide send rate per channel, shared with the other processes through the database. */
  private readonly rates = new Map<string, SharedRate>();
  private wakeups?: OutboxWakeups;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly o: Required<Omit<WorkerOptions, 'notifyUrl'>> & Pick<WorkerOptions, 'notifyUrl'>;
  private readonly sentLog: SentLog;
  /** Rows this process has claimed and not yet finished: claimed twice (an expired lease), sent once. */
  private readonly held = new Set<bigint>();

  constructor(
    private readonly db: Db,
    private readonly senders: Record<string, ChannelSender>,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly metrics: DeliveryMetrics,
    opts: WorkerOptions,
  ) {
    this.o = {
      leaseSeconds: 30,
      maxAttempts: 8,
      privateGapMs: 1000,
      groupGapMs: 3000,
      idlePollMs: 1000,
      sendTimeoutMs: 10_000,
      pacing: {},
      ...opts,
    };
    this.sentLog = new SentLog(db, this.id, log);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
    if (this.o.notifyUrl) {
      this.wakeups = new OutboxWakeups(this.o.notifyUrl, () => this.kick(), this.log);
      void this.wakeups.start();
    }
  }

  /** Something was queued: look now instead of at the next poll. */
  kick(): void {
    const wake = this.wake;
    this.wake = undefined;
    if (wake) wake();
    else this.kicked = true;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.kick();
    await this.wakeups?.close();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
    await this.sentLog.flush();
  }

  /** The bot-wide rate of one channel (per channel name, so each channel has its own limit). */
  private rateOf(channel: string): SharedRate {
    let rate = this.rates.get(channel);
    if (!rate) {
      rate = new SharedRate(this.db, channel, this.o.pacing[channel]?.rate ?? this.o.rate, this.log);
      this.rates.set(channel, rate);
    }
    return rate;
  }

  private async run(): Promise<void> {
    // The next batch is claimed while the current one is being paced out, so the database round
    // trip does not leave gaps in the sending rate.
    let next = this.claimSafely();
    while (this.running) {
      const claimed = await next;
      if (claimed.length === 0) {
        await this.idle();
        next = this.claimSafely();
        continue;
      }
      next = this.claimSafely();
      const byChannel = new Map<string, Claimed[]>();
      for (const row of claimed) byChannel.set(row.channel, [...(byChannel.get(row.channel) ?? []), row]);
      await Promise.all([...byChannel.values()].map((rows) => this.sendInTurn(rows)));
    }
    // Rows claimed but not sent go back to the queue at once instead of waiting out their lease.
    await this.release(await next, 0);
  }

  /**
   * Sends one channel's rows at the slots its bot-wide rate gives this process. When the channel is
   * paused for longer than a moment (a bot-wide 429), or the worker stops, the rows not yet sent
   * are handed back at once, due when the pause ends, instead of being held with their leases
   * running out (M3): any process may then take them, and none holds them meanwhile.
   */
  private async sendInTurn(rows: Claimed[]): Promise<void> {
    const rate = this.rateOf(rows[0]!.channel);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      let resumeAt = Date.now();
      try {
        if (this.running) {
          const turn = await rate.take(rows.length - i);
          if (turn.go && this.running) {
            if (await this.stillOurs(row, rows.slice(i))) this.dispatch(row);
            else this.held.delete(row.id);
            continue;
          }
          if (!turn.go) resumeAt = turn.pausedUntil;
        }
      } catch (err) {
        this.log.error({ err, channel: rate.channel }, 'send slot or lease check failed; handing the rows back');
        resumeAt = Date.now() + 1000;
      }
      return this.release(rows.slice(i), resumeAt - Date.now());
    }
  }

  private dispatch(row: Claimed): void {
    const p = this.deliver(row).finally(() => {
      this.inFlight.delete(p);
      this.held.delete(row.id);
    });
    this.inFlight.add(p);
  }

  /** Gives claimed, unsent rows back to the queue, due in `afterMs`; the attempt does not count. */
  private async release(rows: Claimed[], afterMs: number): Promise<void> {
    if (!rows.length) return;
    try {
      await this.db.$executeRawUnsafe(
        `UPDATE outbox SET status = 'pending', attempts = attempts - 1, locked_until = NULL,
           next_attempt_at = greatest(next_attempt_at, now() + make_interval(secs => $3::double precision))
         WHERE id = ANY($1::text[]::bigint[]) AND locked_by = $2 AND status = 'sending'`,
        rows.map((r) => String(r.id)),
        this.id,
        Math.max(0, afterMs) / 1000,
      );
    } catch (err) {
      // They come back when their lease ends.
      this.log.error({ err, rows: rows.length }, 'could not hand claimed rows back');
    } finally {
      for (const r of rows) this.held.delete(r.id);
    }
  }

  /**
   * A row that waited long (a 429 pause) may have outlived its lease; then it is sent only if the
   * lease can be renewed while the row is still ours. A row another process has taken over (its
   * `locked_by` changed) is never sent by this one. Renewing costs a query, so it happens only when
   * too little of the lease is left for one send (its timeout, plus a second for the clocks and the
   * commit): this is checked right before sending, after any wait for the turn.
   */
  private async stillOurs(row: Claimed, waiting: Claimed[]): Promise<boolean> {
    const renewAfter = Math.max(0, this.o.leaseSeconds * 1000 - this.o.sendTimeoutMs - 1000);
    if (row.lost) return false;
    if (Date.now() - row.leasedAt <= renewAfter) return true;
    // The rows still waiting behind it are renewed with it: one query instead of one per message.
    const ask = waiting.filter((r) => !r.lost);
    const renewedAt = Date.now();
    const renewed = await this.db.$queryRawUnsafe<{ id: bigint }[]>(
      `UPDATE outbox SET locked_until = now() + make_interval(secs => $3::double precision)
       WHERE id = ANY($1::text[]::bigint[]) AND locked_by = $2 AND status = 'sending'
       RETURNING id`,
      ask.map((r) => String(r.id)),
      this.id,
      this.o.leaseSeconds,
    );
    const ours = new Set(renewed.map((r) => String(r.id)));
    for (const r of ask) {
      if (ours.has(String(r.id))) r.leasedAt = renewedAt;
      else r.lost = true;
    }
    return !row.lost;
  }

  private async claimSafely(): Promise<Claimed[]> {
    if (!this.running) return [];
    try {
      // About one second of work: enough to keep the pace, little to hold up if we crash.
      return await this.claim(Math.max(1, Math.min(200, Math.ceil(this.o.rate))));
    } catch (err) {
      this.log.error({ err }, 'outbox claim failed');
      return [];
    }
  }

  private idle(): Promise<void> {
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
      const timer = setTimeout(done, this.o.idlePollMs);
      this.wake = done;
    });
  }

  /** At most one message per chat per claim, oldest first, skipping chats that must wait. */
  private async claim(limit: number): Promise<Claimed[]> {
    const quiet = isQuiet(this.o.quietHours, this.clock.now());
    // Taken before the query: the lease began at most then, however slow the answer.
    const leasedAt = Date.now();
    // A channel known to be paused is not claimed from: its rows would only wait.
    const paused = [...this.rates.values()].filter((r) => r.pausedLong()).map((r) => r.channel);
    const rows = await this.db.$queryRawUnsafe<Claimed[]>(
      `WITH cand AS (
         SELECT DISTINCT ON (o.chat_identity_id) o.id
         FROM outbox o JOIN chat_identities c ON c.id = o.chat_identity_id
         WHERE (o.status = 'pending' OR (o.status = 'sending' AND o.locked_until < now()))
           AND o.next_attempt_at <= now()
           AND (c.next_send_at IS NULL OR c.next_send_at <= now())
           AND (o.urgent OR NOT $1::boolean)
           AND c.channel <> ALL($5::text[])
           AND c.channel = ANY($6::text[])
         ORDER BY o.chat_identity_id, o.urgent DESC, o.id
       ), picked AS (
         SELECT o.id FROM outbox o
         WHERE o.id IN (SELECT id FROM cand)
           AND (o.status = 'pending' OR (o.status = 'sending' AND o.locked_until < now()))
         ORDER BY o.urgent DESC, o.id
         LIMIT $2
         FOR UPDATE OF o SKIP LOCKED
       ), upd AS (
         UPDATE outbox o SET status = 'sending', attempts = o.attempts + 1,
           locked_by = $3, locked_until = now() + make_interval(secs => $4::double precision)
         FROM picked WHERE o.id = picked.id
         RETURNING o.id, o.chat_identity_id, o.payload, o.attempts, o.created_at
       )
       SELECT upd.*, c.chat_id, c.channel, c.active
       FROM upd JOIN chat_identities c ON c.id = upd.chat_identity_id`,
      quiet,
      limit,
      this.id,
      this.o.leaseSeconds,
      paused,
      // Only channels this process sends on: a chat of a channel that is not running here (Zalo's
      // adapter turned off, or run by another process) keeps its rows pending for one that is.
      Object.keys(this.senders),
    );
    if (rows.length) await this.spaceChats(rows);
    // Our own rows whose lease ran out while they waited are already in a batch: not a second time.
    const fresh = rows.filter((r) => !this.held.has(r.id));
    for (const r of fresh) {
      r.leasedAt = leasedAt;
      this.held.add(r.id);
    }
    return fresh;
  }

  /** Holds each claimed chat back for its channel's per-chat gap, across all processes. */
  private async spaceChats(rows: Claimed[]): Promise<void> {
    const ids = rows.map((r) => r.chat_identity_id);
    const gaps = Object.fromEntries(
      Object.entries(this.o.pacing).map(([channel, p]) => [channel, { group: p.groupGapMs / 1000, private: p.privateGapMs / 1000 }]),
    );
    await this.db.$executeRawUnsafe(
      `UPDATE chat_identities SET next_send_at = now() + make_interval(secs => CASE WHEN is_group
         THEN COALESCE(($4::jsonb -> channel ->> 'group')::double precision, $2::double precision)
         ELSE COALESCE(($4::jsonb -> channel ->> 'private')::double precision, $3::double precision) END)
       WHERE id = ANY($1::int[])`,
      ids,
      this.o.groupGapMs / 1000,
      this.o.privateGapMs / 1000,
      JSON.stringify(gaps),
    );
  }

  private async deliver(row: Claimed): Promise<void> {
    const sender = this.senders[row.channel];
    try {
      if (!row.active) return await this.finish(row, 'cancelled', 'recipient inactive');
      if (!sender) return await this.finish(row, 'failed', `no sender for channel ${row.channel}`);
      const { messageId } = await sender.send(row.chat_id, row.payload, { ref: `outbox:${row.id}` });
      const recorded = this.sentLog.add(row.id, messageId);
      this.metrics.sent.inc();
      this.metrics.latency.observe((Date.now() - new Date(row.created_at).getTime()) / 1000);
      // Held until recorded: a lease running out meanwhile must not let our own next claim resend it.
      await recorded;
    } catch (err) {
      await this.failed(row, err instanceof DeliveryError ? err : new DeliveryError('transient', String(err))).catch((e) =>
        this.log.error({ err: e, id: String(row.id) }, 'outbox bookkeeping failed'),
      );
    }
  }

  private async failed(row: Claimed, err: DeliveryError): Promise<void> {
    switch (err.kind) {
      case 'rate_limited': {
        const sec = err.retryAfterSec ?? 5;
        this.metrics.retried.inc({ reason: '429' });
        // Several chats refused within a second (from any process): the limit is the bot's as a whole, so all wait.
        await this.rateOf(row.channel).note429(sec);
        // Not the message's fault: the attempt is given back.
        await this.retry(row, sec * 1000, `429 retry after ${sec}s`, true);
        await this.db.$executeRawUnsafe(
          `UPDATE chat_identities SET next_send_at = now() + make_interval(secs => $2::double precision) WHERE id = $1`,
          row.chat_identity_id,
          sec,
        );
        return;
      }
      case 'blocked':
        this.metrics.failed.inc({ reason: 'blocked' });
        await this.db.$transaction([
          this.db.chatIdentity.update({ where: { id: row.chat_identity_id }, data: { active: false, blockReason: err.message } }),
          this.db.$executeRawUnsafe(
            `UPDATE outbox SET status = 'cancelled', last_error = 'recipient inactive', locked_until = NULL
             WHERE chat_identity_id = $1 AND status = 'pending'`,
            row.chat_identity_id,
          ),
        ]);
        return this.finish(row, 'failed', `blocked: ${err.message}`);
      case 'permanent':
        this.metrics.failed.inc({ reason: 'permanent' });
        return this.finish(row, 'failed', err.message);
      case 'transient':
        if (row.attempts >= this.o.maxAttempts) {
          this.metrics.failed.inc({ reason: 'gave_up' });
          return this.finish(row, 'failed', `gave up after ${row.attempts} attempts: ${err.message}`);
        }
        this.metrics.retried.inc({ reason: 'transient' });
        return this.retry(row, backoffMs(row.attempts), err.message, false);
    }
  }

  private async retry(row: Claimed, delayMs: number, reason: string, giveBackAttempt: boolean): Promise<void> {
    await this.db.$executeRawUnsafe(
      `UPDATE outbox SET status = 'pending', last_error = $2, locked_until = NULL,
         next_attempt_at = now() + make_interval(secs => $3::double precision), attempts = attempts - $4
       WHERE id = $1 AND locked_by = $5`,
      row.id,
      reason,
      delayMs / 1000,
      giveBackAttempt ? 1 : 0,
      this.id,
    );
  }

  private async finish(row: Claimed, status: 'failed' | 'cancelled', reason: string): Promise<void> {
    await this.db.$executeRawUnsafe(
      `UPDATE outbox SET status = $2::"OutboxStatus", last_error = $3, locked_until = NULL WHERE id = $1 AND locked_by = $4`,
      row.id,
      status,
      reason,
      this.id,
    );
  }
}

/** Exponential backoff with full jitter: ~1 s, 2 s, 4 s … capped at 10 minutes. */
export function backoffMs(attempt: number): number {
  const base = Math.min(600_000, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base / 2 + Math.random() * (base / 2));
}
