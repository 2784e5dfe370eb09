import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/kernel/config.js';
import { openVigil } from '../../src/server.js';
import { type RunningVigil, freePort, runVigil, startVigil } from '../helpers/process.js';

/**
 * A real `vigil serve` with the demo city: a small SCADA log replayed with `vigil replay` gives the expected
 * readings and alerts; and QoS 1 readings the embedded broker acknowledged survive kill -9.
 */
describe('vigil serve with MQTT, replay and kill -9', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-ingest-'));
  let env: Record<string, string>;
  let vigil: RunningVigil;
  let mqttPort: number;

  beforeAll(async () => {
    mqttPort = await freePort();
    env = { VIGIL_DATA_DIR: dir, VIGIL_DEMO: '1', VIGIL_LOG_LEVEL: 'info', VIGIL_MQTT_PORT: String(mqttPort) };
    vigil = await startVigil(env);
  });

  afterAll(async () => {
    if (vigil?.child.exitCode === null) await vigil.stop('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('replays a small SCADA log into the live pipeline: readings stored, the range detector alerts', async () => {
    const csv = path.join(dir, 'small.csv');
    // BATADAL style: dd/mm/yy HH times, a space after each comma, an ATT_FLAG column that is not a datastream.
    fs.writeFileSync(
      csv,
      ['DATETIME,L_T1,F_PU1,ATT_FLAG', '01/01/17 00, 3.10, 90.5, 0', '01/01/17 01, 4.20, 91.0, 0', '01/01/17 02, 5.90, NaN, 1', '01/01/17 03, 4.00, 92.5, 0'].join('\n'),
    );
    const run = await runVigil(['replay', csv, '--org', 'water', '--speed', '36000', '--url', vigil.base], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('7 of 7 readings stored');

    const login = await fetch(`${vigil.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'analyst@water.demo', password: 'vigil-demo' }) });
    const { token } = (await login.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}` };
    const streams = (await (await fetch(`${vigil.base}/api/v1/datastreams?limit=1000`, { headers: auth })).json()) as { items: Array<{ id: string; key: string }> };
    const t1 = streams.items.find((d) => d.key === 'L_T1')!;
    const series = (await (await fetch(`${vigil.base}/api/v1/datastreams/${t1.id}/observations?resolution=raw&from=${new Date(Date.now() - 86_400_000).toISOString()}`, { headers: auth })).json()) as { points: Array<{ t: string; v: number }> };
    expect(series.points.map((p) => p.v)).toEqual([3.1, 4.2, 5.9, 4]);
    // Hour-spaced rows stay an hour apart, and the last one is stamped about now.
    const times = series.points.map((p) => Date.parse(p.t));
    expect(times[1]! - times[0]!).toBe(3_600_000);
    expect(Math.abs(Date.now() - times[3]!)).toBeLessThan(60_000);
    expect(streams.items.some((d) => d.key === 'ATT_FLAG')).toBe(false);

    const alerts = (await (await fetch(`${vigil.base}/api/v1/alerts?q=L_T1%20high`, { headers: auth })).json()) as { items: Array<{ source: string; evidence: { datastreams: Record<string, { observed: number }> }; assetIds: string[] }> };
    const high = alerts.items.find((a) => a.source === 'detector:t1-level');
    expect(high?.evidence.datastreams.L_T1?.observed).toBe(5.9);
    expect(high?.assetIds).toHaveLength(1);
  });

  it('keeps every QoS 1 reading it acknowledged when killed with SIGKILL mid-stream', async () => {
    const created = await runVigil(['token', 'create', '--org', 'water', '--name', 'kill test device'], env);
    expect(created.code, created.stderr).toBe(0);
    const password = created.stdout.trim();
    const client = mqtt.connect(`mqtt://127.0.0.1:${mqttPort}`, { clientId: `kill-${process.pid}`, username: 'd', password, reconnectPeriod: 0 });
    await new Promise<void>((resolve, reject) => client.once('connect', () => resolve()).once('error', reject));
    client.on('error', () => {});
    const acked: number[] = [];
    const t0 = Date.now() - 3_600_000;
    let killed = false;
    await new Promise<void>((resolve) => {
      let i = 0;
      const pump = () => {
        // Keep many messages in flight so some are surely between receipt and commit at the kill.
        while (!killed && i - acked.length < 200) {
          const t = t0 + i++;
          client.publish('vigil/water/D_KILL', JSON.stringify({ t, v: i }), { qos: 1 }, (error) => {
            if (error || killed) return;
            acked.push(t);
            if (acked.length >= 1500) {
              killed = true;
              vigil.child.kill('SIGKILL');
              resolve();
            } else pump();
          });
        }
      };
      pump();
    });
    await vigil.stop('SIGKILL');
    client.end(true);

    const kernel = await openVigil(loadConfig({ VIGIL_DATA_DIR: dir, VIGIL_DEMO: '0', VIGIL_LOG_LEVEL: 'silent' }), { logger: pino({ level: 'silent' }) });
    try {
      const rows = await kernel.store.db
        .selectFrom('observations')
        .innerJoin('datastreams', 'datastreams.sid', 'observations.sid')
        .select('observations.t')
        .where('datastreams.key', '=', 'D_KILL')
        .execute();
      const stored = new Set(rows.map((r) => Number(r.t)));
      const lost = acked.filter((t) => !stored.has(t));
      expect(acked.length).toBeGreaterThanOrEqual(1500);
      expect(lost).toEqual([]);
    } finally {
      await kernel.close();
    }
  });
});
