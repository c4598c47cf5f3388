import { loadBotAssets } from "../bot/bot-assets.ts";
import { FlowError, formatFlowIssue } from "../engine/flow-issue.ts";
import { campaignCalendarFile, loadCampaignCalendar } from "../campaigns/campaign-calendar.ts";
import { ContentError } from "../content/content-error.ts";
import { LoaError } from "../errors.ts";
import { createPlaceIndex } from "../places/place-index.ts";
import { loadShippedPlaces } from "../places/shipped-places.ts";
import { indicatorsFile, loadIndicators } from "../stats/indicators.ts";

/**
 * `npm run check`: loads flows, content, the help directory, the shipped places and the indicators exactly as
 * start-up does and prints every problem with its place: also a place question offering a province the shipped
 * list lacks.
 * Returns the exit code: 1 when any error was found.
 */
export async function runCheck(options: {
  flowsDir: string;
  contentDir: string;
  defaultLocale: string;
  write: (line: string) => void;
}): Promise<number> {
  try {
    const assets = await loadBotAssets(options);
    const shipped = await loadShippedPlaces(options.contentDir);
    const places = createPlaceIndex([...shipped.provinces, ...shipped.sampleCommunes]);
    const placeErrors = [...assets.setup.flows.values()].flatMap((flow) =>
      Object.entries(flow.nodes).flatMap(([nodeId, node]) =>
        node.kind === "place"
          ? node.featured
              .filter((code) => places.find(code)?.level !== "province")
              .map((code) => `error: ${flow.file}: node "${nodeId}", field "featured": "${code}" is not a province code in content/places/provinces.yaml`)
          : [],
      ),
    );
    const calendarFile = campaignCalendarFile(options.contentDir);
    const calendarErrors = (await loadCampaignCalendar(calendarFile)).flatMap((template) =>
      template.keys.filter((key) => !assets.catalog.hasKey("vi", key)).map((key) => `error: ${calendarFile}: template "${template.id}": content key "${key}" is missing`),
    );
    const indicators = await loadIndicators(indicatorsFile(options.contentDir)).then(
      (loaded) => ({ count: loaded.length, errors: [] }),
      (error: unknown) => {
        if (error instanceof ContentError) return { count: 0, errors: [`error: ${error.message}`] };
        throw error;
      },
    );
    for (const issue of assets.flowIssues) options.write(formatFlowIssue(issue));
    for (const line of [...placeErrors, ...calendarErrors, ...indicators.errors]) options.write(line);
    for (const issue of assets.contentIssues) {
      const where = [issue.locale, issue.key].filter((part) => part !== undefined).join(" ");
      options.write(`${issue.severity}: content${where ? ` ${where}` : ""}: ${issue.message}`);
    }
    const errors = assets.contentIssues.filter((issue) => issue.severity === "error").length + placeErrors.length + calendarErrors.length + indicators.errors.length;
    options.write(
      `${assets.setup.flows.size} flows, ${assets.catalog.locales.length} locales, ${assets.directory.length} directory entries, ` +
        `${shipped.provinces.length} provinces, ${shipped.sampleCommunes.length} sample communes and ${indicators.count} indicators: ` +
        (errors === 0 ? "no errors" : `${errors} error(s)`),
    );
    return errors === 0 ? 0 : 1;
  } catch (error) {
    if (error instanceof FlowError) {
      for (const issue of error.issues) options.write(formatFlowIssue(issue));
      options.write(`${error.issues.filter((issue) => issue.severity === "error").length} error(s) in flows`);
      return 1;
    }
    if (error instanceof LoaError) {
      options.write(`error: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
