-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Contact" (
    "id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "channelUserId" TEXT NOT NULL,
    "pseudonym" TEXT NOT NULL,
    "locale" TEXT,
    "provinceCode" TEXT,
    "communeCode" TEXT,
    "communeName" TEXT,
    "groups" TEXT NOT NULL DEFAULT '{}',
    "consentedAt" TIMESTAMP(3),
    "stoppedAt" TIMESTAMP(3),
    "turnCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Contact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "contactId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("contactId")
);

-- CreateTable
CREATE TABLE "InboxMessage" (
    "id" SERIAL NOT NULL,
    "channel" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "channelUserId" TEXT NOT NULL,
    "payload" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "errorCode" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "handledAt" TIMESTAMP(3),

    CONSTRAINT "InboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" SERIAL NOT NULL,
    "channel" TEXT NOT NULL,
    "channelUserId" TEXT NOT NULL,
    "contactId" TEXT,
    "inboxId" INTEGER,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "externalMessageId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EngagementEvent" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "pseudonym" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "locale" TEXT,
    "provinceCode" TEXT,
    "communeCode" TEXT,
    "topic" TEXT,
    "contentKey" TEXT,
    "flowId" TEXT,
    "nodeId" TEXT,
    "detail" TEXT NOT NULL DEFAULT '{}',

    CONSTRAINT "EngagementEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SimulatorMessage" (
    "id" SERIAL NOT NULL,
    "outboxId" INTEGER NOT NULL,
    "conversationId" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SimulatorMessage_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

