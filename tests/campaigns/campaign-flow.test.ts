import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCampaignDispatcher, type CampaignDispatcher } from "../../src/campaigns/campaign-dispatcher.ts";
import { createCampaignService, type CampaignService } from "../../src/campaigns/campaign-service.ts";
import { WrittenTextError } from "../../src/campaigns/written-text-check.ts";
import { createRunPlanner, type RunPlanner } from "../../src/campaigns/run-planner.ts";
import { createChannelRegistry } from "../../src/channels/channel-registry.ts";
import { createSendPacing } from "../../src/conversation/outbox-dispatcher.ts";
import { createAuditLog } from "../../src/staff/audit-log.ts";
import type { StaffPrincipal } from "../../src/staff/staff-principal.ts";
import { periodKeyOf } from "../../src/stats/periods.ts";
import { readCounts } from "../../src/stats/stats-query.ts";
import { loadShippedAssets, loadShippedIndicators } from "../support/pipeline-harness.ts";
import { createLogCapture } from "../support/log-capture.ts";
import { createRecordingChannel } from "../support/recording-channel.ts";
import { createTestClock } from "../support/test-clock.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/test-database.ts";

const base = { username: "x", displayName: "X", locale: "vi" as const, provinces: [], communes: [], teamId: null, teamProvinceCode: null };
const sonLa: StaffPrincipal = { ...base, accountId: "son-la", role: "province", provinces: ["14"] };
const langSon: StaffPrincipal = { ...base, accountId: "lang-son", role: "province", provinces: ["20"] };
const team: StaffPrincipal = { ...base, accountId: "lan", role: "commune", communes: ["14-mau-04"], teamId: "team-mb", teamProvinceCode: "14" };

/** 10:00 in Viet Nam, outside quiet hours. */
const morning = "2026-11-26T03:00:00.000Z";

