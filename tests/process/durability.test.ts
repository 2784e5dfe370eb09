import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

// Each case starts real `vigil` processes; on a busy two-core machine one start can take many seconds.
vi.setConfig({ testTimeout: 180_000 });
import { startVigil } from '../helpers/process.js';

describe('a real vigil process', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-kill-'));
  const env = { VIGIL_DATA_DIR: dir, VIGIL_DEMO: '1', VIGIL_LOG_LEVEL: 'info' };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('starts with the demo city, answers /healthz, loses no acknowledged change to kill -9, and keeps secrets out of its logs', async () => {
    const first = await startVigil(env);
    expect(await (await fetch(`${first.base}/healthz`)).json()).toEqual({ status: 'ok' });
    const login = await fetch(`${first.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'analyst@water.demo', password: 'vigil-demo' }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${first.base}/api/v1/alerts`, { method: 'POST', headers, body: JSON.stringify({ title: `durable ${i}`, category: 'physical', severity: 'low' }) });
      expect(res.status).toBe(201);
      created.push(((await res.json()) as { id: string }).id);
    }
    const stream = await fetch(`${first.base}/api/v1/stream?token=${token}`);
    expect(stream.status).toBe(200);
    await stream.body?.cancel();
    // No graceful shutdown: the process dies the moment the last acknowledgement went out.
    await first.stop('SIGKILL');
    const log = first.output();
    expect(log).toContain('DEMO MODE');
    expect(log).not.toContain(token);
    expect(log).not.toContain('vigil-demo"');
    expect(log).toContain('token=[redacted]');

    const second = await startVigil(env);
    const again = await fetch(`${second.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'analyst@water.demo', password: 'vigil-demo' }),
    });
    const token2 = ((await again.json()) as { token: string }).token;
    for (const id of created) {
      const res = await fetch(`${second.base}/api/v1/alerts/${id}`, { headers: { authorization: `Bearer ${token2}` } });
      expect(res.status).toBe(200);
    }
    // The demo city is loaded once, not again on restart.
    const orgs = (await (await fetch(`${second.base}/api/v1/organisations`, { headers: { authorization: `Bearer ${token2}` } })).json()) as { items: unknown[] };
    expect(orgs.items).toHaveLength(7);
    expect(await second.stop()).toBe(0);
  });
});
