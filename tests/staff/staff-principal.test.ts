import { describe, expect, it } from "vitest";
import { canManagePlace, canSeePlace, hasPermission, type PlaceRef, type StaffPrincipal } from "../../src/staff/staff-principal.ts";

const base = { username: "x", displayName: "X", locale: "vi" as const, teamId: null, teamProvinceCode: null, provinces: [], communes: [] };
const admin: StaffPrincipal = { ...base, accountId: "a", role: "admin" };
const sonLa: StaffPrincipal = { ...base, accountId: "p", role: "province", provinces: ["14"] };
const muongBu: StaffPrincipal = { ...base, accountId: "c", role: "commune", communes: ["14-mau-04"], teamId: "t", teamProvinceCode: "14" };

const national: PlaceRef = { provinceCode: null, communeCode: null };
const sonLaWide: PlaceRef = { provinceCode: "14", communeCode: null };
const ownCommune: PlaceRef = { provinceCode: "14", communeCode: "14-mau-04" };
const otherCommune: PlaceRef = { provinceCode: "14", communeCode: "14-mau-05" };
const otherProvince: PlaceRef = { provinceCode: "20", communeCode: "20-mau-01" };

describe("staff authorization", () => {
  it("lets each role see exactly its area, national things for all", () => {
    const table = [admin, sonLa, muongBu].map((who) => [national, sonLaWide, ownCommune, otherCommune, otherProvince].map((place) => canSeePlace(who, place)));
    expect(table).toEqual([
      [true, true, true, true, true],
      [true, true, true, true, false],
      [true, true, true, false, false],
    ]);
  });

  it("lets each role change exactly its area; national things and province-wide things only from above", () => {
    const table = [admin, sonLa, muongBu].map((who) => [national, sonLaWide, ownCommune, otherCommune, otherProvince].map((place) => canManagePlace(who, place)));
    expect(table).toEqual([
      [true, true, true, true, true],
      [false, true, true, true, false],
      [false, false, true, false, false],
    ]);
  });

  it("keeps importing places, managing accounts and reading the audit log for admins", () => {
    for (const permission of ["places:import", "accounts:manage", "audit:read"] as const) {
      expect([admin, sonLa, muongBu].map((who) => hasPermission(who, permission))).toEqual([true, false, false]);
    }
    expect([admin, sonLa, muongBu].map((who) => hasPermission(who, "directory:write"))).toEqual([true, true, true]);
  });

  it("lets every role read its area's statistics and record sessions, and only province officers and admins set targets", () => {
    const table = (["stats:read", "sessions:write", "targets:write"] as const).map((permission) => [admin, sonLa, muongBu].map((who) => hasPermission(who, permission)));
    expect(table).toEqual([
      [true, true, true],
      [true, true, true],
      [true, true, false],
    ]);
  });
});
