-- The simulator's mailbox is keyed by the sender's idempotency key (text), so campaign deliveries
-- ("campaign-<id>") can be delivered once too. Existing rows keep their outbox id as their key.
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_SimulatorMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "sendKey" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_SimulatorMessage" ("conversationId", "createdAt", "id", "payload", "sendKey") SELECT "conversationId", "createdAt", "id", "payload", CAST("outboxId" AS TEXT) FROM "SimulatorMessage";
DROP TABLE "SimulatorMessage";
ALTER TABLE "new_SimulatorMessage" RENAME TO "SimulatorMessage";
CREATE UNIQUE INDEX "SimulatorMessage_sendKey_key" ON "SimulatorMessage"("sendKey");
CREATE INDEX "SimulatorMessage_conversationId_id_idx" ON "SimulatorMessage"("conversationId", "id");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

