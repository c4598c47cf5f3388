import { createReadStream } from "node:fs";
import { join } from "node:path";
import type { MediaLibrary } from "../content/media-library.ts";
import type { HttpServer } from "./http-server.ts";

/**
 * Serves the voice notes under `content/media` at `/media/<locale>/<namespace>/<file>`, so Telegram and Zalo can
 * fetch them by URL (`PUBLIC_URL`). Only files the media library lists are served: a request can never reach
 * another file, whatever its path holds. Recordings change rarely, so clients may cache them for a day.
 */
export function registerMediaRoutes(app: HttpServer, deps: { library: MediaLibrary; contentDir: string }): void {
  const files = new Map<string, { mimeType: string; bytes?: number }>();
  for (const locale of deps.library.locales) {
    for (const key of deps.library.keys(locale)) {
      const note = deps.library.voice(locale, key);
      if (note?.file !== undefined) files.set(note.file, { mimeType: note.mimeType, ...(note.bytes === undefined ? {} : { bytes: note.bytes }) });
    }
  }
  app.get<{ Params: { locale: string; namespace: string; file: string } }>("/media/:locale/:namespace/:file", async (request, reply) => {
    const { locale, namespace, file } = request.params;
    const path = `${locale}/${namespace}/${file}`;
    const known = files.get(path);
    if (known === undefined) return reply.code(404).send({ error: "no such voice note" });
    reply.header("cache-control", "public, max-age=86400").type(known.mimeType);
    if (known.bytes !== undefined) reply.header("content-length", known.bytes);
    return reply.send(createReadStream(join(deps.contentDir, "media", locale, namespace, file)));
  });
}
