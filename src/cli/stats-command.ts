import { resolve } from "node:path";
import type { Config } from "../config.ts";
import { LoaError } from "../errors.ts";
import { compileIndicators, indicatorsFile, loadIndicators } from "../stats/indicators.ts";
import { rebuildStatistics } from "../stats/stats-rebuild.ts";
import type { Database } from "../store/database.ts";
import { openMigratedDatabase } from "../store/migrate.ts";

const usage = "usage: loa stats rebuild   (recount every statistic from the stored engagement events; stop Loa's workers first)";

/** What the command works on: an open database, the content folder holding indicators.yaml, and where lines go. */
export type StatsCommandOptions = {
  database: Database;
  contentDir: string;
  args: readonly string[];
  write: (line: string) => void;
  now: () => Date;
};

/** Progress is printed at every tenth of the events, so a long rebuild shows it is moving. */
const progressSteps = 10;

/**
 * `loa stats rebuild`: empties the aggregates and counts every stored engagement event again with the current
 * indicators.yaml — needed after the indicators change. Prints progress and what it wrote; usage errors give 2,
 * a broken indicators file 1.
 */
export async function runStatsCommand(options: StatsCommandOptions): Promise<number> {
  const { write } = options;
  if (options.args.length !== 1 || options.args[0] !== "rebuild") {
    write(usage);
    return 2;
  }
  try {
    const indicators = compileIndicators(await loadIndicators(indicatorsFile(options.contentDir)));
    let reported = 0;
    const result = await rebuildStatistics(options.database, {
      indicators,
      now: options.now(),
      clock: options.now,
      onProgress: (done, total) => {
        const step = Math.floor((done / Math.max(1, total)) * progressSteps);
        if (step > reported && done < total) write(`${Math.round((done / total) * 100)}% (${done} of ${total} events)`);
        reported = Math.max(reported, step);
      },
    });
    write(`statistics rebuilt from ${result.events} events with ${indicators.length} indicators: ${result.counts} counts, ${result.people} people-in-cell rows`);
    return 0;
  } catch (error) {
    if (!(error instanceof LoaError)) throw error;
    write(`error: ${error.message}`);
    return 1;
  }
}

/** Opens the configured database (applying any migration it lacks, as start-up does), runs the command, closes it. */
export async function runStats(options: { config: Config; projectRoot: string; args: readonly string[]; write: (line: string) => void }): Promise<number> {
  const { config, projectRoot } = options;
  const database = await openMigratedDatabase({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, projectRoot });
  try {
    return await runStatsCommand({ database, contentDir: resolve(projectRoot, config.CONTENT_DIR), args: options.args, write: options.write, now: () => new Date() });
  } finally {
    await database.close();
  }
}
