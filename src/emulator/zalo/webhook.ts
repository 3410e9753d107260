import { setTimeout as sleep } from 'node:timers/promises';
import { ZALO_SECRET_HEADER, type ZaloUpdate } from '../../channels/zalo/types.js';

export interface ZaloWebhookConfig {
  url: string;
  secretToken: string;
  updatedAt: number;
}

export interface ZaloWebhookHost {
  config(): ZaloWebhookConfig | undefined;
  /** Oldest undelivered update. */
  peek(): ZaloUpdate | undefined;
  /** Drops `update` from the queue after a 2xx answer. */
  ack(update: ZaloUpdate): void;
  failed(): void;
  /** Aborted when the emulator stops. */
  signal(): AbortSignal;
}

const MAX_RETRY_MS = 2000;

/**
 * POSTs queued updates one at a time, in order, with the `X-Bot-Api-Secret-Token` header; an answer
 * that is not 2xx (or none) is retried with backoff. The body is the update in Zalo's envelope,
 * `{"ok":true,"result":{event_name, message}}`, as the platform's docs show it.
 */
export class ZaloWebhookSender {
  private running = false;

  constructor(
    private readonly host: ZaloWebhookHost,
    private readonly retryMs: number,
    private readonly timeoutMs: number,
  ) {}

  kick(): void {
    if (!this.running) void this.run();
  }

  private async run(): Promise<void> {
    this.running = true;
    let failures = 0;
    try {
      for (;;) {
        const hook = this.host.config();
        const update = this.host.peek();
        if (!hook || !update || this.host.signal().aborted) return;
        if (await this.post(hook, update)) {
          this.host.ack(update);
          failures = 0;
        } else {
          this.host.failed();
          const delay = Math.min(this.retryMs * 2 ** failures++, MAX_RETRY_MS);
          await sleep(delay, undefined, { signal: this.host.signal() }).catch(() => undefined);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async post(hook: ZaloWebhookConfig, update: ZaloUpdate): Promise<boolean> {
    try {
      const res = await fetch(hook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [ZALO_SECRET_HEADER]: hook.secretToken },
        body: JSON.stringify({ ok: true, result: update }),
        signal: AbortSignal.any([this.host.signal(), AbortSignal.timeout(this.timeoutMs)]),
      });
      await res.arrayBuffer();
      return res.ok;
    } catch {
      return false;
    }
  }
}
