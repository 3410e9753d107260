import type { ZaloQuota } from './types.js';

/** A sliding window of accepted sends; the platform answers 429 "Quota exceeded" once it is full. */
export class SendQuota {
  private stamps: number[] = [];

  constructor(private readonly quota: ZaloQuota) {}

  full(now = Date.now()): boolean {
    this.stamps = this.stamps.filter((t) => t > now - this.quota.windowMs);
    return this.stamps.length >= this.quota.sends;
  }

  record(now = Date.now()): void {
    this.stamps.push(now);
  }
}
