import { Writable } from "node:stream";
import { createLogger } from "../../src/logger.ts";

/** Log lines written during a test, to check what reaches a log and that no message text or secret does. */
export function createLogCapture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString("utf8"));
      done();
    },
  });
  return { lines, logger: createLogger({ level: "debug", destination }) };
}
