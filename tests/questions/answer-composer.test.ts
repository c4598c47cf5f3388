import { FakeListChatModel, FakeStreamingChatModel } from "@langchain/core/utils/testing";
import { describe, expect, it } from "vitest";
import { createAnswerComposer, type ComposeRequest } from "../../src/questions/answer-composer.ts";
import type { ApprovedMessage } from "../../src/questions/question-index.ts";

const messages: ApprovedMessage[] = [
  { key: "safe-birth:facility", topic: "safe-birth", locale: "vi", text: "Hãy sinh con ở trạm y tế hoặc bệnh viện, nơi có cán bộ y tế giúp mẹ và bé." },
  { key: "safe-birth:ambulance", topic: "safe-birth", locale: "vi", text: "Cần xe cấp cứu thì gọi 115, miễn phí." },
];
const request: ComposeRequest = { question: "đẻ ở nhà được không", locale: "vi", messages, directoryNumbers: ["111", "113", "115"] };

/** A fake model that answers `reply` (an object is sent as JSON). */
function replying(reply: unknown, sleep?: number) {
  const text = typeof reply === "string" ? reply : JSON.stringify(reply);
  return createAnswerComposer({ model: new FakeListChatModel({ responses: [text], ...(sleep === undefined ? {} : { sleep }) }), timeoutMs: 200 });
}

const good = { topic: "safe-birth", urgent: false, answer: "Nên sinh con ở trạm y tế. Cần xe cấp cứu thì gọi 115.", cites: ["safe-birth:facility", "safe-birth:ambulance"] };

describe("answer composer", () => {
  it("sends a grounded answer that cites the messages it was given", async () => {
    expect(await replying(good).compose(request)).toEqual({ outcome: "composed", text: good.answer, cites: good.cites, topic: "safe-birth", urgent: false });
  });

  it("catches a model that invents a phone number, and keeps its reading of danger", async () => {
    const composed = await replying({ ...good, urgent: true, answer: "Gọi 1800 1234 để được giúp." }).compose(request);
    expect(composed).toMatchObject({ outcome: "ungrounded", urgent: true, problems: [{ kind: "number", value: "1800 1234" }] });
  });

  it("catches a model that cites a law the messages do not name", async () => {
    const composed = await replying({ ...good, answer: "Theo Luật Khám bệnh, hãy sinh ở bệnh viện." }).compose(request);
    expect(composed).toMatchObject({ outcome: "ungrounded", problems: [{ kind: "law" }] });
  });

  it("refuses citations of messages it was not given", async () => {
    expect(await replying({ ...good, cites: ["violence:rights"] }).compose(request)).toMatchObject({ outcome: "bad_citation" });
    expect(await replying({ ...good, cites: [] }).compose(request)).toMatchObject({ outcome: "bad_citation" });
  });

  it("refuses a reply that is not the agreed JSON", async () => {
    expect(await replying("Bạn nên sinh con ở trạm y tế.").compose(request)).toEqual({ outcome: "unreadable", topic: null, urgent: false, problems: [] });
    expect(await replying({ ...good, answer: "" }).compose(request)).toMatchObject({ outcome: "unreadable" });
  });

  it("gives up on a slow model at its deadline", async () => {
    const started = Date.now();
    expect(await replying(good, 2_000).compose(request)).toMatchObject({ outcome: "timeout", urgent: false });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("reports a failing model by its error class only", async () => {
    const composer = createAnswerComposer({ model: new FakeStreamingChatModel({ thrownErrorString: "server said: đẻ ở nhà được không" }), timeoutMs: 500 });
    const composed = await composer.compose(request);
    expect(composed).toMatchObject({ outcome: "model_error", urgent: false });
    expect(JSON.stringify(composed)).not.toContain("đẻ ở nhà");
  });

  it("only classifies a question no message answered: topic and danger, no text", async () => {
    const composed = await replying({ topic: "none", urgent: true, answer: "", cites: [] }).compose({ ...request, messages: [] });
    expect(composed).toEqual({ outcome: "classified", topic: "none", urgent: true, problems: [] });
  });
});
