import type { DatabaseClient } from "../store/database.ts";
import { findRecipients } from "./audience.ts";
import { campaignAudienceSchema, campaignRecurrenceSchema } from "./campaign-spec.ts";

const chunkSize = 500;

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "P2002";
}

/** The start of the next run of a recurring campaign. */
function nextStart(from: Date, every: "week" | "month"): Date {
  const next = new Date(from);
  if (every === "week") next.setUTCDate(next.getUTCDate() + 7);
  else next.setUTCMonth(next.getUTCMonth() + 1);
  return next;
}

/**
 * Starts the runs that are due and closes the runs that are done, safely from several processes at once and
 * after a crash at any point.
 *
 * - A due run first gets one delivery row per recipient (the unique key campaign + run + pseudonym makes a
 *   second planner or a restart add only what is missing), and only then is the campaign marked running on
 *   that run, with a conditional update that one planner wins.
 * - A running campaign whose run has no pending or sending delivery left is completed, or, when it repeats,
 *   waits for its next run.
 */
export function createRunPlanner(deps: { db: DatabaseClient; now: () => Date; defaultLocale?: string }) {
  const { db } = deps;

  async function addDeliveries(campaignId: string, runNumber: number, audienceText: string, now: Date): Promise<number> {
    const recipients = await findRecipients(db, campaignAudienceSchema.parse(JSON.parse(audienceText)), deps.defaultLocale);
    let added = 0;
    for (let start = 0; start < recipients.length; start += chunkSize) {
      const chunk = recipients.slice(start, start + chunkSize);
      for (let attempt = 1; ; attempt += 1) {
        const existing = new Set(
          (await db.campaignDelivery.findMany({ where: { campaignId, runNumber, pseudonym: { in: chunk.map((recipient) => recipient.pseudonym) } }, select: { pseudonym: true } })).map((row) => row.pseudonym),
        );
        const missing = chunk.filter((recipient) => !existing.has(recipient.pseudonym));
        try {
          if (missing.length > 0) {
            await db.campaignDelivery.createMany({
              data: missing.map((recipient) => ({ campaignId, runNumber, ...recipient, status: "pending", nextAttemptAt: now, createdAt: now })),
            });
          }
          added += missing.length;
          break;
        } catch (error) {
          // Another planner added some of the same rows between our read and our write: read again.
          if (!isUniqueViolation(error) || attempt >= 3) throw error;
        }
      }
    }
    return added;
  }

  return {
    /** Starts every due run; returns how many deliveries were added. */
    async startDueRuns(): Promise<number> {
      const now = deps.now();
      const due = await db.campaign.findMany({ where: { status: "approved", startsAt: { lte: now } } });
      let added = 0;
      for (const campaign of due) {
        const run = campaign.runNumber + 1;
        added += await addDeliveries(campaign.id, run, campaign.audience, now);
        await db.campaign.updateMany({ where: { id: campaign.id, status: "approved", runNumber: campaign.runNumber }, data: { status: "running", runNumber: run, updatedAt: now } });
      }
      return added;
    },

    /** Completes finished runs, or schedules the next run of a recurring campaign; returns how many changed. */
    async closeFinishedRuns(): Promise<number> {
      const now = deps.now();
      const running = await db.campaign.findMany({ where: { status: "running" } });
      let changed = 0;
      for (const campaign of running) {
        const open = await db.campaignDelivery.count({ where: { campaignId: campaign.id, runNumber: campaign.runNumber, status: { in: ["pending", "sending"] } } });
        if (open > 0) continue;
        const recurrence = campaign.recurrence === null ? null : campaignRecurrenceSchema.parse(JSON.parse(campaign.recurrence));
        const again = recurrence !== null && campaign.runNumber < recurrence.count && campaign.startsAt !== null;
        const data = again && campaign.startsAt !== null && recurrence !== null
          ? { status: "approved", startsAt: nextStart(campaign.startsAt, recurrence.every), updatedAt: now }
          : { status: "completed", updatedAt: now };
        changed += (await db.campaign.updateMany({ where: { id: campaign.id, status: "running", runNumber: campaign.runNumber }, data })).count;
      }
      return changed;
    },
  };
}

/** The run planner's interface, for code that is handed one. */
export type RunPlanner = ReturnType<typeof createRunPlanner>;
