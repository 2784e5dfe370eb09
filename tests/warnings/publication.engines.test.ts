import { XmlDocument } from 'libxml2-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateCap } from '../../src/warnings/index.js';
import { type SseClient, listen, openStream } from '../helpers/http.js';
import { type TestKernel, engines, openTestKernel } from '../helpers/kernel.js';
import { CONDAMINE, type WarningWorld, seedWarningWorld, startWarningsApi } from './api-world.js';

type Api = Awaited<ReturnType<typeof startWarningsApi>>;

/**
 * A warning's life through the API and what it leaves behind: the chain of CAP messages with their
 * references, the public URLs serving exactly the published messages, the Atom feed listing exactly the
 * current warnings, and each step on the incident timeline, the audit log and the live stream.
 */
for (const engine of engines()) {
  describe(`publication on ${engine}`, () => {
    let t: TestKernel;
    let api: Api;
    let world: WarningWorld;
    let incidentId: string;
    let police: SseClient;
    let cert: SseClient;
    let water: SseClient;
    // The kernel's clock, moved forward by the tests instead of waiting for warnings to expire.
    let skew = 0;

    beforeAll(async () => {
      t = await openTestKernel(engine, {}, { clock: () => Date.now() + skew });
      api = await startWarningsApi(t.kernel);
      world = await seedWarningWorld(t.kernel);
      const base = await listen(api.app);
      police = openStream(base, world.token.policeAdmin);
      cert = openStream(base, world.token.certAdmin);
      water = openStream(base, world.token.waterAdmin);
      await Promise.all([police.opened, cert.opened, water.opened]);
      const asset = (name: string, coordinates: number[]) =>
        api.call('POST', '/api/v1/assets', world.token.waterAnalyst, { name, type: 'tank', criticality: 4, geometry: { type: 'Point', coordinates } });
      const assets = [await asset('Tank A', CONDAMINE.junctions[0]!), await asset('Tank B', CONDAMINE.junctions[2]!)];
      const incident = await api.call('POST', '/api/v1/incidents', world.token.waterAnalyst, {
        title: 'Chlorine dosing PLC tampered with',
        severity: 'high',
        type: 'water-contamination',
        location: { type: 'Point', coordinates: CONDAMINE.junctions[1] },
        assetIds: assets.map((a) => a.body.id),
      });
      expect(incident.status).toBe(201);
      incidentId = incident.body.id;
    });
    afterAll(async () => {
      police?.close();
      cert?.close();
      water?.close();
      await api?.close();
      await t?.cleanup();
    });

    const path = (url: string) => new URL(url).pathname;

    async function publish(id: string, author = world.token.waterAnalyst, approver = world.token.certAdmin) {
      const sub = await api.call('POST', `/api/v1/warnings/${id}/submit`, author, {});
      expect(sub.status, JSON.stringify(sub.body)).toBe(200);
      const ok = await api.call('POST', `/api/v1/warnings/${id}/approve`, approver, {});
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      return ok.body;
    }

    async function feedEntries(): Promise<{ ids: string[]; xml: string }> {
      const feed = await api.raw('GET', '/public/cap/feed.atom');
      expect(feed.status).toBe(200);
      const doc = XmlDocument.fromString(feed.text);
      try {
        const ids = doc.find('/a:feed/a:entry/a:id', { a: 'http://www.w3.org/2005/Atom' }).map((n) => n.content.split('warning:').pop()!);
        return { ids: ids.sort(), xml: feed.text };
      } finally {
        doc.dispose();
      }
    }

    let chainId = '';
    let scratchId = '';

    it('drafts from an incident: the template of its type, the area around it and its assets', async () => {
      const draft = await api.call('POST', '/api/v1/warnings', world.token.waterAnalyst, { incidentId, values: CONDAMINE.values });
      expect(draft.status, JSON.stringify(draft.body)).toBe(201);
      chainId = draft.body.id;
      expect(draft.body).toMatchObject({ phase: 'draft', template: 'boil-water', incidentId, tlp: 'amber', distribution: { scope: 'orgs', orgIds: [world.org.cert] } });
      const info = draft.body.proposal.content.info;
      expect(info.map((i: any) => i.language)).toEqual(['fr', 'en', 'it']);
      expect(info[1].event).toBe('Boil water notice');
      // Three places (the incident and two tanks): a hull around them, 500 m out.
      expect(info[0].area[0].polygon).toHaveLength(1);
      expect(info[0].area[0].areaDesc).toBe('La Condamine');
      expect(info[1].area[0].areaDesc).toBe('La Condamine district');
      // The police neither see the draft nor hear of it.
      expect((await api.call('GET', `/api/v1/warnings/${chainId}`, world.token.policeAdmin)).status).toBe(404);
      await cert.waitFor((e) => e.type === 'warning.drafted' && e.recordId === chainId);
    });

    it('publishes the Alert, then an Update and a Cancel, each referencing every earlier message', async () => {
      const first = await publish(chainId);
      const [m1] = first.messages;
      expect(m1).toMatchObject({ identifier: `MC.${chainId}.1`, msgType: 'Alert', references: null, sender: 'protection@vigil.example.mc' });
      expect(m1.sent).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00$/);

      const update = await api.call('POST', `/api/v1/warnings/${chainId}/update`, world.token.waterAnalyst, {
        areas: [{ kind: 'hull', points: CONDAMINE.junctions, bufferMeters: 250, source: 'water simulation run 7' }],
      });
      expect(update.status, JSON.stringify(update.body)).toBe(201);
      expect(update.body.proposal).toMatchObject({ kind: 'update', state: 'draft' });
      // A pending Update of a public warning is shown only to the owner and the approvers.
      expect((await api.call('GET', `/api/v1/warnings/${chainId}`, world.token.policeAdmin)).body.proposal).toBeNull();
      const second = await publish(chainId);
      const m2 = second.messages[1];
      expect(m2).toMatchObject({ identifier: `MC.${chainId}.2`, msgType: 'Update', kind: 'update', references: `${m1.sender},${m1.identifier},${m1.sent}` });
      expect(second.phase).toBe('updated');

      const cancel = await api.call('POST', `/api/v1/warnings/${chainId}/cancel`, world.token.waterAnalyst, { reason: 'the analyses are clean' });
      expect(cancel.status, JSON.stringify(cancel.body)).toBe(201);
      const third = await publish(chainId);
      const m3 = third.messages[2];
      expect(m3).toMatchObject({ identifier: `MC.${chainId}.3`, msgType: 'Cancel', references: `${m1.sender},${m1.identifier},${m1.sent} ${m2.sender},${m2.identifier},${m2.sent}` });
      expect(third).toMatchObject({ phase: 'cancelled', live: false });

      for (const m of third.messages) {
        const res = await api.raw('GET', path(m.url));
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe('application/cap+xml; charset=utf-8');
        expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
        const stored = await t.kernel.store.db.selectFrom('cap_messages').select(['xml', 'sha256']).where('identifier', '=', m.identifier).executeTakeFirstOrThrow();
        expect(res.text).toBe(stored.xml);
        expect(res.headers.etag).toBe(`"${stored.sha256}"`);
        const checked = validateCap(res.text);
        expect(checked.valid, JSON.stringify(checked.problems)).toBe(true);
        expect(checked.alert).toMatchObject({ identifier: m.identifier, msgType: m.msgType, ...(m.references ? { references: m.references } : {}) });
        // Cached copies are confirmed without the body.
        expect((await api.raw('GET', path(m.url), { headers: { 'if-none-match': res.headers.etag as string } })).status).toBe(304);
      }
      // Nothing more can be proposed for an ended warning.
      const after = await api.call('POST', `/api/v1/warnings/${chainId}/update`, world.token.waterAnalyst, {});
      expect(after.status).toBe(409);
    });

    it('drafts from scratch, and refuses what would not be valid CAP or says nowhere', async () => {
      const info = {
        language: 'en',
        category: ['Safety'],
        event: 'Gas leak',
        urgency: 'Immediate',
        severity: 'Severe',
        certainty: 'Observed',
        responseType: ['Avoid'],
        headline: 'Gas leak on Boulevard Albert 1er: keep away',
        instruction: 'Keep 200 m away; do not use lighters or switches.',
        expires: '2099-01-01T00:00:00+01:00',
        area: [{ areaDesc: 'Boulevard Albert 1er', polygon: ['43.73,7.42 43.73,7.43 43.74,7.43 43.73,7.42'] }],
      };
      const nowhere = await api.call('POST', '/api/v1/warnings', world.token.waterAnalyst, { content: { info: [{ ...info, area: [] }] } });
      expect([nowhere.status, nowhere.body.reasons[0].code]).toEqual([422, 'invalid-content']);
      const open = await api.call('POST', '/api/v1/warnings', world.token.waterAnalyst, { content: { info: [{ ...info, area: [{ areaDesc: 'x', polygon: ['43.73,7.42 43.73,7.43 43.74,7.43'] }] }] } });
      expect(open.status).toBe(201);
      const refused = await api.call('POST', `/api/v1/warnings/${open.body.id}/submit`, world.token.waterAnalyst, {});
      expect(refused.status).toBe(422);
      expect(refused.body.reasons.map((r: any) => r.code)).toEqual(['invalid-message']);
      expect(refused.body.detail).toMatch(/polygon/);
      // Corrected by editing only its area, it goes through.
      const edited = await api.call('PUT', `/api/v1/warnings/${open.body.id}/proposal`, world.token.waterAnalyst, { areas: [{ kind: 'circle', areaDesc: 'Boulevard Albert 1er', center: [7.425, 43.735], radiusMeters: 200 }] });
      expect(edited.body.proposal.content.info[0].area).toEqual([{ areaDesc: 'Boulevard Albert 1er', polygon: [], circle: ['43.735,7.425 0.2'], geocode: [] }]);
      const done = await publish(open.body.id);
      scratchId = open.body.id;
      const xml = (await api.raw('GET', path(done.messages[0].url))).text;
      expect(xml).toContain('<circle>43.735,7.425 0.2</circle>');
      expect(xml).toContain('<headline>Gas leak on Boulevard Albert 1er: keep away</headline>');
    });

    it('ends a warning with an all-clear', async () => {
      const draft = await api.call('POST', '/api/v1/warnings', world.token.waterAnalyst, { template: 'do-not-drink', values: CONDAMINE.values, areas: [{ kind: 'circle', center: CONDAMINE.junctions[0], radiusMeters: 400 }] });
      await publish(draft.body.id);
      const clear = await api.call('POST', `/api/v1/warnings/${draft.body.id}/all-clear`, world.token.waterAnalyst, {});
      expect(clear.status, JSON.stringify(clear.body)).toBe(201);
      expect(clear.body.proposal.content.info.every((i: any) => i.responseType.includes('AllClear'))).toBe(true);
      const done = await publish(draft.body.id);
      expect(done).toMatchObject({ phase: 'all-clear', live: false });
      expect(done.messages[1]).toMatchObject({ msgType: 'Update', kind: 'all-clear', references: `${done.messages[0].sender},${done.messages[0].identifier},${done.messages[0].sent}` });
    });

    it('lists exactly the current warnings in the Atom feed, and serves no draft', async () => {
      const live = await api.call('POST', '/api/v1/warnings', world.token.waterAnalyst, { template: 'avoid-area', values: { ...CONDAMINE.values, reason: 'gas leak' }, areas: [{ kind: 'circle', center: [7.42, 43.73], radiusMeters: 200 }] });
      await publish(live.body.id);
      const updated = await api.call('POST', '/api/v1/warnings', world.token.waterAnalyst, { template: 'evacuate', values: { ...CONDAMINE.values, reason: 'fire', assemblyPoint: 'Stade Louis-II' }, areas: [{ kind: 'polygon', geometry: { type: 'Polygon', coordinates: [[[7.41, 43.73], [7.42, 43.73], [7.42, 43.74], [7.41, 43.73]]] } }] });
      await publish(updated.body.id);
      await api.call('POST', `/api/v1/warnings/${updated.body.id}/update`, world.token.waterAnalyst, {});
      const updatedBody = await publish(updated.body.id);
      const exercise = await api.call('POST', '/api/v1/warnings', world.token.waterAnalyst, { template: 'avoid-area', status: 'Exercise', values: { ...CONDAMINE.values, reason: 'drill' }, areas: [{ kind: 'circle', center: [7.42, 43.73], radiusMeters: 200 }] });
      await publish(exercise.body.id);
      const test = await api.call('POST', '/api/v1/warnings', world.token.waterAnalyst, { template: 'avoid-area', status: 'Test', values: { ...CONDAMINE.values, reason: 'test' }, areas: [{ kind: 'circle', center: [7.42, 43.73], radiusMeters: 200 }] });
      await publish(test.body.id);
      const expired = await api.call('POST', '/api/v1/warnings', world.token.waterAnalyst, {
        template: 'avoid-area',
        values: { ...CONDAMINE.values, reason: 'past' },
        areas: [{ kind: 'circle', center: [7.42, 43.73], radiusMeters: 200 }],
        effective: new Date(t.kernel.clock() - 3 * 3600_000).toISOString(),
        expires: new Date(t.kernel.clock() + 5 * 60_000).toISOString(),
      });
      await publish(expired.body.id);
      const pendingDraft = await api.call('POST', '/api/v1/warnings', world.token.waterAnalyst, { template: 'avoid-area', values: { ...CONDAMINE.values, reason: 'draft' }, areas: [{ kind: 'circle', center: [7.42, 43.73], radiusMeters: 200 }] });
      await api.call('POST', `/api/v1/warnings/${pendingDraft.body.id}/submit`, world.token.waterAnalyst, {});

      // The expiring warning is in the feed, then leaves it when it expires.
      const withExpiring = await feedEntries();
      expect(withExpiring.ids).toContain(expired.body.id);
      skew += 10 * 60_000;

      const feed = await api.raw('GET', '/public/cap/feed.atom');
      expect(feed.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
      expect(feed.headers['cache-control']).toBe('public, max-age=60');
      expect(feed.headers['access-control-allow-origin']).toBe('*');
      const { ids, xml } = await feedEntries();
      // The cancelled and cleared warnings of the tests above, the Test message, the expired one and the draft are absent.
      const published = (await api.call('GET', '/api/v1/warnings?limit=100', world.token.certAdmin)).body.items;
      const expected = published.filter((w: any) => w.live && !['Test'].includes(w.messages.at(-1).status) && w.id !== expired.body.id).map((w: any) => w.id).sort();
      expect(ids).toEqual(expected);
      expect(ids).toEqual([live.body.id, updated.body.id, exercise.body.id, scratchId].sort());
      // The updated warning links its latest message and, as related, the earlier one.
      expect(xml).toContain(`href="https://vigil.example.mc/public/cap/${updatedBody.messages[1].identifier}.xml"`);
      expect(xml).toMatch(new RegExp(`rel="related" type="application/cap\\+xml" href="https://vigil.example.mc/public/cap/${updatedBody.messages[0].identifier}\\.xml"`));
      expect(xml).not.toContain(pendingDraft.body.id);
      // Unchanged feed: same bytes, same ETag, and a conditional request is answered 304.
      const again = await api.raw('GET', '/public/cap/feed.atom', { headers: { 'if-none-match': feed.headers.etag as string } });
      expect(again.status).toBe(304);
      // No draft, no pending message, no guess is served.
      const preview = await api.call('GET', `/api/v1/warnings/${pendingDraft.body.id}/preview`, world.token.certAdmin);
      expect(preview.body.valid).toBe(true);
      for (const guess of [preview.body.identifier, `MC.${pendingDraft.body.id}.1`, 'feed', '../../etc/passwd']) {
        const res = await api.raw('GET', `/public/cap/${encodeURIComponent(guess)}.xml`);
        expect([guess, res.status]).toEqual([guess, 404]);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
      expect((await api.raw('GET', `/public/cap/${expired.body.id}`)).status).toBe(404);
      // Public: no token needed, and the API stays closed without one.
      expect((await api.raw('GET', '/api/v1/warnings')).status).toBe(401);
    });

    it('writes every step on the incident timeline, the audit log and the live stream', async () => {
      const timeline = await api.call('GET', `/api/v1/incidents/${incidentId}/timeline`, world.token.waterAnalyst);
      const steps = timeline.body.items.filter((e: any) => e.kind === 'warning').map((e: any) => `${e.data.step}:${e.data.kind}`);
      expect(steps).toEqual([
        'warning.drafted:alert',
        'warning.submitted:alert',
        'warning.published:alert',
        'warning.drafted:update',
        'warning.submitted:update',
        'warning.published:update',
        'warning.drafted:cancel',
        'warning.submitted:cancel',
        'warning.published:cancel',
      ]);
      const published = timeline.body.items.filter((e: any) => e.data.step === 'warning.published');
      expect(published.map((e: any) => e.data.message.identifier)).toEqual([1, 2, 3].map((n) => `MC.${chainId}.${n}`));
      expect(published.every((e: any) => e.authorOrgId === world.org.cert)).toBe(true);

      const audit = await t.kernel.store.db.selectFrom('audit_log').select(['action', 'org_id', 'actor_user_id', 'details']).where('target_id', '=', chainId).orderBy('seq').execute();
      expect(audit.map((a) => a.action)).toEqual(steps.map((s: string) => s.split(':')[0]));
      const firstPublication = audit.find((a) => a.action === 'warning.published')!;
      expect(firstPublication).toMatchObject({ org_id: world.org.cert, actor_user_id: world.user.certAdmin });
      expect(JSON.parse(firstPublication.details)).toMatchObject({ message: { identifier: `MC.${chainId}.1`, msgType: 'Alert' }, authors: [world.user.waterAnalyst] });

      // The police heard of the publications (public), never of the drafts or submissions.
      await police.waitFor((e) => e.type === 'warning.published' && e.recordId === chainId && e.data.message.msgType === 'Cancel');
      const policeHeard = police.events.filter((e) => e.recordId === chainId).map((e) => e.type);
      expect(policeHeard).toEqual(['warning.published', 'warning.published', 'warning.published']);
      const certHeard = cert.events.filter((e) => e.recordId === chainId).map((e) => e.type);
      expect(certHeard).toEqual(steps.map((s: string) => s.split(':')[0]));
      // The incident's audience hears of its timeline; the CERT, which does not see the incident, does not.
      await water.waitFor((e) => e.type === 'incident.timeline' && e.data.data.step === 'warning.published' && e.data.data.kind === 'cancel');
      expect(water.events.filter((e) => e.type === 'incident.timeline' && e.recordId === incidentId)).toHaveLength(steps.length);
      expect(cert.events.some((e) => e.type === 'incident.timeline')).toBe(false);
    });
  });
}
