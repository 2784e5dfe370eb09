import type { Write } from '../kernel/kernel.js';
import { newId } from '../kernel/ids.js';
import type { Distribution, Viewer } from '../kernel/sharing/index.js';
import { insertClosure } from '../routing/index.js';
import { defaultProfile, insertUnit } from '../units/index.js';
import type { DemoClosure, DemoDistribution, DemoUnit } from './city.js';

/** The demo city's response units and road closures, written through the same code paths as the API. */
export async function loadDemoUnits(c: {
  units: DemoUnit[];
  closures: DemoClosure[];
  place: (street: string, near: [number, number]) => [number, number];
  org: (slug: string) => string;
  actorFor: (slug: string) => Write;
  viewer: (slug: string) => Viewer;
  distribution: (d: DemoDistribution) => Distribution;
  assetIds: Map<string, string>;
  incidentIds: Map<string, string>;
}): Promise<void> {
  for (const u of c.units) {
    const w = c.actorFor(u.owner);
    const at = u.place ? c.place(u.place.street, u.place.near) : null;
    await insertUnit(
      w,
      c.viewer(u.owner),
      {
        name: u.name,
        type: u.type,
        profile: defaultProfile(u.type),
        status: u.status,
        homeStationId: c.assetIds.get(u.homeStation) ?? null,
        dispatcherOrgIds: u.dispatchers.map(c.org),
        attributes: { ...(u.attributes ?? {}), ...(u.place ? { street: u.place.street } : {}) },
        position: at ? { lon: at[0], lat: at[1], at: w.now } : null,
      },
      { ownerOrgId: c.org(u.owner), tlp: u.tlp, distribution: c.distribution(u.distribution) },
    );
  }
  for (const closure of c.closures) {
    const w = c.actorFor(closure.owner);
    const [lon, lat] = closure.around;
    const dLon = closure.halfWidthM / (111_320 * Math.cos((lat * Math.PI) / 180));
    const dLat = closure.halfHeightM / 110_574;
    const ring: Array<[number, number]> = [
      [lon - dLon, lat - dLat],
      [lon + dLon, lat - dLat],
      [lon + dLon, lat + dLat],
      [lon - dLon, lat + dLat],
      [lon - dLon, lat - dLat],
    ];
    await insertClosure(
      w,
      c.viewer(closure.owner),
      { id: newId(w.now), reason: closure.reason, geometry: { type: 'Polygon', coordinates: [ring] }, startsAt: w.now, endsAt: null, incidentId: c.incidentIds.get(closure.incident) ?? null },
      { ownerOrgId: c.org(closure.owner), tlp: closure.tlp, distribution: c.distribution(closure.distribution) },
      null,
    );
  }
}
