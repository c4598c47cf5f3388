import { loggableError, type Logger } from "../logger.ts";

/** A background loop that can be woken early and stopped cleanly. */
export type PollingLoop = { start(): void; wake(): void; stop(): Promise<void> };

/**
 * Runs `runOnce` again at once while it reports work done, otherwise after `idleMs` or as soon as `wake()`
 * is called (the in-process signal that new rows exist; other processes find them by polling).
 * An error in a pass is logged with the loop's name and the loop carries on after `idleMs`.
 */
export function createPollingLoop(options: {
  name: string;
  runOnce: () => Promise<number>;
  idleMs: number;
  logger: Logger;
}): PollingLoop {
  let running = false;
  let woken = false;
  let wakeUp: (() => void) | undefined;
  let finished: Promise<void> = Promise.resolve();

  const sleep = () =>
    new Promise<void>((resolve) => {
      if (woken) {
        woken = false;
        resolve();
        return;
      }
      const timer = setTimeout(() => {
        wakeUp = undefined;
        resolve();
      }, options.idleMs);
      wakeUp = () => {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      };
    });

  async function loop(): Promise<void> {
    while (running) {
      let done = 0;
      try {
        woken = false;
        done = await options.runOnce();
      } catch (error) {
        options.logger.error({ error: loggableError(error), loop: options.name }, "background pass failed");
      }
      if (running && done === 0) await sleep();
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      finished = loop();
    },
    wake() {
      if (wakeUp) wakeUp();
      else woken = true;
    },
    async stop() {
      running = false;
      wakeUp?.();
      await finished;
    },
  };
}
