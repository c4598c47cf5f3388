import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { ChatOpenAI } from "@langchain/openai";

/** Where the question model is and how long it may take. */
export type ChatModelSettings = { url: string; name: string; apiKey?: string; timeoutMs: number };

/**
 * A chat model on any OpenAI-compatible endpoint (a hosted service, or a local llama.cpp, vLLM or Ollama
 * server) through @langchain/openai's ChatOpenAI. No retries, temperature 0, and nothing about the person is
 * sent: no user id, only the system and question messages the composer builds. A local server that needs no
 * key still gets a placeholder, because the client refuses to start without one.
 */
export function createChatModel(settings: ChatModelSettings): BaseChatModel {
  return new ChatOpenAI({
    model: settings.name,
    apiKey: settings.apiKey ?? "not-needed",
    configuration: { baseURL: settings.url },
    timeout: settings.timeoutMs,
    maxRetries: 0,
    temperature: 0,
  });
}
