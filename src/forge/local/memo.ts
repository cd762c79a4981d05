/**
 * Facts about commits never change (a commit's tree, whether one commit is an ancestor of another,
 * the commits between two shas), so the forge remembers them instead of asking git again. Keys hold
 * full shas only; anything that names a ref is not memoised. Bounded: cleared when it grows large.
 */
export class CommitFacts {
  private readonly facts = new Map<string, Promise<unknown>>();

  constructor(private readonly limit = 50_000) {}

  /** The value for `key`, computed once (a failed computation is forgotten, so it is tried again). */
  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const known = this.facts.get(key) as Promise<T> | undefined;
    if (known) return known;
    if (this.facts.size >= this.limit) this.facts.clear();
    const value = compute();
    this.facts.set(key, value);
    value.catch(() => this.facts.delete(key));
    return value;
  }
}
