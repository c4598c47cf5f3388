import { fileURLToPath } from "node:url";
import { parseConfig } from "../../src/config.ts";
import { createHttpServer, type HttpServer } from "../../src/http/http-server.ts";
import { createRuntime, type Runtime } from "../../src/runtime.ts";
import { createStaffSide, type StaffSide } from "../../src/staff/staff-side.ts";
import type { DatabaseKind } from "../../src/store/database.ts";
import { createLogCapture } from "./log-capture.ts";
import { createTestDatabase, type TestDatabase } from "./test-database.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** A password that passes the account rules, for test accounts. */
export const staffTestPassword = "suối chảy qua bản nhỏ";

/** Loa as `npm start` builds it, with the staff console and API, on a fresh database (SQLite unless asked). */
export type StaffServer = { runtime: Runtime; server: HttpServer; staff: StaffSide; logs: ReturnType<typeof createLogCapture>; stop(): Promise<void> };

/**
 * Starts the runtime and the HTTP server with the staff side on (failed sign-ins answered without waiting),
 * and a staff side over the same database for making accounts. `stop` closes and drops everything. Pass
 * `database` for PostgreSQL and `now` for a clock the test controls.
 */
export async function startStaffServer(options: { database?: DatabaseKind; now?: () => Date } = {}): Promise<StaffServer> {
  const test: TestDatabase = await createTestDatabase(options.database ?? "sqlite");
  await test.database.close();
  const logs = createLogCapture();
  const config = parseConfig({ DATABASE_URL: test.url });
  const runtime = await createRuntime({ config, logger: logs.logger, projectRoot: root, ...(options.now === undefined ? {} : { now: options.now }) });
  const server = createHttpServer({
    runtime,
    logger: logs.logger,
    simulator: false,
    staff: { secureCookies: false, version: "test", staleMonths: 12, suppressBelow: config.STATS_SUPPRESS_BELOW, wait: async () => undefined },
  });
  return {
    runtime,
    server,
    logs,
    staff: createStaffSide({ db: runtime.database.client, now: runtime.now }),
    async stop() {
      await server.close();
      await runtime.stop();
      await test.drop();
    },
  };
}
