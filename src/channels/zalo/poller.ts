import { setTimeout as sleep } from 'node:timers/promises';
import { type CallZalo, ZaloApiError } from './api.js';
import { parseZaloUpdate } from './normalize.js';
import type { ZaloUpdate } from './types.js';

export interface ZaloPollerLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ZaloPollerOptions {
  call: CallZalo;
  /** Runs for each new update, one at a time, in the order they arrive. */
  handle: (update: ZaloUpdate) => Promise<void>;
  /** getUpdates' `timeout` in seconds (default 30, the platform's default). */
  pollTimeoutSec?: number;
  /** How many message ids are remembered to drop repeats (default 2000). */
  dedupeSize?: number;
  /** First wait after a failed poll (default 1 s), doubled per failure up to `maxBackoffMs` (default 5 min). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Consecutive failed polls before health() says so (default 3); a 401 says so at once. */
  unhealthyAfter?: number;
  log?: ZaloPollerLog;
}

/**
 * Long polling for Zalo. getUpdates answers ONE update per call, has no offset or update_id, and an
 * empty poll is `ok:false` with 408; so the loop polls again at once after an update or a 408,
 * drops updates whose `message.message_id` it has seen already (a bounded memory of the latest
 * ids), and backs off 1 s doubling to 5 min after any other failure. health() reports a 401 (the
 * token is wrong or was reset) or repeated failures, like the Telegram channel's.
 */
export class ZaloPoller {
  private readonly seen = new Set<string>();
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private failures = 0;
  private lastError: { code?: number; reason: string } | undefined;

  constructor(private readonly opts: ZaloPollerOptions) {}

  start(): void {
    if (this.loop) throw new Error('ZaloPoller already started');
    this.loop = this.run();
  }

  /** Ends the current poll at once and waits for an update being handled to finish. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  /** Whether updates are coming in: for /healthz. */
  health(): { ok: boolean; reason?: string } {
    const last = this.lastError;
    if (!last) return { ok: true };
    if (last.code === 401 || this.failures >= (this.opts.unhealthyAfter ?? 3)) return { ok: false, reason: last.reason };
    return { ok: true };
  }

  private async run(): Promise<void> {
    const timeoutSec = this.opts.pollTimeoutSec ?? 30;
    const signal = this.abort.signal;
    while (!signal.aborted) {
      let raw: unknown;
      try {
        // The HTTP request outlives the long poll, so only a hung connection times out.
        raw = await this.opts.call('getUpdates', { timeout: timeoutSec }, { timeoutMs: timeoutSec * 1000 + 10_000, signal });
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof ZaloApiError && err.code === 408) {
          this.succeeded();
          continue;
        }
        await this.failed(err);
        continue;
      }
      this.succeeded();
      const update = parseZaloUpdate(raw);
      if (!update) {
        this.opts.log?.warn({ event: eventName(raw) }, 'zalo: malformed update dropped');
        continue;
      }
      if (!this.firstTime(update.message.message_id)) continue;
      try {
        await this.opts.handle(update);
      } catch (err) {
        this.opts.log?.error({ err: { message: (err as Error)?.message } }, 'zalo: update handler failed');
      }
    }
  }

  /** True the first time an id is seen; remembers the latest `dedupeSize` ids. */
  private firstTime(messageId: string): boolean {
    if (this.seen.has(messageId)) return false;
    this.seen.add(messageId);
    if (this.seen.size > (this.opts.dedupeSize ?? 2000)) this.seen.delete(this.seen.values().next().value!);
    return true;
  }

  private succeeded(): void {
    this.failures = 0;
    this.lastError = undefined;
  }

  private async failed(err: unknown): Promise<void> {
    this.failures++;
    const code = err instanceof ZaloApiError ? err.code : undefined;
    this.lastError = { ...(code !== undefined && { code }), reason: (err as Error)?.message ?? String(err) };
    const delay = Math.min(this.opts.maxBackoffMs ?? 300_000, (this.opts.backoffMs ?? 1000) * 2 ** Math.min(this.failures - 1, 20));
    this.opts.log?.error({ err: { message: this.lastError.reason }, retryInMs: delay }, 'zalo: getUpdates failed');
    await sleep(delay, undefined, { signal: this.abort.signal }).catch(() => undefined);
  }
}

function eventName(raw: unknown): string | undefined {
  const name = (raw as { event_name?: unknown } | null)?.event_name;
  return typeof name === 'string' ? name.slice(0, 64) : undefined;
}
