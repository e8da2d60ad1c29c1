/** A reading of the process's memory, bytes. */
export interface MemorySample {
  rss: number;
  heapUsed: number;
}

/** The highest memory seen while an operation ran, above what the process held when it started. */
export interface MemoryPeak {
  /** Peak resident set size minus the RSS at the start, bytes (never below 0). */
  rssBytes: number;
  /** Peak V8 heap in use minus the heap in use at the start, bytes (never below 0). */
  heapBytes: number;
  /** Samples taken. */
  samples: number;
}

/** Keeps the start and the maxima of a series of samples. Pure: feed it samples. */
export class PeakTracker {
  private readonly start: MemorySample;
  private maxRss: number;
  private maxHeap: number;
  private count = 1;

  constructor(start: MemorySample) {
    this.start = start;
    this.maxRss = start.rss;
    this.maxHeap = start.heapUsed;
  }

  /** Records one sample. */
  add(sample: MemorySample): void {
    this.count++;
    if (sample.rss > this.maxRss) this.maxRss = sample.rss;
    if (sample.heapUsed > this.maxHeap) this.maxHeap = sample.heapUsed;
  }

  /** The peaks so far, relative to the start. */
  peak(): MemoryPeak {
    return { rssBytes: this.maxRss - this.start.rss, heapBytes: this.maxHeap - this.start.heapUsed, samples: this.count };
  }
}

const readMemory = (): MemorySample => {
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
};

/**
 * Runs `operation` while sampling this process's memory every `intervalMs` (the operation must
 * be asynchronous, so the timer gets turns), after a GC when `global.gc` is exposed
 * (`node --expose-gc`) so the start is not inflated by garbage of earlier work. Returns the
 * operation's result with the peaks above the start.
 */
export async function withMemoryPeak<T>(operation: () => Promise<T>, intervalMs = 20): Promise<{ result: T; peak: MemoryPeak }> {
  (globalThis as { gc?: () => void }).gc?.();
  const tracker = new PeakTracker(readMemory());
  const timer = setInterval(() => tracker.add(readMemory()), intervalMs);
  try {
    const result = await operation();
    tracker.add(readMemory());
    return { result, peak: tracker.peak() };
  } finally {
    clearInterval(timer);
  }
}
