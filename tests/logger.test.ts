import { describe, expect, it } from "vitest";
import { LoaError } from "../src/errors.ts";
import { loggableError } from "../src/logger.ts";
import { createLogCapture } from "./support/log-capture.ts";

describe("logger", () => {
  it("redacts message text, payloads, channel user ids and secrets wherever they appear", () => {
    const { lines, logger } = createLogCapture();
    logger.info({ text: "chồng tôi đánh tôi", channelUserId: "12345", nested: { payload: "{\"text\":\"x\"}", token: "123:ABC", secret: "s3cret" } }, "test");
    const line = lines.join("");
    for (const leaked of ["chồng tôi", "12345", "123:ABC", "s3cret", "\\\"text\\\""]) expect(line).not.toContain(leaked);
    expect(line).toContain("[redacted]");
  });

  it("keeps the fields that say what happened", () => {
    const { lines, logger } = createLogCapture();
    logger.warn({ code: "content_missing", inboxId: 7 }, "conversation problem");
    expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({ code: "content_missing", inboxId: 7, msg: "conversation problem" });
  });
});

describe("loggableError", () => {
  it("keeps only the class and code of a Prisma error, whose message quotes the call's arguments", () => {
    class PrismaClientKnownRequestError extends Error {
      code = "P2002";
    }
    const error = new PrismaClientKnownRequestError("Invalid `inboxMessage.create()` invocation: { payload: \"chồng tôi đánh tôi\" }");
    error.name = "PrismaClientKnownRequestError";
    expect(loggableError(error)).toEqual({ type: "PrismaClientKnownRequestError", code: "P2002" });
  });

  it("keeps Loa's own errors whole, with their context", () => {
    const logged = loggableError(new LoaError("Flow missing", "flow:missing", { context: { flowId: "main" } }));
    expect(logged).toMatchObject({ type: "LoaError", code: "flow:missing", message: "Flow missing", context: { flowId: "main" } });
  });

  it("shortens the message of other errors", () => {
    expect(loggableError(new TypeError("x".repeat(1000))).message).toHaveLength(200);
    expect(loggableError("a string")).toEqual({ type: "string" });
  });
});
