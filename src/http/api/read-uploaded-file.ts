import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { pipeline } from "node:stream/promises";
// The plugin's types add `isMultipart`, `parts` and `multipartErrors` to Fastify's request and instance.
import type {} from "@fastify/multipart";
import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { LoaError } from "../../errors.ts";
import { loggableError } from "../../logger.ts";
import { ApiError } from "./api-error.ts";

/** What a route accepts as its one uploaded file. */
export type UploadLimits = {
  /** Largest file accepted, in bytes; a larger one is answered with 413 `payload_too_large`. */
  readonly maxBytes: number;
  /** Accepted file name endings, such as `[".csv", ".xlsx"]`; any other is answered with 400 `invalid_request`. */
  readonly allowedExtensions: readonly string[];
};

/** An uploaded file saved to a private temporary folder, removed once the answer has gone out. */
export type UploadedFile = {
  /** Where the file is on disk; its name ends in the original extension, in lower case, so readers can pick a parser. */
  readonly path: string;
  /** The name the sender gave the file, without any folder, for messages and the audit log. */
  readonly originalName: string;
  readonly bytes: number;
  /** Small text fields sent beside the file, such as the console form's `_csrf` and `dryRun`. */
  readonly fields: Readonly<Record<string, string>>;
};

const uploadedFileSchema = z.object({ path: z.string(), originalName: z.string(), bytes: z.number().int().min(0), fields: z.record(z.string(), z.string()) });

/** The limits of each schema made by {@link uploadedFile}: zod's own way to attach data to a schema. */
const uploadLimitsRegistry = z.registry<UploadLimits>();

/**
 * Declares that a route takes one uploaded file, as `input: { upload: uploadedFile({ maxBytes, allowedExtensions }) }`.
 * The route then reads the file (with {@link readUploadedFile}) after checking its params and query, and its
 * handler receives an {@link UploadedFile}; the OpenAPI document shows a multipart/form-data body.
 */
export function uploadedFile(limits: UploadLimits): typeof uploadedFileSchema {
  const schema = uploadedFileSchema.clone();
  uploadLimitsRegistry.add(schema, limits);
  return schema;
}

/** The limits an {@link uploadedFile} schema was made with, or undefined for any other schema. */
export function uploadLimitsOf(schema: z.ZodType): UploadLimits | undefined {
  return uploadLimitsRegistry.get(schema);
}

/** Folders of saved uploads per request, and whether that request is over (so late files are removed at once). */
type RequestUploads = { ended: boolean; folders: string[] };

const uploadsByRequest = new WeakMap<FastifyRequest, RequestUploads>();

/** Small form fields (such as a token) may travel beside the file; they are read and handed over. */
const fieldLimits = { fields: 10, fieldSize: 1024, fieldNameSize: 100, parts: 20 } as const;

/**
 * Makes `readUploadedFile` usable for this request: called by `registerApi` when a request starts, so the
 * files saved for it are removed when its answer is finished or its connection breaks, whatever the handler did.
 */
export function trackUploads(request: FastifyRequest, reply: FastifyReply): void {
  const uploads: RequestUploads = { ended: false, folders: [] };
  uploadsByRequest.set(request, uploads);
  reply.raw.once("close", () => {
    uploads.ended = true;
    void removeFolders(uploads.folders.splice(0), request);
  });
}

/**
 * Reads the one file of a multipart/form-data request into a private temporary folder and returns where it
 * is. Staff import directory CSV and XLSX files this way; the file is streamed to disk, never held in memory,
 * and stops being read once it passes `maxBytes`. Answers (as {@link ApiError}) 413 for a file that is too
 * large or a second file, and 400 for a request that is not multipart, holds no file, or a file whose name
 * does not end in an allowed extension. Works only where `trackUploads` runs for the request (`registerApi`
 * and the console), which removes the file afterwards.
 */
export async function readUploadedFile(request: FastifyRequest, limits: UploadLimits): Promise<UploadedFile> {
  const uploads = uploadsByRequest.get(request);
  if (uploads === undefined) {
    throw new LoaError("readUploadedFile was called for a request outside registerApi", "api:upload_untracked", {
      context: { url: request.routeOptions.url },
    });
  }
  if (!request.isMultipart()) throw uploadProblem("Send the file as multipart/form-data.");
  const allowed = limits.allowedExtensions.map((extension) => extension.toLowerCase());
  const { FilesLimitError } = request.server.multipartErrors;
  let saved: Omit<UploadedFile, "fields"> | undefined;
  const fields: Record<string, string> = {};
  try {
    for await (const part of request.parts({ limits: { ...fieldLimits, fileSize: limits.maxBytes, files: 1 } })) {
      if (part.type === "field") {
        fields[part.fieldname] = typeof part.value === "string" ? part.value : "";
        continue;
      }
      const originalName = part.filename.split(/[\\/]/).pop()?.trim().slice(-255) ?? "";
      const extension = extname(originalName).toLowerCase();
      if (!allowed.includes(extension)) {
        part.file.destroy();
        throw uploadProblem(`Send a file whose name ends in ${allowed.join(" or ")}.`);
      }
      const folder = await mkdtemp(join(tmpdir(), "loa-upload-"));
      uploads.folders.push(folder);
      const path = join(folder, `upload${extension}`);
      await pipeline(part.file, createWriteStream(path, { flags: "wx", mode: 0o600 }));
      // Busboy stops at the limit and marks the file truncated.
      if (part.file.truncated) throw new ApiError("payload_too_large", `The file is larger than ${limits.maxBytes} bytes.`);
      saved = { path, originalName, bytes: (await stat(path)).size };
    }
  } catch (error) {
    await removeFolders(uploads.folders.splice(0), request);
    if (error instanceof FilesLimitError) throw new ApiError("payload_too_large", "Send one file at a time.", { cause: error });
    throw error;
  }
  if (saved === undefined) throw uploadProblem("The request holds no file.");
  if (uploads.ended) {
    await removeFolders(uploads.folders.splice(0), request);
    throw uploadProblem("The request ended before its file was saved.");
  }
  return { ...saved, fields };
}

function uploadProblem(message: string): ApiError {
  return new ApiError("invalid_request", message, { details: [{ location: "upload", path: "", message }] });
}

async function removeFolders(folders: readonly string[], request: FastifyRequest): Promise<void> {
  for (const folder of folders) {
    try {
      await rm(folder, { recursive: true, force: true });
    } catch (error) {
      request.log.error({ error: loggableError(error) }, "could not remove an uploaded file");
    }
  }
}
