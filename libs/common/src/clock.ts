/** The one clock. Domain code never reads time itself; handlers take `now` from here and pass it in. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock tests (and the sandbox) can move; offsets apply on top of real time so timers still advance. */
export class AdjustableClock extends Clock {
  private offsetMs = 0;
  private fixed: Date | null = null;

  now(): Date {
    return this.fixed ? new Date(this.fixed) : new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    if (this.fixed) this.fixed = new Date(this.fixed.getTime() + ms);
    else this.offsetMs += ms;
  }
  set(at: Date): void {
    this.fixed = new Date(at);
  }
  reset(): void {
    this.fixed = null;
    this.offsetMs = 0;
  }
}
