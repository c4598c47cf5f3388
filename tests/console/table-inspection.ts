// Reads the cells of the console's HTML tables for tests, as a screen reader would read them out.

/** Each body row of the first table in `markup` (or of the table captioned with id `captionId`): its cells' text. */
export function tableCells(markup: string, captionId?: string): string[][] {
  const start = captionId === undefined ? 0 : markup.indexOf(`<caption id="${captionId}">`);
  if (start < 0) return [];
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(markup.slice(start))?.[1] ?? "";
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? "").matchAll(/<t[hd]\b[^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => (cell[1] ?? "").replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&amp;/g, "&")),
  );
}
