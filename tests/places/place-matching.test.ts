import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createPlaceIndex, type PlaceIndex, type PlaceRecord } from "../../src/places/place-index.ts";
import { prepareName, rankCandidates, typedReadings, typoAllowance, typoDistance } from "../../src/places/place-matching.ts";
import { loadShippedPlaces } from "../../src/places/shipped-places.ts";

const contentDir = join(import.meta.dirname, "../../content");

function commune(code: string, name: string, unitType = "xã", provinceCode = "14"): PlaceRecord {
  return { code, level: "commune", name, unitType, provinceCode, formerNames: [], formerDistricts: [], sample: false };
}

const codes = (matches: Array<{ place: PlaceRecord }>) => matches.map((match) => match.place.code);

describe("typed text", () => {
  it("is folded (case, diacritics, đ, NFD, punctuation, spaces) and also read without a leading unit word", () => {
    expect(typedReadings("  XÃ   Mường Bú!! ")).toEqual(["xa muong bu", "muong bu"]);
    expect(typedReadings("xa\u0303 Mu\u031Bo\u031Bng Bu\u0301")).toEqual(["xa muong bu", "muong bu"]);
    expect(typedReadings("Tp. Hồ Chí Minh")).toEqual(["tp ho chi minh", "ho chi minh"]);
    expect(typedReadings("thành phố Đà Nẵng")).toEqual(["thanh pho da nang", "da nang"]);
    expect(typedReadings("Đặc khu Lý Sơn")).toEqual(["dac khu ly son", "ly son"]);
    expect(typedReadings("Mường Bú")).toEqual(["muong bu"]);
    expect(typedReadings(" ?! ")).toEqual([]);
  });

  it("measures typos as insertions, deletions, substitutions and swapped neighbours, giving up past the limit", () => {
    expect(typoDistance("muong bu", "muogn bu", 2)).toBe(1);
    expect(typoDistance("muong bu", "muongbu", 2)).toBe(1);
    expect(typoDistance("muong bu", "muong bi", 2)).toBe(1);
    expect(typoDistance("chieng hoa", "chien hao", 2)).toBe(2);
    expect(typoDistance("chieng hoa", "chen hao", 2)).toBe(3);
    expect(typoDistance("ba", "ba to xa", 2)).toBe(3);
  });

  it("forgives no typo below 4 letters, one up to 7 letters and two from 8", () => {
    expect([3, 4, 7, 8, 20].map(typoAllowance)).toEqual([0, 1, 1, 2, 2]);
  });
});

