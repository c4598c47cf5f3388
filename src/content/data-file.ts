import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { ContentError } from "./content-error.ts";

/** One problem zod found, with the dotted path of the field, so messages name the exact place. */
export type FieldProblem = { field: string; message: string };

/** Turns a zod error into field problems; the root is called "(file)". */
export function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: issue.path.length === 0 ? "(file)" : issue.path.map(String).join("."),
    message: issue.message,
  }));
}

/** Formats field problems on one line, for error messages. */
export function describeProblems(problems: readonly FieldProblem[]): string {
  return problems.map((p) => `${p.field}: ${p.message}`).join("; ");
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (cause) {
    throw new ContentError(`cannot read ${file}`, "content:file-unreadable", { cause, context: { file } });
  }
}

/** Validates an already-read value; on failure throws a ContentError naming the file and each bad field. */
export function validateFileContent<T>(schema: z.ZodType<T>, value: unknown, file: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = fieldProblems(result.error);
  throw new ContentError(`${file}: ${describeProblems(problems)}`, "content:file-invalid", {
    cause: result.error,
    context: { file, problems },
  });
}

/**
 * Reads a YAML data file and validates it. YAML syntax errors and duplicate keys are reported with the
 * file name, and schema errors with the path of each bad field.
 */
export async function readYamlFile<T>(file: string, schema: z.ZodType<T>): Promise<T> {
  const text = await readText(file);
  let value: unknown;
  try {
    value = parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (cause) {
    throw new ContentError(`${file}: not valid YAML: ${String(cause)}`, "content:file-invalid", {
      cause,
      context: { file },
    });
  }
  return validateFileContent(schema, value, file);
}

/** Reads a JSON data file and validates it, reporting the file and field on failure. */
export async function readJsonFile<T>(file: string, schema: z.ZodType<T>): Promise<T> {
  const text = await readText(file);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ContentError(`${file}: not valid JSON: ${String(cause)}`, "content:file-invalid", {
      cause,
      context: { file },
    });
  }
  return validateFileContent(schema, value, file);
}
