import { describe, expect, it } from "vitest";
import { parseModelReply } from "../../src/questions/model-reply.ts";

const reply = { topic: "safe-birth", urgent: false, answer: "Hãy sinh con ở trạm y tế.", cites: ["safe-birth:facility"] };

describe("parseModelReply", () => {
  it("reads a JSON reply, also inside a code fence or after a sentence", () => {
    expect(parseModelReply(JSON.stringify(reply))).toEqual(reply);
    expect(parseModelReply(`Here it is:\n\`\`\`json\n${JSON.stringify(reply)}\n\`\`\``)).toEqual(reply);
  });

  it("refuses anything that is not the agreed shape", () => {
    expect(parseModelReply("Hãy sinh con ở trạm y tế.")).toBeUndefined();
    expect(parseModelReply("{not json}")).toBeUndefined();
    expect(parseModelReply(JSON.stringify({ ...reply, topic: "weather" }))).toBeUndefined();
    expect(parseModelReply(JSON.stringify({ ...reply, urgent: "no" }))).toBeUndefined();
    expect(parseModelReply(JSON.stringify({ ...reply, cites: ["not a key"] }))).toBeUndefined();
    expect(parseModelReply(JSON.stringify({ ...reply, cites: ["a:b", "a:c", "a:d", "a:e"] }))).toBeUndefined();
  });
});
