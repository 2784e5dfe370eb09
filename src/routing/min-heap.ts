/**
 * An indexed binary min-heap over node ids 0..capacity-1 with decrease-key, on typed arrays so a search
 * allocates nothing. `clear()` costs only the size of the last search, not of the graph.
 */
export class NodeHeap {
  private readonly heap: Int32Array;
  private readonly keys: Float64Array;
  /** Position of a node in `heap`, or -1 when absent. */
  private readonly position: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.heap = new Int32Array(capacity);
    this.keys = new Float64Array(capacity);
    this.position = new Int32Array(capacity).fill(-1);
  }

  get isEmpty(): boolean {
    return this.size === 0;
  }

  minKey(): number {
    return this.size === 0 ? Infinity : this.keys[this.heap[0]!]!;
  }

  contains(node: number): boolean {
    return this.position[node]! >= 0;
  }

  clear(): void {
    for (let i = 0; i < this.size; i++) this.position[this.heap[i]!] = -1;
    this.size = 0;
  }

  /** Inserts the node, or lowers its key; a higher key is ignored unless `force`. */
  push(node: number, key: number, force = false): void {
    const at = this.position[node]!;
    if (at < 0) {
      this.keys[node] = key;
      this.heap[this.size] = node;
      this.position[node] = this.size;
      this.up(this.size++);
    } else if (key < this.keys[node]!) {
      this.keys[node] = key;
      this.up(at);
    } else if (force && key > this.keys[node]!) {
      this.keys[node] = key;
      this.down(at);
    }
  }

  pop(): number {
    const top = this.heap[0]!;
    this.position[top] = -1;
    const last = this.heap[--this.size]!;
    if (this.size > 0) {
      this.heap[0] = last;
      this.position[last] = 0;
      this.down(0);
    }
    return top;
  }

  private up(i: number): void {
    const heap = this.heap;
    const keys = this.keys;
    const node = heap[i]!;
    const key = keys[node]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (keys[p]! <= key) break;
      heap[i] = p;
      this.position[p] = i;
      i = parent;
    }
    heap[i] = node;
    this.position[node] = i;
  }

  private down(i: number): void {
    const heap = this.heap;
    const keys = this.keys;
    const node = heap[i]!;
    const key = keys[node]!;
    const size = this.size;
    while (true) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && keys[heap[child + 1]!]! < keys[heap[child]!]!) child++;
      const c = heap[child]!;
      if (keys[c]! >= key) break;
      heap[i] = c;
      this.position[c] = i;
      i = child;
    }
    heap[i] = node;
    this.position[node] = i;
  }
}
