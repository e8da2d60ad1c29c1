import type { SessionStore } from '@sessions/core';

/** What a {@link countingStore} has seen. */
export interface StoreTraffic {
  /** Calls per method name. */
  calls: Record<string, number>;
  /** Messages the store returned (getSession's and getMessages'). */
  messagesRead: number;
}

/**
 * Wraps a real store and counts the calls made to it and the messages it returns, so a test
 * can check what an operation costs in round trips and rows, whatever the backend.
 */
export function countingStore(store: SessionStore): { store: SessionStore; traffic: StoreTraffic } {
  const traffic: StoreTraffic = { calls: {}, messagesRead: 0 };
  const wrapped = new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return async (...args: unknown[]) => {
        traffic.calls[property] = (traffic.calls[property] ?? 0) + 1;
        const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        if (property === 'getMessages') traffic.messagesRead += (result as unknown[]).length;
        if (property === 'getSession' && result) traffic.messagesRead += (result as { messages: unknown[] }).messages.length;
        return result;
      };
    },
  });
  return { store: wrapped, traffic };
}
