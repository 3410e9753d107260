import type { Db } from '../db/client.js';
import type { Logger } from '../logger.js';

/**
 * Records delivered messages in batches: one UPDATE per ~50 ms instead of one per message, which
 * keeps the database (above all embedded PGlite, which runs on the bot's own thread) from limiting
 * the sending rate. The price: a crash loses at most the last batch's records, and those messages
 * are sent again after the lease ends — the "in flight" window of at-least-once delivery.
 */
export class SentLog {
  private buffer: { id: bigint; messageId: string; written: () => void }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly workerId: string,
    private readonly log: Logger,
    private readonly intervalMs = 50,
    private readonly maxBatch = 200,
  ) {}

  /** Buffers the record; resolves once it is written (or given up on, which is logged). */
  add(id: bigint, messageId: string): Promise<void> {
    return new Promise((written) => {
      this.buffer.push({ id, messageId, written });
      if (this.buffer.length >= this.maxBatch) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.intervalMs);
    });
  }

  /** Writes what is buffered; resolves when every record so far is in the database. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffer.splice(0);
    if (batch.length) this.writing = this.writing.then(() => this.write(batch)).finally(() => batch.forEach((b) => b.written()));
    return this.writing;
  }

  private async write(batch: { id: bigint; messageId: string }[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.$executeRawUnsafe(
          `UPDATE outbox o SET status = 'sent', sent_at = now(), channel_message_id = v.mid, last_error = NULL, locked_until = NULL
           FROM unnest($1::text[], $2::text[]) AS v(id, mid)
           WHERE o.id = v.id::bigint AND o.locked_by = $3`,
          batch.map((b) => String(b.id)),
          batch.map((b) => b.messageId),
          this.workerId,
        );
        return;
      } catch (err) {
        if (attempt >= 6) {
          this.log.error({ err, ids: batch.map((b) => String(b.id)) }, 'could not record sent messages; they may be sent again');
          return;
        }
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      }
    }
  }
}
