-- CreateTable
CREATE TABLE "Place" (
    "code" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "unitType" TEXT NOT NULL,
    "provinceCode" TEXT,
    "searchName" TEXT NOT NULL,
    "formerDistricts" TEXT NOT NULL DEFAULT '[]',
    "sample" BOOLEAN NOT NULL DEFAULT false,
    "source" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Place_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "HelpEntry" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "address" TEXT,
    "scope" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "communeCode" TEXT,
    "hours" TEXT NOT NULL DEFAULT 'unknown',
    "free" TEXT NOT NULL DEFAULT 'unknown',
    "languages" TEXT NOT NULL DEFAULT '["vie"]',
    "topics" TEXT NOT NULL,
    "emergency" BOOLEAN NOT NULL DEFAULT false,
    "verifiedOn" TIMESTAMP(3) NOT NULL,
    "source" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HelpEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Place_level_provinceCode_idx" ON "Place"("level", "provinceCode");

-- CreateIndex
CREATE INDEX "HelpEntry_provinceCode_communeCode_idx" ON "HelpEntry"("provinceCode", "communeCode");

