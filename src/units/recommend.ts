import type { DispatchAnswer, LineString, ProfileName } from '../routing/index.js';
import type { Unit, UnitPosition, UnitStatus } from './model.js';

/**
 * The dispatch recommendation, from the router's rankings (one per routing profile in use) and the units they
 * ranked. Pure: data in, data out. Units come out fastest first, grouped by type; the fastest `perType` of each
 * type carry their route geometry.
 */
export interface UnitEta {
  unitId: string;
  name: string;
  type: string;
  status: UnitStatus;
  ownerOrgId: string;
  profile: ProfileName;
  etaS: number;
  distanceM: number;
  position: UnitPosition;
  /** How old the position is, so a dispatcher can tell a live unit from one whose AVL went quiet. */
  positionAgeS: number;
  /** Metres from the reported position to the road the route starts on. */
  offRoadM: number;
  geometry?: LineString;
}

export interface UnrankedUnit {
  unitId: string;
  name: string;
  type: string;
  reason: 'no-position' | 'too-far-from-road' | 'unreachable';
  distanceM?: number;
}

export interface Recommendation {
  byType: Array<{ type: string; units: UnitEta[] }>;
  ranked: UnitEta[];
  unranked: UnrankedUnit[];
  engine: 'hierarchy' | 'dijkstra';
}

/** Picks which units get a route geometry: the first `perType` of each (type, profile), asked in ranking order. */
export function routePicker(units: Map<string, Unit>, perType: number): (id: string) => boolean {
  const taken = new Map<string, number>();
  return (id) => {
    const unit = units.get(id);
    if (!unit) return false;
    const key = `${unit.type}|${unit.profile}`;
    const n = taken.get(key) ?? 0;
    if (n >= perType) return false;
    taken.set(key, n + 1);
    return true;
  };
}

export function recommend(
  units: Map<string, Unit>,
  answers: Array<Extract<DispatchAnswer, { status: 'ranked' }>>,
  options: { perType: number; types?: string[]; now: number },
): Recommendation {
  const ranked: UnitEta[] = [];
  const unranked: UnrankedUnit[] = [];
  for (const answer of answers) {
    for (const r of answer.ranked) {
      const unit = units.get(r.id)!;
      ranked.push({
        unitId: unit.id,
        name: unit.name,
        type: unit.type,
        status: unit.status,
        ownerOrgId: unit.ownerOrgId,
        profile: unit.profile,
        etaS: r.etaS,
        distanceM: r.distanceM,
        position: unit.position!,
        positionAgeS: Math.max(0, Math.round((options.now - Date.parse(unit.position!.at)) / 1000)),
        offRoadM: r.snapped.distanceM,
        ...(r.geometry ? { geometry: r.geometry } : {}),
      });
    }
    for (const u of answer.unranked) {
      const unit = units.get(u.id)!;
      unranked.push({ unitId: unit.id, name: unit.name, type: unit.type, reason: u.reason, ...(u.distanceM !== undefined ? { distanceM: u.distanceM } : {}) });
    }
  }
  ranked.sort((a, b) => a.etaS - b.etaS || (a.unitId < b.unitId ? -1 : 1));
  unranked.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const groups = new Map<string, UnitEta[]>();
  for (const type of options.types ?? []) groups.set(type, []);
  for (const unit of ranked) {
    const list = groups.get(unit.type) ?? [];
    groups.set(unit.type, list);
    if (list.length < options.perType) list.push(unit);
  }
  return {
    byType: [...groups].map(([type, list]) => ({ type, units: list })),
    // The full ranking stays light: geometry only where the recommendation shows it.
    ranked: ranked.map(({ geometry: _g, ...rest }) => rest),
    unranked,
    engine: answers.some((a) => a.engine === 'dijkstra') ? 'dijkstra' : 'hierarchy',
  };
}
