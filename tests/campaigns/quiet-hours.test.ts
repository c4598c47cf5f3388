import { describe, expect, it } from "vitest";
import { isQuiet, nextSendableTime } from "../../src/campaigns/quiet-hours.ts";

/** A moment given as Viet Nam local time. */
const local = (time: string) => new Date(`2026-11-26T${time}:00+07:00`);

describe("quiet hours (Asia/Ho_Chi_Minh)", () => {
  it("is quiet from 21:00 to 07:00 local time, across midnight", () => {
    expect(["20:59", "21:00", "23:30", "00:10", "06:59", "07:00", "12:00"].map((time) => isQuiet(local(time), "21:00", "07:00"))).toEqual([false, true, true, true, true, false, false]);
  });

  it("handles a window within one day, and an empty one", () => {
    expect(["11:59", "12:00", "13:29", "13:30"].map((time) => isQuiet(local(time), "12:00", "13:30"))).toEqual([false, true, true, false]);
    expect(isQuiet(local("03:00"), "07:00", "07:00")).toBe(false);
  });

  it("waits until the end of the quiet window, the next morning when needed", () => {
    expect(nextSendableTime(local("22:15"), "21:00", "07:00").toISOString()).toBe(new Date("2026-11-27T07:00:00+07:00").toISOString());
    expect(nextSendableTime(local("05:30"), "21:00", "07:00").toISOString()).toBe(local("07:00").toISOString());
    expect(nextSendableTime(local("10:00"), "21:00", "07:00").toISOString()).toBe(local("10:00").toISOString());
  });
});
