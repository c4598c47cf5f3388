-- The simulator's mailbox is keyed by the sender's idempotency key (text), so campaign deliveries
-- ("campaign-<id>") can be delivered once too. Existing rows keep their outbox id as their key.

-- DropIndex
DROP INDEX "SimulatorMessage_outboxId_key";

-- AlterTable
ALTER TABLE "SimulatorMessage" ADD COLUMN "sendKey" TEXT;
UPDATE "SimulatorMessage" SET "sendKey" = CAST("outboxId" AS TEXT);
ALTER TABLE "SimulatorMessage" ALTER COLUMN "sendKey" SET NOT NULL;
ALTER TABLE "SimulatorMessage" DROP COLUMN "outboxId";

-- CreateIndex
CREATE UNIQUE INDEX "SimulatorMessage_sendKey_key" ON "SimulatorMessage"("sendKey");
