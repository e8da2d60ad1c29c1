// `@openai/agents-core` as the SDK's compaction tests import it, with `MemorySession` replaced
// by ours when SDK_SESSION=ours. Everything else is the installed package itself.
export * from '@openai/agents-core';
export { MemorySession } from './memory-session.mjs';
