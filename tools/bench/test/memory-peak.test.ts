import { describe, expect, it } from 'vitest';
import { PeakTracker, withMemoryPeak } from '../src/memory-peak.js';

describe('PeakTracker', () => {
  it('reports the highest sample above the start, per measure', () => {
    const tracker = new PeakTracker({ rss: 100, heapUsed: 50 });
    tracker.add({ rss: 180, heapUsed: 60 });
    tracker.add({ rss: 120, heapUsed: 90 });
    expect(tracker.peak()).toEqual({ rssBytes: 80, heapBytes: 40, samples: 3 });
  });

  it('reports 0, not a negative peak, when memory only fell', () => {
    const tracker = new PeakTracker({ rss: 100, heapUsed: 50 });
    tracker.add({ rss: 90, heapUsed: 40 });
    expect(tracker.peak()).toMatchObject({ rssBytes: 0, heapBytes: 0 });
  });
});

describe('withMemoryPeak', () => {
  it('sees memory held only while the operation runs', async () => {
    const { result, peak } = await withMemoryPeak(async () => {
      const held = Array.from({ length: 200_000 }, (_, i) => ({ i, text: `item ${i}` }));
      await new Promise((resolve) => setTimeout(resolve, 30));
      return held.length;
    }, 5);
    expect(result).toBe(200_000);
    expect(peak.heapBytes).toBeGreaterThan(5 * 2 ** 20); // 200,000 small objects: well over 5 MB
    expect(peak.samples).toBeGreaterThan(2); // the timer got turns while the operation awaited
  });
});
