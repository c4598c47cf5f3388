import { describe, expect, it } from "vitest";
import { createPlaceIndex, type PlaceRecord } from "../../src/places/place-index.ts";
import { buildSetup, Chat, choice, eventsOfType, keysOf, messagesOf, standardFlows } from "./engine-fixture.ts";

function province(code: string, name: string, formerNames: string[] = []): PlaceRecord {
  return { code, level: "province", name, unitType: "tỉnh", provinceCode: null, formerNames, formerDistricts: [], sample: false };
}

function commune(code: string, name: string, provinceCode: string, unitType = "xã"): PlaceRecord {
  return { code, level: "commune", name, unitType, provinceCode, formerNames: [], formerDistricts: [], sample: false };
}

const places = createPlaceIndex([
  province("14", "Sơn La"),
  province("20", "Lạng Sơn"),
  province("51", "Quảng Ngãi", ["Kon Tum"]),
  province("08", "Tuyên Quang", ["Hà Giang"]),
  commune("04000", "Mường Bú", "14"),
  commune("04001", "Mường La", "14"),
  commune("04002", "Tô Hiệu", "14", "phường"),
  commune("04003", "Chiềng Hoa", "14"),
  commune("04004", "Chiềng Hắc", "14"),
  commune("06000", "Đồng Đăng", "20"),
]);

const placeFlows = {
  ...standardFlows,
  "flows/main.yaml": `
id: main
start: where
nodes:
  where:
    kind: place
    featured: ["14", "20", "99"]
    next: after
  after:
    kind: say
    say: [common:after]
`,
};

const placeSettings = "entry: { flow: main }\nhome: { flow: main }\nlanguage: { flow: language }\n";

function placeChat(options: { places?: typeof places } = {}) {
  return new Chat(buildSetup({ flows: placeFlows, settings: placeSettings, places: options.places ?? places }));
}

const lastOptions = (events: Parameters<typeof messagesOf>[0]) => messagesOf(events).at(-1)?.options ?? [];

