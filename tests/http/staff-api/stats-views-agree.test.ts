import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileIndicators, indicatorsFile, loadIndicators, type Indicator } from "../../../src/stats/indicators.ts";
import { recordEngagement, type EngagementInput } from "../../../src/stats/stats-recorder.ts";
import { parseCsv } from "../../../src/tables/csv.ts";
import { topicNames } from "../../../src/stats/report-layout.ts";
import { seededRandom } from "../../support/stats-fixture.ts";
import { startStaffServer, staffTestPassword, type StaffServer } from "../../support/staff-server.ts";
import { databaseKinds } from "../../support/test-database.ts";

const contentDir = fileURLToPath(new URL("../../../content/", import.meta.url));
const communes = Array.from({ length: 10 }, (_, index) => `14-mau-${String(index + 1).padStart(2, "0")}`);
const topics = ["child-marriage", "consanguinity", "safe-birth", "violence"];

/**
 * Random reach in Sơn La's sample communes in 2026-H2: for each commune and topic 0–11 people (often fewer than
 * 5), some in Mông, some on Zalo, a few emergency answers and help shown, and target populations for a few
 * communes, so small counts fall everywhere the views can show them.
 */
async function recordRandomReach(loa: StaffServer, seed: number, indicators: readonly Indicator[]): Promise<void> {
  const random = seededRandom(seed);
  const events: EngagementInput[] = [];
  for (const communeCode of communes) {
    for (const topic of topics) {
      const people = random() < 0.3 ? 0 : Math.floor(random() * 12);
      for (let person = 0; person < people; person += 1) {
        const common = {
          pseudonym: `${communeCode}-${topic}-${person}`,
          channel: random() < 0.3 ? "zalo-oa" : "telegram",
          locale: random() < 0.4 ? "hmn" : "vi",
          provinceCode: "14",
          communeCode,
        };
        const occurredAt = new Date(Date.UTC(2026, 6 + Math.floor(random() * 6), 1 + Math.floor(random() * 28), 3));
        events.push({ kind: "content_delivered", occurredAt, topic, ...common });
        if (random() < 0.1) events.push({ kind: "emergency_answered", occurredAt, ...common });
        if (random() < 0.2) events.push({ kind: "help_shown", occurredAt, ...common });
      }
    }
  }
  await loa.runtime.database.client.$transaction((tx) => recordEngagement(tx, events, { indicators: compileIndicators(indicators) }));
  for (const communeCode of communes.filter(() => random() < 0.5)) {
    await loa.runtime.database.client.indicatorTarget.create({
      data: { indicatorId: "safe-birth-reach", communeCode, provinceCode: "14", year: 2026, population: 20 + Math.floor(random() * 40), updatedBy: "test", updatedAt: new Date() },
    });
  }
}

type Shown = { kind: string; value?: number };
/** A figure as text, the same for every view: the count, "<5" or "ẩn". */
const asText = (figure: Shown | undefined) => (figure === undefined ? "absent" : figure.kind === "count" ? String(figure.value) : figure.kind === "small" ? "<5" : "ẩn");
/** A cell of a CSV file: the report and the console write counts the Vietnamese way ("1.234"). */
const cellText = (cell: string | undefined) => (cell === undefined ? "absent" : cell.replace(/\./g, ""));

