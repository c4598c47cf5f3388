-- CreateTable
CREATE TABLE "Contact" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "channel" TEXT NOT NULL,
    "channelUserId" TEXT NOT NULL,
    "pseudonym" TEXT NOT NULL,
    "locale" TEXT,
    "provinceCode" TEXT,
    "communeCode" TEXT,
    "communeName" TEXT,
    "groups" TEXT NOT NULL DEFAULT '{}',
    "consentedAt" DATETIME,
    "stoppedAt" DATETIME,
    "turnCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Session" (
    "contactId" TEXT NOT NULL PRIMARY KEY,
    "state" TEXT NOT NULL,
    "expiresAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Session_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "InboxMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "channelUserId" TEXT NOT NULL,
    "payload" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "errorCode" TEXT,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "handledAt" DATETIME
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "channelUserId" TEXT NOT NULL,
    "contactId" TEXT,
    "inboxId" INTEGER,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" DATETIME,
    "lastError" TEXT,
    "externalMessageId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" DATETIME
);

-- CreateTable
CREATE TABLE "EngagementEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "occurredAt" DATETIME NOT NULL,
    "pseudonym" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "locale" TEXT,
    "provinceCode" TEXT,
    "communeCode" TEXT,
    "topic" TEXT,
    "contentKey" TEXT,
    "flowId" TEXT,
    "nodeId" TEXT,
    "detail" TEXT NOT NULL DEFAULT '{}'
);

-- CreateTable
CREATE TABLE "SimulatorMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "outboxId" INTEGER NOT NULL,
    "conversationId" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "Contact_pseudonym_key" ON "Contact"("pseudonym");

-- CreateIndex
CREATE UNIQUE INDEX "Contact_channel_channelUserId_key" ON "Contact"("channel", "channelUserId");

-- CreateIndex
CREATE INDEX "InboxMessage_status_channel_channelUserId_id_idx" ON "InboxMessage"("status", "channel", "channelUserId", "id");

-- CreateIndex
CREATE INDEX "InboxMessage_handledAt_idx" ON "InboxMessage"("handledAt");

-- CreateIndex
CREATE UNIQUE INDEX "InboxMessage_channel_externalId_key" ON "InboxMessage"("channel", "externalId");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_nextAttemptAt_idx" ON "OutboxMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_channel_channelUserId_id_idx" ON "OutboxMessage"("channel", "channelUserId", "id");

-- CreateIndex
CREATE INDEX "OutboxMessage_inboxId_idx" ON "OutboxMessage"("inboxId");

-- CreateIndex
CREATE INDEX "EngagementEvent_kind_occurredAt_idx" ON "EngagementEvent"("kind", "occurredAt");

-- CreateIndex
CREATE INDEX "EngagementEvent_pseudonym_idx" ON "EngagementEvent"("pseudonym");

-- CreateIndex
CREATE UNIQUE INDEX "SimulatorMessage_outboxId_key" ON "SimulatorMessage"("outboxId");

-- CreateIndex
CREATE INDEX "SimulatorMessage_conversationId_id_idx" ON "SimulatorMessage"("conversationId", "id");

