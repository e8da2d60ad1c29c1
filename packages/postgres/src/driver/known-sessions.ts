/** How many sessions {@link KnownSessions} remembers before it forgets the oldest. */
const CAPACITY = 4096;

/**
 * Sessions this driver recently appended to (by their notification payload, a hash of the
 * session key): a hint that the session exists, so append runs the update of its row (the
 * cheapest statement) instead of the upsert. Only a hint: a session deleted meanwhile makes the
 * update write nothing, and the upsert follows. Bounded: the oldest entry goes first.
 */
export class KnownSessions {
  private readonly keys = new Set<string>();

  has(key: string): boolean {
    return this.keys.has(key);
  }

  add(key: string): void {
    if (this.keys.has(key)) return;
    if (this.keys.size >= CAPACITY) {
      // A Set iterates in insertion order: its first entry is the oldest.
      for (const oldest of this.keys) {
        this.keys.delete(oldest);
        break;
      }
    }
    this.keys.add(key);
  }

  delete(key: string): void {
    this.keys.delete(key);
  }
}
