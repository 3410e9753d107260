import type { Fault } from './types.js';

/** mulberry32: tiny seedable PRNG so random failures are reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface CountedRule {
  method: string;
  remaining: number;
  fault: Fault;
}

interface RandomRule {
  method: string;
  probability: number;
  random: () => number;
  fault: Fault;
}

const key = (method: string): string => method.toLowerCase();
const matches = (rule: { method: string }, method: string): boolean => rule.method === '*' || rule.method === method;

/** Decides which calls fail on purpose. Method names are case-insensitive; `'*'` matches any method. */
export class FaultInjector {
  private counted: CountedRule[] = [];
  private random: RandomRule[] = [];
  private slow: { method: string; remaining: number; ms: number }[] = [];

  /** The next `n` calls of `method` are answered normally, but only after `ms`. */
  slowNext(method: string, n: number, ms: number): void {
    if (n > 0) this.slow.push({ method: key(method), remaining: n, ms });
  }

  /** How long to hold this call's answer, consuming one `slowNext` slot if used. */
  takeDelay(method: string): number {
    const m = key(method);
    const index = this.slow.findIndex((r) => matches(r, m));
    if (index < 0) return 0;
    const rule = this.slow[index]!;
    if (--rule.remaining === 0) this.slow.splice(index, 1);
    return rule.ms;
  }

  failNext(method: string, n: number, fault: Fault): void {
    if (n > 0) this.counted.push({ method: key(method), remaining: n, fault });
  }

  failRandom(method: string, probability: number, fault: Fault, seed = 1): void {
    this.random = this.random.filter((r) => r.method !== key(method));
    if (probability > 0) this.random.push({ method: key(method), probability, random: mulberry32(seed), fault });
  }

  /** Returns the fault to inject into this call, consuming one `failNext` slot if used. */
  take(method: string): Fault | undefined {
    const m = key(method);
    const index = this.counted.findIndex((r) => matches(r, m));
    if (index >= 0) {
      const rule = this.counted[index]!;
      if (--rule.remaining === 0) this.counted.splice(index, 1);
      return rule.fault;
    }
    return this.random.find((r) => matches(r, m) && r.random() < r.probability)?.fault;
  }

  clear(): void {
    this.counted = [];
    this.random = [];
    this.slow = [];
  }
}
