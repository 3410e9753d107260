import { mulberry32 } from '../faults.js';
import type { ZaloFault } from './types.js';

interface Rule {
  method: string;
  fault: ZaloFault;
  /** Calls left for a counted rule; undefined for a random one. */
  remaining?: number;
  random?: () => number;
  probability?: number;
}

const key = (method: string): string => method.toLowerCase();
const matches = (rule: Rule, method: string): boolean => rule.method === '*' || rule.method === method;

/** Which calls fail on purpose: counted (`failNext`) before random (`failRandom`); `'*'` is any method. */
export class ZaloFaults {
  private counted: Rule[] = [];
  private random: Rule[] = [];

  failNext(method: string, n: number, fault: ZaloFault): void {
    if (n > 0) this.counted.push({ method: key(method), remaining: n, fault });
  }

  failRandom(method: string, probability: number, fault: ZaloFault, seed = 1): void {
    this.random = this.random.filter((r) => r.method !== key(method));
    if (probability > 0) this.random.push({ method: key(method), probability, random: mulberry32(seed), fault });
  }

  take(method: string): ZaloFault | undefined {
    const m = key(method);
    const index = this.counted.findIndex((r) => matches(r, m));
    if (index >= 0) {
      const rule = this.counted[index]!;
      if (--rule.remaining! === 0) this.counted.splice(index, 1);
      return rule.fault;
    }
    return this.random.find((r) => matches(r, m) && r.random!() < r.probability!)?.fault;
  }

  clear(): void {
    this.counted = [];
    this.random = [];
  }
}
