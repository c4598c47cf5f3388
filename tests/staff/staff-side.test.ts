import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pruneExpiredRows } from "../../src/conversation/retention.ts";
import { createStaffSide, type StaffSide } from "../../src/staff/staff-side.ts";
import { StaffError } from "../../src/staff/staff-error.ts";
import { createTestClock } from "../support/test-clock.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/test-database.ts";

const password = "suối chảy qua bản nhỏ";

describe.each(databaseKinds)("staff accounts, sign-in, sessions and tokens on %s", (kind) => {
  let test: TestDatabase;
  let clock: ReturnType<typeof createTestClock>;
  let staff: StaffSide;

  beforeEach(async () => {
    test = await createTestDatabase(kind);
    clock = createTestClock();
    staff = createStaffSide({ db: test.database.client, now: clock.now, signInPolicy: { lockAfter: 3, lockMinutes: 15, baseDelayMs: 100, maxDelayMs: 1_000 } });
    await test.database.client.place.createMany({
      data: [
        { code: "14", level: "province", name: "Sơn La", unitType: "tỉnh", searchName: "son la", source: "test" },
        { code: "14-mau-04", level: "commune", name: "Mường Bú", unitType: "xã", provinceCode: "14", searchName: "muong bu", source: "test", sample: true },
        { code: "20-mau-01", level: "commune", name: "Đông Kinh", unitType: "phường", provinceCode: "20", searchName: "dong kinh", source: "test", sample: true },
      ],
    });
  });
  afterEach(async () => {
    await test.drop();
  });

  it("creates accounts whose scope fits their role, and refuses what does not fit", async () => {
    const team = await staff.accounts.createTeam({ name: "Tổ Mường Bú", provinceCode: "14", communeCodes: ["14-mau-04"] });
    const member = await staff.accounts.create({ username: "Lan.Mb", displayName: "Lan", password, role: "commune", teamId: team });
    expect(member).toMatchObject({ username: "lan.mb", role: "commune", communes: ["14-mau-04"], teamProvinceCode: "14", provinces: [] });
    const officer = await staff.accounts.create({ username: "hoa", displayName: "Hoa", password, role: "province", provinces: ["14"] });
    expect(officer).toMatchObject({ role: "province", provinces: ["14"], communes: [] });

    const refused = async (attempt: Promise<unknown>) => ((await attempt.catch((error: unknown) => error)) as StaffError).code;
    expect(await refused(staff.accounts.create({ username: "hoa", displayName: "Hoa 2", password, role: "admin" }))).toBe("staff:username-taken");
    expect(await refused(staff.accounts.create({ username: "mai", displayName: "Mai", password: "short", role: "admin" }))).toBe("staff:weak-password");
    expect(await refused(staff.accounts.create({ username: "mai", displayName: "Mai", password, role: "province" }))).toBe("staff:scope-missing");
    expect(await refused(staff.accounts.create({ username: "mai", displayName: "Mai", password, role: "admin", teamId: team }))).toBe("staff:scope-invalid");
    expect(await refused(staff.accounts.createTeam({ name: "Sai", provinceCode: "14", communeCodes: ["20-mau-01"] }))).toBe("staff:scope-invalid");
    expect(await staff.accounts.hasAdmin()).toBe(false);
  });

  it("slows wrong passwords, locks the account after repeated failures even for the right one, and opens again later", async () => {
    await staff.accounts.create({ username: "hoa", displayName: "Hoa", password, role: "admin" });
    const first = await staff.signIn("hoa", "wrong one here");
    const second = await staff.signIn("hoa", "wrong two here");
    expect([first, second].map((result) => (result.ok ? 0 : result.delayMs))).toEqual([100, 200]);
    const third = await staff.signIn("HOA", "wrong three here");
    expect(third).toMatchObject({ ok: false, reason: "locked" });
    expect(await staff.signIn("hoa", password)).toMatchObject({ ok: false, reason: "locked" });
    clock.advance(16 * 60_000);
    expect(await staff.signIn("hoa", password)).toMatchObject({ ok: true, principal: { username: "hoa", role: "admin" } });
    const unknown = await staff.signIn("nobody", password);
    expect(unknown).toMatchObject({ ok: false, reason: "invalid" });
    const audit = await staff.audit.list();
    expect(audit.map((entry) => [entry.action, entry.outcome, JSON.parse(entry.detail).reason ?? null])).toEqual([
      ["sign-in", "refused", "unknown-account"],
      ["sign-in", "ok", null],
      ["sign-in", "refused", "locked"],
      ["sign-in", "refused", "locked-now"],
      ["sign-in", "refused", "wrong-password"],
      ["sign-in", "refused", "wrong-password"],
    ]);
    expect(JSON.stringify(audit)).not.toContain("wrong one");
  });

  it("keeps a session while it is used, ends it after 12 idle hours or on sign-out, and stores only token hashes", async () => {
    const admin = await staff.accounts.create({ username: "hoa", displayName: "Hoa", password, role: "admin" });
    const session = await staff.sessions.start(admin.accountId);
    expect((await staff.sessions.resolve(session.token))?.principal.accountId).toBe(admin.accountId);
    expect((await staff.sessions.resolve(session.token))?.csrfToken).toBe(session.csrfToken);
    clock.advance(11 * 3_600_000);
    expect(await staff.sessions.resolve(session.token)).toBeDefined();
    clock.advance(11 * 3_600_000);
    expect(await staff.sessions.resolve(session.token)).toBeDefined();
    clock.advance(13 * 3_600_000);
    expect(await staff.sessions.resolve(session.token)).toBeUndefined();
    const forgotten = await staff.sessions.start(admin.accountId);
    clock.advance(13 * 3_600_000);
    expect((await pruneExpiredRows(test.database, clock.now(), 7)).staffSessions).toBe(1);
    expect(await staff.sessions.resolve(forgotten.token)).toBeUndefined();
    const again = await staff.sessions.start(admin.accountId);
    await staff.sessions.end(again.token);
    expect(await staff.sessions.resolve(again.token)).toBeUndefined();
    const stored = JSON.stringify(await test.database.client.staffSession.findMany());
    expect(stored).not.toContain(again.token);
  });

  it("changes a password: the old one and every session stop working, and a lock is lifted", async () => {
    const admin = await staff.accounts.create({ username: "hoa", displayName: "Hoa", password, role: "admin" });
    const session = await staff.sessions.start(admin.accountId);
    for (const wrong of ["sai một lần", "sai hai lần", "sai ba lần"]) await staff.signIn("hoa", wrong);
    expect(await staff.signIn("hoa", password)).toMatchObject({ ok: false, reason: "locked" });
    await expect(staff.accounts.changePassword(admin.accountId, "mật khẩu mới dài", "not the current one")).rejects.toMatchObject({ code: "staff:wrong-password" });
    await staff.accounts.changePassword(admin.accountId, "mật khẩu mới dài");
    expect(await staff.sessions.resolve(session.token)).toBeUndefined();
    expect(await staff.signIn("hoa", password)).toMatchObject({ ok: false, reason: "invalid" });
    expect(await staff.signIn("hoa", "mật khẩu mới dài")).toMatchObject({ ok: true });
  });

  it("resolves an API token to its account until it is revoked", async () => {
    const officer = await staff.accounts.create({ username: "hoa", displayName: "Hoa", password, role: "province", provinces: ["14"] });
    const { id, token } = await staff.apiTokens.create(officer.accountId, "báo cáo tự động");
    expect(token.startsWith("loa_")).toBe(true);
    expect(await staff.apiTokens.resolve(token)).toMatchObject({ accountId: officer.accountId, provinces: ["14"] });
    expect(await staff.apiTokens.resolve(`${token}x`)).toBeUndefined();
    expect(await staff.apiTokens.revoke(officer.accountId, id)).toBe(true);
    expect(await staff.apiTokens.resolve(token)).toBeUndefined();
    expect(JSON.stringify(await test.database.client.staffApiToken.findMany())).not.toContain(token);
  });
});
