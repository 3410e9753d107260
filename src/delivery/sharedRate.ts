import type { Db } from '../db/client.js';
import type { Logger } from '../logger.js';

export interface SharedRateOptions {
  /** Slots reserved per database round trip, as a time span: ~150 ms of the rate (4 slots at 28/s). */
  chunkMs?: number;
  /** A new reservation may start this much in the past (the database round trip). */
  catchUpMs?: number;
  /**
   * A reserved slot missed by up to this much is still used (timers fire late on a busy machine;
   * dropping it would cost the whole bot that slot); missed by more (a stall), it is dropped rather
   * than sent in a burst.
   */
  lateMs?: number;
  /**
   * Slots are reserved ahead so that this much of them is always in hand while there is work: a slow
   * database round trip (a busy machine) then delays no send. The other processes' slots interleave.
   */
  aheadMs?: number;
  /** Pauses up to this long are waited out; longer ones are handed back to the caller (see `take`). */
  holdMs?: number;
  /** This many 429s within a second, from any process, mean the limit of the bot as a whole was hit. */
  botWide429s?: number;
  /**
   * 429s asking to wait less than this count towards no pause: a one-second `retry_after` is the
   * limit's own window, i.e. two processes' sends met at its edge (timing jitter); the shared pace
   * already keeps the bot at its rate, so only the refused message waits. A real flood wait asks
   * for more.
   */
  minPauseSec?: number;
}

/** What `take` gives: a slot to send now, or a pause of the whole channel that outlasts `holdMs`. */
export type Turn = { go: true } | { go: false; pausedUntil: number };

/**
 * One channel's bot-wide send rate, shared by every process on the database: Telegram limits the
 * bot, not the process, so N processes with a per-process pacer sent N times too fast (M8).
 *
 * Why a shared slot schedule and not an elected sender: the row `send_rates(channel)` holds the
 * time of the next free send slot (GCRA, the "virtual scheduling" form of a token bucket: a bucket
 * of one token refilled every 1/rate s). A process reserves a few consecutive slots with one
 * `UPDATE … RETURNING` and sends at those instants, so the processes' sends interleave evenly at the
 * bot's rate, whoever has work; no leader to elect, no hand-over when one is killed -9 (its unused
 * slots just pass), and the per-chat gaps keep working as before. An elected sender would leave the
 * other processes' claimed rows and connections idle and need fail-over timing of its own.
 *
 * A 429 that hit the bot as a whole (several within a second, counted over all processes) stores a
 * pause in the same row; every process learns it at its next reservation (within ~`chunkMs`).
 * Works the same on embedded PGlite (one process) and PostgreSQL: it is one plain SQL row.
 */
export class SharedRate {
  private slots: number[] = [];
  private pausedUntil = 0;
  private recent429: number[] = [];
  private rowReady = false;
  private reserving?: Promise<void>;
  private readonly gapMs: number;
  private readonly o: Required<SharedRateOptions>;

  constructor(
    private readonly db: Db,
    readonly channel: string,
    rate: number,
    private readonly log: Logger,
    opts: SharedRateOptions = {},
  ) {
    this.gapMs = 1000 / rate;
    this.o = { chunkMs: 150, aheadMs: 300, catchUpMs: 20, lateMs: 50, holdMs: 1000, botWide429s: 3, minPauseSec: 2, ...opts };
  }

  /** True while a pause longer than `holdMs` is known to this process (its rows are not claimed). */
  pausedLong(now = Date.now()): boolean {
    return this.pausedUntil - now > this.o.holdMs;
  }

  /**
   * Resolves at this process's next send slot (`wanted`: how many messages are ready, so that no
   * more slots are reserved than can be used). During a longer pause it resolves at once with the
   * pause's end, so the caller can hand its claimed rows back instead of holding them (M3).
   * Throws when the database cannot be reached: then nothing should be sent.
   */
  async take(wanted = 1): Promise<Turn> {
    let now = Date.now();
    if (this.pausedLong(now)) return { go: false, pausedUntil: this.pausedUntil };
    while (this.slots.length && this.slots[0]! < now - this.o.lateMs) this.slots.shift();
    while (!this.slots.length) {
      await this.reserveOnce(wanted);
      now = Date.now();
      if (this.pausedLong(now)) return { go: false, pausedUntil: this.pausedUntil };
    }
    const last = this.slots[this.slots.length - 1]!;
    if (wanted > this.slots.length && last - now < this.o.aheadMs) {
      this.reserveOnce(wanted - this.slots.length).catch((err: unknown) =>
        this.log.warn({ err, channel: this.channel }, 'reserving send slots ahead failed'),
      );
    }
    const slot = Math.max(this.slots.shift() ?? now, this.pausedUntil);
    if (slot > now) await new Promise((r) => setTimeout(r, slot - now));
    return { go: true };
  }

