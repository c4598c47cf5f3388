import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.ts";
import { createHelpEntryStore } from "../src/directory/help-entry-store.ts";
import { emptyContact } from "../src/engine/contact-snapshot.ts";
import { createHttpServer } from "../src/http/http-server.ts";
import { createRuntime, type Runtime } from "../src/runtime.ts";
import { createLogCapture } from "./support/log-capture.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "./support/test-database.ts";

const root = fileURLToPath(new URL("../", import.meta.url));

describe.each(databaseKinds)("runtime reference data on %s", (kind) => {
  let test: TestDatabase;
  let runtime: Runtime | undefined;

  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
    await test.drop();
  });

  let logs: ReturnType<typeof createLogCapture>;

  async function start(extra: Record<string, string> = {}): Promise<Runtime> {
    test = await createTestDatabase(kind);
    await test.database.close();
    logs = createLogCapture();
    runtime = await createRuntime({ config: parseConfig({ DATABASE_URL: test.url, ...extra }), logger: logs.logger, projectRoot: root });
    return runtime;
  }

  it("stores the 34 provinces and the sample communes on first start, and the place step uses them", async () => {
    const loa = await start();
    expect(await loa.database.client.place.count({ where: { level: "province" } })).toBe(34);
    expect(await loa.database.client.place.count({ where: { level: "commune", sample: true } })).toBeGreaterThan(0);
    const places = loa.bot().setup.places;
    expect(places.provinces).toHaveLength(34);
    expect(places.matchCommune("14", "muong bu")[0]?.place.name).toBe("Mường Bú");
  });

  it("reloads help entries staff imported, so the next reply lists the new trusted address first", async () => {
    const loa = await start();
    expect(await loa.refreshReferenceData()).toBe(false);
    const commune = loa.bot().setup.places.matchCommune("14", "muong bu")[0]?.place.code ?? "";
    await createHelpEntryStore(loa.database.client, () => new Date()).save([
      {
        origin: "staff",
        id: "test-trusted-address",
        kind: "trusted-address",
        name: "Địa chỉ tin cậy thử nghiệm",
        phone: "0212 000 000",
        scope: "commune",
        provinceCode: "14",
        communeCode: commune,
        free: "unknown",
        hours: "24/7",
        topics: ["violence"],
        emergency: true,
        languages: ["vie"],
        verifiedOn: new Date().toISOString().slice(0, 10),
        source: "test",
      },
    ]);
    const here = { ...emptyContact, provinceCode: "14", communeCode: commune };
    expect(loa.bot().renderer.render({ keys: ["common:emergency.reply"], help: "emergency" }, here).message.text).not.toContain("0212 000 000");
    expect(await loa.refreshReferenceData()).toBe(true);
    const text = loa.bot().renderer.render({ keys: ["common:emergency.reply"], help: "emergency" }, here).message.text;
    expect(text.indexOf("0212 000 000")).toBeGreaterThanOrEqual(0);
    expect(text.indexOf("0212 000 000")).toBeLessThan(text.indexOf("113"));
    expect(await loa.refreshReferenceData()).toBe(false);
  });

  it("tells staff in the log which help entries were not verified within DIRECTORY_STALE_MONTHS", async () => {
    const loa = await start();
    const verifiedOn = (monthsAgo: number) => {
      const date = new Date();
      date.setUTCMonth(date.getUTCMonth() - monthsAgo);
      return date.toISOString().slice(0, 10);
    };
    const entry = (id: string, monthsAgo: number) => ({
      origin: "staff" as const,
      id,
      kind: "trusted-address" as const,
      name: `Địa chỉ tin cậy ${id}`,
      phone: "0212 000 001",
      scope: "province" as const,
      provinceCode: "14",
      free: "unknown" as const,
      hours: "unknown",
      topics: ["violence" as const],
      emergency: false,
      languages: ["vie"],
      verifiedOn: verifiedOn(monthsAgo),
      source: "test",
    });
    await createHelpEntryStore(loa.database.client, () => new Date()).save([entry("checked-lately", 2), entry("checked-long-ago", 14)]);
    await loa.refreshReferenceData();
    const warning = logs.lines.find((line) => line.includes("not verified recently"));
    expect(warning).toContain("checked-long-ago");
    expect(warning).not.toContain("checked-lately");
  });
});

describe("voice notes over HTTP", () => {
  let contentDir: string;
  let test: TestDatabase;
  let runtime: Runtime;

  afterEach(async () => {
    await runtime.stop();
    await test.drop();
    await rm(contentDir, { recursive: true, force: true });
  });

  it("serves a listed voice note with its type, and nothing else under /media", async () => {
    contentDir = await mkdtemp(join(tmpdir(), "loa-content-"));
    await cp(join(root, "content"), contentDir, { recursive: true });
    await mkdir(join(contentDir, "media/en/common"), { recursive: true });
    await writeFile(join(contentDir, "media/en/common/welcome.ogg"), "OggS voice");
    test = await createTestDatabase("sqlite");
    await test.database.close();
    const logs = createLogCapture();
    runtime = await createRuntime({
      config: parseConfig({ DATABASE_URL: test.url, CONTENT_DIR: contentDir, PUBLIC_URL: "https://loa.example" }),
      logger: logs.logger,
      projectRoot: root,
    });
    const server = createHttpServer({ runtime, logger: logs.logger, simulator: false });
    const voice = await server.inject({ method: "GET", url: "/media/en/common/welcome.ogg" });
    expect(voice.statusCode).toBe(200);
    expect(voice.headers["content-type"]).toBe("audio/ogg");
    expect(voice.body).toBe("OggS voice");
    for (const url of ["/media/en/common/goodbye.ogg", "/media/en/common/..%2F..%2Flocales.yaml", "/media/../locales.yaml"]) {
      expect((await server.inject({ method: "GET", url })).statusCode).toBe(404);
    }
    const rendered = runtime.bot().renderer.render({ keys: ["common:welcome"] }, { ...emptyContact, locale: "en" });
    expect(rendered.message.media).toEqual([{ kind: "voice", url: "https://loa.example/media/en/common/welcome.ogg", mimeType: "audio/ogg", bytes: 10 }]);
    await server.close();
  });
});
