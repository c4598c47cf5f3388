import { basename, resolve } from "node:path";
import type { Config } from "../config.ts";
import { LoaError } from "../errors.ts";
import { createPlaceIndex } from "../places/place-index.ts";
import { formatImportProblem, PlaceImportError, readPlaceFile, type PlaceImport } from "../places/place-importer.ts";
import { countSamplePlaces, loadPlaceRecords, replacePlaces, seedShippedPlaces } from "../places/place-store.ts";
import { loadShippedPlaces } from "../places/shipped-places.ts";
import type { Database } from "../store/database.ts";
import { openMigratedDatabase } from "../store/migrate.ts";

const usage = "usage: loa places import <file.csv|file.xlsx> [--dry-run] | list [--province <code>]";

/** What the command works on: an open database, the content folder with the shipped places, and where lines go. */
export type PlacesCommandOptions = {
  database: Database;
  contentDir: string;
  args: readonly string[];
  write: (line: string) => void;
};

/** The parsed command line, or undefined when it is not one the command knows (the usage is printed). */
type PlacesAction = { kind: "import"; file: string; dryRun: boolean } | { kind: "list"; provinceCode?: string };

function parseArgs(args: readonly string[]): PlacesAction | undefined {
  const [action, ...rest] = args;
  if (action === "import") {
    const files = rest.filter((arg) => arg !== "--dry-run");
    const file = files[0];
    if (files.length !== 1 || file === undefined || file.startsWith("--")) return undefined;
    return { kind: "import", file, dryRun: rest.includes("--dry-run") };
  }
  if (action === "list") {
    if (rest.length === 0) return { kind: "list" };
    const provinceCode = rest[1];
    return rest.length === 2 && rest[0] === "--province" && provinceCode !== undefined ? { kind: "list", provinceCode } : undefined;
  }
  return undefined;
}

/** "1 province", "34 provinces". */
function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

async function importPlaces(options: PlacesCommandOptions, file: string, dryRun: boolean): Promise<number> {
  const { database, write } = options;
  const known = (await loadPlaceRecords(database.client)).filter((record) => record.level === "province");
  let parsed: PlaceImport;
  try {
    parsed = await readPlaceFile(file, known);
  } catch (error) {
    if (!(error instanceof PlaceImportError)) throw error;
    for (const problem of error.problems) write(formatImportProblem(problem));
    write(`${error.problems.length} error(s) in ${file}: nothing was imported`);
    return 1;
  }
  const { provinces, communes } = parsed;
  const mapped = communes.filter((commune) => commune.formerDistricts.length > 0).length;
  write(`${file}: ${counted(provinces.length, "province")}, ${counted(communes.length, "commune")} (${mapped} with former districts)`);
  if (dryRun) {
    write(`dry run: nothing written; ${counted(await countSamplePlaces(database.client), "sample row")} would be removed`);
    return 0;
  }
  const result = await replacePlaces(database.client, [...provinces, ...communes], basename(file));
  write(`imported ${counted(result.written, "place")}; ${counted(result.sampleRowsRemoved, "sample row")} removed`);
  return 0;
}

async function listPlaces(options: PlacesCommandOptions, provinceCode: string | undefined): Promise<number> {
  const { write } = options;
  const index = createPlaceIndex(await loadPlaceRecords(options.database.client));
  if (provinceCode === undefined) {
    for (const province of index.provinces) {
      const communes = index.communesOf(province.code);
      const samples = communes.filter((commune) => commune.sample).length;
      const former = province.formerNames.length > 0 ? `; formerly also ${province.formerNames.join(", ")}` : "";
      write(`${province.code}  ${index.displayName(province)}: ${counted(communes.length, "commune")}${samples > 0 ? ` (${samples} sample)` : ""}${former}`);
    }
    write(counted(index.provinces.length, "province"));
    return 0;
  }
  const province = index.find(provinceCode);
  if (province === undefined || province.level !== "province") {
    write(`error: no province has code ${provinceCode} (npm run loa -- places list shows the codes)`);
    return 1;
  }
  const communes = index.communesOf(province.code);
  for (const commune of communes) {
    const districts = commune.formerDistricts.length > 0 ? `; formerly in ${commune.formerDistricts.join(", ")}` : "";
    write(`${commune.code}  ${index.displayName(commune)}${commune.sample ? " [sample]" : ""}${districts}`);
  }
  write(`${counted(communes.length, "commune")} in ${index.displayName(province)}`);
  if (communes.some((commune) => commune.sample)) write("sample communes are for the demo: import the official list before going live");
  return 0;
}

/**
 * `loa places import <file> [--dry-run]` and `loa places list [--province <code>]`. Both first write the
 * shipped provinces and sample communes into an empty table, as start-up does. An import prints the counts
 * it wrote (or would write), or every row error and exit code 1 with nothing written; usage errors give 2.
 */
export async function runPlacesCommand(options: PlacesCommandOptions): Promise<number> {
  const action = parseArgs(options.args);
  if (action === undefined) {
    options.write(usage);
    return 2;
  }
  try {
    const shipped = await loadShippedPlaces(options.contentDir);
    await seedShippedPlaces(options.database.client, [...shipped.provinces, ...shipped.sampleCommunes]);
    return action.kind === "import" ? await importPlaces(options, action.file, action.dryRun) : await listPlaces(options, action.provinceCode);
  } catch (error) {
    if (!(error instanceof LoaError)) throw error;
    options.write(`error: ${error.message}`);
    return 1;
  }
}

/** Opens the configured database (applying any migration it lacks, as start-up does), runs the command, closes it. */
export async function runPlaces(options: { config: Config; projectRoot: string; args: readonly string[]; write: (line: string) => void }): Promise<number> {
  const { config, projectRoot } = options;
  const database = await openMigratedDatabase({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, projectRoot });
  try {
    return await runPlacesCommand({ database, contentDir: resolve(projectRoot, config.CONTENT_DIR), args: options.args, write: options.write });
  } finally {
    await database.close();
  }
}
