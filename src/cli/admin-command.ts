import { resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { z } from "zod";
import { createReferenceDataSource } from "../bot/reference-data-source.ts";
import type { Config } from "../config.ts";
import { LoaError } from "../errors.ts";
import { staffRoles } from "../staff/staff-principal.ts";
import { createStaffSide, type StaffSide } from "../staff/staff-side.ts";
import { openMigratedDatabase } from "../store/migrate.ts";

/** Printed when the arguments make no sense. */
export const adminUsage = [
  "usage: loa admin create [--username <name>] [--name <display name>]        the first (or another) admin",
  "       loa admin account --username <name> --name <display name> --role province --provinces 14[,20]",
  "       loa admin account --username <name> --name <display name> --role commune --team <team id>",
  "       loa admin team --name <team name> --province <code> --communes <code>[,<code>]",
  "       loa admin token --username <name> --name <what it is for>              prints a new API token once",
  "       loa admin password --username <name>                                    sets a new password, unlocks, signs out everywhere",
  "The password is asked for (not shown); with input from a pipe, its first line is the password.",
].join("\n");

const options = z
  .object({
    username: z.string().optional(),
    name: z.string().trim().min(1).optional(),
    role: z.enum(staffRoles).optional(),
    provinces: z.string().optional(),
    team: z.string().optional(),
    province: z.string().optional(),
    communes: z.string().optional(),
  })
  .strict();

function parseOptions(args: readonly string[]): z.infer<typeof options> | undefined {
  const values: Record<string, string> = {};
  for (let index = 0; index < args.length; index += 2) {
    const flag = args[index];
    const value = args[index + 1];
    if (flag === undefined || !flag.startsWith("--") || value === undefined) return undefined;
    values[flag.slice(2)] = value;
  }
  const parsed = options.safeParse(values);
  return parsed.success ? parsed.data : undefined;
}

const list = (text: string | undefined) => (text ?? "").split(",").map((item) => item.trim()).filter((item) => item.length > 0);

/**
 * Asks questions on the terminal, or reads answers line by line from a pipe (for scripts). On a terminal a
 * hidden answer (a password) is read key by key with echo off, so it never shows on screen or in scrollback.
 */
export function createPrompter(input: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown }, output: Writable) {
  const terminal = input.isTTY === true && typeof input.setRawMode === "function";
  const lines = terminal ? undefined : createInterface({ input, terminal: false });
  const queued: string[] = [];
  const waiting: Array<(line: string | undefined) => void> = [];
  let closed = false;
  lines?.on("line", (line) => (waiting.length > 0 ? waiting.shift()?.(line) : queued.push(line)));
  lines?.on("close", () => {
    closed = true;
    for (const resolveLine of waiting.splice(0)) resolveLine(undefined);
  });
  const pipedLine = () =>
    new Promise<string | undefined>((resolveLine) => {
      if (queued.length > 0) resolveLine(queued.shift());
      else if (closed) resolveLine(undefined);
      else waiting.push(resolveLine);
    });
  const terminalLine = (hidden: boolean) =>
    new Promise<string | undefined>((resolveLine) => {
      let typed = "";
      input.setRawMode?.(true);
      input.resume();
      const onData = (chunk: Buffer) => {
        for (const char of chunk.toString("utf8")) {
          if (char === "\r" || char === "\n" || char === "\u0004" || char === "\u0003") {
            input.off("data", onData);
            input.setRawMode?.(false);
            input.pause();
            output.write("\n");
            resolveLine(char === "\u0003" ? undefined : typed);
            return;
          }
          if (char === "\u007f" || char === "\b") {
            if (typed.length > 0 && !hidden) output.write("\b \b");
            typed = typed.slice(0, -1);
          } else {
            typed += char;
            if (!hidden) output.write(char);
          }
        }
      };
      input.on("data", onData);
    });
  return {
    async ask(question: string, hidden = false): Promise<string> {
      output.write(question);
      const line = terminal ? await terminalLine(hidden) : await pipedLine();
      if (line === undefined) throw new LoaError("no answer: the input ended", "cli:input-ended");
      return line;
    },
    close: () => lines?.close(),
  };
}

