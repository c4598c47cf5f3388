// A worker process for the campaign crash test: the runtime `loa worker` runs (LOA_ROLE=worker, configuration
// from the environment, the table dispatcher or the BullMQ queues by REDIS_URL), with one fake platform,
// "fake", in place of Telegram or Zalo. The fake appends every send to LOA_TEST_SENDS_FILE before answering, so
// what reached "the platform" survives a SIGKILL of this process; like the simulator, it deduplicates by
// idempotency key when the file is read. It answers after LOA_TEST_SEND_DELAY_MS, a platform's latency.
import { appendFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ChannelAdapter } from "../../src/channels/channel-adapter.ts";
import { parseConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { createRuntime } from "../../src/runtime.ts";

const sendsFile = process.env.LOA_TEST_SENDS_FILE;
if (sendsFile === undefined) throw new Error("LOA_TEST_SENDS_FILE is required");
const delayMs = Number(process.env.LOA_TEST_SEND_DELAY_MS ?? "0");

const fake: ChannelAdapter = {
  channel: "fake",
  capabilities: { maxTextLength: 4096, maxButtons: 8 },
  async send(to, _message, { idempotencyKey }) {
    appendFileSync(sendsFile, `${JSON.stringify({ key: idempotencyKey, to: to.channelUserId, pid: process.pid })}\n`);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return { externalMessageId: idempotencyKey };
  },
};

const config = { ...parseConfig(process.env), LOA_ROLE: "worker" as const };
const logger = createLogger({ level: config.LOG_LEVEL, destination: process.stderr });
const runtime = await createRuntime({ config, logger, projectRoot: fileURLToPath(new URL("../../", import.meta.url)), channels: () => [fake] });
runtime.start();
process.stdout.write("campaign worker ready\n");
process.on("SIGTERM", () => {
  void runtime.stop().then(() => process.exit(0));
});