describe.each(databaseKinds)("commune figures agree across the API, the periodic report and the console on %s", (kind) => {
  let loa: StaffServer;
  let officer: string;
  let cookie: string;
  let indicators: Indicator[];
  let team: string;
  const teamCommunes = ["14-mau-04", "14-mau-05", "14-mau-06"];

  beforeAll(async () => {
    loa = await startStaffServer({ database: kind, now: () => new Date("2027-01-05T03:00:00Z") });
    const { staff } = loa;
    const mai = await staff.accounts.create({ username: "mai", displayName: "Chị Mai", password: staffTestPassword, role: "province", provinces: ["14"] });
    officer = (await staff.apiTokens.create(mai.accountId, "test")).token;
    const teamId = await staff.accounts.createTeam({ name: "Tổ Mường La", provinceCode: "14", communeCodes: teamCommunes });
    const lan = await staff.accounts.create({ username: "lan", displayName: "Chị Lan", password: staffTestPassword, role: "commune", teamId });
    team = (await staff.apiTokens.create(lan.accountId, "test")).token;
    cookie = `loa_session=${(await staff.sessions.start(mai.accountId)).token}`;
    indicators = await loadIndicators(indicatorsFile(contentDir));
    await recordRandomReach(loa, 26, indicators);
  });
  afterAll(async () => {
    await loa.stop();
  });

  const api = async <T,>(url: string) => (await loa.server.inject({ method: "GET", url, headers: { authorization: `Bearer ${officer}` } })).json<T>();
  const csv = async (url: string) => parseCsv((await loa.server.inject({ method: "GET", url, headers: { cookie } })).body);

  /** Every commune figure each view shows, by "commune|figure", with the view's rendering of it. */
  const readViews = async () => {
    const views = new Map<string, Map<string, string>>();
    const put = (view: string, key: string, value: string) => {
      const found = views.get(key) ?? new Map<string, string>();
      found.set(view, value);
      views.set(key, found);
    };

    const overview = await api<{ byCommune: Array<{ communeCode: string; name: string; people: Shown; visits: Shown; messages: Shown }> }>("/api/stats/overview?period=2026-H2&provinceCode=14");
    for (const line of overview.byCommune) for (const metric of ["people", "visits", "messages"] as const) put("api overview", `${line.communeCode}|${metric}`, asText(line[metric]));
    const progress = await api<{ indicators: Array<{ id: string; communes: Array<{ communeCode: string; reached: Shown }> }> }>("/api/stats/indicators?period=2026-H2&provinceCode=14");
    for (const indicator of progress.indicators) for (const line of indicator.communes) put("api indicators", `${line.communeCode}|indicator ${indicator.id}`, asText(line.reached));

    const reportRows = parseCsv((await loa.server.inject({ method: "GET", url: "/api/stats/report?period=2026-H2&provinceCode=14&format=csv", headers: { authorization: `Bearer ${officer}` } })).body);
    const sheetStart = reportRows.findIndex((row) => row[0] === "[Theo xã]");
    const header = reportRows.slice(sheetStart).find((row) => row[0] === "STT") ?? [];
    const topicColumns = topics.map((topic) => header.indexOf(`${topicNames[topic]} (người)`));
    for (const row of reportRows.slice(sheetStart)) {
      const code = row[1] ?? "";
      if (!communes.includes(code)) continue;
      put("report", `${code}|people`, cellText(row[3]));
      put("report", `${code}|visits`, cellText(row[4]));
      put("report", `${code}|messages`, cellText(row[5]));
      topics.forEach((topic, index) => put("report", `${code}|topic ${topic}`, cellText(row[topicColumns[index] ?? -1])));
    }
    const indicatorSheet = reportRows.findIndex((row) => row[0] === "[Chỉ tiêu theo xã]");
    let indicatorId = "";
    for (const row of reportRows.slice(indicatorSheet)) {
      const named = indicators.find((indicator) => (row[0] ?? "").includes(indicator.name.vi) && /^\d+\. /.test(row[0] ?? ""));
      if (named !== undefined) indicatorId = named.id;
      if (communes.includes(row[0] ?? "")) put("report", `${row[0]}|indicator ${indicatorId}`, cellText(row[2]));
    }

    const names = new Map(overview.byCommune.map((line) => [line.name, line.communeCode]));
    const byPlace = await csv("/console/stats/tables/by-place.csv?place=14&period=2026-H2");
    for (const row of byPlace.slice(1)) {
      const code = names.get(row[0] ?? "") ?? "";
      put("console province", `${code}|people`, cellText(row[1]));
      put("console province", `${code}|visits`, cellText(row[2]));
      put("console province", `${code}|messages`, cellText(row[3]));
    }
    for (const code of communes) {
      const summary = await csv(`/console/stats/tables/summary.csv?place=${code}&period=2026-H2`);
      put("console commune", `${code}|people`, cellText(summary[1]?.[1]));
      put("console commune", `${code}|visits`, cellText(summary[2]?.[1]));
      put("console commune", `${code}|messages`, cellText(summary[3]?.[1]));
      for (const row of (await csv(`/console/stats/tables/by-topic.csv?place=${code}&period=2026-H2`)).slice(1)) {
        const topic = topics.find((candidate) => topicNames[candidate] === row[0]);
        if (topic !== undefined) put("console commune", `${code}|topic ${topic}`, cellText(row[1]));
      }
      for (const row of (await csv(`/console/stats/tables/indicators.csv?place=${code}&period=2026-H2`)).slice(1)) {
        const indicator = indicators.find((candidate) => candidate.name.vi === row[0]);
        if (indicator !== undefined) put("console commune", `${code}|indicator ${indicator.id}`, cellText(row[1]));
      }
    }
    return views;
  };

  it("shows or hides every commune figure the same way in every view that shows it", async () => {
    const views = await readViews();
    const disagreements = [...views.entries()].filter(([, seen]) => new Set(seen.values()).size > 1).map(([key, seen]) => `${key}: ${JSON.stringify(Object.fromEntries(seen))}`);
    expect(disagreements).toEqual([]);
    const shownIn = (count: number) => [...views.values()].filter((seen) => seen.size >= count).length;
    // The comparison is not empty: people, visits and messages of each counted commune are in four views, its
    // topics and indicators in two (the console lists only what was counted).
    expect(shownIn(4)).toBeGreaterThanOrEqual(25);
    expect(shownIn(2)).toBeGreaterThanOrEqual(70);
    const hidden = [...views.values()].filter((seen) => [...seen.values()].some((value) => value === "<5" || value === "ẩn")).length;
    expect(hidden).toBeGreaterThan(10);
  });

  it("never leaves exactly one hidden figure in a commune column the report shows with the province's total", async () => {
    const views = await readViews();
    const figures = ["people", "visits", ...topics.map((topic) => `topic ${topic}`), ...indicators.map((indicator) => `indicator ${indicator.id}`)];
    for (const figure of figures) {
      const hiddenCommunes = communes.filter((code) => ["<5", "ẩn"].includes([...(views.get(`${code}|${figure}`)?.values() ?? [])][0] ?? ""));
      expect(hiddenCommunes.length, figure).not.toBe(1);
    }
  });

  it("shows a team's totals in its overview and report alike, hidden when one of its communes' hidden figures would show through", async () => {
    const views = await readViews();
    const asTeam = async <T,>(url: string) => (await loa.server.inject({ method: "GET", url, headers: { authorization: `Bearer ${team}` } })).json<T>();
    const overview = await asTeam<{ scope: string; reach: Array<{ metric: string; count: Shown }>; byTopic: Array<{ value: string; people: Shown }> }>("/api/stats/overview?period=2026-H2&provinceCode=14");
    expect(overview.scope).toBe("communes");
    const report = parseCsv((await loa.server.inject({ method: "GET", url: "/api/stats/report?period=2026-H2&provinceCode=14&format=csv", headers: { authorization: `Bearer ${team}` } })).body);
    const totalRow = report.find((row) => (row[0] ?? "").startsWith("Tổng cộng (mỗi người"));
    const people = overview.reach.find((item) => item.metric === "people")?.count;
    expect(cellText(totalRow?.[1])).toBe(asText(people));
    for (const topic of topics) {
      const line = overview.byTopic.find((item) => item.value === topic);
      const reportRow = report.find((row) => row[0] === topicNames[topic]);
      if (line !== undefined) expect(cellText(reportRow?.[1]), topic).toBe(asText(line.people));
    }
    // The team's total is a sum of its communes' figures: with exactly one of them hidden it would give that one away.
    const hiddenOf = (figure: string, codes: readonly string[]) => codes.filter((code) => ["<5", "ẩn"].includes(views.get(`${code}|${figure}`)?.get("report") ?? "")).length;
    const others = communes.filter((code) => !teamCommunes.includes(code));
    const total = asText(people);
    // Seed 26 hides the people of exactly one of the team's three communes (Mường La's), and two elsewhere.
    expect([hiddenOf("people", teamCommunes), hiddenOf("people", others)]).toEqual([1, 2]);
    expect(total).toBe("ẩn");
    expect(asText(overview.reach.find((item) => item.metric === "visits")?.count)).toBe("ẩn");
    // On consanguinity none of the team's communes is hidden, so the sum is shown: the sum of what the province shows.
    const consanguinity = overview.byTopic.find((item) => item.value === "consanguinity")?.people;
    expect(hiddenOf("topic consanguinity", teamCommunes)).toBe(0);
    expect(asText(consanguinity)).toBe(String(teamCommunes.reduce((sum, code) => sum + Number(views.get(`${code}|topic consanguinity`)?.get("report")), 0)));
  });
});
