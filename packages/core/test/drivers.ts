import { MemoryBacking, MemoryDriver, type SessionDriver } from '../src/index.js';

/** One call a {@link recordingDriver} saw: the method and its request. */
export interface DriverCall {
  method: string;
  request: unknown;
}

/**
 * A real memory driver with some methods replaced, for tests of what the store does with a
 * driver's answers and faults. Everything not in `overrides` is the memory driver's own.
 */
export function driverWith(overrides: Partial<SessionDriver>, backing = new MemoryBacking()): SessionDriver {
  const base = new MemoryDriver(backing, false);
  return new Proxy(base, {
    get(target, property, receiver) {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof SessionDriver];
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** A memory driver that records every request it receives, in order. */
export function recordingDriver(backing = new MemoryBacking()): { driver: SessionDriver; calls: DriverCall[] } {
  const calls: DriverCall[] = [];
  const base = new MemoryDriver(backing, false);
  const driver = new Proxy(base, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'constructor') return value;
      return (request: unknown) => {
        calls.push({ method: String(property), request });
        return (value as (r: unknown) => unknown).call(target, request);
      };
    },
  });
  return { driver, calls };
}

/** The requests of one method, in order. */
export function requestsOf<T = Record<string, unknown>>(calls: DriverCall[], method: string): T[] {
  return calls.filter((call) => call.method === method).map((call) => call.request as T);
}
