import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAuditLog, type AuditLog } from "../../src/staff/audit-log.ts";
import type { StaffPrincipal } from "../../src/staff/staff-principal.ts";
import { createOutreachSessions, outreachSessionInputSchema, type OutreachSessionInput, type OutreachSessions } from "../../src/stats/outreach-sessions.ts";
import { createSequentialIds } from "../support/test-clock.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/test-database.ts";
import { shippedPlaceIndex } from "../support/shipped-place-index.ts";

const base = { username: "x", displayName: "X", locale: "vi" as const, teamId: null, teamProvinceCode: null, provinces: [], communes: [] };
const admin: StaffPrincipal = { ...base, accountId: "admin", role: "admin" };
const sonLa: StaffPrincipal = { ...base, accountId: "son-la", role: "province", provinces: ["14"] };
const langSon: StaffPrincipal = { ...base, accountId: "lang-son", role: "province", provinces: ["20"] };
const muongBu: StaffPrincipal = { ...base, accountId: "muong-bu", role: "commune", communes: ["14-mau-04"], teamId: "team-muong-bu", teamProvinceCode: "14" };
const muongLa: StaffPrincipal = { ...base, accountId: "muong-la", role: "commune", communes: ["14-mau-05"], teamId: "team-muong-la", teamProvinceCode: "14" };

const session = (values: Partial<OutreachSessionInput> = {}): OutreachSessionInput => ({
  heldOn: "2026-11-20",
  communeCode: "14-mau-04",
  topic: "child-marriage",
  placeName: "Nhà văn hóa bản Nà Sài",
  participantsFemale: 32,
  participantsMale: 9,
  ...values,
});

describe.each(databaseKinds)("in-person sessions on %s", (kind) => {
  let test: TestDatabase;
  let sessions: OutreachSessions;
  let audit: AuditLog;

  beforeEach(async () => {
    test = await createTestDatabase(kind);
    const now = () => new Date("2026-11-26T03:00:00Z");
    const places = await shippedPlaceIndex();
    audit = createAuditLog(test.database.client, now);
    sessions = createOutreachSessions({ db: test.database.client, places: () => places, audit, now, newId: createSequentialIds("session") });
  });
  afterEach(async () => {
    await test.drop();
  });

  it("lets a commune team record, change and remove sessions of its own communes only, each change audited", async () => {
    const recorded = await sessions.record(muongBu, session());
    expect(recorded).toMatchObject({ id: "session-000001", teamId: "team-muong-bu", provinceCode: "14", heldOn: "2026-11-20", participantsFemale: 32, participantsMale: 9, createdBy: "muong-bu", note: null });
    await expect(sessions.record(muongBu, session({ communeCode: "14-mau-05" }))).rejects.toMatchObject({ code: "staff:not-found" });
    await expect(sessions.change(muongLa, recorded.id, session({ communeCode: "14-mau-05" }))).rejects.toMatchObject({ code: "staff:not-found" });
    await expect(sessions.change(muongBu, recorded.id, session({ communeCode: "14-mau-05" }))).rejects.toMatchObject({ code: "staff:not-found" });
    await expect(sessions.remove(langSon, recorded.id)).rejects.toMatchObject({ code: "staff:not-found" });
    const changed = await sessions.change(muongBu, recorded.id, session({ participantsMale: 11, note: "Có cán bộ y tế xã cùng dự" }));
    expect(changed).toMatchObject({ participantsMale: 11, note: "Có cán bộ y tế xã cùng dự", createdBy: "muong-bu" });
    await sessions.remove(sonLa, recorded.id);
    expect(await sessions.list(admin)).toEqual([]);
    expect((await audit.list()).filter((entry) => entry.action === "outreach-session-changed").map((entry) => JSON.parse(entry.detail))).toEqual([{ change: "removed" }, { change: "changed" }, { change: "recorded" }]);
  });

  it("refuses a day in the future, an unknown commune and a session without participants", async () => {
    await expect(sessions.record(sonLa, session({ heldOn: "2026-11-27" }))).rejects.toMatchObject({ code: "stats:invalid-session" });
    await expect(sessions.record(admin, session({ communeCode: "14-mau-99" }))).rejects.toMatchObject({ code: "stats:unknown-commune" });
    expect(outreachSessionInputSchema.safeParse(session({ participantsFemale: 0, participantsMale: 0 })).success).toBe(false);
    expect(outreachSessionInputSchema.safeParse({ ...session(), topic: "weather" }).success).toBe(false);
  });

  it("lists and totals only what each role may see, by period, commune and topic", async () => {
    await sessions.record(muongBu, session());
    await sessions.record(muongBu, session({ heldOn: "2026-07-01", topic: "safe-birth", participantsFemale: 20, participantsMale: 0 }));
    await sessions.record(muongLa, session({ communeCode: "14-mau-05", heldOn: "2026-09-15", participantsFemale: 15, participantsMale: 15 }));
    await sessions.record(sonLa, session({ heldOn: "2026-06-30", participantsFemale: 50, participantsMale: 50 }));
    await sessions.record(langSon, session({ communeCode: "20-mau-01", participantsFemale: 7, participantsMale: 3 }));

    const h2 = { period: "2026-H2", provinceCode: "14" };
    expect(await sessions.totals(sonLa, h2)).toEqual({
      total: { sessions: 3, female: 67, male: 24, total: 91 },
      byCommune: [
        { communeCode: "14-mau-04", sessions: 2, female: 52, male: 9, total: 61 },
        { communeCode: "14-mau-05", sessions: 1, female: 15, male: 15, total: 30 },
      ],
      byTopic: [
        { topic: "child-marriage", sessions: 2, female: 47, male: 24, total: 71 },
        { topic: "safe-birth", sessions: 1, female: 20, male: 0, total: 20 },
      ],
      byCommuneAndTopic: [
        { communeCode: "14-mau-04", topic: "child-marriage", sessions: 1, female: 32, male: 9, total: 41 },
        { communeCode: "14-mau-04", topic: "safe-birth", sessions: 1, female: 20, male: 0, total: 20 },
        { communeCode: "14-mau-05", topic: "child-marriage", sessions: 1, female: 15, male: 15, total: 30 },
      ],
    });
    expect((await sessions.totals(muongBu, h2)).total).toEqual({ sessions: 2, female: 52, male: 9, total: 61 });
    expect((await sessions.totals(langSon, h2)).total).toEqual({ sessions: 0, female: 0, male: 0, total: 0 });
    expect((await sessions.totals(sonLa, { period: "2026", provinceCode: "14" })).total.sessions).toBe(4);
    expect((await sessions.totals(sonLa, { period: "2026-07", provinceCode: "14" })).total.sessions).toBe(1);
    expect((await sessions.list(muongLa, { period: "2026" })).map((item) => item.heldOn)).toEqual(["2026-09-15"]);
    expect((await sessions.list(admin, { period: "2026-H2", topic: "safe-birth" })).map((item) => item.heldOn)).toEqual(["2026-07-01"]);
    await expect(sessions.get(muongLa, "session-000001")).rejects.toMatchObject({ code: "staff:not-found" });
    expect((await sessions.get(sonLa, "session-000001")).placeName).toBe("Nhà văn hóa bản Nà Sài");
  });
});
