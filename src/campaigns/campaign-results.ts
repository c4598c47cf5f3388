import type { DatabaseClient } from "../store/database.ts";

/** Engagement that shows she went on to read: a module opened or finished, or a quiz answered. */
const followUpKinds = ["content_delivered", "module_completed", "quiz_answered"];

const deliveryStatuses = ["pending", "sending", "sent", "failed", "skipped"] as const;

/** How long after a campaign message her own reading still counts as following it. */
export const followUpDays = 7;

/** A campaign's progress and results, from its delivery rows and the engagement that followed. */
export type CampaignResults = {
  /** Deliveries by status, over all runs. */
  byStatus: Record<"pending" | "sending" | "sent" | "failed" | "skipped", number>;
  /** Why deliveries were skipped or failed. */
  byReason: Record<string, number>;
  /** Unique people the campaign reached (sent at least once), and how they split by commune and language. */
  reach: { people: number; byCommune: Record<string, number>; byLocale: Record<string, number> };
  /** People who, within 7 days of a message, opened a module or answered a quiz. */
  followedUp: number;
};

/**
 * Counts a campaign's deliveries and what followed, for the progress bar, the command line and the API. Reach
 * counts unique pseudonyms, so a person reached in two runs counts once; it stays after she deletes her data.
 */
export async function campaignResults(db: DatabaseClient, campaignId: string): Promise<CampaignResults> {
  const deliveries = await db.campaignDelivery.findMany({
    where: { campaignId },
    select: { pseudonym: true, status: true, reason: true, communeCode: true, locale: true, sentAt: true },
  });
  const byStatus: CampaignResults["byStatus"] = { pending: 0, sending: 0, sent: 0, failed: 0, skipped: 0 };
  const byReason: Record<string, number> = {};
  const firstSent = new Map<string, { at: Date; communeCode: string | null; locale: string }>();
  for (const row of deliveries) {
    const status = deliveryStatuses.find((known) => known === row.status);
    if (status !== undefined) byStatus[status] += 1;
    if (row.reason !== null) byReason[row.reason] = (byReason[row.reason] ?? 0) + 1;
    if (row.status === "sent" && row.sentAt !== null) {
      const earlier = firstSent.get(row.pseudonym);
      if (earlier === undefined || row.sentAt < earlier.at) firstSent.set(row.pseudonym, { at: row.sentAt, communeCode: row.communeCode, locale: row.locale });
    }
  }
  const byCommune: Record<string, number> = {};
  const byLocale: Record<string, number> = {};
  for (const { communeCode, locale } of firstSent.values()) {
    const commune = communeCode ?? "unknown";
    byCommune[commune] = (byCommune[commune] ?? 0) + 1;
    byLocale[locale] = (byLocale[locale] ?? 0) + 1;
  }
  const followUps = firstSent.size === 0 ? [] : await db.engagementEvent.findMany({ where: { kind: { in: followUpKinds }, pseudonym: { in: [...firstSent.keys()] } }, select: { pseudonym: true, occurredAt: true } });
  const followed = new Set(
    followUps
      .filter((event) => {
        const sent = firstSent.get(event.pseudonym)?.at;
        return sent !== undefined && event.occurredAt > sent && event.occurredAt.getTime() - sent.getTime() <= followUpDays * 86_400_000;
      })
      .map((event) => event.pseudonym),
  );
  return { byStatus, byReason, reach: { people: firstSent.size, byCommune, byLocale }, followedUp: followed.size };
}
