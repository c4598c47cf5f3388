import { XMLParser } from "fast-xml-parser";
import { z } from "zod";
import { ContentError } from "./content-error.ts";

/**
 * XLIFF 1.2, the exchange format translation tools (OmegaT, Poedit, memoQ, Weblate, …) read and write, so a
 * translator can work in her own tool with its spell checker and memory. Loa writes and reads one `<file>`
 * of plain-text `<trans-unit>`s; inline markup is refused because Loa's texts have none.
 */

/** One text to translate. `id` is the content key. `state` and `stateQualifier` are XLIFF's target attributes. */
export type XliffUnit = {
  id: string;
  source: string;
  target?: string;
  state?: string;
  stateQualifier?: string;
  maxWidth?: number;
  notes: string[];
};

/** A parsed or to-be-written XLIFF document with its single file. */
export type XliffDocument = { sourceLanguage: string; targetLanguage: string; units: XliffUnit[] };

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function attributes(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeXml(String(value))}"`)
    .join("");
}

/** Writes an XLIFF 1.2 document, one unit per text, with `maxwidth` in characters where a limit is known. */
export function writeXliff(document: XliffDocument): string {
  const units = document.units.map((unit) => {
    const target =
      unit.target === undefined
        ? ""
        : `\n        <target${attributes({ state: unit.state, "state-qualifier": unit.stateQualifier })}>${escapeXml(unit.target)}</target>`;
    const notes = unit.notes.map((note) => `\n        <note>${escapeXml(note)}</note>`).join("");
    const head = attributes({
      id: unit.id,
      resname: unit.id,
      maxwidth: unit.maxWidth,
      "size-unit": unit.maxWidth === undefined ? undefined : "char",
    });
    return `      <trans-unit${head}>\n        <source>${escapeXml(unit.source)}</source>${target}${notes}\n      </trans-unit>`;
  });
  const file = attributes({
    original: "loa-content",
    datatype: "plaintext",
    "source-language": document.sourceLanguage,
    "target-language": document.targetLanguage,
  });
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n` +
    `  <file${file}>\n    <body>\n${units.join("\n")}\n    </body>\n  </file>\n</xliff>\n`
  );
}

const attributePrefix = "@_";

/**
 * An element holding plain text, with its attributes (names without the prefix). An element with child
 * elements (XLIFF inline markup such as `<g>`, `<x/>`, `<ph>`) is refused: Loa's texts are plain text.
 */
const textElement = z
  .union([z.string(), z.record(z.string(), z.unknown())], { error: "expected an element holding text" })
  .refine((value) => typeof value === "string" || Object.keys(value).every((name) => name === "#text" || name.startsWith(attributePrefix)), {
    error: "holds inline markup (e.g. <g>, <x/>, <ph>); write plain text",
  })
  .transform((value) => {
    if (typeof value === "string") return { text: value, attributes: new Map<string, string>() };
    const attributes = new Map<string, string>();
    for (const [name, attribute] of Object.entries(value)) {
      if (name.startsWith(attributePrefix) && typeof attribute === "string") attributes.set(name.slice(attributePrefix.length), attribute);
    }
    return { text: typeof value["#text"] === "string" ? value["#text"] : "", attributes };
  });

const unitSchema = z.looseObject({
  "@_id": z.string({ error: "a trans-unit needs an id" }).min(1),
  "@_maxwidth": z.string().regex(/^\d+$/, "maxwidth is a whole number").optional(),
  source: textElement,
  target: textElement.optional(),
  note: z.array(textElement).optional(),
});

const documentSchema = z.object({
  xliff: z.looseObject({
    "@_version": z.literal("1.2", { error: 'only XLIFF version="1.2" is read' }),
    file: z
      .array(
        z.looseObject({
          "@_source-language": z.string({ error: "the file needs a source-language" }),
          "@_target-language": z.string({ error: "the file needs a target-language" }),
          body: z.union([z.looseObject({ "trans-unit": z.array(z.unknown()).optional() }), z.literal("")]),
        }),
      )
      .length(1, "an XLIFF file for Loa holds exactly one <file>"),
  }),
});

/** A unit that could not be read; the import reports it with the others instead of stopping at the first. */
export type XliffUnitProblem = { unit: number; id?: string; message: string };

/**
 * Reads an XLIFF 1.2 document. The document's shape must be right (else a ContentError); each unit that
 * cannot be read is returned as a problem with its position, so every bad unit is reported at once.
 */
export function parseXliff(text: string, file: string): { document: XliffDocument; problems: XliffUnitProblem[] } {
  let raw: unknown;
  try {
    raw = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: attributePrefix,
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: false,
      htmlEntities: true,
      isArray: (name) => name === "file" || name === "trans-unit" || name === "note",
    }).parse(text, true);
  } catch (cause) {
    throw new ContentError(`${file}: not valid XML: ${String(cause)}`, "content:file-invalid", { cause, context: { file } });
  }
  const parsed = documentSchema.safeParse(raw);
  if (!parsed.success) {
    const message = parsed.error.issues.map((issue) => issue.message).join("; ");
    throw new ContentError(`${file}: not an XLIFF 1.2 file Loa can read: ${message}`, "content:file-invalid", { context: { file } });
  }
  const [fileElement] = parsed.data.xliff.file;
  const rawUnits = fileElement === undefined || fileElement.body === "" ? [] : (fileElement.body["trans-unit"] ?? []);
  const units: XliffUnit[] = [];
  const problems: XliffUnitProblem[] = [];
  rawUnits.forEach((rawUnit, index) => {
    const unit = unitSchema.safeParse(rawUnit);
    if (!unit.success) {
      const id = z.object({ "@_id": z.string() }).safeParse(rawUnit).data?.["@_id"];
      const message = unit.error.issues.map((issue) => `${issue.path.map(String).join(".") || "trans-unit"}: ${issue.message}`).join("; ");
      problems.push({ unit: index + 1, ...(id === undefined ? {} : { id }), message });
      return;
    }
    const { "@_id": id, "@_maxwidth": maxWidth, source, target, note } = unit.data;
    const state = target?.attributes.get("state");
    const stateQualifier = target?.attributes.get("state-qualifier");
    units.push({
      id,
      source: source.text,
      ...(target === undefined ? {} : { target: target.text }),
      ...(state === undefined ? {} : { state }),
      ...(stateQualifier === undefined ? {} : { stateQualifier }),
      ...(maxWidth === undefined ? {} : { maxWidth: Number(maxWidth) }),
      notes: (note ?? []).map((element) => element.text),
    });
  });
  return {
    document: {
      sourceLanguage: fileElement?.["@_source-language"] ?? "",
      targetLanguage: fileElement?.["@_target-language"] ?? "",
      units,
    },
    problems,
  };
}
