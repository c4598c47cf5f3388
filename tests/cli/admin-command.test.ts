import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPrompter, runAdmin } from "../../src/cli/admin-command.ts";
import { createStaffSide, type StaffSide } from "../../src/staff/staff-side.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

describe("loa admin", () => {
  let test: TestDatabase;
  let staff: StaffSide;
  let lines: string[];

  beforeEach(async () => {
    test = await createTestDatabase("sqlite");
    staff = createStaffSide({ db: test.database.client, now: () => new Date("2026-11-26T00:00:00Z") });
    lines = [];
  });
  afterEach(async () => {
    await test.drop();
  });

  function scripted(answers: string[]) {
    const input = new PassThrough();
    input.end(answers.map((answer) => `${answer}\n`).join(""));
    const output = new PassThrough();
    return createPrompter(input, output);
  }

  it("creates the first admin from piped answers, audits it, and then an API token shown once", async () => {
    const prompter = scripted(["chi.lan", "Chị Lan", "suối chảy qua bản", "suối chảy qua bản"]);
    expect(await runAdmin("create", [], { staff, ask: prompter.ask, write: (line) => lines.push(line) })).toBe(0);
    expect(await staff.accounts.hasAdmin()).toBe(true);
    expect((await staff.audit.list()).map((entry) => entry.action)).toEqual(["account-created"]);
    expect(await runAdmin("token", ["--username", "chi.lan", "--name", "báo cáo"], { staff, ask: prompter.ask, write: (line) => lines.push(line) })).toBe(0);
    const token = lines.at(-1)?.split("\n").at(-1) ?? "";
    expect(await staff.apiTokens.resolve(token)).toMatchObject({ username: "chi.lan", role: "admin" });
  });

  it("resets a password from the command line", async () => {
    const prompter = scripted(["chi.lan", "Chị Lan", "suối chảy qua bản", "suối chảy qua bản", "mật khẩu mới dài", "mật khẩu mới dài"]);
    await runAdmin("create", [], { staff, ask: prompter.ask, write: (line) => lines.push(line) });
    expect(await runAdmin("password", ["--username", "chi.lan"], { staff, ask: prompter.ask, write: (line) => lines.push(line) })).toBe(0);
    expect(await staff.signIn("chi.lan", "mật khẩu mới dài")).toMatchObject({ ok: true });
    expect((await staff.audit.list()).map((entry) => entry.action)).toContain("password-changed");
  });

  it("refuses two different passwords and a weak one, creating nothing", async () => {
    const differ = scripted(["suối chảy qua bản", "suối chảy qua bản nhỏ"]);
    expect(await runAdmin("create", ["--username", "lan", "--name", "Lan"], { staff, ask: differ.ask, write: (line) => lines.push(line) })).toBe(1);
    const weak = scripted(["ngắn", "ngắn"]);
    expect(await runAdmin("create", ["--username", "lan", "--name", "Lan"], { staff, ask: weak.ask, write: (line) => lines.push(line) })).toBe(1);
    expect(lines).toEqual(["error: the two passwords differ", "error: password: at least 10 characters"]);
    expect(await staff.accounts.hasAdmin()).toBe(false);
  });

  it("prints its usage for an unknown flag", async () => {
    const prompter = scripted([]);
    expect(await runAdmin("create", ["--role"], { staff, ask: prompter.ask, write: (line) => lines.push(line) })).toBe(2);
    expect(lines[0]).toContain("usage: loa admin create");
  });
});
