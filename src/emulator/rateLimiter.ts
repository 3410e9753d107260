import type { RateLimitOptions } from './types.js';

/** Timestamps of accepted calls within the last `windowMs`; amortised O(1) per call. */
class SlidingWindow {
  private stamps: number[] = [];
  private head = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Milliseconds until one more call fits, 0 if it fits now. */
  waitMs(now: number): number {
    this.evict(now);
    if (this.stamps.length - this.head < this.limit) return 0;
    return this.stamps[this.head]! + this.windowMs - now;
  }

  record(now: number): void {
    this.stamps.push(now);
  }

  isIdle(now: number): boolean {
    this.evict(now);
    return this.head === this.stamps.length;
  }

  private evict(now: number): void {
    while (this.head < this.stamps.length && this.stamps[this.head]! <= now - this.windowMs) this.head++;
    if (this.head > 1024 && this.head * 2 > this.stamps.length) {
      this.stamps = this.stamps.slice(this.head);
      this.head = 0;
    }
  }
}

/** Telegram-style flood limits: global per second, per private chat per second, per group per minute. */
export class RateLimiter {
  private readonly global?: SlidingWindow;
  private readonly chats = new Map<number, SlidingWindow>();
  private readonly methods: Set<string>;
  private pruneAt = 10_000;

  constructor(private readonly opts: RateLimitOptions) {
    if (opts.global) this.global = new SlidingWindow(opts.global, 1000);
    this.methods = new Set((opts.methods ?? ['sendMessage']).map((m) => m.toLowerCase()));
  }

  appliesTo(method: string): boolean {
    return this.methods.has(method.toLowerCase());
  }

  /** Seconds the caller must wait (the `retry_after`), or 0 if the call is allowed. */
  retryAfter(chatId: number | undefined, now = Date.now()): number {
    const chatWait = chatId === undefined ? 0 : (this.chatWindow(chatId)?.waitMs(now) ?? 0);
    const wait = Math.max(this.global?.waitMs(now) ?? 0, chatWait);
    return wait > 0 ? Math.max(1, Math.ceil(wait / 1000)) : 0;
  }

  record(chatId: number | undefined, now = Date.now()): void {
    this.global?.record(now);
    if (chatId !== undefined) this.chatWindow(chatId)?.record(now);
    if (this.chats.size > this.pruneAt) this.pruneIdle(now);
  }

  private chatWindow(chatId: number): SlidingWindow | undefined {
    const existing = this.chats.get(chatId);
    if (existing) return existing;
    const { perChat, perGroupPerMinute } = this.opts;
    let window: SlidingWindow | undefined;
    if (chatId > 0 && perChat) window = new SlidingWindow(perChat, 1000);
    if (chatId < 0 && perGroupPerMinute) window = new SlidingWindow(perGroupPerMinute, 60_000);
    if (window) this.chats.set(chatId, window);
    return window;
  }

  private pruneIdle(now: number): void {
    for (const [id, window] of this.chats) if (window.isIdle(now)) this.chats.delete(id);
    this.pruneAt = Math.max(10_000, this.chats.size * 2);
  }
}
