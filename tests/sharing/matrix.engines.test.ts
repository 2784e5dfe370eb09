import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Distribution, type Tlp, DISTRIBUTION_SCOPES, TLP_LABELS, scopesAllowedFor } from '../../src/kernel/sharing/policy.js';
import { type Api, type SseClient, listen, openStream, startApi } from '../helpers/http.js';
import { type TestKernel, engines, openTestKernel } from '../helpers/kernel.js';
import { MATRIX_ORGS, type MatrixOrg, type World, seedWorld } from '../helpers/world.js';

/**
 * The sharing matrix: for every read path, every TLP, every distribution scope the label allows, and a
 * user of each kind of organisation, exactly the right users see the record. Run on every engine.
 */
const KINDS = [
  { kind: 'asset', path: '/api/v1/assets', body: (title: string) => ({ name: title, type: 'pump', criticality: 3, geometry: { type: 'Point', coordinates: [7.42, 43.73] } }) },
  { kind: 'alert', path: '/api/v1/alerts', body: (title: string) => ({ title, category: 'cyber', severity: 'high', location: { type: 'Point', coordinates: [7.42, 43.73] } }) },
  { kind: 'incident', path: '/api/v1/incidents', body: (title: string) => ({ title, severity: 'high', location: { type: 'Point', coordinates: [7.42, 43.73] } }) },
] as const;

const AUDIENCE: Record<(typeof DISTRIBUTION_SCOPES)[number], MatrixOrg[]> = {
  owner: ['owner'],
  orgs: ['owner', 'listed'],
  group: ['owner', 'member'],
  community: ['owner', 'listed', 'member', 'community', 'outsider'],
  public: ['owner', 'listed', 'member', 'community', 'outsider'],
};

interface MatrixRecord {
  kind: string;
  id: string;
  tlp: Tlp;
  scope: (typeof DISTRIBUTION_SCOPES)[number];
  audience: MatrixOrg[];
}

