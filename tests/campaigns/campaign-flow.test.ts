import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCampaignDispatcher, type CampaignDispatcher } from "../../src/campaigns/campaign-dispatcher.ts";
import { createCampaignService, type CampaignService } from "../../src/campaigns/campaign-service.ts";
import { createRunPlanner, type RunPlanner } from "../../src/campaigns/run-planner.ts";
import { createChannelRegistry } from "../../src/channels/channel-registry.ts";
import { createSendPacing } from "../../src/conversation/outbox-dispatcher.ts";
import { createAuditLog } from "../../src/staff/audit-log.ts";
import type { StaffPrincipal } from "../../src/staff/staff-principal.ts";
import { loadShippedAssets } from "../support/pipeline-harness.ts";
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
    service = createCampaignService({ db, places: () => assets.setup.places, audit: createAuditLog(db, clock.now), now: clock.now });
    planner = createRunPlanner({ db, now: clock.now });
    dispatcher = createCampaignDispatcher({ db, channels: createChannelRegistry([channel.adapter]), bot: () => assets, now: clock.now, logger: createLogCapture().logger, pacing: createSendPacing() });
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
    service = createCampaignService({ db, places: () => assets.setup.places, audit: createAuditLog(db, clock.now), now: clock.now });
    planner = createRunPlanner({ db, now: clock.now });
    dispatcher = createCampaignDispatcher({ db, channels: createChannelRegistry([channel.adapter]), bot: () => assets, now: clock.now, logger: createLogCapture().logger, pacing: createSendPacing() });
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
