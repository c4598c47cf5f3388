/** A clock tests move by hand, so retries, expiry and retention are tested without waiting. */
export function createTestClock(start = "2026-01-05T08:00:00.000Z") {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    advance(ms: number) {
      current += ms;
    },
  };
}

/** Sequential ids, so test runs are reproducible. */
export function createSequentialIds(prefix = "id") {
  let next = 0;
  return () => `${prefix}-${(next += 1).toString().padStart(6, "0")}`;
}
