import type { DatabaseClient } from "../../src/store/database.ts";

/**
 * `count` consented people in the sample commune 14-mau-04 on `channel` (ids c0…, pseudonyms p-0…), and a
 * campaign of the child-marriage introduction to that commune, with no quiet hours so a test passes at any
 * hour. `status` "approved" leaves the run to the planner; "running" starts run 1 (add its deliveries yourself).
 */
export async function seedCommuneCampaign(
  db: DatabaseClient,
  options: { id: string; name: string; channel: string; count: number; status: "approved" | "running"; locale?: (index: number) => string },
): Promise<void> {
  const now = new Date();
  const locale = options.locale ?? (() => "vi");
  await db.contact.createMany({
    data: Array.from({ length: options.count }, (_, index) => ({
      id: `c${index}`,
      channel: options.channel,
      channelUserId: `user-${index}`,
      pseudonym: `p-${index}`,
      locale: locale(index),
      provinceCode: "14",
      communeCode: "14-mau-04",
      consentedAt: now,
      createdAt: now,
      lastSeenAt: now,
    })),
  });
  await db.campaign.create({
    data: {
      id: options.id,
      name: options.name,
      provinceCode: "14",
      createdBy: "test",
      status: options.status,
      content: JSON.stringify({ keys: ["child-marriage:intro"] }),
      audience: JSON.stringify({ communeCodes: ["14-mau-04"] }),
      startsAt: now,
      // Equal start and end: no quiet hours.
      quietStart: "00:00",
      quietEnd: "00:00",
      runNumber: options.status === "running" ? 1 : 0,
      createdAt: now,
      updatedAt: now,
    },
  });
}
