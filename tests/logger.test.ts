import { describe, expect, it } from "vitest";
import { createLogCapture } from "./support/pipeline-harness.ts";

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
