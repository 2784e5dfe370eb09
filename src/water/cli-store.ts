import { writeFileSync } from 'node:fs';
import type { Principal } from '../kernel/auth/index.js';
import { CliError, loadCliConfig } from '../kernel/cli-error.js';
import { initialSharing } from '../kernel/http/index.js';
import type { Actor, Kernel } from '../kernel/kernel.js';
import { startProgress } from '../kernel/progress.js';
import { type Tlp, type Distribution, groupsOfOrganisation } from '../kernel/sharing/index.js';
import { Problem } from '../kernel/http/problem.js';
import { openVigil } from '../server.js';
import { formatReport } from './cli-format.js';
import { LayoutError } from './cyber/layout.js';
import { engineRefusal } from './engine/check.js';
import { InpError } from './network/inp-text.js';
import { ScenarioError } from './scenario/validate.js';
import type { ImpactReport } from './sim/impact.js';
import { WaterRuntime } from './runtime.js';
import { ImportError, prepareImport, writeImport, type NetworkImport } from './store/import.js';
import { getRun, insertRun } from './store/runs.js';

/**
 * The CLI commands that work on the database: `vigil water import` and `vigil water simulate <scenario-id>`.
 * Both go through the same code as the API (kernel write path, event log, audit log).
 */

/** Acts as the organisation with an administrator's rights (the person at the console runs Vigil). */
async function organisationPrincipal(kernel: Kernel, slug: string): Promise<Principal> {
  const org = await kernel.store.db.selectFrom('organisations').select(['id', 'slug']).where((eb) => eb.or([eb('slug', '=', slug), eb('id', '=', slug)])).executeTakeFirst();
  if (!org) throw new CliError(`no organisation "${slug}"`);
  return { kind: 'user', orgId: org.id, orgSlug: org.slug, role: 'admin', userId: null, tokenId: null, label: 'vigil water (CLI)', groupIds: await groupsOfOrganisation(kernel.store.db, org.id) };
}

const actorOf = (p: Principal): Actor => ({ orgId: p.orgId, userId: null, tokenId: null, address: null });

export interface ImportCliOptions {
  org: string;
  tlp?: Tlp;
  distribution?: 'owner' | 'community';
  quiet?: boolean;
}

export async function importNetworkCli(file: string, input: NetworkImport, o: ImportCliOptions): Promise<void> {
  let prepared;
  try {
    prepared = prepareImport(input);
  } catch (error) {
    if (error instanceof InpError) throw new CliError(`${file}: ${error.message}`);
    if (error instanceof LayoutError || error instanceof ImportError) throw new CliError(error.message);
    throw error;
  }
  // EPANET's own reading, before anything is stored: a network it refuses is refused now, not at its first run.
  const refusal = await engineRefusal(prepared.network);
  if (refusal) throw new CliError(`${file}: EPANET cannot run this network: ${refusal}`);
  const kernel = await openVigil(loadCliConfig());
  try {
    const principal = await organisationPrincipal(kernel, o.org);
    const requested: { tlp?: Tlp; distribution?: Distribution } = {
      ...(o.tlp ? { tlp: o.tlp } : {}),
      ...(o.distribution ? { distribution: { scope: o.distribution } } : {}),
    };
    const sharing = await initialSharing(kernel.store.db, principal, requested).catch((error: unknown) => {
      throw error instanceof Problem ? new CliError(error.detail) : error;
    });
    const outcome = await kernel
      .write(actorOf(principal), (w) => writeImport(w, principal, prepared, { network: sharing, asset: () => sharing }))
      .catch((error: unknown) => {
        if (error instanceof ImportError) throw new CliError(error.message);
        throw error;
      });
    const n = outcome.network;
    const what = outcome.created ? 'imported as a new network' : outcome.unchanged ? 'unchanged (same file, layout and placement as the newest version)' : `imported as version ${n.version}`;
    const a = outcome.assets;
    process.stdout.write(
      `${n.name} (${n.id}) ${what}: ${n.stats.junctions} junctions, ${n.stats.pipes} pipes, ${n.stats.pumps} pumps, ${n.stats.valves} valves, ${n.stats.tanks} tanks, ${n.stats.plcs} PLCs\n` +
        `assets: ${a.created} created, ${a.linked} linked to existing ones, ${a.updated} updated${a.unlinked ? `, ${a.unlinked} no longer in the network` : ''}\n`,
    );
  } finally {
    await kernel.close();
  }
}

/** Runs a stored scenario (newest version unless given), records the run like the API does, and prints its summary. */
export async function simulateStoredScenario(id: string, o: { version?: number; json?: string; quiet?: boolean }): Promise<void> {
  const config = loadCliConfig();
  const kernel = await openVigil(config);
  const progress = startProgress({ label: 'simulating', total: 100, unit: '%', quiet: o.quiet ?? false });
  const runtime = new WaterRuntime(kernel, { ...config.water, workers: 1, onProgress: (_id, f, note) => progress.update(Math.round(f * 100), note) });
  try {
    const scenario = await kernel.store.db.selectFrom('water_scenarios').select(['id', 'owner_org_id', 'network_id', 'version']).where('id', '=', id).executeTakeFirst();
    if (!scenario) throw new CliError(`no water scenario ${id}`);
    const version = o.version ?? scenario.version;
    const def = await kernel.store.db.selectFrom('water_scenario_versions').select('network_version').where('scenario_id', '=', id).where('version', '=', version).executeTakeFirst();
    if (!def) throw new CliError(`scenario ${id} has no version ${version}`);
    const principal = await organisationPrincipal(kernel, scenario.owner_org_id);
    const run = await kernel.write(actorOf(principal), (w) =>
      insertRun(w, { scenarioId: id, scenarioVersion: version, networkId: scenario.network_id, networkVersion: def.network_version }),
    );
    runtime.startRun(run);
    await runtime.settled(run.id);
    const done = (await getRun(kernel.store.db, principal, run.id))!;
    progress.done(done.status);
    const row = await kernel.store.db.selectFrom('water_runs').select('report').where('id', '=', run.id).executeTakeFirstOrThrow();
    if (!row.report) throw new CliError(`run ${run.id} ${done.status}: ${done.failure?.message ?? done.note}`, 2);
    const report = JSON.parse(row.report) as ImpactReport;
    if (o.json) writeFileSync(o.json, JSON.stringify(report, null, 2));
    process.stdout.write(`${formatReport(`scenario ${id} v${version}`, report)}\nrun ${run.id} stored: GET /api/v1/water/runs/${run.id}\n`);
    if (report.status === 'failed') process.exitCode = 2;
  } catch (error) {
    if (error instanceof ScenarioError) throw new CliError(error.message);
    throw error;
  } finally {
    await runtime.close();
    await kernel.close();
  }
}
