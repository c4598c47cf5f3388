/**
 * A small Prometheus registry: counters kept in this process and gauges read at scrape time, rendered in
 * the text exposition format. Labels never carry personal data (channels, statuses, outcomes only).
 */
export type Labels = Readonly<Record<string, string>>;

export type Counter = { inc(labels: Labels, by?: number): void };

type Gauge = { name: string; help: string; read: () => Promise<Array<{ labels: Labels; value: number }>> };

const escape = (value: string) => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const labelText = (labels: Labels) => {
  const entries = Object.entries(labels);
  return entries.length === 0 ? "" : `{${entries.map(([key, value]) => `${key}="${escape(value)}"`).join(",")}}`;
};

/** Creates a registry. */
export function createMetrics() {
  const counters = new Map<string, { help: string; values: Map<string, { labels: Labels; value: number }> }>();
  const gauges: Gauge[] = [];
  return {
    counter(name: string, help: string): Counter {
      const entry = { help, values: new Map<string, { labels: Labels; value: number }>() };
      counters.set(name, entry);
      return {
        inc(labels, by = 1) {
          const key = labelText(labels);
          const current = entry.values.get(key);
          entry.values.set(key, { labels, value: (current?.value ?? 0) + by });
        },
      };
    },
    gauge(name: string, help: string, read: Gauge["read"]): void {
      gauges.push({ name, help, read });
    },
    async render(): Promise<string> {
      const lines: string[] = [];
      for (const [name, { help, values }] of counters) {
        lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
        for (const { labels, value } of values.values()) lines.push(`${name}${labelText(labels)} ${value}`);
      }
      for (const gauge of gauges) {
        lines.push(`# HELP ${gauge.name} ${gauge.help}`, `# TYPE ${gauge.name} gauge`);
        for (const { labels, value } of await gauge.read()) lines.push(`${gauge.name}${labelText(labels)} ${value}`);
      }
      return `${lines.join("\n")}\n`;
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
