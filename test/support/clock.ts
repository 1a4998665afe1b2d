import type { Clock } from '../../lambdas/core/ports.js';

/** A clock tests move by hand, so expiry rules are tested without waiting. */
export class TestClock implements Clock {
  constructor(private current = Date.now()) {}

  now(): number {
    return this.current;
  }

  advanceSeconds(seconds: number): void {
    this.current += seconds * 1000;
  }
}
