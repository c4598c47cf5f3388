import { fileURLToPath } from "node:url";
import { compileIndicators, indicatorsFile, loadIndicators } from "../../src/stats/indicators.ts";
import { recordEngagement, type EngagementInput } from "../../src/stats/stats-recorder.ts";
import type { DatabaseClient } from "../../src/store/database.ts";

const contentDir = fileURLToPath(new URL("../../content/", import.meta.url));

/**
 * Engagement in the second half of 2026, recorded through the statistics recorder with the shipped indicators,
 * as the conversation pipeline records it:
 * - Sơn La (14): xã Mường Bú (14-mau-04) 30 people reached on safe birth, 20 in July and 10 in September, in
 *   Vietnamese and Mông, and 10 quiz answers of which 8 right; xã Mường La (14-mau-05) 3 people on child marriage
 *   and one emergency answer, fewer than 5; xã Chiềng Hoa (14-mau-06) 12 people on domestic violence.
 * - Lạng Sơn (20): xã Đông Kinh (20-mau-01) 7 people on child marriage.
 */
export async function recordSampleReach(db: DatabaseClient): Promise<void> {
  const indicators = compileIndicators(await loadIndicators(indicatorsFile(contentDir)));
  const at = (month: number, day: number) => new Date(Date.UTC(2026, month - 1, day, 3));
  const delivered = (pseudonym: string, communeCode: string, topic: string, occurredAt: Date, locale = "vi"): EngagementInput => ({
    kind: "content_delivered",
    occurredAt,
    pseudonym,
    channel: "telegram",
    locale,
    provinceCode: communeCode.slice(0, 2),
    communeCode,
    topic,
  });
  const events: EngagementInput[] = [
    ...Array.from({ length: 30 }, (_, index) => delivered(`muong-bu-${index}`, "14-mau-04", "safe-birth", index < 20 ? at(7, 1 + index) : at(9, index - 9), index % 3 === 0 ? "hmn" : "vi")),
    ...Array.from({ length: 10 }, (_, index): EngagementInput => ({
      kind: "quiz_answered",
      occurredAt: at(9, 25),
      pseudonym: `muong-bu-${index}`,
      channel: "telegram",
      locale: "vi",
      provinceCode: "14",
      communeCode: "14-mau-04",
      topic: "safe-birth",
      detail: { correct: index < 8 },
    })),
    ...Array.from({ length: 3 }, (_, index) => delivered(`muong-la-${index}`, "14-mau-05", "child-marriage", at(8, 5 + index))),
    { kind: "emergency_answered", occurredAt: at(8, 9), pseudonym: "muong-la-0", channel: "telegram", locale: "vi", provinceCode: "14", communeCode: "14-mau-05" },
    ...Array.from({ length: 12 }, (_, index) => delivered(`chieng-hoa-${index}`, "14-mau-06", "violence", at(10, 1 + index))),
    ...Array.from({ length: 7 }, (_, index) => delivered(`dong-kinh-${index}`, "20-mau-01", "child-marriage", at(11, 2 + index))),
  ];
  await db.$transaction(async (tx) => recordEngagement(tx, events, { indicators }));
}
