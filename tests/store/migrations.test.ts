import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
const run = promisify(execFile);

/** Runs a project script and returns its exit code with everything it printed, for the failure message. */
async function runScript(script: string, ...args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [script, ...args], { cwd: projectRoot });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    if (error instanceof Error && "code" in error && typeof error.code === "number") {
      const printed = "stdout" in error && "stderr" in error ? `${String(error.stdout)}${String(error.stderr)}` : "";
      return { code: error.code, output: printed };
    }
    throw error;
  }
}

describe("committed Prisma files", () => {
  // First: the migration check below rewrites the schemas from models.prisma before diffing.
  it("have generated schemas that match prisma/models.prisma", async () => {
    const result = await runScript("scripts/prisma-generate.mjs", "--check");
    expect(result.code, result.output).toBe(0);
  });

  it("have a migration for every change in prisma/models.prisma (needs PostgreSQL for the diff)", async () => {
    const result = await runScript("scripts/prisma-migration.mjs", "--check");
    expect(result.code, result.output).toBe(0);
  });
});
