import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";

const root = fileURLToPath(new URL("../../", import.meta.url));
const jsonLine = z.object({ text: z.string(), contentKeys: z.array(z.string()), options: z.array(z.object({ id: z.string(), label: z.string() })) });

/** Runs `loa chat` as a person would from a shell, with its input piped in. */
function chat(args: string[], input: string, databaseUrl: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ["--import", "tsx", "src/main.ts", "chat", ...args],
      { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: "warn" }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input);
  });
}

describe("npm run chat with piped input", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "loa-chat-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("--json prints one object per bot message, with content keys and options", async () => {
    const result = await chat(["--json"], "xin chào\n1\n2\n5\ncuu toi\n", `file:${join(dir, "json.db")}`);
    expect(result.code, result.stderr).toBe(0);
    const messages = result.stdout.trim().split("\n").map((line) => jsonLine.parse(JSON.parse(line)));
    const keys = messages.map((message) => message.contentKeys.join("+"));
    expect(keys.slice(0, 5)).toEqual(["common:welcome", "common:privacy.about", "common:privacy.kept", "common:privacy.controls", "common:consent.prompt"]);
    expect(messages[4]?.options.map((option) => option.id)).toEqual(["agree", "not-now"]);
    expect(keys).toContain("common:language.confirmed");
    expect(keys.at(-1)).toBe("common:emergency.reply");
    expect(messages.at(-1)?.text).toContain("111");
    const english = messages.find((message) => message.contentKeys[0] === "common:topics.prompt");
    expect(english?.options).toHaveLength(7);
  });

  it("prints menus as numbered lines without --json", async () => {
    const result = await chat([], "xin chào\n", `file:${join(dir, "text.db")}`);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/\n {2}1\. .+\n {2}2\. .+/);
  });
});
