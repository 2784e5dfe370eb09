/**
 * Aho–Corasick over the literals of LIKE patterns: one pass over a value finds every literal it contains,
 * whatever the number of patterns. The automaton is rebuilt lazily after changes (linear in the total literal
 * length: tens of milliseconds for tens of thousands of patterns).
 */
interface Node<T> {
  next: Map<number, Node<T>>;
  fail: Node<T> | undefined;
  /** Items whose literal ends here, including those of the suffixes reached through failure links. */
  out: T[];
}

export class SubstringIndex<T> {
  private readonly literals = new Map<T, string>();
  private root: Node<T> = newNode();
  private dirty = false;

  get size(): number {
    return this.literals.size;
  }

  add(literal: string, item: T): void {
    this.literals.set(item, literal);
    this.dirty = true;
  }

  remove(item: T): void {
    if (this.literals.delete(item)) this.dirty = true;
  }

  /** Calls `found` once for each item whose literal occurs in `text` (repeats possible; callers dedupe). */
  search(text: string, found: (item: T) => void): void {
    if (this.dirty) this.build();
    let node = this.root;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let next = node.next.get(c);
      while (next === undefined && node !== this.root) {
        node = node.fail!;
        next = node.next.get(c);
      }
      node = next ?? this.root;
      for (const item of node.out) found(item);
    }
  }

  private build(): void {
    const root = newNode<T>();
    for (const [item, literal] of this.literals) {
      let node = root;
      for (let i = 0; i < literal.length; i++) {
        const c = literal.charCodeAt(i);
        let next = node.next.get(c);
        if (!next) node.next.set(c, (next = newNode()));
        node = next;
      }
      node.out.push(item);
    }
    const queue: Node<T>[] = [];
    for (const child of root.next.values()) {
      child.fail = root;
      queue.push(child);
    }
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head]!;
      for (const [c, child] of node.next) {
        let f = node.fail!;
        while (f !== root && !f.next.has(c)) f = f.fail!;
        const target = f.next.get(c);
        child.fail = target && target !== child ? target : root;
        if (child.fail.out.length > 0) child.out = [...child.out, ...child.fail.out];
        queue.push(child);
      }
    }
    this.root = root;
    this.dirty = false;
  }
}

function newNode<T>(): Node<T> {
  return { next: new Map(), fail: undefined, out: [] };
}
