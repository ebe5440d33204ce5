import { describe, expect, it } from "vitest";
import { ReconcileQueue, type Lease } from "../../src/app/reconcile-queue.js";
import { realClock } from "../../src/shared/clock.js";
import { ManualClock } from "../github/manual-clock.js";

function queue(lease?: Lease) {
  return new ReconcileQueue<string>({ clock: realClock, debounceMs: 5, concurrency: 4, lease: lease ?? { acquire: async () => true, release: async () => {} }, leaseTtlMs: 1000, leaseRetryMs: 10, onError: () => {} });
}

describe("ReconcileQueue", () => {
  it("coalesces a burst of requests for one key into one run", async () => {
    const q = queue();
    let runs = 0;
    for (let i = 0; i < 50; i += 1) q.request("m1", async () => void (runs += 1));
    await q.idle();
    expect(runs).toBe(1);
  });

  it("extends the debounce while requests keep coming, up to its cap (one run for a stream)", async () => {
    const clock = new ManualClock();
    const q = new ReconcileQueue<string>({ clock, debounceMs: 100, maxDebounceMs: 400, concurrency: 4, lease: { acquire: async () => true, release: async () => {} }, leaseTtlMs: 1000, leaseRetryMs: 10, onError: () => {} });
    const ranAt: number[] = [];
    const work = async () => void ranAt.push(clock.now());
    const start = clock.now();
    q.request("m1", work);
    for (let i = 0; i < 3; i++) {
      clock.advance(80); // each request lands before the debounce ends and moves it
      q.request("m1", work);
    }
    clock.advance(99);
    await Promise.resolve();
    expect(ranAt).toEqual([]);
    clock.advance(1);
    await q.idle();
    expect(ranAt.map((t) => t - start)).toEqual([340]);

    // A steady stream does not starve the key: it runs at the cap.
    ranAt.length = 0;
    const second = clock.now();
    q.request("m1", work);
    for (let i = 0; i < 10; i++) {
      clock.advance(50);
      for (let tick = 0; tick < 10; tick++) await Promise.resolve(); // let a due run start
      q.request("m1", work);
    }
    clock.advance(100); // the requests that came while it ran: one more run, a debounce later
    await q.idle();
    expect(ranAt.map((t) => t - second)).toEqual([400, 600]);
  });

  it("runs once more when asked while running, never concurrently for one key", async () => {
    const q = queue();
    let runs = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    const work = async () => {
      concurrent += 1;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      runs += 1;
      if (runs === 1) for (let i = 0; i < 10; i += 1) q.request("m1", work);
      await new Promise((r) => setTimeout(r, 10));
      concurrent -= 1;
    };
    q.request("m1", work);
    await q.idle();
    expect(runs).toBe(2);
    expect(maxConcurrent).toBe(1);
  });

  it("says while a key runs whether it will run again (asked meanwhile), and only for that key", async () => {
    const q = queue();
    const seen: boolean[] = [];
    let runs = 0;
    const work = async () => {
      runs += 1;
      seen.push(q.runsAgain("m1"));
      if (runs === 1) {
        q.request("m1", work);
        seen.push(q.runsAgain("m1"), q.runsAgain("m2"));
      }
    };
    q.request("m1", work);
    await q.idle();
    expect(seen).toEqual([false, true, false, false]);
    expect(q.runsAgain("m1")).toBe(false);
  });

  it("runs different keys in parallel", async () => {
    const q = queue();
    let concurrent = 0;
    let maxConcurrent = 0;
    const work = async () => {
      concurrent += 1;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      await new Promise((r) => setTimeout(r, 20));
      concurrent -= 1;
    };
    for (const key of ["a", "b", "c"]) q.request(key, work);
    await q.idle();
    expect(maxConcurrent).toBe(3);
  });

  it("keeps going after a failing run and reports the error", async () => {
    const errors: unknown[] = [];
    const q = new ReconcileQueue<string>({ clock: realClock, debounceMs: 1, concurrency: 1, lease: { acquire: async () => true, release: async () => {} }, leaseTtlMs: 1000, leaseRetryMs: 10, onError: (_k, e) => errors.push(e) });
    q.request("a", async () => {
      throw new Error("boom");
    });
    await q.idle();
    let ran = false;
    q.request("a", async () => void (ran = true));
    await q.idle();
    expect(errors).toHaveLength(1);
    expect(ran).toBe(true);
  });

  it("does not run while another replica holds the lease, and retries later", async () => {
    let held = true;
    const q = queue({ acquire: async () => !held, release: async () => {} });
    let runs = 0;
    q.request("m1", async () => void (runs += 1));
    await new Promise((r) => setTimeout(r, 30));
    expect(runs).toBe(0);
    held = false;
    await new Promise((r) => setTimeout(r, 50));
    await q.idle();
    expect(runs).toBe(1);
  });
});
