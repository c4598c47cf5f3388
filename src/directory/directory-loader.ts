import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { ContentError } from "../content/content-error.ts";
import { describeProblems, fieldProblems, readYamlFile } from "../content/data-file.ts";
import { directoryFileEntrySchema, directoryFileSchema, type FileDirectoryEntry } from "./directory-entry.ts";

async function listYamlFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => name.endsWith(".yaml")).sort();
  } catch (cause) {
    throw new ContentError(`cannot list the help directory ${dir}`, "content:file-unreadable", {
      cause,
      context: { dir },
    });
  }
}

function entryLabel(raw: unknown, index: number): string {
  if (typeof raw === "object" && raw !== null && "id" in raw && typeof raw.id === "string") return `"${raw.id}"`;
  return `#${index + 1}`;
}

/**
 * Loads every `*.yaml` file in `dir` (sorted by name, entries in file order, so lookups are stable)
 * and validates each entry. Errors name the file and the entry; ids must be unique across files.
 */
export async function loadDirectory(dir: string): Promise<FileDirectoryEntry[]> {
  const entries: FileDirectoryEntry[] = [];
  const fileOfId = new Map<string, string>();
  for (const name of await listYamlFiles(dir)) {
    const file = join(dir, name);
    const { entries: rawEntries } = await readYamlFile(file, directoryFileSchema);
    rawEntries.forEach((raw, index) => {
      const entry = entryLabel(raw, index);
      const result = directoryFileEntrySchema.safeParse(raw);
      if (!result.success) {
        const problems = fieldProblems(result.error);
        throw new ContentError(`${file}: entry ${entry}: ${describeProblems(problems)}`, "content:directory-invalid", {
          cause: result.error,
          context: { file, entry, problems },
        });
      }
      const earlier = fileOfId.get(result.data.id);
      if (earlier !== undefined) {
        throw new ContentError(`${file}: entry ${entry}: id already used in ${earlier}`, "content:directory-invalid", {
          context: { file, entry, earlierFile: earlier },
        });
      }
      fileOfId.set(result.data.id, file);
      entries.push(result.data);
    });
  }
  return entries;
}
