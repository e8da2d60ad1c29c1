// The SDK's `MemorySession`, played by OpenAIAgentsSession over an InMemorySessionStore: what
// the SDK's own session tests import when SDK_SESSION=ours (see README.md). Our code only.
import { InMemorySessionStore } from '@sessions/core';
import { OpenAIAgentsSession } from '@sessions/adapter-agents/openai';

/** `new MemorySession({ sessionId?, initialItems?, logger? })`, the SDK's constructor shape. */
export class MemorySession extends OpenAIAgentsSession {
  #ready;

  constructor(options = {}) {
    super({ store: new InMemorySessionStore(), userId: 'sdk-tests', sessionId: options.sessionId, logger: options.logger });
    // MemorySession takes its initial items synchronously; a store write is async, so every
    // method waits for it.
    const initial = options.initialItems ?? [];
    this.#ready = initial.length > 0 ? super.addItems(initial) : Promise.resolve();
  }

  async getItems(limit) {
    await this.#ready;
    return super.getItems(limit);
  }

  async addItems(items) {
    await this.#ready;
    return super.addItems(items);
  }

  async popItem() {
    await this.#ready;
    return super.popItem();
  }

  async clearSession() {
    await this.#ready;
    return super.clearSession();
  }

  async replaceHistoryWithCompaction(items) {
    await this.#ready;
    return super.replaceHistoryWithCompaction(items);
  }

  async applyHistoryTransaction(args) {
    await this.#ready;
    return super.applyHistoryTransaction(args);
  }

  async applyHistoryMutations(args) {
    await this.#ready;
    return super.applyHistoryMutations(args);
  }
}
