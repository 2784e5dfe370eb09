import type { CorrelationAsset, DependencyKind } from './model.js';

/** One step along a dependency, in either direction: "plc-7 controls tank-3" seen from either end. */
interface Link {
  to: string;
  kind: DependencyKind;
  /** The sentence for this step, read in the dependency's own direction. */
  says: string;
}

export interface RelatedAsset {
  assetId: string;
  hops: number;
  /** The chain read by a person from the related asset back: "plc-7 controls pump-2; pump-2 feeds tank-3". */
  path: string;
}

const MAX_VISITED = 64;

/**
 * The typed dependency graph between assets, walked in both directions: a PLC's alert relates to the
 * tank it controls, and the tank's alert to the PLC that controls it.
 */
export class DependencyGraph {
  private readonly links = new Map<string, Link[]>();
  /** The graph changes only with setAssets, so each walk is done once. */
  private readonly walks = new WeakMap<readonly DependencyKind[], Map<number, Map<string, RelatedAsset[]>>>();
  private walked = 0;

  constructor(assets: Iterable<CorrelationAsset>) {
    for (const asset of assets) {
      for (const d of asset.dependencies ?? []) {
        if (d.assetId === asset.id) continue;
        const says = `${asset.id} ${d.kind} ${d.assetId}`;
        this.link(asset.id, { to: d.assetId, kind: d.kind, says });
        this.link(d.assetId, { to: asset.id, kind: d.kind, says });
      }
    }
  }

  private link(from: string, link: Link): void {
    const list = this.links.get(from);
    if (list) list.push(link);
    else this.links.set(from, [link]);
  }

  get size(): number {
    return this.links.size;
  }

  /**
   * Assets reachable from `assetId` through at most `maxHops` links of the allowed kinds, nearest first,
   * bounded so one hub (a substation feeding half the city) cannot make every alert expensive.
   */
  related(assetId: string, maxHops: number, kinds: readonly DependencyKind[]): RelatedAsset[] {
    if (!this.links.has(assetId)) return [];
    // Keyed by the settings' own kinds list, which stays the same object for an organisation.
    let byHops = this.walks.get(kinds);
    if (!byHops) this.walks.set(kinds, (byHops = new Map()));
    let byAsset = byHops.get(maxHops);
    if (!byAsset) byHops.set(maxHops, (byAsset = new Map()));
    let found = byAsset.get(assetId);
    if (!found) {
      found = this.walk(assetId, maxHops, new Set(kinds));
      if (++this.walked > 100_000) {
        byAsset.clear();
        this.walked = 0;
      }
      byAsset.set(assetId, found);
    }
    return found;
  }

  private walk(assetId: string, maxHops: number, kinds: ReadonlySet<DependencyKind>): RelatedAsset[] {
    const seen = new Set([assetId]);
    const out: RelatedAsset[] = [];
    let frontier: RelatedAsset[] = [{ assetId, hops: 0, path: '' }];
    for (let hops = 1; hops <= maxHops && frontier.length > 0; hops++) {
      const next: RelatedAsset[] = [];
      for (const at of frontier) {
        for (const link of this.links.get(at.assetId) ?? []) {
          if (!kinds.has(link.kind) || seen.has(link.to)) continue;
          if (seen.size >= MAX_VISITED) return out;
          seen.add(link.to);
          const step = { assetId: link.to, hops, path: at.path ? `${link.says}; ${at.path}` : link.says };
          next.push(step);
          out.push(step);
        }
      }
      frontier = next;
    }
    return out;
  }
}
