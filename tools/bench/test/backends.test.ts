import { describe, expect, it } from 'vitest';
import { availableBackends, inParallel } from '../src/backends.js';

describe('availableBackends', () => {
  it('always has memory and SQLite, and each server backend only when the context names its server', () => {
    expect(availableBackends({ quick: true })).toEqual(['memory', 'sqlite']);
    expect(availableBackends({ quick: true, redisUrl: 'redis://x', dynamoEndpoint: 'http://y' })).toEqual(['memory', 'redis', 'dynamo', 'sqlite']);
  });
});

describe('inParallel', () => {
  it('runs every index once with at most `concurrency` in flight', async () => {
    const seen: number[] = [];
    let inFlight = 0;
    let peak = 0;
    await inParallel(25, 4, async (i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      seen.push(i);
      inFlight--;
    });
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(peak).toBe(4);
  });
});
