import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCheck } from "../../src/cli/check-command.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const run = promisify(execFile);

describe("npm run check", () => {
  let flowsDir: string;
  let contentDir: string;
  let lines: string[];

  beforeEach(async () => {
    const dir = await mkdtemp(join(tmpdir(), "loa-check-"));
    flowsDir = join(dir, "flows");
    contentDir = join(dir, "content");
    await cp(join(root, "flows"), flowsDir, { recursive: true });
    await cp(join(root, "content"), contentDir, { recursive: true });
    lines = [];
  });
  afterEach(async () => {
    await rm(join(flowsDir, ".."), { recursive: true, force: true });
  });

  const check = () => runCheck({ flowsDir, contentDir, defaultLocale: "vi", write: (line) => lines.push(line) });
  async function edit(file: string, from: string, to: string) {
    const path = join(flowsDir, file);
    const text = await readFile(path, "utf8");
    expect(text).toContain(from);
    await writeFile(path, text.replace(from, to));
  }

  it("passes on the shipped flows and content", async () => {
    expect(await check()).toBe(0);
    expect(lines.at(-1)).toMatch(/ 4 indicators: no errors$/);
  });

  it("fails on an unknown node kind, naming file, node and field", async () => {
    await edit("main.yaml", "  welcome:\n    kind: say", "  welcome:\n    kind: shout");
    expect(await check()).toBe(1);
    expect(lines.join("\n")).toMatch(/main\.yaml: node "welcome", field "kind"/);
  });

  it("fails on a dangling next", async () => {
    await edit("main.yaml", "next: check_consent", "next: nowhere");
    expect(await check()).toBe(1);
    expect(lines.join("\n")).toMatch(/main\.yaml: node "welcome", field "next": "nowhere" is not a node of flow "main"/);
  });

  it("fails on a content key missing in a shipped locale", async () => {
    const path = join(contentDir, "en", "common.json");
    const content = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
    delete content.welcome;
    await writeFile(path, JSON.stringify(content));
    expect(await check()).toBe(1);
    expect(lines.join("\n")).toMatch(/main\.yaml: node "welcome", field "say\.0", locale "en": content key "common:welcome" is missing/);
  });

  it("fails on a place question offering a province the shipped list lacks, and on a broken places file", async () => {
    await edit("place.yaml", 'featured: ["14", "20", "51"]', 'featured: ["14", "99"]');
    expect(await check()).toBe(1);
    expect(lines.filter((line) => line.startsWith("error: ") && line.includes("place.yaml"))).toEqual([
      `error: ${join(flowsDir, "place.yaml")}: node "place", field "featured": "99" is not a province code in content/places/provinces.yaml`,
    ]);
    lines = [];
    await edit("place.yaml", 'featured: ["14", "99"]', 'featured: ["14"]');
    const provinces = join(contentDir, "places/provinces.yaml");
    await writeFile(provinces, (await readFile(provinces, "utf8")).replace('code: "14"', 'code: "20"'));
    expect(await check()).toBe(1);
    expect(lines.at(-1)).toMatch(/^error: .*20/);
  });

  it("fails on a campaign template naming a content key that does not exist", async () => {
    const file = join(contentDir, "campaign-calendar.yaml");
    await writeFile(file, (await readFile(file, "utf8")).replace("keys: [child-marriage:intro, child-marriage:call_111]", "keys: [child-marriage:intro, child-marriage:no_such_key]"));
    expect(await check()).toBe(1);
    expect(lines.some((line) => line.startsWith("error: ") && line.includes('content key "child-marriage:no_such_key" is missing'))).toBe(true);
  });

  it("fails on an indicator with an unknown topic, naming the file, the indicator and the field", async () => {
    const file = join(contentDir, "indicators.yaml");
    await writeFile(file, (await readFile(file, "utf8")).replace("topics: [safe-birth]", "topics: [safe-births]"));
    expect(await check()).toBe(1);
    expect(lines.filter((line) => line.includes("indicators.yaml"))).toEqual([expect.stringMatching(/^error: .*indicators\.yaml: indicators\.safe-birth-reach\.numerator\.topics\.0: /)]);
  });

  it("fails on a number a message states without declaring it in sources.yaml", async () => {
    const path = join(contentDir, "vi/common.json");
    const text = await readFile(path, "utf8");
    await writeFile(path, text.replace('"Phần này bằng tiếng Việt."', '"Phần này bằng tiếng Việt. Gọi 1800 1567."'));
    expect(await check()).toBe(1);
    expect(lines.join("\n")).toContain('error: content vi common:fallback.notice: "common:fallback.notice" in vi states 1800 1567');
  });

  it("fails on a loop with no question to wait on", async () => {
    await edit("main.yaml", "  goodbye:\n    kind: say\n    say: [common:goodbye]\n    next: done", "  goodbye:\n    kind: say\n    say: [common:goodbye]\n    next: again\n  again:\n    kind: goto\n    node: goodbye");
    expect(await check()).toBe(1);
    expect(lines.join("\n")).toMatch(/main\.yaml: node "(goodbye|again)": loop with no question to wait on: main\/(goodbye|again) -> main\/(goodbye|again)/);
  });

  it("exits non-zero from the command line, as CI runs it", async () => {
    await edit("main.yaml", "next: check_consent", "next: nowhere");
    const result = await run(process.execPath, ["--import", "tsx", "src/main.ts", "check"], {
      cwd: root,
      env: { ...process.env, FLOWS_DIR: flowsDir, CONTENT_DIR: contentDir },
    }).then(
      () => ({ code: 0, stdout: "" }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('"nowhere" is not a node of flow "main"');
  });
});
