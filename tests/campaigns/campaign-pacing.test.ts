import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCampaignDispatcher } from "../../src/campaigns/campaign-dispatcher.ts";
import { createRunPlanner } from "../../src/campaigns/run-planner.ts";
import { createChannelRegistry } from "../../src/channels/channel-registry.ts";
import { createSendPacing } from "../../src/conversation/outbox-dispatcher.ts";
import { loadShippedAssets, loadShippedIndicators } from "../support/pipeline-harness.ts";
import { createLogCapture } from "../support/log-capture.ts";
import { createRecordingChannel } from "../support/recording-channel.ts";
import { createTestClock } from "../support/test-clock.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/test-database.ts";

/** 10:00 in Viet Nam, outside quiet hours. */
const morning = "2026-11-26T03:00:00.000Z";

describe.each(databaseKinds)("campaign pacing on %s", (kind) => {
  let test: TestDatabase;

  beforeEach(async () => {
    test = await createTestDatabase(kind);
  });
  afterEach(async () => {
    await test.drop();
  });

  it("keeps a pass sending at the platform's pace: a delivery the pacing refuses waits for the next slot, and goes back only when none frees up", async () => {
    const db = test.database.client;
    const clock = createTestClock(morning);
    const assets = await loadShippedAssets();
    const channel = createRecordingChannel("fake", { maxPerSecond: 1 });
    const dispatcher = createCampaignDispatcher({ db, channels: createChannelRegistry([channel.adapter]), bot: () => assets, now: clock.now, logger: createLogCapture().logger, pacing: createSendPacing(), indicators: await loadShippedIndicators() });
    for (const id of ["c1", "c2", "c3"]) {
      await db.contact.create({
        data: { id, channel: "fake", channelUserId: `user-${id}`, pseudonym: `p-${id}`, locale: "vi", provinceCode: "14", communeCode: "14-mau-04", consentedAt: clock.now(), createdAt: clock.now(), lastSeenAt: clock.now() },
      });
    }
    await db.campaign.create({
      data: {
        id: "k1",
        name: "pacing",
        provinceCode: "14",
        createdBy: "test",
        status: "approved",
        content: JSON.stringify({ keys: ["child-marriage:intro"] }),
        audience: JSON.stringify({ communeCodes: ["14-mau-04"] }),
        startsAt: clock.now(),
        createdAt: clock.now(),
        updatedAt: clock.now(),
      },
    });
    expect(await createRunPlanner({ db, now: clock.now }).startDueRuns()).toBe(3);

    // One a second: the second delivery waits in the pass until the clock moves a second on (just after the
    // first send); the third finds no slot while the clock stands still, and is put back pending, its attempt
    // not counted.
    let advanced = false;
    const tick = setInterval(() => {
      if (advanced || channel.sends.length !== 1) return;
      advanced = true;
      clock.advance(1_000);
    }, 10);
    expect(await dispatcher.dispatchDue()).toBe(2);
    clearInterval(tick);
    expect(channel.delivered().map((send) => send.to.channelUserId)).toEqual(["user-c1", "user-c2"]);
    const third = await db.campaignDelivery.findFirstOrThrow({ where: { status: { not: "sent" } } });
    expect({ status: third.status, attempts: third.attempts, leaseUntil: third.leaseUntil }).toEqual({ status: "pending", attempts: 0, leaseUntil: null });

    clock.advance(1_000);
    expect(await dispatcher.dispatchDue()).toBe(1);
    expect(channel.delivered()).toHaveLength(3);
  });
});