describe("the place node", () => {
  it("offers the featured provinces that exist by name, then another province and skip", () => {
    const chat = placeChat();
    const first = chat.send("xin chào");
    expect(keysOf(first.events)).toEqual([["places:province_prompt"]]);
    expect(lastOptions(first.events)).toEqual([
      { id: "14", label: "tỉnh Sơn La", literal: true },
      { id: "20", label: "tỉnh Lạng Sơn", literal: true },
      { id: "other", label: "places:province_other" },
      { id: "skip", label: "places:skip" },
    ]);
  });

  it("takes a province button, then a typed commune without accents, and asks to confirm it", () => {
    const chat = placeChat();
    chat.send("xin chào");
    const picked = chat.send(choice("14"));
    expect(chat.contact.provinceCode).toBe("14");
    expect(keysOf(picked.events)).toEqual([["places:commune_prompt"]]);
    expect(messagesOf(picked.events)[0]?.params).toEqual({ province: "tỉnh Sơn La" });

    const typed = chat.send("xa muong bu");
    expect(keysOf(typed.events)).toEqual([["places:commune_confirm"]]);
    expect(messagesOf(typed.events)[0]?.params).toMatchObject({ place: "xã Mường Bú" });
    expect(chat.contact.communeCode).toBeNull();

    const confirmed = chat.send("có");
    expect(chat.contact.communeCode).toBe("04000");
    expect(keysOf(confirmed.events)).toEqual([["places:saved"], ["common:after"]]);
    expect(eventsOfType(confirmed.events, "contact_field_set")).toEqual([{ type: "contact_field_set", field: "communeCode", value: "04000" }]);
  });

  it("asks again when she says it is not her commune, and takes a commune with a typo", () => {
    const chat = placeChat();
    chat.send("xin chào");
    chat.send("son la");
    expect(chat.contact.provinceCode).toBe("14");
    chat.send("Muong Bu");
    const no = chat.send(choice("no"));
    expect(keysOf(no.events)).toEqual([["places:commune_retry", "places:commune_prompt"]]);
    chat.send("To Hieuu");
    chat.send(choice("yes"));
    expect(chat.contact.communeCode).toBe("04002");
  });

  it("offers a list when several communes match, and takes the one she picks", () => {
    const chat = placeChat();
    chat.send("xin chào");
    chat.send(choice("14"));
    const several = chat.send("chieng");
    expect(keysOf(several.events)).toEqual([["places:commune_choose"]]);
    expect(lastOptions(several.events).map((option) => option.id)).toEqual(["04003", "04004", "none"]);
    chat.send("2");
    expect(chat.contact.communeCode).toBe("04004");
  });

  it("finds a typed province by a pre-2025 name, and goes on without a commune after three misses", () => {
    const chat = placeChat();
    chat.send("xin chào");
    chat.send(choice("other"));
    // Kon Tum is part of Quảng Ngãi since 1/7/2025: she is shown the new name to pick.
    const former = chat.send("kon tum");
    expect(keysOf(former.events)).toEqual([["places:province_choose"]]);
    expect(lastOptions(former.events).map((option) => option.id)).toEqual(["51", "none"]);
    const typed = chat.send(choice("51"));
    expect(chat.contact.provinceCode).toBe("51");
    // Quảng Ngãi has no communes in this list, so the province is all that is asked.
    expect(keysOf(typed.events)).toEqual([["common:after"]]);

    const other = placeChat();
    other.send("xin chào");
    other.send(choice("20"));
    other.send("nowhere");
    const second = other.send("still nowhere");
    expect(keysOf(second.events)).toEqual([["places:commune_unknown", "places:commune_prompt"]]);
    const third = other.send("nope");
    expect(keysOf(third.events)).toEqual([["places:commune_unknown", "places:not_found"], ["common:after"]]);
    expect(other.contact.provinceCode).toBe("20");
    expect(other.contact.communeCode).toBeNull();
  });

  it("lets her skip, and is skipped altogether when no places are loaded", () => {
    const chat = placeChat();
    chat.send("xin chào");
    const skipped = chat.send(choice("skip"));
    expect(keysOf(skipped.events)).toEqual([["common:after"]]);
    expect(chat.contact.provinceCode).toBeNull();

    const empty = placeChat({ places: createPlaceIndex([]) });
    expect(keysOf(empty.send("xin chào").events)).toEqual([["common:after"]]);
  });

  it("clears a commune of another province when she picks a new province", () => {
    const chat = new Chat(buildSetup({ flows: placeFlows, settings: placeSettings, places }), { contact: { provinceCode: "14", communeCode: "04000" } });
    chat.send("xin chào");
    chat.send(choice("20"));
    expect(chat.contact).toMatchObject({ provinceCode: "20", communeCode: null });
  });

  it("keeps what she typed out of every event", () => {
    const chat = placeChat();
    chat.send("xin chào");
    chat.send(choice("14"));
    // The Chat fixture throws when an event carries the typed text; the commune is stored only as its code.
    const typed = chat.send("Muong Bu ở bản trên");
    expect(JSON.stringify(typed.events)).not.toContain("bản trên");
  });
});

describe("the language node", () => {
  const languageFlows = {
    ...standardFlows,
    "flows/language.yaml": `
id: language
start: choose
nodes:
  choose:
    kind: language
    prompt: common:lang.prompt
    next: done
  done:
    kind: say
    say: [common:lang.done]
`,
  };

  it("offers only the languages in the setup, each under its own name, and sets the locale", () => {
    const setup = buildSetup({
      flows: languageFlows,
      languages: [
        { code: "vi", name: "Tiếng Việt" },
        { code: "hmn", name: "Lus Hmoob" },
      ],
    });
    const chat = new Chat(setup);
    const asked = chat.send("ngôn ngữ");
    expect(lastOptions(asked.events)).toEqual([
      { id: "vi", label: "Tiếng Việt", literal: true },
      { id: "hmn", label: "Lus Hmoob", literal: true },
    ]);
    chat.send("lus hmoob");
    expect(chat.contact.locale).toBe("hmn");
    const again = chat.send("ngôn ngữ");
    chat.send(choice("en", "language/choose"));
    expect(chat.contact.locale).toBe("hmn");
    expect(lastOptions(again.events).map((option) => option.id)).toEqual(["vi", "hmn"]);
  });
});
