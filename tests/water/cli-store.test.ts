import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/kernel/config.js';
import { SYSTEM_ACTOR } from '../../src/kernel/kernel.js';
import { createOrganisation } from '../../src/organisations/queries.js';
import { openVigil } from '../../src/server.js';
import { createScenario, loadNetworkVersion, validateScenario } from '../../src/water/index.js';
import { runVigil } from '../helpers/process.js';
import { pumpOut } from './api-helpers.js';
import { townInp, townLayout, townPlacement } from './town.js';

describe('vigil water import and simulate <scenario-id>', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-water-cli-'));
  const env = { VIGIL_DATA_DIR: dir, VIGIL_DEMO: '0', VIGIL_LOG_LEVEL: 'silent' };
  const file = (name: string, text: string): string => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };
  let orgId = '';

  beforeAll(async () => {
    const kernel = await openVigil(loadConfig(env), { logger: pino({ level: 'silent' }) });
    orgId = (await kernel.write(SYSTEM_ACTOR, (w) => createOrganisation(w, { slug: 'water', name: 'Water', sector: 'water', kind: 'operator' }))).id;
    await kernel.close();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('imports a network with its layout and placement, then runs a stored scenario and stores the run', async () => {
    const inp = file('town.inp', townInp());
    const imported = await runVigil(['water', 'import', inp, '--org', 'water', '--plcs', file('plcs.json', JSON.stringify(townLayout)), '--placement', file('placement.json', JSON.stringify(townPlacement))], env);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toMatch(/town \(.*\) imported as a new network: 4 junctions, 5 pipes, 2 pumps, 0 valves, 1 tanks, 2 PLCs\nassets: 7 created/);

    const kernel = await openVigil(loadConfig(env), { logger: pino({ level: 'silent' }) });
    const network = await kernel.store.db.selectFrom('water_networks').select(['id', 'version']).executeTakeFirstOrThrow();
    const loaded = (await loadNetworkVersion(kernel.store.db, network.id, network.version))!;
    const scenario = await kernel.write({ ...SYSTEM_ACTOR, orgId }, (w) =>
      createScenario(w, { orgId, groupIds: new Set() }, { networkId: network.id, networkVersion: network.version, definition: validateScenario(pumpOut(8), loaded.network, loaded.layout) }, { ownerOrgId: orgId, tlp: 'amber', distribution: { scope: 'owner' } }),
    );
    await kernel.close();

    const run = await runVigil(['water', 'simulate', scenario.id, '--quiet'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/status: completed/);
    expect(run.stdout).toMatch(/Clinic \(J4\)/);
    const stored = /run (\S+) stored/.exec(run.stdout)![1]!;
    const again = await openVigil(loadConfig(env), { logger: pino({ level: 'silent' }) });
    const row = await again.store.db.selectFrom('water_runs').select(['status', 'series_state']).where('id', '=', stored).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'completed', series_state: 'stored' });
    await again.close();
  }, 120_000);

  it('names the line and section of a malformed file, and stores nothing', async () => {
    const bad = file('bad.inp', townInp().replace(' T1 40 3 0 6 15 0', ' T1 40 three 0 6 15 0'));
    const res = await runVigil(['water', 'import', bad, '--org', 'water', '--name', 'bad'], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/bad\.inp: line \d+ \[TANKS\]/);
    const kernel = await openVigil(loadConfig(env), { logger: pino({ level: 'silent' }) });
    expect(await kernel.store.db.selectFrom('water_networks').select('name').execute()).toEqual([{ name: 'town' }]);
    await kernel.close();
  }, 60_000);
});