describe("place index on the shipped places", () => {
  let index: PlaceIndex;

  beforeAll(async () => {
    const shipped = await loadShippedPlaces(contentDir);
    index = createPlaceIndex([...shipped.sampleCommunes, ...shipped.provinces]);
  });

  it("lists the provinces in official code order and finds places by code", () => {
    expect(index.provinces.map((province) => province.code).slice(0, 5)).toEqual(["01", "04", "08", "11", "12"]);
    expect(index.provinces.at(-1)?.code).toBe("96");
    expect(index.find("51")?.name).toBe("Quảng Ngãi");
    expect(index.find("14-mau-04")?.name).toBe("Mường Bú");
    expect(index.find("99")).toBeUndefined();
    expect(index.communesOf("20").every((place) => place.provinceCode === "20")).toBe(true);
    expect(index.communesOf("99")).toEqual([]);
  });

  it.each(["Mường Bú", "MƯỜNG BÚ", "muong bu", "Muong Bu", "xa muong bu", "Xã  Mường   Bú.", "xã Mu\u031Bo\u031Bng Bu\u0301", "Mường Bụ"])(
    "matches %j exactly to xã Mường Bú",
    (typed) => {
      const [first] = index.matchCommune("14", typed);
      expect(first).toEqual({ place: expect.objectContaining({ code: "14-mau-04" }), quality: "exact" });
    },
  );

  it("matches a small typo as close, and nothing past the allowance", () => {
    expect(index.matchCommune("14", "Muogn Bu")).toEqual([{ place: expect.objectContaining({ code: "14-mau-04" }), quality: "close" }]);
    expect(index.matchCommune("14", "Mường Búu")[0]).toEqual({ place: expect.objectContaining({ code: "14-mau-04" }), quality: "close" });
    expect(index.matchCommune("14", "Chiegn Hao")[0]).toEqual({ place: expect.objectContaining({ code: "14-mau-06" }), quality: "close" });
    expect(index.matchCommune("14", "Muonh Bi")).toEqual([]);
    expect(index.matchCommune("14", "muongbu")).toEqual([{ place: expect.objectContaining({ code: "14-mau-04" }), quality: "close" }]);
  });

  it("does not take a different last word for a typo, though the whole name would forgive two edits", () => {
    expect(index.matchCommune("14", "Chiềng Sơn")).toEqual([]);
    expect(index.matchCommune("14", "Chien Hao")[0]).toEqual({ place: expect.objectContaining({ code: "14-mau-06" }), quality: "close" });
  });

  it("ranks an exact match first, then names it starts, then shared words, in code order among equals", () => {
    expect(index.matchCommune("51", "Tây Trà").map((match) => [match.place.name, match.quality])).toEqual([
      ["Tây Trà", "exact"],
      ["Tây Trà Bồng", "close"],
    ]);
    expect(index.matchCommune("51", "tra bong").map((match) => [match.place.name, match.quality])).toEqual([
      ["Trà Bồng", "exact"],
      ["Tây Trà Bồng", "close"],
    ]);
    expect(codes(index.matchCommune("14", "chieng"))).toEqual(["14-mau-02", "14-mau-06"]);
    expect(codes(index.matchCommune("14", "Mường"))).toEqual(["14-mau-04", "14-mau-05"]);
    expect(codes(index.matchCommune("14", "Mường", 1))).toEqual(["14-mau-04"]);
    expect(index.matchCommune("14", "tôi ở xã Mường La, Sơn La")[0]).toEqual({ place: expect.objectContaining({ name: "Mường La" }), quality: "close" });
  });

  it("matches only the communes of the given province, and never by a former district", () => {
    expect(index.matchCommune("20", "Mường Bú")).toEqual([]);
    expect(index.matchCommune("51", "Kon Plông")).toEqual([]);
    expect(index.matchCommune("14", "huyện Mường La").map((match) => match.place.name)).toEqual(["Mường La"]);
    expect(index.matchCommune("51", "Kon Tum")).toEqual([{ place: expect.objectContaining({ code: "51-mau-07", unitType: "phường" }), quality: "exact" }]);
  });

  it("matches provinces by their name and, as close, by a pre-2025 province merged into them", () => {
    expect(index.matchProvince("tinh son la")).toEqual([{ place: expect.objectContaining({ code: "14" }), quality: "exact" }]);
    expect(index.matchProvince("TP. Hồ Chí Minh")[0]).toEqual({ place: expect.objectContaining({ code: "79" }), quality: "exact" });
    expect(index.matchProvince("Kon Tum")).toEqual([{ place: expect.objectContaining({ code: "51" }), quality: "close" }]);
    expect(index.matchProvince("tỉnh Hà Giang")[0]).toEqual({ place: expect.objectContaining({ code: "08" }), quality: "close" });
    expect(index.matchProvince("Vũng Tàu")).toEqual([{ place: expect.objectContaining({ code: "79" }), quality: "close" }]);
    expect(codes(index.matchProvince("Quảng"))).toEqual(["44", "22", "51", "48", "08"]);
  });

  it("finds first the new province of each of the 63 pre-2025 provinces (Nghị quyết 202/2025/QH15)", () => {
    const newProvinceOf: Record<string, string> = {
      "An Giang": "91", "Bà Rịa - Vũng Tàu": "79", "Bạc Liêu": "96", "Bắc Giang": "24", "Bắc Kạn": "19", "Bắc Ninh": "24",
      "Bến Tre": "86", "Bình Dương": "79", "Bình Định": "52", "Bình Phước": "75", "Bình Thuận": "68", "Cà Mau": "96",
      "Cao Bằng": "04", "Cần Thơ": "92", "Đà Nẵng": "48", "Đắk Lắk": "66", "Đắk Nông": "68", "Điện Biên": "11", "Đồng Nai": "75",
      "Đồng Tháp": "82", "Gia Lai": "52", "Hà Giang": "08", "Hà Nam": "37", "Hà Nội": "01", "Hà Tĩnh": "42", "Hải Dương": "31",
      "Hải Phòng": "31", "Hậu Giang": "92", "Hòa Bình": "25", "Hồ Chí Minh": "79", "Hưng Yên": "33", "Khánh Hòa": "56",
      "Kiên Giang": "91", "Kon Tum": "51", "Lai Châu": "12", "Lâm Đồng": "68", "Lạng Sơn": "20", "Lào Cai": "15", "Long An": "80",
      "Nam Định": "37", "Nghệ An": "40", "Ninh Bình": "37", "Ninh Thuận": "56", "Phú Thọ": "25", "Phú Yên": "66",
      "Quảng Bình": "44", "Quảng Nam": "48", "Quảng Ngãi": "51", "Quảng Ninh": "22", "Quảng Trị": "44", "Sóc Trăng": "92",
      "Sơn La": "14", "Tây Ninh": "80", "Thái Bình": "33", "Thái Nguyên": "19", "Thanh Hóa": "38", "Thừa Thiên Huế": "46",
      "Tiền Giang": "82", "Trà Vinh": "86", "Tuyên Quang": "08", "Vĩnh Long": "86", "Vĩnh Phúc": "25", "Yên Bái": "15",
    };
    expect(Object.keys(newProvinceOf)).toHaveLength(63);
    const found = Object.fromEntries(Object.keys(newProvinceOf).map((name) => [name, index.matchProvince(name)[0]?.place.code]));
    expect(found).toEqual(newProvinceOf);
    expect(new Set(Object.values(found)).size).toBe(34);
  });

  it("says the unit word and the name", () => {
    const say = (code: string) => {
      const place = index.find(code);
      return place === undefined ? undefined : index.displayName(place);
    };
    expect(["14-mau-04", "14-mau-01", "51-mau-06", "14", "79"].map(say)).toEqual([
      "xã Mường Bú",
      "phường Tô Hiệu",
      "đặc khu Lý Sơn",
      "tỉnh Sơn La",
      "thành phố Hồ Chí Minh",
    ]);
  });
});

describe("rankCandidates", () => {
  const candidates = [commune("00001", "Xà Phiên"), commune("00002", "Phiên"), commune("00003", "Xốp")].map((place) => ({
    item: place.code,
    names: [prepareName(place.name)],
  }));

  it("keeps a name that starts like a unit word", () => {
    expect(rankCandidates(candidates, "xa phien", 5)).toEqual([
      { item: "00001", quality: "exact" },
      { item: "00002", quality: "exact" },
    ]);
    expect(rankCandidates(candidates, "xã Xà Phiên", 5)[0]).toEqual({ item: "00001", quality: "exact" });
  });

  it("forgives no typo in a name of three letters", () => {
    expect(rankCandidates(candidates, "xop", 5)).toEqual([{ item: "00003", quality: "exact" }]);
    expect(rankCandidates(candidates, "xoq", 5)).toEqual([]);
  });

  it("returns nothing for empty text or a zero limit", () => {
    expect(rankCandidates(candidates, " . ", 5)).toEqual([]);
    expect(rankCandidates(candidates, "xop", 0)).toEqual([]);
  });

  it("refuses two places with one code", () => {
    expect(() => createPlaceIndex([commune("00001", "A"), commune("00001", "B")])).toThrow(/appears twice/);
  });
});
