-- CreateTable
CREATE TABLE "StatsCount" (
    "period" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "communeCode" TEXT NOT NULL,
    "dimension" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("period", "provinceCode", "communeCode", "dimension", "value", "metric")
);

-- CreateTable
CREATE TABLE "StatsPerson" (
    "cell" TEXT NOT NULL,
    "pseudonym" TEXT NOT NULL,

    PRIMARY KEY ("cell", "pseudonym")
);

-- CreateTable
CREATE TABLE "OutreachSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT,
    "provinceCode" TEXT NOT NULL,
    "communeCode" TEXT NOT NULL,
    "heldOn" DATETIME NOT NULL,
    "topic" TEXT NOT NULL,
    "placeName" TEXT NOT NULL,
    "participantsFemale" INTEGER NOT NULL,
    "participantsMale" INTEGER NOT NULL,
    "note" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "IndicatorTarget" (
    "indicatorId" TEXT NOT NULL,
    "communeCode" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "population" INTEGER NOT NULL,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("indicatorId", "communeCode", "year")
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_EngagementEvent" (
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
    "detail" TEXT NOT NULL DEFAULT '{}',
    "teamId" TEXT,
    "campaignId" TEXT,
    "groups" TEXT NOT NULL DEFAULT '{}'
);
INSERT INTO "new_EngagementEvent" ("channel", "communeCode", "contentKey", "detail", "flowId", "id", "kind", "locale", "nodeId", "occurredAt", "provinceCode", "pseudonym", "topic") SELECT "channel", "communeCode", "contentKey", "detail", "flowId", "id", "kind", "locale", "nodeId", "occurredAt", "provinceCode", "pseudonym", "topic" FROM "EngagementEvent";
DROP TABLE "EngagementEvent";
ALTER TABLE "new_EngagementEvent" RENAME TO "EngagementEvent";
CREATE INDEX "EngagementEvent_kind_occurredAt_idx" ON "EngagementEvent"("kind", "occurredAt");
CREATE INDEX "EngagementEvent_pseudonym_idx" ON "EngagementEvent"("pseudonym");
CREATE INDEX "EngagementEvent_occurredAt_idx" ON "EngagementEvent"("occurredAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "StatsCount_metric_dimension_period_idx" ON "StatsCount"("metric", "dimension", "period");

-- CreateIndex
CREATE INDEX "OutreachSession_provinceCode_heldOn_idx" ON "OutreachSession"("provinceCode", "heldOn");

-- CreateIndex
CREATE INDEX "OutreachSession_communeCode_heldOn_idx" ON "OutreachSession"("communeCode", "heldOn");

-- CreateIndex
CREATE INDEX "IndicatorTarget_provinceCode_year_idx" ON "IndicatorTarget"("provinceCode", "year");

