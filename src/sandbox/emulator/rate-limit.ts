/**
 * GitHub's secondary rate limit on content creation: at most 80 content-creating requests
 * per minute and 500 per hour per actor, measured on the sandbox clock. Rejected requests
 * do not count, as a refused write creates nothing.
 */
export interface SecondaryLimits {
  perMinute: number;
  perHour: number;
}

export const GITHUB_SECONDARY_LIMITS: SecondaryLimits = { perMinute: 80, perHour: 500 };

export class SecondaryRateLimiter {
  enabled: boolean;
  private readonly history = new Map<string, number[]>();

  constructor(
    enabled: boolean,
    readonly limits: SecondaryLimits = GITHUB_SECONDARY_LIMITS,
  ) {
    this.enabled = enabled;
  }

  /** Record a content-creating request at `now`, or return the seconds to wait when over a limit. */
  take(actor: string, now: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const times = (this.history.get(actor) ?? []).filter((t) => t > now - 3_600_000);
    this.history.set(actor, times);
    if (!this.enabled) {
      times.push(now);
      return { ok: true };
    }
    const lastMinute = times.filter((t) => t > now - 60_000);
    if (lastMinute.length >= this.limits.perMinute) {
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((lastMinute[0]! + 60_000 - now) / 1000)) };
    }
    if (times.length >= this.limits.perHour) {
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((times[0]! + 3_600_000 - now) / 1000)) };
    }
    times.push(now);
    return { ok: true };
  }
}
