import { setTimeout as sleep } from 'node:timers/promises';
import type { Update } from 'telegraf/types';

export interface WebhookConfig {
  url: string;
  secretToken?: string | undefined;
  maxConnections: number;
  allowedUpdates?: string[] | undefined;
  lastErrorDate?: number;
  lastErrorMessage?: string;
}

export interface WebhookHost {
  /** The webhook in force right now, if any. */
  config(): WebhookConfig | undefined;
  /** Oldest undelivered update. */
  peek(): Update | undefined;
  /** Drops `update` from the queue after a successful delivery. */
  ack(update: Update): void;
  /** Executes a method the bot returned in the webhook response body. */
  runReply(method: string, params: Record<string, unknown>): Promise<void>;
  /** Aborted when the emulator stops. */
  signal(): AbortSignal;
}

const MAX_RETRY_MS = 2000;

/**
 * Delivers queued updates one at a time, in order, retrying with backoff until the bot answers
 * with a 2xx status. Sequential delivery keeps per-chat ordering, which is what real bots rely on.
 */
export class WebhookSender {
  private running = false;

  constructor(
    private readonly host: WebhookHost,
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
          const delay = Math.min(this.retryMs * 2 ** failures++, MAX_RETRY_MS);
          await sleep(delay, undefined, { signal: this.host.signal() }).catch(() => undefined);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async post(hook: WebhookConfig, update: Update): Promise<boolean> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (hook.secretToken) headers['x-telegram-bot-api-secret-token'] = hook.secretToken;
    try {
      const res = await fetch(hook.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(update),
        signal: AbortSignal.any([this.host.signal(), AbortSignal.timeout(this.timeoutMs)]),
      });
      const body = await res.text();
      if (!res.ok) return this.fail(hook, `Wrong response from the webhook: ${res.status} ${res.statusText}`);
      await this.runReply(body);
      return true;
    } catch (err) {
      const reason = err instanceof Error && err.name === 'TimeoutError' ? 'Read timeout expired' : connectionError(err);
      return this.fail(hook, reason);
    }
  }

  private fail(hook: WebhookConfig, message: string): false {
    hook.lastErrorDate = Math.floor(Date.now() / 1000);
    hook.lastErrorMessage = message;
    return false;
  }

  /** Telegraf may answer a webhook with `{ method, ...params }` instead of a separate API call. */
  private async runReply(body: string): Promise<void> {
    if (!body.trim()) return;
    let reply: unknown;
    try {
      reply = JSON.parse(body);
    } catch {
      return;
    }
    if (typeof reply !== 'object' || reply === null || !('method' in reply) || typeof reply.method !== 'string') return;
    const { method, ...params } = reply as Record<string, unknown> & { method: string };
    await this.host.runReply(method, params);
  }
}

function connectionError(err: unknown): string {
  const cause = err instanceof Error ? (err.cause as { code?: string } | undefined) : undefined;
  if (cause?.code === 'ECONNREFUSED') return 'Connection refused';
  return err instanceof Error ? err.message : String(err);
}
