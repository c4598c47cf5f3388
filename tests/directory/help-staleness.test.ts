import { describe, expect, it } from "vitest";
import { addMonths, isStale, staleEntries, verifiedMonth, vietnamDate } from "../../src/directory/help-staleness.ts";

describe("help entry staleness", () => {
  it("is fresh at exactly 12 months and stale the day after", () => {
    const entry = { verifiedOn: "2025-11-26" };
    expect(isStale(entry, new Date("2026-11-26T12:00:00+07:00"), 12)).toBe(false);
    expect(isStale(entry, new Date("2026-11-26T23:59:59+07:00"), 12)).toBe(false);
    expect(isStale(entry, new Date("2026-11-27T00:00:00+07:00"), 12)).toBe(true);
  });

  it("counts days in Viet Nam, where 17:30 UTC is already the next morning", () => {
    expect(vietnamDate(new Date("2026-11-26T16:59:59Z"))).toBe("2026-11-26");
    expect(vietnamDate(new Date("2026-11-26T17:00:00Z"))).toBe("2026-11-27");
    expect(isStale({ verifiedOn: "2025-11-26" }, new Date("2026-11-26T17:30:00Z"), 12)).toBe(true);
  });

  it("adds calendar months, keeping to the end of shorter months", () => {
    expect(addMonths("2024-02-29", 12)).toBe("2025-02-28");
    expect(addMonths("2025-01-31", 1)).toBe("2025-02-28");
    expect(addMonths("2025-11-30", 3)).toBe("2026-02-28");
    expect(addMonths("2025-03-15", 6)).toBe("2025-09-15");
  });

  it("follows the configured number of months", () => {
    const entry = { verifiedOn: "2026-05-26" };
    const now = new Date("2026-11-27T08:00:00+07:00");
    expect(isStale(entry, now, 6)).toBe(true);
    expect(isStale(entry, now, 7)).toBe(false);
  });

  it("lists the stale entries in the order given, and writes dates as month and year", () => {
    const entries = [
      { id: "a", verifiedOn: "2024-03-10" },
      { id: "b", verifiedOn: "2026-10-01" },
      { id: "c", verifiedOn: "2025-01-31" },
    ];
    expect(staleEntries(entries, new Date("2026-11-26T08:00:00+07:00"), 12).map((entry) => entry.id)).toEqual(["a", "c"]);
    expect(verifiedMonth("2024-03-10")).toBe("03/2024");
  });
});
