// What one map shows of the water networks: which networks, which frame of a run's animation in which
// view, and which nodes to mark (critical consumers). The run page owns one; the operations map another.
import type { FrameView, NodeKind } from './frames';

export interface AnimationFrame {
  networkId: string;
  /** Node ids in frame order, and their kinds. */
  nodes: string[];
  kinds: NodeKind[];
  /** The current frame's bytes, or null before the frames are read. */
  frame: Uint8Array | null;
  view: FrameView;
}

export interface Highlight {
  networkId: string;
  node: string;
  label: string;
}

export class WaterMapState {
  /** The networks to draw (a version each, or the newest); null: every network the user may see. */
  networks: Array<{ id: string; version?: number }> | null;
  animation: AnimationFrame | null = null;
  highlights: Highlight[] = [];
  private listeners = new Set<() => void>();

  constructor(networks: Array<{ id: string; version?: number }> | null = null) {
    this.networks = networks;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  set(change: Partial<Pick<WaterMapState, 'animation' | 'highlights' | 'networks'>>): void {
    Object.assign(this, change);
    for (const l of this.listeners) l();
  }
}