  /**
   * Counts a 429 towards the bot-wide verdict; when it is one, every process pauses for
   * `retryAfterSec`. Returns whether a pause is now in force. Without the database, this process
   * still judges (and pauses) by its own 429s.
   */
  async note429(retryAfterSec: number): Promise<boolean> {
    const now = Date.now();
    if (retryAfterSec < this.o.minPauseSec) return this.pausedUntil > now;
    this.recent429 = this.recent429.filter((t) => now - t < 1000);
    this.recent429.push(now);
    const judgedHere = this.recent429.length >= this.o.botWide429s;
    if (judgedHere) this.pauseLocally(now + retryAfterSec * 1000);
    try {
      await this.ensureRow();
      const [row] = await this.db.$queryRawUnsafe<{ paused_ms: number }[]>(
        `UPDATE send_rates SET
           hits = CASE WHEN hits_since > clock_timestamp() - interval '1 second' THEN hits + 1 ELSE 1 END,
           hits_since = CASE WHEN hits_since > clock_timestamp() - interval '1 second' THEN hits_since ELSE clock_timestamp() END,
           paused_until = CASE
             WHEN (CASE WHEN hits_since > clock_timestamp() - interval '1 second' THEN hits + 1 ELSE 1 END) >= $3 OR $4::boolean
             THEN greatest(paused_until, clock_timestamp() + make_interval(secs => $2::double precision))
             ELSE paused_until END
         WHERE channel = $1
         RETURNING (extract(epoch FROM (paused_until - clock_timestamp())) * 1000)::float8 AS paused_ms`,
        this.channel,
        retryAfterSec,
        this.o.botWide429s,
        judgedHere,
      );
      if (row && row.paused_ms > 0) this.pauseLocally(Date.now() + row.paused_ms);
    } catch (err) {
      this.log.error({ err, channel: this.channel }, 'could not share a 429 pause');
    }
    return this.pausedUntil > Date.now();
  }

  private pauseLocally(until: number): void {
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    // Slots reserved before the pause would fall inside it.
    this.slots = this.slots.filter((s) => s >= until);
  }

  /** One reservation at a time per process; a caller arriving meanwhile waits for that one. */
  private reserveOnce(wanted: number): Promise<void> {
    this.reserving ??= this.reserve(wanted).finally(() => (this.reserving = undefined));
    return this.reserving;
  }

  private async reserve(wanted: number): Promise<void> {
    await this.ensureRow();
    const n = Math.max(1, Math.min(wanted, Math.round(this.o.chunkMs / this.gapMs)));
    // Within a pause longer than holdMs nothing is reserved: the slots would only wait.
    const [row] = await this.db.$queryRawUnsafe<{ first_ms: number; paused_ms: number }[]>(
      `UPDATE send_rates SET next_slot_at = CASE
         WHEN paused_until > clock_timestamp() + make_interval(secs => $4::double precision) THEN next_slot_at
         ELSE greatest(next_slot_at, clock_timestamp() - make_interval(secs => $3::double precision), paused_until)
              + make_interval(secs => $2::double precision * $5::double precision) END
       WHERE channel = $1
       RETURNING (extract(epoch FROM (next_slot_at - clock_timestamp())) * 1000)::float8 - $2::double precision * $5::double precision * 1000 AS first_ms,
                 (extract(epoch FROM (paused_until - clock_timestamp())) * 1000)::float8 AS paused_ms`,
      this.channel,
      this.gapMs / 1000,
      this.o.catchUpMs / 1000,
      this.o.holdMs / 1000,
      n,
    );
    if (!row) throw new Error(`send_rates has no row for ${this.channel}`);
    const now = Date.now();
    if (row.paused_ms > 0) this.pauseLocally(now + row.paused_ms);
    if (this.pausedLong(now)) return;
    for (let i = 0; i < n; i++) this.slots.push(now + row.first_ms + i * this.gapMs);
  }

  private async ensureRow(): Promise<void> {
    if (this.rowReady) return;
    await this.db.$executeRawUnsafe(`INSERT INTO send_rates (channel) VALUES ($1) ON CONFLICT (channel) DO NOTHING`, this.channel);
    this.rowReady = true;
  }
}
