import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createAnswerComposer } from "../../src/questions/answer-composer.ts";
import { createChatModel } from "../../src/questions/chat-model.ts";
import type { ApprovedMessage } from "../../src/questions/question-index.ts";

/** A fake OpenAI-compatible endpoint at the network boundary: records each request and answers as told. */
type Seen = { path: string; authorization: string | undefined; body: Record<string, unknown> };

let server: Server | undefined;

async function fakeEndpoint(answer: (seen: Seen) => { status: number; body: unknown; delayMs?: number }): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((request: IncomingMessage, response) => {
    let text = "";
    request.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    request.on("end", () => {
      const entry: Seen = { path: request.url ?? "", authorization: request.headers.authorization, body: JSON.parse(text) as Record<string, unknown> };
      seen.push(entry);
      const reply = answer(entry);
      setTimeout(() => {
        response.writeHead(reply.status, { "content-type": "application/json" });
        response.end(JSON.stringify(reply.body));
      }, reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1`, seen };
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

const completion = (content: string) => ({
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1,
  model: "local-model",
  choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
});

const messages: ApprovedMessage[] = [{ key: "safe-birth:ambulance", topic: "safe-birth", locale: "vi", text: "Cần xe cấp cứu thì gọi 115, miễn phí." }];
const reply = { topic: "safe-birth", urgent: false, answer: "Cần xe cấp cứu thì gọi 115.", cites: ["safe-birth:ambulance"] };

describe("chat model on an OpenAI-compatible endpoint", () => {
  it("sends only the question, without identifiers, and the approved messages; reads the answer", async () => {
    const endpoint = await fakeEndpoint(() => ({ status: 200, body: completion(JSON.stringify(reply)) }));
    const model = createChatModel({ url: endpoint.url, name: "local-model", apiKey: "secret-key", timeoutMs: 2_000 });
    const composed = await createAnswerComposer({ model, timeoutMs: 2_000 }).compose({
      question: "xe cấp cứu số mấy, số em là 0912 345 678",
      locale: "vi",
      messages,
      directoryNumbers: [],
    });
    expect(composed).toMatchObject({ outcome: "composed", text: reply.answer });
    const [request] = endpoint.seen;
    expect(request?.path).toBe("/v1/chat/completions");
    expect(request?.authorization).toBe("Bearer secret-key");
    expect(request?.body).toMatchObject({ model: "local-model", temperature: 0 });
    expect(request?.body).not.toHaveProperty("user");
    const sent = JSON.stringify(request?.body.messages);
    expect(sent).toContain("xe cấp cứu số mấy");
    expect(sent).toContain("[safe-birth:ambulance] Cần xe cấp cứu thì gọi 115, miễn phí.");
    expect(sent).not.toContain("0912");
  });

  it("works with a local server that wants no key", async () => {
    const endpoint = await fakeEndpoint(() => ({ status: 200, body: completion(JSON.stringify(reply)) }));
    const model = createChatModel({ url: endpoint.url, name: "local-model", timeoutMs: 2_000 });
    expect(await createAnswerComposer({ model, timeoutMs: 2_000 }).compose({ question: "gọi cấp cứu", locale: "vi", messages, directoryNumbers: [] })).toMatchObject({
      outcome: "composed",
    });
  });

  it("stops waiting for a slow server at the deadline, and reports a failing one by class and status", async () => {
    const slow = await fakeEndpoint(() => ({ status: 200, body: completion(JSON.stringify(reply)), delayMs: 3_000 }));
    const started = Date.now();
    const composer = createAnswerComposer({ model: createChatModel({ url: slow.url, name: "m", timeoutMs: 300 }), timeoutMs: 300 });
    expect(await composer.compose({ question: "gọi cấp cứu", locale: "vi", messages, directoryNumbers: [] })).toMatchObject({ outcome: "timeout" });
    expect(Date.now() - started).toBeLessThan(2_000);
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()));

    const failing = await fakeEndpoint(() => ({ status: 500, body: { error: { message: "boom" } } }));
    const broken = createAnswerComposer({ model: createChatModel({ url: failing.url, name: "m", timeoutMs: 2_000 }), timeoutMs: 2_000 });
    const composed = await broken.compose({ question: "gọi cấp cứu", locale: "vi", messages, directoryNumbers: [] });
    expect(composed).toMatchObject({ outcome: "model_error" });
    expect(composed.outcome !== "composed" && composed.error).toMatch(/500$/);
  });
});
