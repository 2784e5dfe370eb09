import { readFileSync } from 'node:fs';
import { getAsset, updateAsset } from '../assets/index.js';
import type { Write } from '../kernel/kernel.js';
import type { Sharing, Viewer } from '../kernel/sharing/index.js';
import {
  createScenario,
  nearestJunction,
  placementTransform,
  prepareImport,
  readInp,
  validateScenario,
  writeImport,
  type Placement,
  type ScenarioEvent,
} from '../water/index.js';

const seed = (file: string): URL => new URL(`../../data-seed/water/${file}`, import.meta.url);

export interface DemoWaterContext {
  /** The water utility, as a write and a viewer. */
  water: { w: Write; viewer: Viewer };
  energy: { w: Write; viewer: Viewer };
  /** Demo asset key → id (hand-made assets loaded before). */
  assetIds: Map<string, string>;
  hospitalPoint: [number, number];
  infraGroupId: string;
}

/**
 * The demo city's water model: C-Town (BATADAL) placed on Monaco, imported like any utility's network so
 * it creates its pumps, tanks, valves, source, PLCs and SCADA server and links the hand-made ones. The
 * hospital is its critical consumer at the junction nearest to it; Substation Fontvieille feeds pumping
 * station 3 (PU10, PU11); the treatment plant feeds the source. A ready what-if scenario is shared with the
 * critical infrastructure group. About a tenth of a second: no EPANET at load time (the seed file is known good).
 */
export async function loadDemoWater(ctx: DemoWaterContext): Promise<{ networkId: string; scenarioId: string }> {
  const inp = readFileSync(seed('ctown.inp'), 'utf8');
  const layout = JSON.parse(readFileSync(seed('ctown-plcs.json'), 'utf8')) as unknown;
  const placement = JSON.parse(readFileSync(seed('ctown-placement.json'), 'utf8')) as Placement;
  const hospitalId = ctx.assetIds.get('hospital')!;
  const network = readInp(inp);
  const hospitalJunction = nearestJunction(network, placementTransform(network, placement), ctx.hospitalPoint)!;
  const prepared = prepareImport({
    name: 'ctown',
    title: 'C-Town (BATADAL), placed on Monaco',
    inp,
    layout,
    placement: { centre: placement.centre, metresPerUnit: placement.metresPerUnit, ...(placement.rotationDegrees !== undefined ? { rotationDegrees: placement.rotationDegrees } : {}) },
    consumers: [{ node: hospitalJunction, name: 'Princess Grace Hospital', assetId: hospitalId }],
  });
  const waterOrg = ctx.water.viewer.orgId!;
  const green: Sharing = { ownerOrgId: waterOrg, tlp: 'green', distribution: { scope: 'community' } };
  const outcome = await writeImport(ctx.water.w, ctx.water.viewer, prepared, {
    network: green,
    asset: (kind) =>
      kind === 'plc'
        ? { ownerOrgId: waterOrg, tlp: 'amber', distribution: { scope: 'group', groupId: ctx.infraGroupId } }
        : kind === 'scada-server'
          ? { ownerOrgId: waterOrg, tlp: 'amber+strict', distribution: { scope: 'owner' } }
          : green,
  });
  const idOf = (key: string): string => outcome.assetIds[`ctown/${key}`]!;

  // Dependencies that cross organisations or leave the model: drawn by their owners.
  await addDependencies(ctx.water, ctx.assetIds.get('treatment-plant')!, [{ kind: 'feeds', assetId: idOf('water-reservoir/R1') }]);
  const substation = ctx.assetIds.get('substation-fontvieille')!;
  await addDependencies(ctx.energy, substation, [
    { kind: 'feeds', assetId: idOf('water-pump/PU10') },
    { kind: 'feeds', assetId: idOf('water-pump/PU11') },
  ]);

  const demo = JSON.parse(readFileSync(seed('ctown-demo-scenario.json'), 'utf8')) as {
    criticalConsumers: Array<{ node: string; name: string; assetId?: string; minPressure?: number }>;
    events: ScenarioEvent[];
  };
  const definition = validateScenario(
    {
      ...demo,
      // The seed file names its links to the demo city with placeholders.
      criticalConsumers: demo.criticalConsumers.map((c) => (c.assetId === 'demo-hospital' ? { node: hospitalJunction, name: 'Princess Grace Hospital', assetId: hospitalId } : c)),
      events: demo.events.map((e) => (e.type === 'pump-failure' && e.energyAssetId === 'demo-substation' ? { ...e, energyAssetId: substation } : e)),
    },
    prepared.network,
    prepared.layout,
  );
  const scenario = await createScenario(
    ctx.water.w,
    ctx.water.viewer,
    { networkId: outcome.network.id, networkVersion: outcome.network.version, definition },
    { ownerOrgId: waterOrg, tlp: 'amber', distribution: { scope: 'group', groupId: ctx.infraGroupId } },
  );
  return { networkId: outcome.network.id, scenarioId: scenario.id };
}

async function addDependencies(who: { w: Write; viewer: Viewer }, assetId: string, add: Array<{ kind: 'feeds'; assetId: string }>): Promise<void> {
  const asset = (await getAsset(who.w.tx, who.viewer, assetId))!;
  await updateAsset(who.w, who.viewer, asset, { dependencies: [...asset.dependencies, ...add] });
}
