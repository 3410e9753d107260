/**
 * Spaces sends evenly at `rate` per second (a leaky bucket with almost no burst), so the bot never trips
 * Telegram's global limit by itself; `pause` holds everyone back after a 429 that hit the bot as a whole.
 */
export class Pacer {
  private next = 0;
  private readonly gapMs: number;

  constructor(
    rate: number,
    private readonly catchUpMs = 20,
  ) {
    this.gapMs = 1000 / rate;
  }

  /** Resolves when the caller may send one message. */
  async take(): Promise<void> {
    const now = Date.now();
    // Timers fire late under load; up to `catchUpMs` of lost time may be made up at once, which
    // stays within the limit when the configured rate keeps a few percent of headroom.
    const slot = Math.max(now - this.catchUpMs, this.next);
    this.next = slot + this.gapMs;
    if (slot > now) await new Promise((r) => setTimeout(r, slot - now));
  }

  pause(ms: number): void {
    this.next = Math.max(this.next, Date.now() + ms);
  }
}
