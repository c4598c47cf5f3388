// The load generator of bench/webhooks.bench.ts, run as a child process so it shares neither the event loop
// nor the CPU core of the server it measures. It delivers like Telegram does (docs platform-limits §1.5, P7):
// many distinct chats, at most `concurrency` requests in flight over kept-alive connections, one request at a
// time per chat and in order, and a non-2xx answer, a timeout or a broken connection retried with the same body
// (so the same update id). Latency is from the first try of a request to its 2xx answer.
import { Agent, request } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";

/** One webhook request: headers (secret or signature) and the exact body. */
export type LoadRequest = { headers: Record<string, string>; body: string };

/** What to send: every chat's requests in order, and the bounds of the run. */
export type LoadPlan = {
  url: string;
  chats: LoadRequest[][];
  concurrency: number;
  /** No new request starts after this; requests in flight finish. */
  timeLimitMs: number;
  requestTimeoutMs: number;
  maxAttempts: number;
};

/** What happened: counts, wall time, and the latency of every acknowledged request. */
export type LoadResult = {
  acknowledged: number;
  failed: number;
  retries: number;
  /** Answers by HTTP status, "timeout" or "error" (connection), retries included. */
  answers: Record<string, number>;
  seconds: number;
  stoppedByTimeLimit: boolean;
  latenciesMs: number[];
};

function post(agent: Agent, url: URL, item: LoadRequest, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const body = Buffer.from(item.body, "utf8");
    const call = request(
      url,
      { method: "POST", agent, headers: { ...item.headers, "content-type": "application/json", "content-length": String(body.length) }, timeout: timeoutMs },
      (response) => {
        response.resume();
        response.on("end", () => resolve(String(response.statusCode ?? 0)));
        response.on("error", () => resolve("error"));
      },
    );
    call.on("timeout", () => call.destroy(new Error("timeout")));
    call.on("error", (error) => resolve(error.message === "timeout" ? "timeout" : "error"));
    call.end(body);
  });
}

/** Runs the plan and resolves with what happened. */
export async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: plan.concurrency });
  const url = new URL(plan.url);
  const queue = plan.chats.map((requests) => ({ requests, next: 0 })).filter((chat) => chat.requests.length > 0);
  const result: LoadResult = { acknowledged: 0, failed: 0, retries: 0, answers: {}, seconds: 0, stoppedByTimeLimit: false, latenciesMs: [] };
  const started = performance.now();
  const deadline = started + plan.timeLimitMs;

  // A chat is in the queue only while none of its requests is in flight, so each chat stays serial.
  async function lane(): Promise<void> {
    for (let chat = queue.shift(); chat !== undefined; chat = queue.shift()) {
      if (performance.now() > deadline) {
        result.stoppedByTimeLimit = true;
        return;
      }
      const item = chat.requests[chat.next];
      if (item === undefined) continue;
      const first = performance.now();
      let acknowledged = false;
      for (let attempt = 1; attempt <= plan.maxAttempts && !acknowledged; attempt += 1) {
        if (attempt > 2) await sleep(Math.min(2000, 100 * 2 ** (attempt - 3)));
        const answer = await post(agent, url, item, plan.requestTimeoutMs);
        result.answers[answer] = (result.answers[answer] ?? 0) + 1;
        acknowledged = /^2\d\d$/.test(answer);
        if (!acknowledged && attempt < plan.maxAttempts) result.retries += 1;
      }
      if (acknowledged) {
        result.acknowledged += 1;
        result.latenciesMs.push(performance.now() - first);
      } else {
        result.failed += 1;
      }
      chat.next += 1;
      if (chat.next < chat.requests.length) queue.push(chat);
    }
  }

  await Promise.all(Array.from({ length: plan.concurrency }, () => lane()));
  result.seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return result;
}

// As a child process: each plan in through IPC, its result out; exits when the parent disconnects.
if (process.send !== undefined) {
  process.on("message", (plan: LoadPlan) => {
    void runLoad(plan).then((result) => process.send?.(result));
  });
  process.on("disconnect", () => process.exit(0));
}
