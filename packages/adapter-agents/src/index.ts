/**
 * `@sessions/adapter-agents` has one entry point per framework, so an app loads only the one it
 * uses: `@sessions/adapter-agents/openai` (OpenAI Agents SDK), `/ai-sdk` (Vercel AI SDK) and
 * `/langchain` (LangChain.js). This root entry exports nothing.
 */
export {};
