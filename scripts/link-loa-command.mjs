// Makes `npx loa …` run this project's command line (bin/loa.mjs) by linking it into node_modules/.bin,
// where npx looks first. Run by postinstall. (A package.json "bin" entry would make npx treat the project
// itself as a package to install, which the strict install-script policy in .npmrc refuses.)
import { chmodSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(root, "bin/loa.mjs");
const link = join(root, "node_modules/.bin/loa");
mkdirSync(dirname(link), { recursive: true });
rmSync(link, { force: true });
symlinkSync(relative(dirname(link), target), link);
chmodSync(target, 0o755);
