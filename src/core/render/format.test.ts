import { describe, expect, it } from "vitest";
import { formatUsd } from "./format.js";

describe("formatUsd", () => {
  it.each([
    [0, "$0.0000"],
    [0.004, "$0.0040"],
    [0.0001, "$0.0001"],
    [0.000001, "< $0.0001"],
    [0.00004, "< $0.0001"],
    [2.5, "$2.50"],
    [1234.567, "$1234.57"],
  ])("%d → %s", (usd, text) => {
    expect(formatUsd(usd)).toBe(text);
  });
});
