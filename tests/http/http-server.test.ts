import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHttpServer, type HttpServer } from "../../src/http/http-server.ts";
import { createRuntime, type Runtime } from "../../src/runtime.ts";
import { parseConfig } from "../../src/config.ts";
import { fileURLToPath } from "node:url";
import { createLogCapture } from "../support/log-capture.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

describe("HTTP server with the simulator", () => {
  let test: TestDatabase;
  let runtime: Runtime;
  let server: HttpServer;
  let logs: ReturnType<typeof createLogCapture>;

  beforeEach(async () => {
    test = await createTestDatabase("sqlite");
    await test.database.close();
    logs = createLogCapture();
    runtime = await createRuntime({ config: parseConfig({ DATABASE_URL: test.url, POLL_INTERVAL_MS: "10" }), logger: logs.logger, projectRoot: root });
    server = createHttpServer({ runtime, logger: logs.logger, simulator: true });
    runtime.start();
  });
  afterEach(async () => {
    await server.close();
    await runtime.stop();
    await test.drop();
  });

  async function messages(conversationId: string, count: number) {
    for (let i = 0; i < 200; i += 1) {
      const response = await server.inject({ method: "GET", url: `/chat/api/messages?conversationId=${conversationId}` });
      const body = response.json<{ messages: Array<{ id: number; contentKeys: string[]; text: string }> }>();
      if (body.messages.length >= count) return body.messages;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error("no reply");
  }

  it("answers liveness and readiness checks", async () => {
    const live = await server.inject({ method: "GET", url: "/healthz" });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: "ok" });
    const ready = await server.inject({ method: "GET", url: "/readyz" });
    expect(ready.json()).toEqual({ status: "ready" });
  });

  it("serves Prometheus metrics with inbox and outbox counts", async () => {
    await server.inject({ method: "POST", url: "/chat/api/messages", payload: { conversationId: "web-m", text: "xin chào" } });
    await messages("web-m", 5);
    const response = await server.inject({ method: "GET", url: "/metrics" });
    expect(response.headers["content-type"]).toContain("text/plain");
    expect(response.body).toContain("# TYPE loa_inbox_messages gauge");
    expect(response.body).toMatch(/loa_inbox_messages\{channel="simulator",status="done"\} 1/);
    expect(response.body).toMatch(/loa_outbox_messages\{channel="simulator",status="sent"\} 5/);
  });

  it("serves the chat page", async () => {
    const response = await server.inject({ method: "GET", url: "/chat" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toContain("text/html");
    expect(response.body).toContain("/chat/api/messages");
  });

  it("takes a message through the pipeline and shows the replies", async () => {
    const sent = await server.inject({ method: "POST", url: "/chat/api/messages", payload: { conversationId: "web-1", text: "xin chào" } });
    expect(sent.statusCode).toBe(202);
    const replies = await messages("web-1", 5);
    expect(replies.map((reply) => reply.contentKeys[0])).toContain("common:consent.prompt");
  });

  it("handles a retried message with the same external id once", async () => {
    const payload = { conversationId: "web-2", externalId: "retry-1", text: "xin chào" };
    const first = await server.inject({ method: "POST", url: "/chat/api/messages", payload });
    const again = await server.inject({ method: "POST", url: "/chat/api/messages", payload });
    expect(again.json()).toEqual({ inboxId: first.json<{ inboxId: number }>().inboxId, duplicate: true });
  });

  it("rejects bad input with 400, never 500, and stays healthy", async () => {
    const bad = [
      { payload: "not json", headers: { "content-type": "application/json" } },
      { payload: { conversationId: "../../etc", text: "x" } },
      { payload: { conversationId: "ok", text: "" } },
      { payload: { conversationId: "ok", text: "x".repeat(10_001) } },
      { payload: { conversationId: "ok", text: "x", extra: 1 } },
    ];
    for (const request of bad) {
      const response = await server.inject({ method: "POST", url: "/chat/api/messages", ...request });
      expect(response.statusCode, JSON.stringify(request.payload).slice(0, 40)).toBe(400);
    }
    expect((await server.inject({ method: "GET", url: "/chat/api/messages?conversationId=a b" })).statusCode).toBe(400);
    expect((await server.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
  });

  it("never logs what a person typed", async () => {
    await server.inject({ method: "POST", url: "/chat/api/messages", payload: { conversationId: "web-3", text: "chồng tôi đánh tôi hôm qua" } });
    await messages("web-3", 1);
    expect(logs.lines.join("\n")).not.toContain("hôm qua");
  });
});

describe("readiness when PostgreSQL goes away", () => {
  it("answers 503 from /readyz while /healthz still answers", async () => {
    const test = await createTestDatabase("postgres");
    await test.database.close();
    const logs = createLogCapture();
    const runtime = await createRuntime({ config: parseConfig({ DATABASE_URL: test.url }), logger: logs.logger, projectRoot: root });
    const server = createHttpServer({ runtime, logger: logs.logger, simulator: false });
    try {
      expect((await server.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(200);
      await test.drop();
      const ready = await server.inject({ method: "GET", url: "/readyz" });
      expect(ready.statusCode).toBe(503);
      expect((await server.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    } finally {
      await server.close();
      await runtime.stop().catch(() => undefined);
    }
  });
});

