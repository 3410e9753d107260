import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { OutgoingMessage } from '../core/messages.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../logger.js';
import { DeliveryError, type ChannelPacing, type ChannelSender } from './channel.js';
import type { DeliveryMetrics } from './metrics.js';
import { Pacer } from './pacer.js';
import { SentLog } from './sentLog.js';
import { isQuiet, type QuietHours } from './quietHours.js';

export interface WorkerOptions {
  /** Messages per second over all chats (and the pace of a channel without `pacing`). */
  rate: number;
  /** Each channel's own pace and per-chat gaps (one Pacer per channel); a channel not listed uses `rate` and the gaps below. */
  pacing?: Record<string, ChannelPacing>;
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
  private readonly pacer: Pacer;
  /** One Pacer per channel in `pacing`; others share `pacer`. */
  private readonly pacers = new Map<string, Pacer>();
  private readonly inFlight = new Set<Promise<void>>();
  /** When this process last got a 429, per channel. */
  private readonly recent429 = new Map<string, number[]>();
  private readonly o: Required<WorkerOptions>;
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
    this.pacer = new Pacer(this.o.rate);
    for (const [channel, p] of Object.entries(this.o.pacing)) this.pacers.set(channel, new Pacer(p.rate));
    this.sentLog = new SentLog(db, this.id, log);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Something was queued: look now instead of at the next poll. */
  kick(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.kick();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
    await this.sentLog.flush();
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
      for (const row of claimed) {
        await this.pacerOf(row.channel).take();
        if (!(await this.stillOurs(row))) {
          this.held.delete(row.id);
          continue;
        }
        const p = this.deliver(row).finally(() => {
          this.inFlight.delete(p);
          this.held.delete(row.id);
        });
        this.inFlight.add(p);
      }
    }
    // Rows claimed but not sent go back to the queue at once instead of waiting out their lease.
    const unsent = await next;
    if (unsent.length) {
      await this.db.$executeRawUnsafe(
        `UPDATE outbox SET status = 'pending', attempts = attempts - 1, locked_until = NULL
         WHERE id = ANY($1::text[]::bigint[]) AND locked_by = $2 AND status = 'sending'`,
        unsent.map((r) => String(r.id)),
        this.id,
      );
    }
  }

  /**
   * A row that waited long (a 429 pause) may have outlived its lease; then it is sent only if the
   * lease can be renewed while the row is still ours. A row another process has taken over (its
   * `locked_by` changed) is never sent by this one. Renewing costs a query, so it happens only when
   * too little of the lease is left for one send; normally a batch goes out within a second.
   */
  private async stillOurs(row: Claimed): Promise<boolean> {
    const renewAfter = Math.max(0, this.o.leaseSeconds * 1000 - this.o.sendTimeoutMs - 3000);
    if (Date.now() - row.leasedAt <= renewAfter) return true;
    const renewed = await this.db.$executeRawUnsafe(
      `UPDATE outbox SET locked_until = now() + make_interval(secs => $3::double precision)
       WHERE id = $1 AND locked_by = $2 AND status = 'sending'`,
      row.id,
      this.id,
      this.o.leaseSeconds,
    );
    row.leasedAt = Date.now();
    return renewed === 1;
  }

  private pacerOf(channel: string): Pacer {
    return this.pacers.get(channel) ?? this.pacer;
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
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.o.idlePollMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /** At most one message per chat per claim, oldest first, skipping chats that must wait. */
  private async claim(limit: number): Promise<Claimed[]> {
    const quiet = isQuiet(this.o.quietHours, this.clock.now());
    const rows = await this.db.$queryRawUnsafe<Claimed[]>(
      `WITH cand AS (
         SELECT DISTINCT ON (o.chat_identity_id) o.id
         FROM outbox o JOIN chat_identities c ON c.id = o.chat_identity_id
         WHERE (o.status = 'pending' OR (o.status = 'sending' AND o.locked_until < now()))
           AND o.next_attempt_at <= now()
           AND (c.next_send_at IS NULL OR c.next_send_at <= now())
           AND (o.urgent OR NOT $1::boolean)
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
    );
    if (rows.length) await this.spaceChats(rows);
    const leasedAt = Date.now();
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
      const { messageId } = await sender.send(row.chat_id, row.payload);
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
        this.note429(row.channel, sec);
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

  private note429(channel: string, sec: number): void {
    // Several chats refused within a second: the limit is the bot's as a whole, so all of that channel's chats wait.
    const now = Date.now();
    const recent = (this.recent429.get(channel) ?? []).filter((t) => now - t < 1000);
    recent.push(now);
    this.recent429.set(channel, recent);
    if (recent.length >= 3) this.pacerOf(channel).pause(sec * 1000);
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
