import { LoaError } from "../errors.ts";
import type { ChannelAdapter } from "./channel-adapter.ts";

/** The channels this process can send on, by name. */
export type ChannelRegistry = ReadonlyMap<string, ChannelAdapter>;

/** Builds a registry; two adapters with the same channel name are a configuration bug. */
export function createChannelRegistry(adapters: readonly ChannelAdapter[]): ChannelRegistry {
  const registry = new Map<string, ChannelAdapter>();
  for (const adapter of adapters) {
    if (registry.has(adapter.channel)) {
      throw new LoaError(`Two adapters for channel "${adapter.channel}"`, "channel:duplicate", { context: { channel: adapter.channel } });
    }
    registry.set(adapter.channel, adapter);
  }
  return registry;
}
