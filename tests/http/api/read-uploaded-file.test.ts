import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fastifyMultipart from "@fastify/multipart";
import Fastify from "fastify";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { apiErrorBodySchema, type ApiErrorBody } from "../../../src/http/api/api-error.ts";
import { readUploadedFile } from "../../../src/http/api/read-uploaded-file.ts";
import { allPermissions, createExampleApp, multipartBody } from "./example-api.ts";

function errorOf(body: string): ApiErrorBody["error"] {
  return apiErrorBodySchema.strict().parse(JSON.parse(body)).error;
}

const csv = "name,phone\nTrạm y tế xã Chiềng Mung,0212 3852 123\n";
const url = "/api/help-entries/imports";
const staff = { "x-test-caller": allPermissions };

describe("uploaded files", () => {
  // Uploads go to the system temporary folder: point it at one of this test's own, to see what is left behind.
  const originalTmpdir = process.env.TMPDIR;
  let uploadRoot: string;
  let example: ReturnType<typeof createExampleApp>;

  beforeAll(async () => {
    uploadRoot = await mkdtemp(join(tmpdir(), "loa-upload-test-"));
    process.env.TMPDIR = uploadRoot;
  });
  afterAll(async () => {
    if (originalTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = originalTmpdir;
    await rm(uploadRoot, { recursive: true, force: true });
  });
  beforeEach(() => {
    example = createExampleApp();
  });
  afterEach(async () => {
    await example.app.close();
    await vi.waitFor(async () => expect(await readdir(uploadRoot)).toEqual([]));
  });

  const upload = (parts: Parameters<typeof multipartBody>[0], query = "", headers: Record<string, string> = staff) => {
    const { payload, headers: type } = multipartBody(parts);
    return example.app.inject({ method: "POST", url: `${url}${query}`, payload, headers: { ...headers, ...type } });
  };

  it("saves the file to a private temporary folder for the handler, and removes it after the answer", async () => {
    const response = await upload([
      { field: "token", content: "form fields beside the file are ignored" },
      { field: "file", filename: "C:\\Users\\lan\\Danh bạ.CSV", content: csv },
    ], "?dryRun=true");
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ originalName: "Danh bạ.CSV", bytes: Buffer.byteLength(csv) });
    const [saved] = example.seen.uploads;
    expect(saved?.content).toBe(csv);
    expect(saved?.path.startsWith(uploadRoot)).toBe(true);
    expect(saved?.path.endsWith(".csv")).toBe(true);
    expect(example.seen.input).toEqual([{ query: { dryRun: "true" } }]);
  });

  it("accepts a file of exactly the size limit", async () => {
    const response = await upload([{ field: "file", filename: "list.xlsx", content: Buffer.alloc(1000, 7) }]);
    expect(response.statusCode).toBe(202);
    expect(example.seen.uploads[0]?.bytes).toBe(1000);
  });

  it("answers a file over the limit with 413 payload_too_large and keeps nothing", async () => {
    const response = await upload([{ field: "file", filename: "list.csv", content: Buffer.alloc(1001, 65) }]);
    expect(response.statusCode).toBe(413);
    expect(errorOf(response.body)).toEqual({ code: "payload_too_large", message: "The file is larger than 1000 bytes." });
    expect(example.seen.uploads).toEqual([]);
  });

  it("answers a second file with 413", async () => {
    const response = await upload([
      { field: "file", filename: "a.csv", content: csv },
      { field: "other", filename: "b.csv", content: csv },
    ]);
    expect(response.statusCode).toBe(413);
    expect(errorOf(response.body)).toEqual({ code: "payload_too_large", message: "Send one file at a time." });
    expect(example.seen.uploads).toEqual([]);
  });

  it("answers a file of another type with 400, naming the allowed endings", async () => {
    for (const filename of ["list.exe", "list.csv.exe", "list"]) {
      const response = await upload([{ field: "file", filename, content: "MZ" }]);
      expect(response.statusCode, filename).toBe(400);
      expect(errorOf(response.body), filename).toEqual({
        code: "invalid_request",
        message: "Send a file whose name ends in .csv or .xlsx.",
        details: [{ location: "upload", path: "", message: "Send a file whose name ends in .csv or .xlsx." }],
      });
    }
    expect(example.seen.uploads).toEqual([]);
  });

  it("answers a form without a file, and a JSON body, with 400", async () => {
    const noFile = await upload([{ field: "note", content: "no file here" }]);
    expect(noFile.statusCode).toBe(400);
    expect(errorOf(noFile.body).message).toBe("The request holds no file.");

    const json = await example.app.inject({ method: "POST", url, headers: staff, payload: { file: "list.csv" } });
    expect(json.statusCode).toBe(400);
    expect(errorOf(json.body).message).toBe("Send the file as multipart/form-data.");
    expect(example.seen.uploads).toEqual([]);
  });

  it("checks access and the query before reading the file", async () => {
    const anonymous = await upload([{ field: "file", filename: "list.csv", content: csv }], "", {});
    expect(anonymous.statusCode).toBe(401);
    const badQuery = await upload([{ field: "file", filename: "list.csv", content: csv }], "?dryRun=maybe");
    expect(badQuery.statusCode).toBe(400);
    expect(errorOf(badQuery.body).details?.map((detail) => `${detail.location}:${detail.path}`)).toEqual(["query:dryRun"]);
    expect(example.seen.uploads).toEqual([]);
  });

  it("leaves routes outside /api without multipart parsing", async () => {
    example.app.post("/elsewhere", async () => ({ reached: true }));
    const { payload, headers } = multipartBody([{ field: "file", filename: "list.csv", content: csv }]);
    const response = await example.app.inject({ method: "POST", url: "/elsewhere", payload, headers });
    expect(response.statusCode).toBe(415);
  });
});

describe("readUploadedFile outside registerApi", () => {
  it("refuses, as nothing would remove the file", async () => {
    const app = Fastify();
    await app.register(fastifyMultipart);
    const failures: unknown[] = [];
    app.setErrorHandler(async (error, _request, reply) => {
      failures.push(error);
      return reply.code(500).send();
    });
    app.post("/upload", async (request) => readUploadedFile(request, { maxBytes: 10, allowedExtensions: [".csv"] }));
    const { payload, headers } = multipartBody([{ field: "file", filename: "list.csv", content: "a" }]);
    await app.inject({ method: "POST", url: "/upload", payload, headers });
    expect(failures).toEqual([expect.objectContaining({ code: "api:upload_untracked" })]);
    await app.close();
  });
});
