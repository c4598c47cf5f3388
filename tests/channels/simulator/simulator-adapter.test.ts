import { createSimulatorAdapter } from "../../../src/channels/simulator/simulator-adapter.ts";
import { outboundMessageSchema } from "../../../src/channels/outbound-message.ts";
import { createTestDatabase } from "../../support/test-database.ts";
import { defineChannelContract } from "../channel-contract.ts";

defineChannelContract("simulator", async () => {
  const test = await createTestDatabase("sqlite");
  const db = test.database.client;
  return {
    adapter: createSimulatorAdapter({ db, now: () => new Date("2026-01-05T08:00:00Z") }),
    deliversOnce: true,
    async received() {
      const rows = await db.simulatorMessage.findMany({ orderBy: { id: "asc" } });
      return rows.map((row) => {
        const message = outboundMessageSchema.parse(JSON.parse(row.payload));
        return { to: row.conversationId, text: message.text, options: (message.options ?? []).map((option) => option.label) };
      });
    },
    close: test.drop,
  };
});
