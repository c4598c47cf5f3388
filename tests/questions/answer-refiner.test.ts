import { fileURLToPath } from "node:url";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import { afterEach, describe, expect, it } from "vitest";
import { loadBotAssets } from "../../src/bot/bot-assets.ts";
import { createPlaceIndex } from "../../src/places/place-index.ts";
import { loadShippedPlaces } from "../../src/places/shipped-places.ts";
import { createPipeline, type Pipeline } from "../support/pipeline-harness.ts";
import { databaseKinds } from "../support/test-database.ts";

/**
 * Free-text questions through the whole pipeline (inbox → engine → outbox → simulator) on both databases,
 * with fake chat models from @langchain/core at the model boundary.
 */

const root = fileURLToPath(new URL("../../", import.meta.url));
const question = "Đẻ ở nhà được không ạ";
const retrieved = ["common:questions.intro", "safe-birth:facility"];
const topicsMenu = ["common:topics.prompt"];

/** A fake model that replies `replies` in turn (objects as JSON), each after `sleep` ms. */
function model(replies: unknown[], sleep?: number) {
  return new FakeListChatModel({ responses: replies.map((reply) => JSON.stringify(reply)), ...(sleep === undefined ? {} : { sleep }) });
}

const composed = { topic: "safe-birth", urgent: false, answer: "Nên sinh con ở trạm y tế hoặc bệnh viện, có cán bộ y tế giúp.", cites: ["safe-birth:facility"] };

/** Takes a new person through welcome, consent, language and a skipped place to the topic menu. */
async function reachTopics(pipeline: Pipeline, userId: string) {
  await pipeline.say(userId, "xin chào");
  await pipeline.say(userId, "1");
  await pipeline.say(userId, "1");
  return pipeline.say(userId, { kind: "choice", optionId: "skip" });
}

describe.each(databaseKinds)("free-text questions on %s", (kind) => {
  let pipeline: Pipeline;
  afterEach(async () => {
    await pipeline.drop();
  });

  it("answers from approved content without a model, and keeps no trace of the words", async () => {
    pipeline = await createPipeline(kind);
    expect((await reachTopics(pipeline, "ana")).at(-1)).toEqual(topicsMenu);
    expect(await pipeline.say("ana", question)).toEqual([retrieved, topicsMenu]);
    const engagement = await pipeline.database.client.engagementEvent.findMany({ where: { kind: { in: ["question_answered", "content_delivered"] } }, orderBy: { id: "asc" } });
    expect(engagement.map((row) => [row.kind, row.topic, row.contentKey, JSON.parse(row.detail)])).toEqual([
      ["question_answered", "safe-birth", null, { topic: "safe-birth", keys: "safe-birth:facility" }],
      ["content_delivered", "safe-birth", "safe-birth:facility", { via: "question" }],
    ]);
    expect(await pipeline.dumpAllRows()).not.toContain("Đẻ ở nhà");
    expect(pipeline.logs.lines.join("\n")).not.toContain("Đẻ ở nhà");
  });

  it("sends the model's checked answer in place of the retrieved one, before the menu", async () => {
    pipeline = await createPipeline(kind, { questionModel: { model: model([composed]), timeoutMs: 2_000 } });
    await reachTopics(pipeline, "ana");
    expect(await pipeline.say("ana", question)).toEqual([["safe-birth:facility"], topicsMenu]);
    const [answer] = (await pipeline.delivered("ana")).slice(-2);
    expect(answer?.text).toBe(composed.answer);
    expect(await pipeline.dumpAllRows()).not.toContain("Đẻ ở nhà");
    expect(pipeline.logs.lines.join("\n")).not.toContain("Đẻ ở nhà");
    expect(pipeline.logs.lines.join("\n")).toContain('"outcome":"composed"');
  });

  it("sends the retrieved messages when the model invents a number", async () => {
    pipeline = await createPipeline(kind, { questionModel: { model: model([{ ...composed, answer: "Gọi 0912 345 678 để đẻ an toàn." }]), timeoutMs: 2_000 } });
    await reachTopics(pipeline, "ana");
    expect(await pipeline.say("ana", question)).toEqual([retrieved, topicsMenu]);
    expect((await pipeline.delivered("ana")).map((reply) => reply.text).join("\n")).not.toContain("0912");
  });

  it("sends the retrieved messages, in order, when the model is too slow", async () => {
    pipeline = await createPipeline(kind, { questionModel: { model: model([composed], 1_500), timeoutMs: 300 } });
    await reachTopics(pipeline, "ana");
    expect(await pipeline.say("ana", question)).toEqual([retrieved, topicsMenu]);
    expect(pipeline.logs.lines.join("\n")).toContain('"outcome":"timeout"');
  });

  it("adds the emergency numbers when the model sees danger the rules missed, and counts it", async () => {
    pipeline = await createPipeline(kind, { questionModel: { model: model([{ ...composed, urgent: true }]), timeoutMs: 2_000 } });
    await reachTopics(pipeline, "ana");
    const [answer] = await pipeline.say("ana", question);
    expect(answer).toEqual(["safe-birth:facility", "common:questions.urgent.safe_birth", "common:emergency.reply"]);
    expect((await pipeline.delivered("ana")).at(-2)?.text).toContain("115");
    const kinds = (await pipeline.database.client.engagementEvent.findMany()).map((row) => row.kind);
    expect(kinds).toEqual(expect.arrayContaining(["urgency_detected", "emergency_answered"]));
  });

  it("releases a held reply by its own time when the process dies before the model answers", async () => {
    pipeline = await createPipeline(kind, { questionModel: { model: model([composed]), timeoutMs: 2_000 } });
    await reachTopics(pipeline, "ana");
    await pipeline.receive("ana", question);
    // The turn commits with its reply held; the worker that would refine it "dies" before it can.
    expect(await pipeline.turns.handleNext({ channel: "simulator", channelUserId: "ana" })).toMatchObject({ question: { keys: ["safe-birth:facility"] } });
    expect(await pipeline.dispatcher.dispatchDue()).toBe(0);
    pipeline.clock.advance(4_000);
    await pipeline.settle();
    expect((await pipeline.delivered("ana")).slice(-2).map((reply) => reply.contentKeys)).toEqual([retrieved, topicsMenu]);
  });

  it("says in the privacy notice that questions go to another server when the model is hosted", async () => {
    const places = await loadShippedPlaces(`${root}content`);
    const assets = await loadBotAssets({
      flowsDir: `${root}flows`,
      contentDir: `${root}content`,
      defaultLocale: "vi",
      reference: { places: createPlaceIndex([...places.provinces, ...places.sampleCommunes]), localHelp: [] },
      questionsHosted: true,
    });
    pipeline = await createPipeline(kind, { assets, questionModel: { model: model([composed]), timeoutMs: 2_000 } });
    expect((await pipeline.say("ana", "xin chào")).flat()).toContain("common:privacy.questions_hosted");
    const local = await createPipeline(kind);
    expect((await local.say("bao", "xin chào")).flat()).not.toContain("common:privacy.questions_hosted");
    await local.drop();
  });
});
