import { describe, expect, it } from "vitest";
import { formatTable, percent, ratio } from "../../bench/report/table.js";

describe("formatTable", () => {
  it("left-aligns label columns, right-aligns the rest, and rules the header", () => {
    expect(formatTable(["cap", "name", "x"], [["2", "architect", "1.000"], ["16", "fifo", "12.5"]], 2)).toBe(
      ["cap  name           x", "---  ---------  -----", "2    architect  1.000", "16   fifo        12.5"].join("\n"),
    );
  });
});

describe("number formats", () => {
  it.each<[number, string, string]>([
    [1.0344, "1.034", "103%"],
    [0.855, "0.855", "86%"],
    [NaN, "n/a", "n/a"],
  ])("%d", (x, asRatio, asPercent) => {
    expect(ratio(x)).toBe(asRatio);
    expect(percent(x)).toBe(asPercent);
  });
});
