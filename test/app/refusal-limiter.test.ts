import { describe, expect, it } from "vitest";
import { createRefusalLimiter } from "../../src/app/refusal-limiter.js";

const HOUR = 3_600_000;

describe("the repository-wide refusal cap", () => {
  it("allows perHour refusals per repository in any hour, then none until the oldest is an hour old", () => {
    const limiter = createRefusalLimiter();
    const taken = [0, 1, 2, 3].map((i) => limiter.tryTake("o/r", i * 1000, 3));
    expect(taken).toEqual([true, true, true, false]);
    expect(limiter.tryTake("o/other", 4000, 3)).toBe(true);
    expect(limiter.tryTake("o/r", HOUR - 1, 3)).toBe(false);
    expect(limiter.tryTake("o/r", HOUR, 3)).toBe(true);
    expect(limiter.tryTake("o/r", HOUR + 1, 3)).toBe(false);
  });

  it("with a cap of 0 never answers", () => {
    expect(createRefusalLimiter().tryTake("o/r", 0, 0)).toBe(false);
  });
});
