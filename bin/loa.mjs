#!/usr/bin/env node
// The `loa` command (`npx loa …` inside the project): runs src/main.ts with tsx, passing on every argument,
// the exit code and the signals that stop it.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const child = spawn(process.execPath, ["--import", "tsx", join(root, "src/main.ts"), ...process.argv.slice(2)], { stdio: "inherit", cwd: process.cwd() });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));
