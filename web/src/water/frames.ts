// The run's animation frames, pure: one byte per node per report time (docs/water.md, "The web contract"),
// read as what a person sees on the map in one of four views, and the legend of each view.

export type FrameView = 'pressure' | 'service' | 'contaminant' | 'affected';
export type NodeKind = 'junction' | 'reservoir' | 'tank';

export interface LegendEntry {
  value: number;
  label: string;
  colour: string;
}

export interface ViewLegend {
  view: FrameView;
  title: string;
  /** What the view answers, in a sentence. */
  question: string;
  entries: LegendEntry[];
  /** Tanks read the pressure bits as their level. */
  tanks?: LegendEntry[];
}

// Normal stays the network's own blue; what went wrong stands out (red, amber, magenta), in lightness too.
const NORMAL = '#35b6ff';
const NONE = '#6c7c8c';
export const LEGENDS: Record<FrameView, ViewLegend> = {
  pressure: {
    view: 'pressure',
    title: 'Pressure',
    question: 'Has this street water at adequate pressure?',
    entries: [
      { value: 1, label: 'no water', colour: '#ff3b3b' },
      { value: 2, label: 'low (below service pressure)', colour: '#ffb020' },
      { value: 3, label: 'adequate', colour: NORMAL },
      { value: 0, label: 'no value', colour: NONE },
    ],
    tanks: [
      { value: 1, label: 'tank empty', colour: '#ff3b3b' },
      { value: 2, label: 'tank between', colour: NORMAL },
      { value: 3, label: 'tank full', colour: '#b8ecff' },
    ],
  },
  service: {
    view: 'service',
    title: 'Demand served',
    question: 'Do consumers get the water they ask for?',
    entries: [
      { value: 1, label: 'unserved (< 1 %)', colour: '#ff3b3b' },
      { value: 2, label: 'partly served', colour: '#ffb020' },
      { value: 3, label: 'served', colour: NORMAL },
      { value: 0, label: 'no demand', colour: NONE },
    ],
  },
  contaminant: {
    view: 'contaminant',
    title: 'Contaminant',
    question: 'Where has the contaminant (or old water) reached?',
    entries: [
      { value: 3, label: '10 × threshold or more', colour: '#e040fb' },
      { value: 2, label: 'above threshold', colour: '#ff7a1a' },
      { value: 1, label: 'trace', colour: '#f4e04d' },
      { value: 0, label: 'none', colour: NORMAL },
    ],
  },
  affected: {
    view: 'affected',
    title: 'Worse than normal',
    question: 'Where is pressure inadequate that normal operation would have kept?',
    entries: [
      { value: 1, label: 'without adequate pressure, unlike normal operation', colour: '#ff3b6b' },
      { value: 0, label: 'as in normal operation', colour: NORMAL },
    ],
  },
};

export const FRAME_VIEWS = Object.keys(LEGENDS) as FrameView[];

/** One frame as bytes. */
export function decodeFrame(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/** The bits of a node's byte that a view shows. */
export function viewValue(code: number, view: FrameView): number {
  switch (view) {
    case 'pressure':
      return code & 3;
    case 'service':
      return (code >> 2) & 3;
    case 'contaminant':
      return (code >> 4) & 3;
    case 'affected':
      return (code >> 6) & 1;
  }
}

/** The kind of each position of a frame: junctions, then reservoirs, then tanks. */
export function nodeKinds(counts: { junctions: number; reservoirs: number; tanks: number }): NodeKind[] {
  return [...Array<NodeKind>(counts.junctions).fill('junction'), ...Array<NodeKind>(counts.reservoirs).fill('reservoir'), ...Array<NodeKind>(counts.tanks).fill('tank')];
}

/**
 * How bad a value is (0 nothing to see … 3 worst), in junction terms: a tank "between" or "full" is as
 * good as adequate pressure, an empty one as no water.
 */
export function badness(view: FrameView, value: number, kind: NodeKind = 'junction'): number {
  if (value === 0) return 0;
  if (view === 'pressure' || view === 'service') {
    if (kind !== 'junction') return value === 1 && view === 'pressure' ? 3 : 0;
    return 4 - value;
  }
  return value;
}

/**
 * A pipe, pump or valve takes the state of the worse of its two ends, so the damage reads along the streets
 * and not only on dots. -1 when neither end has a state.
 */
export function linkValue(view: FrameView, a: { value: number; kind: NodeKind } | undefined, b: { value: number; kind: NodeKind } | undefined): number {
  const ends = [a, b].filter((e): e is { value: number; kind: NodeKind } => e !== undefined);
  if (ends.length === 0) return -1;
  const junctionTerms = (e: { value: number; kind: NodeKind }): number => {
    if (e.kind === 'junction' || view === 'contaminant' || view === 'affected') return e.value;
    // Tanks and reservoirs have no demand; in pressure terms an empty tank is no water, else adequate.
    return view === 'pressure' ? (e.value === 1 ? 1 : 3) : 0;
  };
  let worst = ends[0]!;
  for (const e of ends) if (badness(view, e.value, e.kind) > badness(view, worst.value, worst.kind)) worst = e;
  return junctionTerms(worst);
}

export interface FrameState {
  /** Per node of the frame, the value its view shows. */
  nodes: Uint8Array;
  /** Per link (in the order given), the value shown, or -1. */
  links: Int8Array;
}

/**
 * The values to draw for one frame. `links` name their ends by position in the frame (-1: an end that is
 * not in it, such as a node of another network).
 */
export function frameState(frame: Uint8Array, view: FrameView, kinds: NodeKind[], links: Array<[number, number]>): FrameState {
  const nodes = new Uint8Array(frame.length);
  for (let i = 0; i < frame.length; i++) nodes[i] = viewValue(frame[i]!, view);
  const out = new Int8Array(links.length);
  links.forEach(([a, b], i) => {
    const end = (n: number) => (n >= 0 && n < nodes.length ? { value: nodes[n]!, kind: kinds[n] ?? 'junction' } : undefined);
    out[i] = linkValue(view, end(a), end(b));
  });
  return { nodes, links: out };
}

/** A MapLibre colour expression: the view's colour of feature-state `v`, else `fallback` (no animation). */
export function colourExpression(view: FrameView, fallback: unknown, tanks = false): unknown[] {
  const legend = LEGENDS[view];
  const entries = tanks && legend.tanks ? legend.tanks : legend.entries;
  const pairs = entries.flatMap((e) => [e.value, e.colour]);
  return ['match', ['coalesce', ['feature-state', 'v'], -1], ...pairs, fallback];
}

/** The colour of a value in a view (for the legend and the charts). */
export function colourOf(view: FrameView, value: number, tank = false): string {
  const legend = LEGENDS[view];
  const entries = tank && legend.tanks ? legend.tanks : legend.entries;
  return entries.find((e) => e.value === value)?.colour ?? NONE;
}

/** Counts of each value among the junctions of a frame (the legend shows them: "41 no water"). */
export function countValues(state: Uint8Array, kinds: NodeKind[], kind: NodeKind = 'junction'): Map<number, number> {
  const out = new Map<number, number>();
  state.forEach((v, i) => {
    if (kinds[i] === kind) out.set(v, (out.get(v) ?? 0) + 1);
  });
  return out;
}
