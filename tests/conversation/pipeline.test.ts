import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createConversationWorker } from "../../src/conversation/conversation-worker.ts";
import { pruneExpiredRows } from "../../src/conversation/retention.ts";
import { createTurnHandler, maxInboxAttempts } from "../../src/conversation/turn-handler.ts";
import type { MessageRenderer } from "../../src/content/message-renderer.ts";
import { createPipeline, loadShippedIndicators, type Pipeline } from "../support/pipeline-harness.ts";
import { databaseKinds } from "../support/test-database.ts";

const flat = (replies: string[][]) => replies.flat();

/** Takes a new person through welcome, consent, language, Sơn La and a typed commune (confirmed) to the topic menu. */
async function reachTopics(pipeline: Pipeline, userId: string, commune = "Muong Bu") {
  await pipeline.say(userId, "xin chào");
  await pipeline.say(userId, "1");
  await pipeline.say(userId, "1");
  await pipeline.say(userId, "1");
  await pipeline.say(userId, commune);
  return pipeline.say(userId, "có");
}

/** The sample commune Mường Bú of Sơn La (14), as stored when she confirms it. */
const muongBu = { provinceCode: "14", communeCode: "14-mau-04" };

describe.each(databaseKinds)("conversation pipeline on %s", (kind) => {
  let pipeline: Pipeline;
  beforeEach(async () => {
    pipeline = await createPipeline(kind);
  });
  afterEach(async () => {
    await pipeline.drop();
  });

  it("greets a new person with the privacy notice and consent question, then records consent", async () => {
    const first = flat(await pipeline.say("ana", "xin chào"));
    expect(first[0]).toBe("common:welcome");
    expect(first).toContain("common:privacy.kept");
    expect(first.at(-1)).toBe("common:consent.prompt");
    expect(await pipeline.database.client.contact.count({ where: { consentedAt: { not: null } } })).toBe(0);
    await pipeline.say("ana", "1");
    const contact = await pipeline.database.client.contact.findFirstOrThrow();
    expect(contact.consentedAt?.toISOString()).toBe(pipeline.clock.now().toISOString());
    const kinds = (await pipeline.database.client.engagementEvent.findMany()).map((event) => event.kind);
    expect(kinds).toContain("consent_recorded");
  });

  it("reaches the topic menu with her province and commune stored as codes, and nothing she typed", async () => {
    const replies = await reachTopics(pipeline, "ana", "xa Muong Bu nha em o ban tren");
    expect(flat(replies).at(-1)).toBe("common:topics.prompt");
    const contact = await pipeline.database.client.contact.findFirstOrThrow();
    expect(contact).toMatchObject({ ...muongBu, communeName: null, locale: "vi" });
    expect(await pipeline.dumpAllRows()).not.toContain("ban tren");
    const inbox = await pipeline.database.client.inboxMessage.findMany();
    expect(inbox.every((row) => row.status === "done" && row.payload === null)).toBe(true);
  });

  it("never stores what a person writes about violence, and answers it with the hotlines in one reply", async () => {
    await reachTopics(pipeline, "ana");
    const text = "chồng tôi đánh tôi tối qua ở nhà";
    const replies = await pipeline.say("ana", text);
    expect(replies).toEqual([["common:emergency.reply"]]);
    const [reply] = (await pipeline.delivered("ana")).slice(-1);
    expect(reply?.text).toContain("111");
    expect(reply?.text).toContain("113");
    expect(await pipeline.dumpAllRows()).not.toContain("tối qua");
    expect(pipeline.logs.lines.join("\n")).not.toContain("tối qua");
    const session = await pipeline.database.client.session.findFirstOrThrow();
    expect(session.state).toContain('"nodeId":"topics"');
  });

  it("answers an emergency before consent, with no session yet", async () => {
    expect(await pipeline.say("bao", "cuu toi")).toEqual([["common:emergency.reply"]]);
    expect(await pipeline.database.client.session.count()).toBe(0);
  });

  it("handles a redelivered update once", async () => {
    const update = { channel: "simulator", externalId: "same-update", channelUserId: "ana", message: { kind: "text" as const, text: "xin chào" } };
    const { acceptInboundUpdate } = await import("../../src/conversation/inbox.ts");
    const first = await acceptInboundUpdate(pipeline.database.client, update, pipeline.clock.now());
    const again = await acceptInboundUpdate(pipeline.database.client, update, pipeline.clock.now());
    expect(again).toEqual({ inboxId: first.inboxId, duplicate: true });
    await pipeline.settle();
    await acceptInboundUpdate(pipeline.database.client, update, pipeline.clock.now());
    await pipeline.settle();
    expect(await pipeline.database.client.inboxMessage.count()).toBe(1);
    const welcomes = (await pipeline.delivered("ana")).filter((reply) => reply.contentKeys[0] === "common:welcome");
    expect(welcomes).toHaveLength(1);
  });

  it("handles each person's messages in the order they arrived", async () => {
    for (const text of ["xin chào", "1", "1", "1", "Muong Bu", "có"]) await pipeline.receive("ana", text);
    for (const text of ["xin chào", "2"]) await pipeline.receive("bao", text);
    await pipeline.settle();
    const ana = await pipeline.database.client.contact.findFirstOrThrow({ where: { channelUserId: "ana" } });
    expect(ana).toMatchObject(muongBu);
    const bao = flat((await pipeline.delivered("bao")).map((reply) => reply.contentKeys));
    expect(bao).toContain("common:consent.declined");
  });

  it("opts a person out on 'dừng' and sends nothing more until she writes again", async () => {
    await reachTopics(pipeline, "ana");
    expect(await pipeline.say("ana", "DUNG")).toEqual([["common:stop.confirmed"]]);
    const stopped = await pipeline.database.client.contact.findFirstOrThrow();
    expect(stopped.stoppedAt).not.toBeNull();
    expect(await pipeline.database.client.session.count()).toBe(0);
    const back = flat(await pipeline.say("ana", "chào"));
    expect(back[0]).toBe("common:optin.welcome_back");
    expect((await pipeline.database.client.contact.findFirstOrThrow()).stoppedAt).toBeNull();
  });

  it("does not send replies still waiting from before she opted out, only the confirmation", async () => {
    await reachTopics(pipeline, "ana");
    const { inboxId } = await pipeline.receive("ana", "4");
    await pipeline.worker.handlePending();
    const waiting = await pipeline.database.client.outboxMessage.count({ where: { inboxId } });
    expect(waiting).toBeGreaterThan(1);
    await pipeline.receive("ana", "dừng");
    await pipeline.settle();
    const keys = flat((await pipeline.delivered("ana")).map((reply) => reply.contentKeys));
    expect(keys.at(-1)).toBe("common:stop.confirmed");
    expect(keys).not.toContain("violence:intro");
    const statuses = (await pipeline.database.client.outboxMessage.findMany({ where: { inboxId } })).map((row) => row.status);
    expect(statuses).toEqual(Array.from({ length: waiting }, () => "cancelled"));
  });

  it("marks a person who blocked the bot on the platform as stopped, cancelling what was waiting", async () => {
    await reachTopics(pipeline, "ana");
    await pipeline.receive("ana", "4");
    await pipeline.worker.handlePending();
    await pipeline.receive("ana", { kind: "blocked" });
    await pipeline.settle();
    const contact = await pipeline.database.client.contact.findFirstOrThrow();
    expect(contact.stoppedAt).not.toBeNull();
    expect(await pipeline.database.client.session.count()).toBe(0);
    expect((await pipeline.delivered("ana")).map((reply) => reply.contentKeys[0])).not.toContain("violence:intro");
    const kinds = (await pipeline.database.client.engagementEvent.findMany()).map((event) => event.kind);
    expect(kinds).toContain("blocked_bot");
  });

  it("keeps nothing about someone whose only update is that she blocked the bot", async () => {
    await pipeline.receive("stranger", { kind: "blocked" });
    await pipeline.settle();
    expect(await pipeline.database.client.contact.count()).toBe(0);
    expect((await pipeline.database.client.inboxMessage.findFirstOrThrow()).status).toBe("done");
  });

  it("deletes a person's data after confirmation, keeping only the counted figures", async () => {
    await reachTopics(pipeline, "ana");
    await pipeline.say("ana", "4");
    const { pseudonym, id: contactId } = await pipeline.database.client.contact.findFirstOrThrow();
    const now = pipeline.clock.now();
    await pipeline.database.client.campaign.create({
      data: { id: "campaign-1", name: "Test", provinceCode: "14", createdBy: "admin", status: "running", content: '{"keys":["violence:intro"]}', audience: '{"communeCodes":["14-mau-04"]}', createdAt: now, updatedAt: now },
    });
    await pipeline.database.client.campaignDelivery.create({
      data: { campaignId: "campaign-1", runNumber: 1, pseudonym, contactId, channel: "simulator", locale: "vi", status: "pending", nextAttemptAt: now, createdAt: now },
    });
    const eventsBefore = await pipeline.database.client.engagementEvent.count();
    expect(flat(await pipeline.say("ana", "xoá dữ liệu"))).toEqual(["common:delete.confirm"]);
    expect(await pipeline.database.client.contact.count()).toBe(1);
    expect(flat(await pipeline.say("ana", "có"))).toEqual(["common:delete.done"]);
    expect(await pipeline.database.client.contact.count()).toBe(0);
    expect(await pipeline.database.client.session.count()).toBe(0);
    expect(await pipeline.database.client.inboxMessage.count({ where: { status: { not: "pending" }, handledAt: { lt: pipeline.clock.now() } } })).toBe(0);
    const events = await pipeline.database.client.engagementEvent.findMany();
    expect(events.length).toBeGreaterThan(eventsBefore);
    expect(events.every((event) => event.pseudonym === pseudonym)).toBe(true);
    expect(events.map((event) => event.kind)).toContain("data_deleted");
    expect(await pipeline.database.client.campaignDelivery.findMany({ select: { contactId: true, status: true, reason: true, pseudonym: true } })).toEqual([
      { contactId: null, status: "skipped", reason: "deleted", pseudonym },
    ]);
    expect(await pipeline.dumpAllRows()).not.toContain("Muong Bu");
    const outbox = await pipeline.database.client.outboxMessage.findMany();
    expect(outbox.every((row) => row.contactId === null)).toBe(true);
    expect(flat(await pipeline.say("ana", "xin chào"))).toContain("common:consent.prompt");
    const fresh = await pipeline.database.client.contact.findFirstOrThrow();
    expect(fresh.pseudonym).not.toBe(pseudonym);
  });

  it("cancels deletion on any other answer and asks the waiting question again", async () => {
    await reachTopics(pipeline, "ana");
    await pipeline.say("ana", "xóa dữ liệu");
    expect(flat(await pipeline.say("ana", "không"))).toEqual(["common:delete.cancelled", "common:topics.prompt"]);
    expect(await pipeline.database.client.contact.count()).toBe(1);
  });

  it("records engagement with the pseudonym and place, never the channel user id", async () => {
    await reachTopics(pipeline, "ana-channel-id");
    await pipeline.say("ana-channel-id", "1");
    const events = await pipeline.database.client.engagementEvent.findMany();
    expect(events.some((event) => event.kind === "content_delivered" && event.topic === "child-marriage")).toBe(true);
    expect(events.every((event) => event.provinceCode === null || event.provinceCode === "14")).toBe(true);
    expect(JSON.stringify(events)).not.toContain("ana-channel-id");
  });

  it("survives messages of any size or script", async () => {
    await reachTopics(pipeline, "ana");
    for (const text of ["x".repeat(10_000), "🙏🙏🙏", "\u200B\u200B", "  ", "ሰላም", "مرحبا", "1\u200D"]) {
      await pipeline.receive("ana", text);
    }
    await pipeline.settle();
    const inbox = await pipeline.database.client.inboxMessage.findMany();
    expect(inbox.every((row) => row.status === "done")).toBe(true);
  });

  it("restarts a conversation whose stored state cannot be read instead of blocking the person", async () => {
    await reachTopics(pipeline, "ana");
    await pipeline.database.client.session.updateMany({ data: { state: "{not json" } });
    const replies = flat(await pipeline.say("ana", "2"));
    expect(replies[0]).toBe("common:welcome");
    expect(replies.at(-1)).toBe("common:topics.prompt");
    const inbox = await pipeline.database.client.inboxMessage.findMany({ orderBy: { id: "desc" }, take: 1 });
    expect(inbox[0]?.status).toBe("done");
  });

  it("sets aside a message that keeps failing, sends the closing message with the help numbers, and goes on", async () => {
    await reachTopics(pipeline, "ana");
    const broken: MessageRenderer = {
      render(spec, contact, nodeId) {
        if (spec.keys.includes("violence:intro")) throw new TypeError("renderer bug");
        return pipeline.assets.renderer.render(spec, contact, nodeId);
      },
    };
    const turns = createTurnHandler({
      database: pipeline.database,
      bot: () => ({ setup: pipeline.assets.setup, renderer: broken }),
      now: pipeline.clock.now,
      newId: () => crypto.randomUUID(),
      logger: pipeline.logs.logger,
      indicators: await loadShippedIndicators(),
    });
    const worker = createConversationWorker({ database: pipeline.database, turns, logger: pipeline.logs.logger });
    await pipeline.receive("ana", "bạo lực gia đình");
    for (let pass = 0; pass < maxInboxAttempts; pass += 1) await worker.handlePending();
    const inbox = await pipeline.database.client.inboxMessage.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(inbox).toMatchObject({ status: "failed", attempts: maxInboxAttempts, errorCode: "TypeError", payload: null });
    await pipeline.settle();
    const last = (await pipeline.delivered("ana")).at(-1);
    expect(last?.contentKeys).toEqual(["common:failure.closing"]);
    expect(last?.text).toContain("111");
    expect(pipeline.logs.lines.join("\n")).not.toContain("bạo lực gia đình");
    expect(flat(await pipeline.say("ana", "1"))[0]).toBe("child-marriage:intro");
  });

  it("restarts politely when a question waited too long", async () => {
    await reachTopics(pipeline, "ana");
    pipeline.clock.advance(73 * 3_600_000);
    const replies = flat(await pipeline.say("ana", "2"));
    expect(replies[0]).toBe("common:session.expired");
    expect(replies.at(-1)).toBe("common:topics.prompt");
    expect(replies).not.toContain("common:consent.prompt");
  });

  it("prunes handled rows and expired sessions after the retention period, keeping engagement", async () => {
    await reachTopics(pipeline, "ana");
    const engagement = await pipeline.database.client.engagementEvent.count();
    expect(await pruneExpiredRows(pipeline.database, pipeline.clock.now(), 7)).toEqual({ inbox: 0, outbox: 0, sessions: 0, simulator: 0, staffSessions: 0 });
    pipeline.clock.advance(11 * 86_400_000);
    const pruned = await pruneExpiredRows(pipeline.database, pipeline.clock.now(), 7);
    expect(pruned.inbox).toBe(6);
    expect(pruned.outbox).toBeGreaterThan(5);
    expect(pruned.sessions).toBe(1);
    expect(await pipeline.database.client.engagementEvent.count()).toBe(engagement);
  });
});
