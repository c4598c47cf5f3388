import { loadBotAssets } from "../bot/bot-assets.ts";
import { FlowError, formatFlowIssue } from "../engine/flow-issue.ts";
import { LoaError } from "../errors.ts";

/**
 * `npm run check`: loads flows, content and the help directory exactly as start-up does and prints every
 * problem with its place. Returns the exit code: 1 when any error was found.
 */
export async function runCheck(options: {
  flowsDir: string;
  contentDir: string;
  defaultLocale: string;
  write: (line: string) => void;
}): Promise<number> {
  try {
    const assets = await loadBotAssets(options);
    for (const issue of assets.flowIssues) options.write(formatFlowIssue(issue));
    for (const issue of assets.contentIssues) {
      const where = [issue.locale, issue.key].filter((part) => part !== undefined).join(" ");
      options.write(`${issue.severity}: content${where ? ` ${where}` : ""}: ${issue.message}`);
    }
    const errors = assets.contentIssues.filter((issue) => issue.severity === "error").length;
    options.write(
      `${assets.setup.flows.size} flows, ${assets.catalog.locales.length} locales, ${assets.directory.length} directory entries: ` +
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
