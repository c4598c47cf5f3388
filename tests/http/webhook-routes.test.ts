import { timingSafeEqual } from "node:crypto";
import Fastify from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { ChannelWebhook } from "../../src/channels/channel-webhook.ts";
import { WebhookBodyError } from "../../src/channels/webhook-body-error.ts";
import type { InboundUpdate } from "../../src/conversation/inbound-message.ts";
import type { HttpServer } from "../../src/http/http-server.ts";
import { createMetrics } from "../../src/http/metrics.ts";
import { registerWebhookRoutes } from "../../src/http/webhook-routes.ts";
import { createLogCapture } from "../support/log-capture.ts";

const secret = "s3cret-token-value";
const bodySchema = z.object({ id: z.number(), from: z.string(), text: z.string().optional(), event: z.string().optional() });

/** A minimal platform of our own making, to test the route's handling independently of any real channel. */
const testWebhook: ChannelWebhook = {
  channel: "test",
  route: "test",
  verify({ headers }) {
    const given = Buffer.from(String(headers["x-test-secret"] ?? ""));
    const wanted = Buffer.from(secret);
    return given.length === wanted.length && timingSafeEqual(given, wanted);
  },
  parse(body) {
    const parsed = bodySchema.safeParse(body);
    if (!parsed.success) throw new WebhookBodyError("test", parsed.error.issues.map((issue) => issue.path.join(".")).join(", "));
    if (parsed.data.text === undefined) return { updates: [], ignored: parsed.data.event ?? "no text" };
    return { updates: [{ channel: "test", externalId: String(parsed.data.id), channelUserId: parsed.data.from, message: { kind: "text", text: parsed.data.text } }] };
  },
};

describe("webhook routes", () => {
  let app: HttpServer;
  let accepted: InboundUpdate[];
  let acknowledged: unknown[];
  let metrics: ReturnType<typeof createMetrics>;
  let logs: ReturnType<typeof createLogCapture>;

  beforeEach(() => {
    accepted = [];
    acknowledged = [];
    logs = createLogCapture();
    metrics = createMetrics();
    app = Fastify({ loggerInstance: logs.logger });
    registerWebhookRoutes(app, {
      webhooks: [testWebhook],
      accept: async (update) => void accepted.push(update),
      requests: metrics.counter("loa_webhook_requests_total", "requests"),
      afterAccept: async (_channel, body) => void acknowledged.push(body),
    });
  });
  afterEach(async () => {
    await app.close();
  });

  const post = (payload: string, headers: Record<string, string> = { "x-test-secret": secret }) =>
    app.inject({ method: "POST", url: "/webhooks/test", payload, headers: { "content-type": "application/json", ...headers } });

  it("accepts a verified update into the inbox before answering 200", async () => {
    const response = await post(JSON.stringify({ id: 1, from: "u1", text: "xin chào" }));
    expect(response.statusCode).toBe(200);
    expect(accepted).toEqual([{ channel: "test", externalId: "1", channelUserId: "u1", message: { kind: "text", text: "xin chào" } }]);
    expect(acknowledged).toHaveLength(1);
  });

  it("answers 401 to a wrong or missing secret without parsing the body", async () => {
    expect((await post(JSON.stringify({ id: 1, from: "u1", text: "x" }), { "x-test-secret": "wrong" })).statusCode).toBe(401);
    expect((await post("{not json", {})).statusCode).toBe(401);
    expect(accepted).toHaveLength(0);
  });

  it("answers 400, never 500, to bodies that are not JSON or not a documented shape", async () => {
    expect((await post("{not json")).statusCode).toBe(400);
    expect((await post(JSON.stringify({ id: "x" }))).statusCode).toBe(400);
    expect((await post(JSON.stringify([1, 2]))).statusCode).toBe(400);
    expect(accepted).toHaveLength(0);
  });

  it("answers 200 to an event it ignores, and logs its name but no text", async () => {
    const response = await post(JSON.stringify({ id: 2, from: "u1", event: "user_seen_message" }));
    expect(response.statusCode).toBe(200);
    expect(accepted).toHaveLength(0);
    expect(logs.lines.join("")).toContain("user_seen_message");
  });

  it("answers an empty probe with 200, with or without a content type, accepting nothing", async () => {
    expect((await app.inject({ method: "POST", url: "/webhooks/test" })).statusCode).toBe(200);
    expect((await post("", {})).statusCode).toBe(200);
    expect(accepted).toHaveLength(0);
  });

  it("answers 404 for a channel that is not on, and rejects oversized bodies", async () => {
    const unknown = await app.inject({ method: "POST", url: "/webhooks/zalo-oa", payload: "{}", headers: { "content-type": "application/json" } });
    expect(unknown.statusCode).toBe(404);
    const huge = await post(JSON.stringify({ id: 3, from: "u1", text: "x".repeat(2_000_000) }));
    expect(huge.statusCode).toBe(413);
  });

  it("counts requests by outcome for /metrics", async () => {
    await post(JSON.stringify({ id: 1, from: "u1", text: "a" }));
    await post("{}", { "x-test-secret": "nope" });
    await post("{not json");
    const text = await metrics.render();
    expect(text).toContain('loa_webhook_requests_total{channel="test",outcome="accepted"} 1');
    expect(text).toContain('loa_webhook_requests_total{channel="test",outcome="unauthorized"} 1');
    expect(text).toContain('loa_webhook_requests_total{channel="test",outcome="malformed"} 1');
  });
});
