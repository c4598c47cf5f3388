// A small reader for the console's own HTML, enough for the tests to check tags and their attributes without
// a DOM library. It relies on what the console always writes: double-quoted attribute values, no `>` inside
// a tag (the escaping turns every `>` in a value into &gt;).

/** One start tag: its name, its attributes (a bare attribute has the value ""), and where it starts. */
export type StartTag = { name: string; attributes: Map<string, string>; index: number };

/** Every start tag named one of `names`, in document order. */
export function startTags(document: string, ...names: string[]): StartTag[] {
  const pattern = new RegExp(`<(${names.join("|")})\\b([^>]*)>`, "gi");
  return [...document.matchAll(pattern)].map((match) => ({
    name: (match[1] ?? "").toLowerCase(),
    attributes: attributesOf(match[2] ?? ""),
    index: match.index,
  }));
}

function attributesOf(text: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of text.matchAll(/([a-zA-Z][\w-]*)(?:="([^"]*)")?/g)) attributes.set(match[1] ?? "", match[2] ?? "");
  return attributes;
}

/** Each form: its start tag and the markup inside it. */
export function formsOf(document: string): Array<{ tag: StartTag; inside: string }> {
  return [...document.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map((match) => ({
    tag: { name: "form", attributes: attributesOf(match[1] ?? ""), index: match.index },
    inside: match[2] ?? "",
  }));
}

/** The values of every `id` attribute in the document. */
export function idsOf(document: string): string[] {
  return [...document.matchAll(/\sid="([^"]*)"/g)].map((match) => match[1] ?? "");
}

/** The text inside the first element with id `id`, tags removed. */
export function textOfId(document: string, id: string): string {
  const match = new RegExp(`<(\\w+)[^>]*\\sid="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(document);
  return (match?.[2] ?? "").replace(/<[^>]+>/g, "");
}
