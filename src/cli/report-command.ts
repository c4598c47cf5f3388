import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Config } from "../config.ts";
import { LoaError } from "../errors.ts";
import { createPlaceIndex } from "../places/place-index.ts";
import { loadPlaceRecords, seedShippedPlaces } from "../places/place-store.ts";
import { loadShippedPlaces } from "../places/shipped-places.ts";
import { indicatorsFile, loadIndicators } from "../stats/indicators.ts";
import { buildPeriodReport } from "../stats/period-report.ts";
import { reportCsv, reportWorkbook } from "../stats/report-workbook.ts";
import { StatsError } from "../stats/stats-error.ts";
import type { Database } from "../store/database.ts";
import { openMigratedDatabase } from "../store/migrate.ts";

const usage = "usage: loa report --period <2026-H2|2026|2026-Q4|2026-11> --province <code> [--format xlsx|csv] [--out <file>]";

/** The parsed command line. */
type ReportArgs = { period: string; provinceCode: string; format: "xlsx" | "csv"; out: string | undefined };

function parseArgs(args: readonly string[]): ReportArgs | undefined {
  const values = new Map<string, string>();
  for (let index = 0; index < args.length; index += 2) {
    const name = args[index];
    const value = args[index + 1];
    if (name === undefined || !["--period", "--province", "--format", "--out"].includes(name) || value === undefined || values.has(name)) return undefined;
    values.set(name, value);
  }
  const period = values.get("--period");
  const provinceCode = values.get("--province");
  const format = values.get("--format") ?? "xlsx";
  if (period === undefined || provinceCode === undefined || (format !== "xlsx" && format !== "csv")) return undefined;
  return { period, provinceCode, format, out: values.get("--out") };
}

/** What the command works on: an open database, the content folder (places, indicators), the threshold, where files and lines go. */
export type ReportCommandOptions = {
  database: Database;
  contentDir: string;
  /** Commune people counts under this are hidden (STATS_SUPPRESS_BELOW). */
  threshold: number;
  args: readonly string[];
  /** Where a relative --out, and the default file, are written. */
  cwd: string;
  now: () => Date;
  write: (line: string) => void;
};

/**
 * `loa report`: writes the periodic report of a province for a period (6-month, annual, quarterly or monthly)
 * as XLSX or CSV, laid out the way a provincial office files it. The file is named
 * `bao-cao-<province>-<period>.<format>` unless --out says otherwise. Usage errors give 2; an unknown period or
 * province, or a broken indicators file, 1.
 */
export async function runReportCommand(options: ReportCommandOptions): Promise<number> {
  const parsed = parseArgs(options.args);
  if (parsed === undefined) {
    options.write(usage);
    return 2;
  }
  try {
    const shipped = await loadShippedPlaces(options.contentDir);
    await seedShippedPlaces(options.database.client, [...shipped.provinces, ...shipped.sampleCommunes]);
    const places = createPlaceIndex(await loadPlaceRecords(options.database.client));
    const indicators = await loadIndicators(indicatorsFile(options.contentDir));
    const report = await buildPeriodReport(
      { db: options.database.client, indicators, places, threshold: options.threshold, now: options.now },
      { period: parsed.period, provinceCode: parsed.provinceCode },
    );
    const file = resolve(options.cwd, parsed.out ?? `bao-cao-${report.province.code}-${report.period.name}.${parsed.format}`);
    const content = parsed.format === "xlsx" ? await reportWorkbook(report) : reportCsv(report);
    await writeFile(file, content).catch((cause: unknown) => {
      throw new StatsError(`cannot write ${file}`, "stats:report-unwritable", { cause, context: { file } });
    });
    options.write(`${file}: ${report.province.name}, ${report.period.label} (${report.period.firstDay} to ${report.period.lastDay})`);
    return 0;
  } catch (error) {
    if (!(error instanceof LoaError)) throw error;
    options.write(`error: ${error.message}`);
    return 1;
  }
}

/** Opens the configured database (applying any migration it lacks, as start-up does), runs the command, closes it. */
export async function runReport(options: { config: Config; projectRoot: string; args: readonly string[]; cwd: string; write: (line: string) => void }): Promise<number> {
  const { config, projectRoot } = options;
  const database = await openMigratedDatabase({ url: config.DATABASE_URL, poolSize: 1, projectRoot });
  try {
    return await runReportCommand({
      database,
      contentDir: resolve(projectRoot, config.CONTENT_DIR),
      threshold: config.STATS_SUPPRESS_BELOW,
      args: options.args,
      cwd: options.cwd,
      now: () => new Date(),
      write: options.write,
    });
  } finally {
    await database.close();
  }
}
