import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runStatsCommand } from "../../src/cli/stats-command.ts";
import { compileIndicators, indicatorsFile, loadIndicators } from "../../src/stats/indicators.ts";
import { recordEngagement } from "../../src/stats/stats-recorder.ts";
import { differences, randomEngagement, recount, storedCounts } from "../support/stats-fixture.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/test-database.ts";

const contentDir = join(import.meta.dirname, "../../content");

describe.each(databaseKinds)("loa stats on %s", (kind) => {
  let test: TestDatabase;
  let lines: string[];
  const run = (args: string[], dir = contentDir) => runStatsCommand({ database: test.database, contentDir: dir, args, write: (line) => lines.push(line), now: () => new Date("2026-07-01T00:00:00Z") });

  beforeEach(async () => {
    test = await createTestDatabase(kind);
    lines = [];
  });
  afterEach(async () => {
    await test?.drop();
  });

  it("rebuilds the statistics from the events with the indicators file, reporting progress", async () => {
    const indicators = compileIndicators(await loadIndicators(indicatorsFile(contentDir)));
    const db = test.database.client;
    for (const batch of randomEngagement(21, 2_500, 40).batches) await db.engagementEvent.createMany({ data: batch.map(({ detail, groups, ...event }) => ({ ...event, detail: JSON.stringify(detail ?? {}), groups: JSON.stringify(groups ?? {}) })) });
    const events = await db.engagementEvent.count();
    expect(events).toBe(2_500);
    expect(await run(["rebuild"])).toBe(0);
    expect(lines.slice(0, -1).every((line) => /^\d+% \(\d+ of \d+ events\)$/.test(line))).toBe(true);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.at(-1)).toMatch(new RegExp(`^statistics rebuilt from ${events} events with ${indicators.length} indicators: \\d+ counts, \\d+ people-in-cell rows$`));
    expect(differences(await recount(db, indicators), await storedCounts(db))).toEqual([]);
    await db.$transaction((tx) => recordEngagement(tx, randomEngagement(22, 3, 2).batches.flat(), { indicators }));
    expect(differences(await recount(db, indicators), await storedCounts(db))).toEqual([]);
  });

  it("prints the usage and exits 2 for anything else", async () => {
    expect(await run([])).toBe(2);
    expect(await run(["rebuild", "--now"])).toBe(2);
    expect(lines).toEqual([expect.stringMatching(/^usage: loa stats rebuild/), expect.stringMatching(/^usage: loa stats rebuild/)]);
  });

  it("refuses a broken indicators file and leaves the statistics alone", async () => {
    const dir = await mkdtemp(join(tmpdir(), "loa-stats-cli-"));
    try {
      await writeFile(join(dir, "indicators.yaml"), "indicators:\n  bad id:\n    name: {}\n");
      await test.database.client.statsCount.create({ data: { period: "y2026", provinceCode: "", communeCode: "", dimension: "", value: "", metric: "messages", count: 3 } });
      expect(await run(["rebuild"], dir)).toBe(1);
      expect(lines.at(-1)).toMatch(/^error: /);
      expect(await test.database.client.statsCount.count()).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
