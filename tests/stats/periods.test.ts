import { describe, expect, it } from "vitest";
import { isPeriodKey, localDateText, parsePeriod, periodKeyOf, periodKeys, periodKeysOf, periodKeysOfDay, periodLabel } from "../../src/stats/periods.ts";
import { StatsError } from "../../src/stats/stats-error.ts";

describe("period keys of an instant", () => {
  it("counts in Viet Nam's local day: 16:59:59.999 UTC is still the same day, 17:00 UTC the next", () => {
    expect(periodKeysOf(new Date("2026-11-26T16:59:59.999Z"))).toEqual(["d2026-11-26", "m2026-11", "q2026-4", "h2026-2", "y2026"]);
    expect(periodKeysOf(new Date("2026-11-26T17:00:00.000Z"))).toEqual(["d2026-11-27", "m2026-11", "q2026-4", "h2026-2", "y2026"]);
  });

  it("moves to the second half-year and the third quarter at local midnight of 1 July", () => {
    expect(periodKeysOf(new Date("2026-06-30T16:59:59.999Z"))).toEqual(["d2026-06-30", "m2026-06", "q2026-2", "h2026-1", "y2026"]);
    expect(periodKeysOf(new Date("2026-06-30T17:00:00.000Z"))).toEqual(["d2026-07-01", "m2026-07", "q2026-3", "h2026-2", "y2026"]);
  });

  it("counts 23:30 on 31 December local time in that year, and local midnight in the next", () => {
    expect(periodKeysOf(new Date("2026-12-31T16:30:00.000Z"))).toEqual(["d2026-12-31", "m2026-12", "q2026-4", "h2026-2", "y2026"]);
    expect(periodKeysOf(new Date("2026-12-31T17:00:00.000Z"))).toEqual(["d2027-01-01", "m2027-01", "q2027-1", "h2027-1", "y2027"]);
  });

  it("gives a day key's five keys without a date, the same as from an instant in that day", () => {
    for (const at of ["2026-01-01T00:00:00+07:00", "2026-06-30T23:59:59+07:00", "2026-07-01T00:00:00+07:00", "2026-09-30T12:00:00+07:00", "2028-12-31T23:00:00+07:00"]) {
      const keys = periodKeysOf(new Date(at));
      expect(periodKeysOfDay(keys[0] ?? "")).toEqual(keys);
    }
    expect(() => periodKeysOfDay("m2026-11")).toThrow(StatsError);
  });

  it("puts each month in its quarter", () => {
    const quarters = Array.from({ length: 12 }, (_, month) => periodKeyOf("quarter", new Date(Date.UTC(2026, month, 15))));
    expect(quarters).toEqual(["q2026-1", "q2026-1", "q2026-1", "q2026-2", "q2026-2", "q2026-2", "q2026-3", "q2026-3", "q2026-3", "q2026-4", "q2026-4", "q2026-4"]);
    expect(localDateText(new Date("2028-02-28T18:00:00Z"))).toBe("2028-02-29");
  });
});

describe("parsing periods", () => {
  it.each([
    ["2026-H2", "half", "h2026-2", "2026-06-30T17:00:00.000Z", "2026-12-31T17:00:00.000Z"],
    ["2026-H1", "half", "h2026-1", "2025-12-31T17:00:00.000Z", "2026-06-30T17:00:00.000Z"],
    ["2026-Q4", "quarter", "q2026-4", "2026-09-30T17:00:00.000Z", "2026-12-31T17:00:00.000Z"],
    ["2026-Q1", "quarter", "q2026-1", "2025-12-31T17:00:00.000Z", "2026-03-31T17:00:00.000Z"],
    ["2026-11", "month", "m2026-11", "2026-10-31T17:00:00.000Z", "2026-11-30T17:00:00.000Z"],
    ["2026-12", "month", "m2026-12", "2026-11-30T17:00:00.000Z", "2026-12-31T17:00:00.000Z"],
    ["2026", "year", "y2026", "2025-12-31T17:00:00.000Z", "2026-12-31T17:00:00.000Z"],
    ["2026-11-26", "day", "d2026-11-26", "2026-11-25T17:00:00.000Z", "2026-11-26T17:00:00.000Z"],
  ])("reads %s as a %s from local midnight to local midnight", (name, kind, key, start, end) => {
    const period = parsePeriod(name);
    expect(period).toEqual({ kind, key, name, start: new Date(start), end: new Date(end) });
    expect(parsePeriod(key)).toEqual(period);
  });

  it.each(["2026-13", "2026-00", "2026-Q5", "2026-H3", "2026-02-29", "2026-04-31", "26", "H2-2026", "m2026-1", ""])("refuses %j with a StatsError", (text) => {
    expect(() => parsePeriod(text)).toThrow(StatsError);
  });

  it("tells stored keys from names", () => {
    expect(["d2028-02-29", "m2026-11", "q2026-4", "h2026-2", "y2026"].every(isPeriodKey)).toBe(true);
    expect(["2026-H2", "2026", "m2026-13", "d2026-02-29", "x2026"].some(isPeriodKey)).toBe(false);
  });
});

describe("the keys inside a period", () => {
  it("lists the months of a half-year and the days of a month, leap years included", () => {
    expect(periodKeys("month", "2026-H2")).toEqual(["m2026-07", "m2026-08", "m2026-09", "m2026-10", "m2026-11", "m2026-12"]);
    expect(periodKeys("day", "2028-02")).toHaveLength(29);
    expect(periodKeys("day", "2026")).toHaveLength(365);
    expect(periodKeys("day", "h2026-2")[0]).toBe("d2026-07-01");
    expect(periodKeys("day", "h2026-2").at(-1)).toBe("d2026-12-31");
    expect(periodKeys("quarter", "2026")).toEqual(["q2026-1", "q2026-2", "q2026-3", "q2026-4"]);
    expect(periodKeys("year", "2026-Q3")).toEqual(["y2026"]);
  });

  it("covers a range of instants in local time, both ends included", () => {
    const range = { from: new Date("2026-06-30T17:00:00Z"), to: new Date("2026-07-02T16:59:59Z") };
    expect(periodKeys("day", range)).toEqual(["d2026-07-01", "d2026-07-02"]);
    expect(periodKeys("month", { from: new Date("2026-11-20T00:00:00Z"), to: new Date("2027-01-01T00:00:00Z") })).toEqual(["m2026-11", "m2026-12", "m2027-01"]);
    expect(periodKeys("day", { from: new Date("2026-07-02T00:00:00Z"), to: new Date("2026-07-01T00:00:00Z") })).toEqual([]);
  });
});

describe("period labels", () => {
  it("names periods the way provincial reports do", () => {
    expect(periodLabel("2026-H2")).toBe("6 tháng cuối năm 2026");
    expect(periodLabel("2026-H1")).toBe("6 tháng đầu năm 2026");
    expect(["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"].map((name) => periodLabel(name))).toEqual(["Quý I/2026", "Quý II/2026", "Quý III/2026", "Quý IV/2026"]);
    expect(periodLabel("m2026-11")).toBe("Tháng 11/2026");
    expect(periodLabel(parsePeriod("2026"))).toBe("Năm 2026");
    expect(periodLabel("2026-07-01")).toBe("Ngày 1/7/2026");
  });

  it("has English labels for the English console", () => {
    expect(["2026-H2", "2026-Q4", "2026-11", "2026", "2026-11-26"].map((name) => periodLabel(name, "en"))).toEqual([
      "Second half of 2026",
      "Q4 2026",
      "November 2026",
      "2026",
      "26 November 2026",
    ]);
  });
});
