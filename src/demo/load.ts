import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { raiseAlert, type Alert } from '../alerts/index.js';
import { CtiService, importStix, tlpMarkingId } from '../cti/index.js';
import { insertAsset } from '../assets/index.js';
import { parseScadaModel, saveModel, saveSettings } from '../detect/index.js';
import { insertDatastream } from '../ingest/index.js';
import { addNote, getIncident, openIncident } from '../incidents/index.js';
import { hashPassword } from '../kernel/auth/index.js';
import { DEMO_PASSWORD } from '../kernel/config.js';
import type { Actor, Kernel, Write } from '../kernel/kernel.js';
import type { Distribution, Viewer } from '../kernel/sharing/index.js';
import { createOrganisation, createUser, saveSharingGroup } from '../organisations/queries.js';
import { ALERTS, ASSETS, CLOSURES, DATASTREAMS, DETECTORS, type DemoDistribution, GROUPS, INCIDENTS, INDICATORS, ORGANISATIONS, UNITS } from './city.js';
import { streetLocator, streetVertices } from './streets.js';
import { enableDemoCorrelation, loadDemoPlaybooks } from './playbooks.js';
import { loadDemoUnits } from './units.js';
import { loadDemoWarnings } from './warnings.js';
import { loadDemoWater } from './water.js';

export const DEMO_ROADS_FILE = fileURLToPath(new URL('../../data-seed/osm/monaco-roads.geojson', import.meta.url));
/** The C-Town SCADA attack model, trained on BATADAL training set 1 (see data-seed/ATTRIBUTION.md). */
export const DEMO_SCADA_MODEL_FILE = fileURLToPath(new URL('../../data-seed/detect/ctown-model.json', import.meta.url));

export interface DemoLogin {
  email: string;
  organisation: string;
  role: string;
}

/** The demo accounts, as the README and the start-up banner list them. */
export function demoLogins(): DemoLogin[] {
  return ORGANISATIONS.flatMap((o) => [
    { email: `admin@${o.slug}.demo`, organisation: o.name, role: 'admin' },
    { email: `analyst@${o.slug}.demo`, organisation: o.name, role: 'analyst' },
  ]);
}

/**
 * Loads the demo city into an empty database, in one transaction: either all of it is there or none.
 * Returns false (and changes nothing) when the database already has organisations.
 */
