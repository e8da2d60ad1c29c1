// The baseline: the SDK's own MemorySession, from the installed package.
export { MemorySession } from '@openai/agents-core';