describe.each(databaseKinds)("campaigns on %s", (kind) => {
  let test: TestDatabase;
  let clock: ReturnType<typeof createTestClock>;
  let service: CampaignService;
  let planner: RunPlanner;
  let dispatcher: CampaignDispatcher;
  let channel: ReturnType<typeof createRecordingChannel>;

  beforeEach(async () => {
    test = await createTestDatabase(kind);
    clock = createTestClock(morning);
    const db = test.database.client;
    const assets = await loadShippedAssets();
    channel = createRecordingChannel("fake", { maxPerSecond: 1000 });
    service = createCampaignService({ db, places: () => assets.setup.places, audit: createAuditLog(db, clock.now), now: clock.now, locales: assets.catalog.locales, fileHelp: assets.directory });
    planner = createRunPlanner({ db, now: clock.now });
    dispatcher = createCampaignDispatcher({ db, channels: createChannelRegistry([channel.adapter]), bot: () => assets, now: clock.now, logger: createLogCapture().logger, pacing: createSendPacing(), indicators: await loadShippedIndicators() });
    await db.staffTeam.create({ data: { id: "team-mb", name: "Tổ Mường Bú", provinceCode: "14", createdAt: clock.now() } });
    const people = [
      { id: "c1", communeCode: "14-mau-04", locale: "vi", groups: '{"pregnant":"yes"}' },
      { id: "c2", communeCode: "14-mau-04", locale: "en", groups: "{}" },
      { id: "c3", communeCode: "14-mau-05", locale: "vi", groups: "{}" },
      { id: "c4", communeCode: "14-mau-04", locale: "vi", groups: "{}", consentedAt: null },
    ];
    for (const person of people) {
      await db.contact.create({
        data: {
          id: person.id,
          channel: "fake",
          channelUserId: `user-${person.id}`,
          pseudonym: `p-${person.id}`,
          locale: person.locale,
          provinceCode: "14",
          communeCode: person.communeCode,
          groups: person.groups,
          consentedAt: "consentedAt" in person ? null : clock.now(),
          createdAt: clock.now(),
          lastSeenAt: clock.now(),
        },
      });
    }
  });
  afterEach(async () => {
    await test.drop();
  });

  const draft = (communeCodes: string[], extra: object = {}) => ({ name: "Tháng hành động vì trẻ em", content: { keys: ["child-marriage:intro"] }, audience: { communeCodes, ...extra } });

  async function runToEnd(): Promise<void> {
    for (let pass = 0; pass < 20; pass += 1) {
      await planner.startDueRuns();
      const done = await dispatcher.dispatchDue();
      await planner.closeFinishedRuns();
      if (done === 0) clock.advance(3_000);
    }
  }

  it("lets a team target only its own communes, and shows a live count before sending", async () => {
    await expect(service.create(team, draft(["14-mau-05"]))).rejects.toMatchObject({ code: "staff:forbidden" });
    await expect(service.create(langSon, draft(["14-mau-04"]))).rejects.toMatchObject({ code: "staff:forbidden" });
    expect(await service.preview(team, { communeCodes: ["14-mau-04"] })).toEqual({ recipients: 2, byLocale: { vi: 1, en: 1 }, byChannel: { fake: 2 } });
    expect((await service.preview(team, { communeCodes: ["14-mau-04"], locales: ["en"] })).recipients).toBe(1);
    expect((await service.preview(team, { communeCodes: ["14-mau-04"], groups: { pregnant: "yes" } })).recipients).toBe(1);
    expect((await service.preview(sonLa, { communeCodes: ["14-mau-04", "14-mau-05"] })).recipients).toBe(3);
    await test.database.client.engagementEvent.create({
      data: { kind: "module_completed", occurredAt: clock.now(), pseudonym: "p-c2", channel: "fake", communeCode: "14-mau-04", topic: "safe-birth" },
    });
    expect((await service.preview(team, { communeCodes: ["14-mau-04"], topics: ["safe-birth"] })).recipients).toBe(1);
    expect((await service.preview(team, { communeCodes: ["14-mau-04"], topics: ["violence"] })).recipients).toBe(0);
    expect((await service.preview(team, { communeCodes: ["14-mau-04"], channels: ["telegram"] })).recipients).toBe(0);
  });

  it("needs approval by the province (or the team when an admin allows it) before it can be scheduled", async () => {
    const campaign = await service.create(team, draft(["14-mau-04"]));
    await service.submit(team, campaign.id);
    await expect(service.approve(team, campaign.id)).rejects.toMatchObject({ code: "staff:forbidden" });
    await expect(service.approve(langSon, campaign.id)).rejects.toMatchObject({ code: "staff:not-found" });
    await expect(service.schedule(team, campaign.id, clock.now(), null)).rejects.toMatchObject({ code: "staff:wrong-state" });
    expect((await service.approve(sonLa, campaign.id)).status).toBe("approved");

    const own = await service.create(team, draft(["14-mau-04"]));
    await service.submit(team, own.id);
    await test.database.client.staffTeam.update({ where: { id: "team-mb" }, data: { selfApprove: true } });
    expect((await service.approve(team, own.id)).status).toBe("approved");
  });

  it("sends each person in the audience the content in her own language, once, and records it for reach", async () => {
    const campaign = await service.create(team, draft(["14-mau-04"]));
    await service.submit(team, campaign.id);
    await service.approve(sonLa, campaign.id);
    await service.schedule(team, campaign.id, clock.now(), null);
    await runToEnd();
    await runToEnd();
    const sent = channel.delivered();
    expect(sent.map((send) => send.to.channelUserId).sort()).toEqual(["user-c1", "user-c2"]);
    const english = sent.find((send) => send.to.channelUserId === "user-c2");
    expect(english?.message.locale).toBe("en");
    expect(new Set(sent.map((send) => send.idempotencyKey)).size).toBe(2);
    expect((await service.get(team, campaign.id)).status).toBe("completed");
    const events = await test.database.client.engagementEvent.findMany({ where: { kind: "campaign_delivered" } });
    expect(events.map((event) => [event.pseudonym, event.topic]).sort()).toEqual([
      ["p-c1", "child-marriage"],
      ["p-c2", "child-marriage"],
    ]);
    expect(events.every((event) => event.campaignId === campaign.id && event.teamId === "team-mb")).toBe(true);
    const reach = await readCounts(test.database.client, { periods: [periodKeyOf("year", clock.now())], provinceCode: "14", dimension: "campaign", metrics: ["people", "messages"] });
    expect(reach.map((row) => [row.value, row.metric, row.count])).toEqual([
      [campaign.id, "messages", 2],
      [campaign.id, "people", 2],
    ]);
  });

  it("sends written text in her language where the team wrote one, else the Vietnamese after the notice in her language", async () => {
    const db = test.database.client;
    await db.contact.create({
      data: { id: "c5", channel: "fake", channelUserId: "user-c5", pseudonym: "p-c5", locale: "hmn", provinceCode: "14", communeCode: "14-mau-04", consentedAt: clock.now(), createdAt: clock.now(), lastSeenAt: clock.now() },
    });
    const texts = { vi: "Bạo lực gia đình không phải chuyện riêng. Gọi 111.", hmn: "Ntawv Hmoob rau 111." };
    const campaign = await service.create(team, { name: "Ngày Gia đình Việt Nam", content: { texts, topic: "violence" }, audience: { communeCodes: ["14-mau-04"] } });
    await service.submit(team, campaign.id);
    await service.approve(sonLa, campaign.id);
    await service.schedule(team, campaign.id, clock.now(), null);
    await runToEnd();
    const received = Object.fromEntries(channel.delivered().map((send) => [send.to.channelUserId, { text: send.message.text, locale: send.message.locale }]));
    expect(received).toEqual({
      "user-c1": { text: texts.vi, locale: "vi" },
      "user-c2": { text: `This part is in Vietnamese.\n\n${texts.vi}`, locale: "en" },
      "user-c5": { text: texts.hmn, locale: "hmn" },
    });
    const events = await db.engagementEvent.findMany({ where: { kind: "campaign_delivered" }, orderBy: { pseudonym: "asc" } });
    expect(events.map((event) => [event.pseudonym, event.topic, event.contentKey])).toEqual([
      ["p-c1", "violence", null],
      ["p-c2", "violence", null],
      ["p-c5", "violence", null],
    ]);
  });

  it("lets written text state only numbers of the help directory its communes see, and no links", async () => {
    const db = test.database.client;
    const entry = (id: string, phone: string, scope: "province" | "commune", provinceCode: string, communeCode: string | null) =>
      db.helpEntry.create({ data: { id, kind: "trusted-address", name: id, phone, scope, provinceCode, communeCode, topics: '["violence"]', verifiedOn: clock.now(), source: "test" } });
    await entry("muong-bu", "0212 3845 001", "commune", "14", "14-mau-04");
    await entry("muong-la", "0212 3845 002", "commune", "14", "14-mau-05");
    await entry("son-la", "0212 3845 003", "province", "14", null);
    await entry("lang-son", "0205 3845 004", "province", "20", null);
    const written = (vi: string, extra: Record<string, string> = {}) => ({ name: "Tự viết", content: { texts: { vi, ...extra } }, audience: { communeCodes: ["14-mau-04"] } });
    const refusal = (draft: ReturnType<typeof written>) =>
      service.create(team, draft).then(
        () => [],
        (error: unknown) => (error instanceof WrittenTextError ? error.problems : [error]),
      );

    expect(await refusal(written("Gọi 111, 1900 969 680, Địa chỉ tin cậy 0212.3845.001 hoặc Hội Phụ nữ tỉnh 0212 3845 003."))).toEqual([]);
    expect(await refusal(written("Gọi 0212 3845 002 hoặc 0205 3845 004."))).toEqual([
      { locale: "vi", kind: "number", found: "0212 3845 002" },
      { locale: "vi", kind: "number", found: "0205 3845 004" },
    ]);
    expect(await refusal(written("Xem zalo.me/loa", { en: "Call 0912 345 678", fr: "Bonjour" }))).toEqual([
      { locale: "vi", kind: "link", found: "zalo.me/loa" },
      { locale: "en", kind: "number", found: "0912 345 678" },
      { locale: "fr", kind: "locale", found: "fr" },
    ]);
    expect(await db.campaign.count()).toBe(1);

    // The directory may change between the draft and its submission: the check runs again, and a refused
    // campaign stays a draft.
    const campaign = await service.create(team, written("Gọi Địa chỉ tin cậy xã: 0212 3845 001."));
    await db.helpEntry.update({ where: { id: "muong-bu" }, data: { active: false } });
    await expect(service.submit(team, campaign.id)).rejects.toMatchObject({ code: "staff:text-refused", problems: [{ locale: "vi", kind: "number", found: "0212 3845 001" }] });
    expect((await service.get(team, campaign.id)).status).toBe("draft");
    await db.helpEntry.update({ where: { id: "muong-bu" }, data: { active: true } });
    expect((await service.submit(team, campaign.id)).status).toBe("submitted");
  });

  it("skips people who opted out, deleted their data or blocked the bot, each with its reason", async () => {
    const campaign = await service.create(sonLa, draft(["14-mau-04", "14-mau-05"]));
    await service.submit(sonLa, campaign.id);
    await service.approve(sonLa, campaign.id);
    await service.schedule(sonLa, campaign.id, clock.now(), null);
    await planner.startDueRuns();
    const db = test.database.client;
    await db.contact.update({ where: { id: "c1" }, data: { stoppedAt: clock.now() } });
    await db.contact.delete({ where: { id: "c2" } });
    channel.failNext("blocked");
    await runToEnd();
    const deliveries = await db.campaignDelivery.findMany({ orderBy: { pseudonym: "asc" } });
    expect(deliveries.map((row) => [row.pseudonym, row.status, row.reason])).toEqual([
      ["p-c1", "skipped", "opted-out"],
      ["p-c2", "skipped", "deleted"],
      ["p-c3", "skipped", "blocked"],
    ]);
    expect((await db.contact.findUniqueOrThrow({ where: { id: "c3" } })).stoppedAt).not.toBeNull();
  });

  it("waits out quiet hours and a rate limit, and lets her own conversation go first", async () => {
    clock = createTestClock("2026-11-26T15:00:00.000Z"); // 22:00 in Viet Nam
    const db = test.database.client;
    const assets = await loadShippedAssets();
    service = createCampaignService({ db, places: () => assets.setup.places, audit: createAuditLog(db, clock.now), now: clock.now, locales: assets.catalog.locales, fileHelp: assets.directory });
    planner = createRunPlanner({ db, now: clock.now });
    dispatcher = createCampaignDispatcher({ db, channels: createChannelRegistry([channel.adapter]), bot: () => assets, now: clock.now, logger: createLogCapture().logger, pacing: createSendPacing(), indicators: await loadShippedIndicators() });
    const campaign = await service.create(team, draft(["14-mau-04"], { locales: ["vi"] }));
    await service.submit(team, campaign.id);
    await service.approve(sonLa, campaign.id);
    await service.schedule(team, campaign.id, clock.now(), null);
    await planner.startDueRuns();
    expect(await dispatcher.dispatchDue()).toBe(0);
    const deferred = await db.campaignDelivery.findFirstOrThrow();
    expect(deferred.nextAttemptAt.toISOString()).toBe("2026-11-27T00:00:00.000Z"); // 07:00 in Viet Nam
    clock.advance(9 * 3_600_000);
    await db.outboxMessage.create({ data: { channel: "fake", channelUserId: "user-c1", payload: "{}", nextAttemptAt: clock.now(), createdAt: clock.now() } });
    expect(await dispatcher.dispatchDue()).toBe(0);
    await db.outboxMessage.updateMany({ data: { status: "sent" } });
    clock.advance(3_000);
    channel.failNext("rate_limited", 1, 5);
    expect(await dispatcher.dispatchDue()).toBe(0);
    clock.advance(2_000);
    expect(await dispatcher.dispatchDue()).toBe(0);
    clock.advance(3_000);
    expect(await dispatcher.dispatchDue()).toBe(1);
    expect(channel.sends.map((send) => send.outcome)).toEqual(["rate_limited", "delivered"]);
    expect((await db.campaignDelivery.findFirstOrThrow()).attempts).toBe(1);
  });

  it("resumes after a crash mid-send without losing or doubling a delivery, and plans a run only once", async () => {
    const campaign = await service.create(team, draft(["14-mau-04"]));
    await service.submit(team, campaign.id);
    await service.approve(sonLa, campaign.id);
    await service.schedule(team, campaign.id, clock.now(), { every: "week", count: 2 });
    const db = test.database.client;
    await Promise.all([planner.startDueRuns(), planner.startDueRuns()]);
    expect(await db.campaignDelivery.count()).toBe(2);
    // A sender claimed one delivery and died before marking it: its lease runs out and it is sent again, with
    // the same idempotency key, so a platform that deduplicates (as the simulator does) delivers it once.
    const first = await db.campaignDelivery.findFirstOrThrow({ orderBy: { id: "asc" } });
    await db.campaignDelivery.update({ where: { id: first.id }, data: { status: "sending", attempts: 1, leaseUntil: new Date(clock.now().getTime() + 30_000) } });
    await dispatcher.dispatchDue();
    expect(channel.sends).toHaveLength(1);
    clock.advance(31_000);
    await runToEnd();
    expect(channel.delivered().map((send) => send.idempotencyKey).sort()).toEqual([`campaign-${first.id}`, `campaign-${first.id + 1}`]);
    // The weekly repeat waits for next week, then reaches the same people again in a new run.
    expect((await service.get(team, campaign.id)).status).toBe("approved");
    clock.advance(7 * 86_400_000);
    await runToEnd();
    expect(channel.delivered()).toHaveLength(4);
    expect((await service.get(team, campaign.id)).status).toBe("completed");
    expect(await db.campaignDelivery.groupBy({ by: ["runNumber"], _count: { _all: true }, orderBy: { runNumber: "asc" } })).toEqual([
      { runNumber: 1, _count: { _all: 2 } },
      { runNumber: 2, _count: { _all: 2 } },
    ]);
  });

  it("cancels the deliveries not yet sent", async () => {
    const campaign = await service.create(team, draft(["14-mau-04"]));
    await service.submit(team, campaign.id);
    await service.approve(sonLa, campaign.id);
    await service.schedule(team, campaign.id, clock.now(), null);
    await planner.startDueRuns();
    await service.cancel(team, campaign.id);
    await dispatcher.dispatchDue();
    expect(channel.sends).toHaveLength(0);
    expect((await test.database.client.campaignDelivery.findMany()).map((row) => row.reason)).toEqual(["cancelled", "cancelled"]);
  });
});
