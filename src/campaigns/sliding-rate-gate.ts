import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

/** At most `max` sends in any window of `windowMs` milliseconds, wherever the window starts. */
export type SlidingLimit = { max: number; windowMs: number };

/**
 * Takes a slot when fewer than `max` were taken in the last `windowMs` by any process (Redis' own clock, so
 * machines with skewed clocks agree) and answers 0; otherwise answers how many milliseconds until the oldest
 * slot leaves the window.
 */
const takeSlotScript = `
local key = KEYS[1]
local max = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) < max then
  redis.call('ZADD', key, now, ARGV[3])
  redis.call('PEXPIRE', key, window)
  return 0
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
`;

/**
 * A rate limit over a sliding window shared by every process through one Redis key. BullMQ's worker limiter
 * counts fixed windows, which let more than a platform's per-second limit through in some sliding second (33–36
 * Telegram sends in one second with `{ max: 3, duration: 100 }` in our tests); this gate, taken right before each
 * send, holds the exact limit.
 */
export function createSlidingRateGate(redis: Redis, key: string, limit: SlidingLimit) {
  return {
    /** Waits until a slot is free and takes it. */
    async acquire(): Promise<void> {
      for (;;) {
        const waitMs = Number(await redis.eval(takeSlotScript, 1, key, limit.max, limit.windowMs, randomUUID()));
        if (waitMs <= 0) return;
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    },
  };
}
