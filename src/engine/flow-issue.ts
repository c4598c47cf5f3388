import { LoaError } from "../errors.ts";

/** One problem in a flow file, named by file, node and field so an author can find it. */
export type FlowIssue = {
  severity: "error" | "warning";
  file: string;
  node?: string;
  field?: string;
  locale?: string;
  message: string;
};

/** One line per issue: `flows/main.yaml: node "consent", field "options.0.next": ...`. */
export function formatFlowIssue(issue: FlowIssue): string {
  const where = [
    issue.node === undefined ? undefined : `node "${issue.node}"`,
    issue.field === undefined ? undefined : `field "${issue.field}"`,
    issue.locale === undefined ? undefined : `locale "${issue.locale}"`,
  ].filter((part) => part !== undefined);
  return `${issue.severity}: ${issue.file}${where.length > 0 ? `: ${where.join(", ")}` : ""}: ${issue.message}`;
}

/** Flows that cannot be run. The message lists every error found. */
export class FlowError extends LoaError {
  constructor(readonly issues: FlowIssue[]) {
    const errors = issues.filter((issue) => issue.severity === "error");
    super(`Flows have ${errors.length} error(s):\n${errors.map(formatFlowIssue).join("\n")}`, "flow:invalid", {
      context: { errors: errors.length },
    });
  }
}
