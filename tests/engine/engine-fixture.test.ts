import { describe, expect, it } from "vitest";
import type { FlowEvent } from "../../src/engine/flow-events.ts";
import { leakedText } from "./engine-fixture.ts";

/** The harness checks every turn with `leakedText`; these tests show that check can fail. */
describe("leakedText", () => {
  const typed = "Chồng tôi say rượu";

  it("finds typed text in any event other than contact_field_set", () => {
    const leaks: FlowEvent[][] = [
      [{ type: "error", code: "x", detail: `could not parse ${typed}` }],
      [{ type: "variable_set", name: "note", value: typed }],
      [{ type: "message_created", message: { keys: [typed.toLocaleLowerCase("vi")] } }],
      [{ type: "failure", code: "x", detail: typed.normalize("NFC") + " " }],
    ];
    for (const events of leaks) expect(leakedText(events, typed), JSON.stringify(events)).not.toEqual([]);
  });

  it("finds the cleaned form of an answer", () => {
    expect(leakedText([{ type: "variable_set", name: "n", value: "Xã Pà Cò" }], "  Xã\u200B Pà   Cò ")).toEqual(["Xã Pà Cò"]);
  });

  it("allows a contact_field_set value and ignores short inputs and keywords", () => {
    expect(leakedText([{ type: "contact_field_set", field: "communeName", value: typed }], typed)).toEqual([]);
    expect(leakedText([{ type: "option_chosen", optionId: "2", flowId: "t", nodeId: "menu" }], "2")).toEqual([]);
    expect(leakedText([{ type: "node_entered", kind: "menu", flowId: "t", nodeId: "a" }], "menu")).toEqual([]);
    expect(leakedText([{ type: "node_entered", kind: "menu", flowId: "t", nodeId: "a" }], "men")).toEqual(["men"]);
  });
});
