import { z } from "zod";
import type { DatabaseClient } from "../store/database.ts";
import type { CampaignAudience } from "./campaign-spec.ts";

/** One person a campaign run will reach: her pseudonym and place are copied to the delivery row. */
export type Recipient = {
  contactId: string;
  pseudonym: string;
  channel: string;
  locale: string;
  provinceCode: string | null;
  communeCode: string | null;
};

const groupsSchema = z.record(z.string(), z.string());

/** Her self-declared groups; an unreadable value counts as none (it matches no group filter). */
function groupsOf(text: string): Record<string, string> {
  try {
    const parsed = groupsSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** Engagement kinds that show she read about a topic. */
const topicKinds = ["content_delivered", "module_completed", "quiz_answered"];

/**
 * The people an audience reaches now: in one of its communes, who agreed to receive messages and have not
 * opted out, matching every other filter given (language, channel, a topic she read about, self-declared
 * groups). A person without a chosen language counts as Vietnamese, as the bot speaks to her.
 */
export async function findRecipients(db: DatabaseClient, audience: CampaignAudience, defaultLocale = "vi"): Promise<Recipient[]> {
  const contacts = await db.contact.findMany({
    where: {
      communeCode: { in: audience.communeCodes },
      consentedAt: { not: null },
      stoppedAt: null,
      ...(audience.channels === undefined ? {} : { channel: { in: audience.channels } }),
    },
    select: { id: true, pseudonym: true, channel: true, locale: true, provinceCode: true, communeCode: true, groups: true },
    orderBy: { id: "asc" },
  });
  let readers: Set<string> | undefined;
  if (audience.topics !== undefined && audience.topics.length > 0) {
    const rows = await db.engagementEvent.findMany({
      where: { kind: { in: topicKinds }, topic: { in: audience.topics }, communeCode: { in: audience.communeCodes } },
      select: { pseudonym: true },
      distinct: ["pseudonym"],
    });
    readers = new Set(rows.map((row) => row.pseudonym));
  }
  const wantedGroups = Object.entries(audience.groups ?? {});
  return contacts
    .map((contact) => ({ ...contact, locale: contact.locale ?? defaultLocale }))
    .filter((contact) => audience.locales === undefined || audience.locales.includes(contact.locale))
    .filter((contact) => readers === undefined || readers.has(contact.pseudonym))
    .filter((contact) => {
      if (wantedGroups.length === 0) return true;
      const groups = groupsOf(contact.groups);
      return wantedGroups.every(([name, value]) => groups[name] === value);
    })
    .map((contact) => ({
      contactId: contact.id,
      pseudonym: contact.pseudonym,
      channel: contact.channel,
      locale: contact.locale,
      provinceCode: contact.provinceCode,
      communeCode: contact.communeCode,
    }));
}
