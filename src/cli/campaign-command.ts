import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { createReferenceDataSource } from "../bot/reference-data-source.ts";
import { campaignResults, type CampaignResults } from "../campaigns/campaign-results.ts";
import { createCampaignService, type CampaignService } from "../campaigns/campaign-service.ts";
import { campaignContentSchema, campaignRecurrenceSchema } from "../campaigns/campaign-spec.ts";
import type { Config } from "../config.ts";
import { describeProblems, fieldProblems, readYamlFile } from "../content/data-file.ts";
import { loadLocaleRegistry } from "../content/locale-registry.ts";
import { loadDirectory } from "../directory/directory-loader.ts";
import { LoaError } from "../errors.ts";
import type { StaffPrincipal } from "../staff/staff-principal.ts";
import { createStaffSide } from "../staff/staff-side.ts";
import type { DatabaseClient } from "../store/database.ts";
import { openMigratedDatabase } from "../store/migrate.ts";

/** Printed when the arguments make no sense. */
export const campaignUsage = [
  "usage: loa campaign list --as <login>",
  "       loa campaign preview --as <login> --communes <code>[,<code>] [--locales vi,hmn] [--channels telegram]",
  "       loa campaign create --as <login> --name <name> --keys <content key>[,<key>] --communes <code>[,<code>] [--locales …] [--channels …]",
  "       loa campaign create --as <login> --name <name> --text-vi <text> [--text-en <text>] [--text-<locale> <text>] [--topic <topic>] --communes …",
  "       loa campaign create --as <login> --name <name> --text-file <texts.yaml: one text per locale code> [--topic <topic>] --communes …",
  "       loa campaign submit|approve|reject|pause|resume|cancel <id> --as <login>",
  "       loa campaign schedule <id> --as <login> --at <ISO date-time> [--every week|month --count <n>]",
  "       loa campaign status <id> --as <login> [--watch]",
].join("\n");

type Parsed = { action: string; id: string | undefined; values: Map<string, string>; watch: boolean };

function parse(args: readonly string[]): Parsed | undefined {
  const [action, ...rest] = args;
  if (action === undefined) return undefined;
  const values = new Map<string, string>();
  let id: string | undefined;
  let watch = false;
  for (let index = 0; index < rest.length; index += 1) {
    const item = rest[index] ?? "";
    if (item === "--watch") watch = true;
    else if (item.startsWith("--")) {
      const value = rest[index + 1];
      if (value === undefined) return undefined;
      values.set(item.slice(2), value);
      index += 1;
    } else if (id === undefined) id = item;
    else return undefined;
  }
  return { action, id, values, watch };
}

const list = (text: string | undefined) => (text ?? "").split(",").map((item) => item.trim()).filter((item) => item.length > 0);

/** A --text-file: the campaign's text per locale code, as YAML (`vi: …`, `en: …`). */
const textFileSchema = z.record(z.string(), z.string());

/**
 * The content `create` was given: library keys (--keys), or written text from --text-file and --text-<locale>
 * (an option wins over the file for the same language); undefined when it was given both or neither.
 */
async function contentOf(values: ReadonlyMap<string, string>): Promise<unknown> {
  const file = values.get("text-file");
  const options = [...values].filter(([name]) => name.startsWith("text-") && name !== "text-file").map(([name, text]) => [name.slice("text-".length), text]);
  const texts = { ...(file === undefined ? {} : await readYamlFile(file, textFileSchema)), ...Object.fromEntries(options) };
  const written = Object.keys(texts).length > 0;
  if (written === values.has("keys")) return undefined;
  const topic = values.get("topic");
  return written ? { texts, ...(topic === undefined ? {} : { topic }) } : { keys: list(values.get("keys")) };
}

/** A progress bar of sent, skipped and failed deliveries: `[██████░░░░] 60% 6/10 sent 5, skipped 1`. */
export function progressBar(results: CampaignResults, width = 30): string {
  const { pending, sending, sent, failed, skipped } = results.byStatus;
  const total = pending + sending + sent + failed + skipped;
  const done = sent + failed + skipped;
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  const percent = total === 0 ? 0 : Math.floor((done / total) * 100);
  return `[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${percent}% ${done}/${total}  sent ${sent}, skipped ${skipped}, failed ${failed}, waiting ${pending + sending}`;
}

