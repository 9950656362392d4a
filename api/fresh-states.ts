// A lab's cluster as it starts, by lab and seed, kept as its saved text: a reset (`resetCluster`, which a class does at
// the end of every solution), the picture's replay of a run, and a second cluster of the same lab and seed start from
// it with a parse (~2 ms) instead of building the lab again (kubeadm's bootstrap, the lab's set-up, its controllers:
// 6-60 ms a lab cluster, measured on this 2-core box under load). The engine is deterministic and its saved text is
// exact (every request that does not find a cluster in the engine cache parses it), so a parsed start is the start.
// Bounded by characters (LRU): ~10 KB a lab cluster.
import { Cluster } from "../engine/index.ts";

export const FRESH_STATE_CHARS = 32 * 2 ** 20;

export class FreshStates {
  private readonly texts = new Map<string, string>();
  private chars = 0;
  readonly stats = { hits: 0, misses: 0 };

  constructor(private readonly maxChars = FRESH_STATE_CHARS) {}

  /** The cluster `key` names as it starts: parsed from its kept text, else built by `build` (and its text kept). */
  get(key: string, build: () => Cluster): Cluster {
    const text = this.texts.get(key);
    if (text !== undefined) {
      this.texts.delete(key);
      this.texts.set(key, text);
      this.stats.hits++;
      // its text is this engine's own (kept from build below): the first save answers it without serialising again
      return Cluster.fromJSON(text, { keepText: true });
    }
    this.stats.misses++;
    const c = build();
    if (this.maxChars > 0) this.keep(key, c.toJSONText());
    return c;
  }

  private keep(key: string, text: string): void {
    if (text.length > this.maxChars) return;
    this.texts.set(key, text);
    this.chars += text.length;
    while (this.chars > this.maxChars) {
      const [k, v] = this.texts.entries().next().value!;
      this.texts.delete(k);
      this.chars -= v.length;
    }
  }
}
