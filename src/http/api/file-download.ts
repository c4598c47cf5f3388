import { z } from "zod";

/**
 * A file a route answers with instead of JSON, such as a report or an export: the name it is saved under, its
 * media type, and its bytes (or text, sent as UTF-8).
 */
export type DownloadFile = { readonly fileName: string; readonly contentType: string; readonly bytes: Uint8Array | string };

/** What a route may send: the media types it declares, for the OpenAPI document and as a check on each answer. */
export type DownloadSpec = { readonly contentTypes: readonly string[] };

const downloadFileSchema = z.object({
  fileName: z.string().regex(/^[\p{L}\p{N}._-]{1,120}$/u, "a file name of letters, digits, '.', '_' and '-'"),
  contentType: z.string().min(1),
  bytes: z.union([z.custom<Uint8Array>((value) => value instanceof Uint8Array, "bytes or text"), z.string()]),
});

/** The media types of each schema made by {@link fileDownload}: zod's own way to attach data to a schema. */
const downloadRegistry = z.registry<DownloadSpec>();

/**
 * Declares that a route answers with a file, as `responses: { 200: fileDownload({ contentTypes: [...] }) }`. The
 * handler returns a {@link DownloadFile}; `registerApi` sends its bytes as an attachment under its name, and the
 * OpenAPI document lists the media types. An answer of another media type is a bug and is answered as `internal`.
 */
export function fileDownload(spec: DownloadSpec): typeof downloadFileSchema {
  const schema = downloadFileSchema.clone().refine((file) => spec.contentTypes.includes(file.contentType), { message: "a media type the route does not declare", path: ["contentType"] });
  downloadRegistry.add(schema, spec);
  return schema;
}

/** The media types a {@link fileDownload} schema was made with, or undefined for any other schema. */
export function downloadSpecOf(schema: z.ZodType): DownloadSpec | undefined {
  return downloadRegistry.get(schema);
}

/** The Content-Disposition of a download: an ASCII name for old clients and the UTF-8 name for the rest (RFC 6266). */
export function attachmentHeader(fileName: string): string {
  const ascii = fileName.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D").replace(/[^A-Za-z0-9._-]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