/** Runs one campaign action for `principal`; returns the exit code. */
export async function runCampaign(
  parsed: Parsed,
  deps: { campaigns: CampaignService; db: DatabaseClient; principal: StaffPrincipal; write: (line: string) => void; rewrite: (line: string) => void; wait: (ms: number) => Promise<unknown> },
): Promise<number> {
  const { campaigns, principal, write } = deps;
  const audience = () => ({
    communeCodes: list(parsed.values.get("communes")),
    ...(parsed.values.has("locales") ? { locales: list(parsed.values.get("locales")) } : {}),
    ...(parsed.values.has("channels") ? { channels: list(parsed.values.get("channels")) } : {}),
  });
  const id = parsed.id ?? "";
  switch (parsed.action) {
    case "list":
      for (const campaign of await campaigns.list(principal)) write(`${campaign.id}  ${campaign.status.padEnd(9)}  ${campaign.name}`);
      return 0;
    case "preview": {
      const preview = await campaigns.preview(principal, audience());
      write(`${preview.recipients} people; by language ${JSON.stringify(preview.byLocale)}; by channel ${JSON.stringify(preview.byChannel)}`);
      return 0;
    }
    case "create": {
      const given = await contentOf(parsed.values);
      if (given === undefined) break;
      const content = campaignContentSchema.safeParse(given);
      if (!content.success) {
        write(`error: ${describeProblems(fieldProblems(content.error))}`);
        return 1;
      }
      const created = await campaigns.create(principal, { name: parsed.values.get("name") ?? "", content: content.data, audience: audience() });
      write(`Campaign ${created.id} drafted.`);
      return 0;
    }
    case "submit":
    case "approve":
    case "reject":
    case "pause":
    case "resume":
    case "cancel": {
      const moved = await campaigns[parsed.action](principal, id);
      write(`Campaign ${moved.id} is now ${moved.status}.`);
      return 0;
    }
    case "schedule": {
      const at = new Date(parsed.values.get("at") ?? "");
      if (Number.isNaN(at.getTime())) break;
      const every = parsed.values.get("every");
      const recurrence = every === undefined ? null : campaignRecurrenceSchema.parse({ every, count: Number(parsed.values.get("count") ?? "2") });
      const scheduled = await campaigns.schedule(principal, id, at, recurrence);
      write(`Campaign ${scheduled.id} starts ${scheduled.startsAt?.toISOString() ?? ""}.`);
      return 0;
    }
    case "status": {
      for (;;) {
        const campaign = await campaigns.get(principal, id);
        const results = await campaignResults(deps.db, id);
        deps.rewrite(`${campaign.name} (${campaign.status})  ${progressBar(results)}`);
        const finished = !["running", "approved"].includes(campaign.status) || (results.byStatus.pending + results.byStatus.sending === 0 && campaign.status !== "approved");
        if (!parsed.watch || finished) {
          write("");
          write(`reach: ${results.reach.people} people; by commune ${JSON.stringify(results.reach.byCommune)}; by language ${JSON.stringify(results.reach.byLocale)}`);
          write(`read on within 7 days: ${results.followedUp}; skipped or failed: ${JSON.stringify(results.byReason)}`);
          return 0;
        }
        await deps.wait(1_000);
      }
    }
  }
  write(campaignUsage);
  return 2;
}

/** `loa campaign …` from src/main.ts: opens the database, acts as the account named with --as, closes. */
export async function runCampaignCommand(options: { config: Config; projectRoot: string; args: readonly string[]; write: (text: string) => void; isTerminal: boolean }): Promise<number> {
  const parsed = parse(options.args);
  const username = parsed?.values.get("as");
  if (parsed === undefined || username === undefined) {
    options.write(`${campaignUsage}\n`);
    return 2;
  }
  const database = await openMigratedDatabase({ url: options.config.DATABASE_URL, poolSize: 1, projectRoot: options.projectRoot });
  try {
    const now = () => new Date();
    const contentDir = resolve(options.projectRoot, options.config.CONTENT_DIR);
    const reference = createReferenceDataSource({ db: database.client, contentDir, now });
    await reference.seed();
    const { places } = await reference.load();
    const staff = createStaffSide({ db: database.client, now });
    const principal = (await staff.accounts.list()).find((account) => account.username === username.trim().toLowerCase());
    if (principal === undefined) {
      options.write(`error: no account ${username}\n`);
      return 1;
    }
    const locales = (await loadLocaleRegistry(contentDir)).locales.map((locale) => locale.code);
    const fileHelp = await loadDirectory(join(contentDir, "directory"));
    const campaigns = createCampaignService({ db: database.client, places: () => places, audit: staff.audit, now, locales, fileHelp });
    return await runCampaign(parsed, {
      campaigns,
      db: database.client,
      principal,
      write: (line) => options.write(`${line}\n`),
      rewrite: (line) => options.write(options.isTerminal ? `\r${line}` : `${line}\n`),
      wait: (ms) => sleep(ms),
    });
  } catch (error) {
    if (!(error instanceof LoaError)) throw error;
    options.write(`error: ${error.message}\n`);
    return 1;
  } finally {
    await database.close();
  }
}