for (const engine of engines()) {
  describe(`sharing matrix on ${engine}`, () => {
    let t: TestKernel;
    let api: Api;
    let world: World;
    let streams: Record<MatrixOrg, SseClient>;
    const records: MatrixRecord[] = [];

    beforeAll(async () => {
      t = await openTestKernel(engine);
      api = await startApi(t.kernel);
      world = await seedWorld(t.kernel);
      const base = await listen(api.app);
      streams = Object.fromEntries(MATRIX_ORGS.map((o) => [o, openStream(base, world.token[o])])) as Record<MatrixOrg, SseClient>;
      await Promise.all(Object.values(streams).map((s) => s.opened));
      const distribution = (scope: string): Distribution => {
        switch (scope) {
          case 'orgs':
            return { scope: 'orgs', orgIds: [world.org.listed] };
          case 'group':
            return { scope: 'group', groupId: world.groupG };
          default:
            return { scope } as Distribution;
        }
      };
      for (const k of KINDS) {
        for (const tlp of TLP_LABELS) {
          for (const scope of scopesAllowedFor(tlp)) {
            const res = await api.call('POST', k.path, world.token.owner, { ...k.body(`zebra ${k.kind} ${tlp} ${scope}`), tlp, distribution: distribution(scope) });
            expect(res.status, JSON.stringify(res.body)).toBe(201);
            records.push({ kind: k.kind, id: res.body.id, tlp, scope, audience: AUDIENCE[scope] });
          }
        }
      }
      // Events arrive in log order: once everyone has the sentinel, everyone has everything before it.
      const sentinel = await api.call('POST', '/api/v1/alerts', world.token.owner, { title: 'sentinel', category: 'cyber', severity: 'info', tlp: 'clear', distribution: { scope: 'public' } });
      await Promise.all(Object.values(streams).map((s) => s.waitFor((e) => e.recordId === sentinel.body.id)));
    });

    afterAll(async () => {
      for (const s of Object.values(streams ?? {})) s.close();
      await api?.close();
      await t?.cleanup();
    });

    it('covers every label with every scope it allows, for every kind', () => {
      expect(records).toHaveLength(3 * TLP_LABELS.reduce((n, tlp) => n + scopesAllowedFor(tlp).length, 0));
    });

    for (const k of KINDS) {
      for (const viewer of MATRIX_ORGS) {
        const expected = () => records.filter((r) => r.kind === k.kind && r.audience.includes(viewer)).map((r) => r.id).sort();

        it(`${viewer}: get answers each ${k.kind} it may see and 404s the others`, async () => {
          for (const r of records.filter((x) => x.kind === k.kind)) {
            const res = await api.call('GET', `${k.path}/${r.id}`, world.token[viewer]);
            expect(res.status, `${r.tlp}/${r.scope}`).toBe(r.audience.includes(viewer) ? 200 : 404);
          }
        });

        it(`${viewer}: list, search, count and export show exactly the ${k.kind}s it may see`, async () => {
          const list = await api.call('GET', `${k.path}?limit=1000`, world.token[viewer]);
          const listed = list.body.items.map((i: { id: string }) => i.id).filter((id: string) => records.some((r) => r.id === id));
          expect(listed.sort()).toEqual(expected());

          const search = await api.call('GET', `${k.path}?limit=1000&q=ZEBRA`, world.token[viewer]);
          expect(search.body.items.map((i: { id: string }) => i.id).sort()).toEqual(expected());

          const count = await api.call('GET', `${k.path}/count?q=zebra`, world.token[viewer]);
          expect(count.body.count).toBe(expected().length);

          const exported = await api.call('GET', `${k.path}/export?q=zebra`, world.token[viewer]);
          expect(exported.status).toBe(200);
          const lines = exported.text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string });
          expect(lines.map((l) => l.id).sort()).toEqual(expected());
        });

        it(`${viewer}: the live stream delivers exactly the ${k.kind}s it may see`, () => {
          const received = streams[viewer].events.filter((e) => e.type === `${k.kind}.created` && records.some((r) => r.id === e.recordId));
          expect(received.map((e) => e.recordId).sort()).toEqual(expected());
        });
      }
    }

    it('answers an invisible id exactly like an id that does not exist', async () => {
      const hidden = records.find((r) => r.kind === 'alert' && r.scope === 'owner')!;
      const seen = await api.call('GET', `/api/v1/alerts/${hidden.id}`, world.token.community);
      const unknownId = hidden.id.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
      const none = await api.call('GET', `/api/v1/alerts/${unknownId}`, world.token.community);
      expect(seen.status).toBe(404);
      expect(none.status).toBe(404);
      expect(seen.body.detail.replace(hidden.id, 'ID')).toBe(none.body.detail.replace(unknownId, 'ID'));
      expect(seen.headers['content-type']).toContain('application/problem+json');
    });

    it('audits every export of AMBER or stricter data, and not exports of CLEAR and GREEN only', async () => {
      const before = await t.kernel.store.db.selectFrom('audit_log').select('seq').where('action', '=', 'alert.export').execute();
      await api.call('GET', '/api/v1/alerts/export?q=zebra', world.token.owner);
      await api.call('GET', '/api/v1/alerts/export?q=zebra', world.token.outsider);
      const after = await t.kernel.store.db.selectFrom('audit_log').select(['seq', 'org_id', 'details']).where('action', '=', 'alert.export').execute();
      const fresh = after.filter((a) => !before.some((b) => b.seq === a.seq));
      // The owner exported amber, amber+strict and red records; the outsider only clear and green ones.
      expect(fresh.map((a) => a.org_id)).toEqual([world.org.owner]);
      expect(JSON.parse(fresh[0]!.details).records).toMatchObject({ red: 2, 'amber+strict': 1, amber: 3 });
    });
  });
}
