import { describe, expect, it } from "vitest";
import { ContentError } from "../../src/content/content-error.ts";
import { parseXliff, writeXliff, type XliffDocument } from "../../src/content/xliff.ts";

const document: XliffDocument = {
  sourceLanguage: "vi",
  targetLanguage: "km",
  units: [
    {
      id: "common:call",
      source: 'Gọi {{name}} & "113" <ngay>',
      target: "ហៅ {{name}} & \"113\" <ឥឡូវ>",
      state: "needs-review-translation",
      stateQualifier: "mt-suggestion",
      maxWidth: 400,
      notes: ["topic/checkups: message", "status: draft"],
    },
    { id: "common:triggers.help", source: "giúp\ntrợ giúp", target: "", state: "needs-translation", notes: [] },
    { id: "topic:more.no", source: "123", notes: [] },
  ],
};

describe("XLIFF 1.2", () => {
  it("writes one file of trans-units with resname, maxwidth in characters, state and notes", () => {
    const xml = writeXliff(document);
    expect(xml).toContain('<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">');
    expect(xml).toContain('source-language="vi" target-language="km"');
    expect(xml).toContain('<trans-unit id="common:call" resname="common:call" maxwidth="400" size-unit="char">');
    expect(xml).toContain('<target state="needs-review-translation" state-qualifier="mt-suggestion">');
    expect(xml).toContain("Gọi {{name}} &amp; &quot;113&quot; &lt;ngay&gt;");
    expect(xml.match(/<file /g)).toHaveLength(1);
  });

  it("reads back what it writes, keeping text, line breaks, numbers as text and attributes", () => {
    const { document: read, problems } = parseXliff(writeXliff(document), "test.xlf");
    expect(problems).toEqual([]);
    expect(read).toEqual(document);
  });

  it("decodes character references a translation tool may write", () => {
    const xml = writeXliff(document).replace("giúp\ntrợ giúp", "giúp&#10;trợ&#x20;giúp");
    expect(parseXliff(xml, "test.xlf").document.units[1]?.source).toBe("giúp\ntrợ giúp");
  });

  it("reports each unit with inline markup or no id, by position, and reads the others", () => {
    const xml = writeXliff(document)
      .replace('<target state="needs-translation"></target>', '<target>giúp <g id="1">đỡ</g></target>')
      .replace('<trans-unit id="topic:more.no" resname="topic:more.no">', "<trans-unit>");
    const { document: read, problems } = parseXliff(xml, "test.xlf");
    expect(problems.map((problem) => [problem.unit, problem.id])).toEqual([
      [2, "common:triggers.help"],
      [3, undefined],
    ]);
    expect(problems[0]?.message).toMatch(/target: holds inline markup/);
    expect(problems[1]?.message).toMatch(/a trans-unit needs an id/);
    expect(read.units.map((unit) => unit.id)).toEqual(["common:call"]);
  });

  it("refuses a file that is not XML, another XLIFF version, or several files", () => {
    expect(() => parseXliff("<xliff version=", "a.xlf")).toThrow(ContentError);
    expect(() => parseXliff(writeXliff(document).replace('version="1.2"', 'version="2.0"'), "b.xlf")).toThrow(/b\.xlf: .*version="1\.2"/);
    const twoFiles = writeXliff(document).replace("</file>", '</file><file source-language="vi" target-language="km"><body/></file>');
    expect(() => parseXliff(twoFiles, "c.xlf")).toThrow(/exactly one <file>/);
  });
});
