import type { ProfileGraph } from './profile-graph.js';

/**
 * Strongly connected components (iterative Tarjan). Snapping prefers the largest one: a point snapped onto
 * an isolated private car park or a road cut off at the edge of the extract could reach nothing.
 * Returns, per node, 1 when it belongs to the largest component.
 */
export function largestComponent(graph: ProfileGraph): Uint8Array {
  const n = graph.nodeCount;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const component = new Int32Array(n).fill(-1);
  const stack: number[] = [];
  const callNode: number[] = [];
  const callArc: number[] = [];
  const sizes: number[] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    callNode.push(root);
    callArc.push(graph.firstOut[root]!);
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (callNode.length > 0) {
      const top = callNode.length - 1;
      const v = callNode[top]!;
      const a = callArc[top]!;
      if (a < graph.firstOut[v + 1]!) {
        callArc[top] = a + 1;
        const w = graph.arcHead[a]!;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          callNode.push(w);
          callArc.push(graph.firstOut[w]!);
        } else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!);
        continue;
      }
      callNode.pop();
      callArc.pop();
      if (callNode.length > 0) {
        const parent = callNode[callNode.length - 1]!;
        low[parent] = Math.min(low[parent]!, low[v]!);
      }
      if (low[v] === index[v]) {
        const id = sizes.length;
        let size = 0;
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          component[w] = id;
          size++;
        } while (w !== v);
        sizes.push(size);
      }
    }
  }
  let largest = 0;
  for (let c = 1; c < sizes.length; c++) if (sizes[c]! > sizes[largest]!) largest = c;
  const inLargest = new Uint8Array(n);
  for (let v = 0; v < n; v++) inLargest[v] = component[v] === largest ? 1 : 0;
  return inLargest;
}
