import { DateTime } from 'luxon';

/** Time source for everything that depends on "now"; tests and the sandbox move it. */
export interface Clock {
  now(): DateTime;
  readonly zone: string;
}

export class SystemClock implements Clock {
  constructor(readonly zone: string) {}
  now(): DateTime {
    return DateTime.now().setZone(this.zone);
  }
}

/** Real time shifted by an offset that can be changed while running (sandbox, tests). */
export class AdjustableClock implements Clock {
  private offsetMs = 0;
  constructor(readonly zone: string) {}
  now(): DateTime {
    return DateTime.fromMillis(Date.now() + this.offsetMs, { zone: this.zone });
  }
  set(to: DateTime): void {
    this.offsetMs = to.toMillis() - Date.now();
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  reset(): void {
    this.offsetMs = 0;
  }
}
