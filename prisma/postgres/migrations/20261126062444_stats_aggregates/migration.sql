-- AlterTable
ALTER TABLE "EngagementEvent" ADD COLUMN     "campaignId" TEXT,
ADD COLUMN     "groups" TEXT NOT NULL DEFAULT '{}',
ADD COLUMN     "teamId" TEXT;

-- CreateTable
CREATE TABLE "StatsCount" (
    "period" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "communeCode" TEXT NOT NULL,
    "dimension" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "StatsCount_pkey" PRIMARY KEY ("period","provinceCode","communeCode","dimension","value","metric")
);

-- CreateTable
CREATE TABLE "StatsPerson" (
    "cell" TEXT NOT NULL,
    "pseudonym" TEXT NOT NULL,

    CONSTRAINT "StatsPerson_pkey" PRIMARY KEY ("cell","pseudonym")
);

-- CreateTable
CREATE TABLE "OutreachSession" (
    "id" TEXT NOT NULL,
    "teamId" TEXT,
    "provinceCode" TEXT NOT NULL,
    "communeCode" TEXT NOT NULL,
    "heldOn" TIMESTAMP(3) NOT NULL,
    "topic" TEXT NOT NULL,
    "placeName" TEXT NOT NULL,
    "participantsFemale" INTEGER NOT NULL,
    "participantsMale" INTEGER NOT NULL,
    "note" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OutreachSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IndicatorTarget" (
    "indicatorId" TEXT NOT NULL,
    "communeCode" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "population" INTEGER NOT NULL,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "IndicatorTarget_pkey" PRIMARY KEY ("indicatorId","communeCode","year")
);

-- CreateIndex
CREATE INDEX "StatsCount_metric_dimension_period_idx" ON "StatsCount"("metric", "dimension", "period");

-- CreateIndex
CREATE INDEX "OutreachSession_provinceCode_heldOn_idx" ON "OutreachSession"("provinceCode", "heldOn");

-- CreateIndex
CREATE INDEX "OutreachSession_communeCode_heldOn_idx" ON "OutreachSession"("communeCode", "heldOn");

-- CreateIndex
CREATE INDEX "IndicatorTarget_provinceCode_year_idx" ON "IndicatorTarget"("provinceCode", "year");

-- CreateIndex
CREATE INDEX "EngagementEvent_occurredAt_idx" ON "EngagementEvent"("occurredAt");