export async function loadDemoCity(kernel: Kernel, roadsFile = DEMO_ROADS_FILE): Promise<boolean> {
  const db = kernel.store.db;
  if (await db.selectFrom('organisations').select('id').limit(1).executeTakeFirst()) return false;
  const roads = JSON.parse(fs.readFileSync(roadsFile, 'utf8'));
  const place = streetLocator(roads);
  // One argon2 hash for every demo account keeps start-up quick; the password is public anyway.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const system: Actor = { orgId: null, userId: null, tokenId: null, address: null };

  const sharing: Array<{ indicator: (typeof INDICATORS)[number]; ownerOrgId: string; distribution: Distribution; viewer: Viewer }> = [];
  await kernel.write(system, async (root) => {
    const orgIds = new Map<string, string>();
    const admins = new Map<string, string>();
    for (const o of ORGANISATIONS) {
      const org = await createOrganisation(root, {
        slug: o.slug,
        name: o.name,
        sector: o.sector,
        kind: o.kind,
        settings: { defaultTlp: o.defaultTlp, defaultDistribution: { scope: 'owner' }, autoCreateDatastreams: true },
      });
      orgIds.set(o.slug, org.id);
      for (const role of ['admin', 'analyst'] as const) {
        const user = await createUser(
          root,
          { orgId: org.id, email: `${role}@${o.slug}.demo`, name: `${o.name} ${role}`, role, password: DEMO_PASSWORD },
          passwordHash,
        );
        if (role === 'admin') admins.set(o.slug, user.id);
      }
    }
    const org = (slug: string): string => orgIds.get(slug)!;
    const actorFor = (slug: string): Write => root.as({ orgId: org(slug), userId: admins.get(slug)!, tokenId: null, address: null });

    const groupIds = new Map<string, string>();
    for (const g of GROUPS) {
      const group = await saveSharingGroup(actorFor(g.owner), { ownerOrgId: org(g.owner), name: g.name, description: g.description, memberOrgIds: g.members.map(org) });
      groupIds.set(g.key, group.id);
    }
    const viewer = (slug: string): Viewer => ({
      orgId: org(slug),
      groupIds: new Set(GROUPS.filter((g) => g.owner === slug || g.members.includes(slug)).map((g) => groupIds.get(g.key)!)),
    });
    const distribution = (d: DemoDistribution): Distribution => {
      switch (d.scope) {
        case 'orgs':
          return { scope: 'orgs', orgIds: d.orgs.map(org) };
        case 'group':
          return { scope: 'group', groupId: groupIds.get(d.group)! };
        default:
          return d;
      }
    };

    const assetIds = new Map<string, string>();
    for (const a of ASSETS) {
      const asset = await insertAsset(
        actorFor(a.owner),
        viewer(a.owner),
        {
          name: a.name,
          type: a.type,
          criticality: a.criticality,
          geometry: a.place ? { type: 'Point', coordinates: place(a.place.street, a.place.near) } : null,
          attributes: { ...(a.attributes ?? {}), ...(a.place ? { street: a.place.street } : {}) },
          dependencies: (a.dependencies ?? []).map((d) => ({ kind: d.kind, assetId: assetIds.get(d.asset)! })),
        },
        { ownerOrgId: org(a.owner), tlp: a.tlp, distribution: distribution(a.distribution) },
      );
      assetIds.set(a.key, asset.id);
    }

    // Sensors on the water utility's C-Town-tagged assets, and its detectors with the trained C-Town model.
    for (const d of DATASTREAMS) {
      await insertDatastream(actorFor(d.owner), { orgId: org(d.owner), key: d.key, kind: d.kind, unit: d.unit, assetId: assetIds.get(d.asset)!, expectedRange: d.expectedRange ?? null });
    }
    const scadaModel = parseScadaModel(JSON.parse(fs.readFileSync(DEMO_SCADA_MODEL_FILE, 'utf8')));
    for (const d of DETECTORS) {
      await saveModel(actorFor(d.owner), org(d.owner), d.model, scadaModel);
      await saveSettings(actorFor(d.owner), org(d.owner), d.detectors, 0);
    }
    const hospital = ASSETS.find((a) => a.key === 'hospital')!;
    await loadDemoWater({
      water: { w: actorFor('water'), viewer: viewer('water') },
      energy: { w: actorFor('energy'), viewer: viewer('energy') },
      assetIds,
      hospitalPoint: place(hospital.place!.street, hospital.place!.near),
      streetVertices: streetVertices(roads),
      infraGroupId: groupIds.get('critical-infrastructure')!,
    });

    const alerts = new Map<string, Alert>();
    for (const a of ALERTS) {
      const { alert } = await raiseAlert(
        actorFor(a.owner),
        viewer(a.owner),
        {
          source: a.source,
          category: a.category,
          severity: a.severity,
          title: a.title,
          description: a.description,
          time: root.now - a.minutesAgo * 60_000,
          assetIds: a.assets.map((k) => assetIds.get(k)!),
          evidence: a.evidence,
          dedupKey: `demo:${a.key}`,
        },
        { ownerOrgId: org(a.owner), tlp: a.tlp, distribution: distribution(a.distribution) },
      );
      alerts.set(a.key, alert);
    }

    const incidentIds = new Map<string, string>();
    for (const indicator of INDICATORS) {
      sharing.push({ indicator, ownerOrgId: org(indicator.owner), distribution: distribution(indicator.distribution), viewer: viewer(indicator.owner) });
    }

    for (const i of INCIDENTS) {
      const w = actorFor(i.owner);
      const incident = await openIncident(
        w,
        viewer(i.owner),
        { title: i.title, description: i.description, severity: i.severity, status: i.status, type: i.type, assetIds: i.assets.map((k) => assetIds.get(k)!) },
        i.alerts.map((k) => alerts.get(k)!),
        { ownerOrgId: org(i.owner), tlp: i.tlp, distribution: distribution(i.distribution) },
      );
      incidentIds.set(i.title, incident.id);
      for (const note of i.notes) {
        const current = (await getIncident(w.tx, viewer(note.by), incident.id))!;
        await addNote(actorFor(note.by), viewer(note.by), current, note.text);
      }
    }

    await loadDemoWarnings(kernel, root, {
      incidentId: (title) => incidentIds.get(title)!,
      orgId: org,
      userId: async (email) => (await root.tx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id,
      assetPoint: async (key) => {
        const row = await root.tx.selectFrom('assets').select('geometry').where('id', '=', assetIds.get(key)!).executeTakeFirst();
        const geometry = row?.geometry ? (JSON.parse(row.geometry) as { type: string; coordinates: [number, number] }) : null;
        return geometry?.type === 'Point' ? geometry.coordinates : null;
      },
    });
    await loadDemoPlaybooks(actorFor('cert'), org('cert'));
    await enableDemoCorrelation(root, [...orgIds.values()]);
    await loadDemoUnits({ units: UNITS, closures: CLOSURES, place, org, actorFor, viewer, distribution, assetIds, incidentIds });
  });
  await loadDemoIntelligence(kernel, sharing);
  return true;
}

/**
 * The CERT's indicators go into the STIX store like any import; then they are matched against the recent past,
 * as a new indicator always is, so the SCADA login alert gets its sighting.
 */
async function loadDemoIntelligence(
  kernel: Kernel,
  items: Array<{ indicator: (typeof INDICATORS)[number]; ownerOrgId: string; distribution: Distribution; viewer: Viewer }>,
): Promise<void> {
  const cti = new CtiService(kernel, { refreshMs: 0 });
  try {
    const created = new Date(kernel.clock() - 6 * 3600_000).toISOString();
    for (const { indicator: i, ownerOrgId, distribution, viewer } of items) {
      const object = {
        type: 'indicator', spec_version: '2.1', id: i.id, created, modified: created, name: i.name, description: i.description,
        indicator_types: ['malicious-activity'], pattern: i.pattern, pattern_type: 'stix', valid_from: created, object_marking_refs: [tlpMarkingId(i.tlp)],
      };
      const bundle = JSON.stringify({ type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects: [object] });
      await importStix(kernel, [bundle], {
        ownerOrgId, actor: { orgId: ownerOrgId, userId: null, tokenId: null, address: null }, viewer, source: 'demo', defaultTlp: i.tlp, distribution, partial: false,
      });
    }
    await cti.learn();
  } finally {
    await cti.stop();
  }
}