/** Runs one admin action on an open staff side; returns the exit code. */
export async function runAdmin(action: string, args: readonly string[], deps: { staff: StaffSide; ask: (question: string, hidden?: boolean) => Promise<string>; write: (line: string) => void }): Promise<number> {
  const flags = parseOptions(args);
  if (flags === undefined) {
    deps.write(adminUsage);
    return 2;
  }
  const password = async () => {
    const first = await deps.ask("Mật khẩu (ít nhất 10 ký tự) / password: ", true);
    const again = await deps.ask("Nhập lại / again: ", true);
    if (first !== again) throw new LoaError("the two passwords differ", "cli:password-mismatch");
    return first;
  };
  try {
    switch (action) {
      case "create": {
        const username = flags.username ?? (await deps.ask("Tên đăng nhập / login name: "));
        const name = flags.name ?? (await deps.ask("Họ tên / display name: "));
        const admin = await deps.staff.accounts.create({ username, displayName: name, password: await password(), role: "admin" });
        await deps.staff.audit.record({ accountId: admin.accountId, action: "account-created", target: `account:${admin.username}`, outcome: "ok", detail: { role: "admin", by: "command line" } });
        deps.write(`Admin ${admin.username} created. Sign in at /console.`);
        return 0;
      }
      case "account": {
        if (flags.username === undefined || flags.name === undefined || flags.role === undefined) break;
        const account = await deps.staff.accounts.create({
          username: flags.username,
          displayName: flags.name,
          password: await password(),
          role: flags.role,
          ...(flags.role === "province" ? { provinces: list(flags.provinces) } : {}),
          ...(flags.team === undefined ? {} : { teamId: flags.team }),
        });
        await deps.staff.audit.record({ accountId: account.accountId, action: "account-created", target: `account:${account.username}`, outcome: "ok", detail: { role: account.role, by: "command line" } });
        deps.write(`Account ${account.username} (${account.role}) created.`);
        return 0;
      }
      case "team": {
        if (flags.name === undefined || flags.province === undefined) break;
        const id = await deps.staff.accounts.createTeam({ name: flags.name, provinceCode: flags.province, communeCodes: list(flags.communes) });
        await deps.staff.audit.record({ accountId: null, action: "team-created", target: `team:${id}`, outcome: "ok", detail: { communes: list(flags.communes).length, by: "command line" } });
        deps.write(`Team created: ${id}`);
        return 0;
      }
      case "password": {
        if (flags.username === undefined) break;
        const account = (await deps.staff.accounts.list()).find((candidate) => candidate.username === flags.username?.trim().toLowerCase());
        if (account === undefined) {
          deps.write(`error: no account ${flags.username}`);
          return 1;
        }
        await deps.staff.accounts.changePassword(account.accountId, await password());
        await deps.staff.audit.record({ accountId: account.accountId, action: "password-changed", target: `account:${account.username}`, outcome: "ok", detail: { by: "command line" } });
        deps.write(`New password set for ${account.username}; the account is unlocked and signed out everywhere.`);
        return 0;
      }
      case "token": {
        if (flags.username === undefined || flags.name === undefined) break;
        const account = (await deps.staff.accounts.list()).find((candidate) => candidate.username === flags.username?.trim().toLowerCase());
        if (account === undefined) {
          deps.write(`error: no account ${flags.username}`);
          return 1;
        }
        const { id, token } = await deps.staff.apiTokens.create(account.accountId, flags.name);
        await deps.staff.audit.record({ accountId: account.accountId, action: "api-token-created", target: `api-token:${id}`, outcome: "ok", detail: { by: "command line" } });
        deps.write(`API token for ${account.username} (shown once; keep it secret):\n${token}`);
        return 0;
      }
    }
  } catch (error) {
    if (!(error instanceof LoaError)) throw error;
    deps.write(`error: ${error.message}`);
    return 1;
  }
  deps.write(adminUsage);
  return 2;
}

/** `loa admin …` from src/main.ts: opens the database (migrating it, storing the shipped places), runs, closes. */
export async function runAdminCommand(options: { config: Config; projectRoot: string; args: readonly string[]; input: Readable & { isTTY?: boolean }; output: Writable }): Promise<number> {
  const [action = "", ...rest] = options.args;
  const write = (line: string) => options.output.write(`${line}\n`);
  if (!["create", "account", "team", "token", "password"].includes(action)) {
    write(adminUsage);
    return 2;
  }
  const database = await openMigratedDatabase({ url: options.config.DATABASE_URL, poolSize: 1, projectRoot: options.projectRoot });
  const prompter = createPrompter(options.input, options.output);
  try {
    const now = () => new Date();
    await createReferenceDataSource({ db: database.client, contentDir: resolve(options.projectRoot, options.config.CONTENT_DIR), now }).seed();
    return await runAdmin(action, rest, { staff: createStaffSide({ db: database.client, now }), ask: prompter.ask, write });
  } finally {
    prompter.close();
    await database.close();
  }
}
