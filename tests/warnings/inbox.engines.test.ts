import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertToXml, parseCap, type Alert } from '../../src/warnings/index.js';
import { type TestKernel, engines, openTestKernel } from '../helpers/kernel.js';
import { type WarningWorld, seedWarningWorld, startWarningsApi } from './api-world.js';
import { HAS_SHARED_CAP, SHARED_CAP } from './fixtures.js';

type Api = Awaited<ReturnType<typeof startWarningsApi>>;

const MONACO = readFileSync(new URL('./data/monaco-boil-water.cap', import.meta.url), 'utf8');
const base: Alert = parseCap(MONACO).alert;
const SECRET = 'VIGIL-INBOX-SECRET-91c2';

/** A message of the same sender: an Update or Cancel of `earlier`, or a new Alert. */
function next(identifier: string, msgType: Alert['msgType'], earlier: Alert[], change: Partial<Alert['info'][number]> = {}): string {
  const references = earlier.map((a) => `${a.sender},${a.identifier},${a.sent}`).join(' ');
  return alertToXml({ ...base, identifier, msgType, ...(references ? { references } : {}), info: base.info.map((i) => ({ ...i, ...change })) });
}

for (const engine of engines()) {
  describe(`the CAP inbox on ${engine}`, () => {
    let t: TestKernel;
    let api: Api;
    let world: WarningWorld;
    let trap: Server;
    let trapUrl = '';
    let trapRequests = 0;

    beforeAll(async () => {
      t = await openTestKernel(engine);
      api = await startWarningsApi(t.kernel);
      world = await seedWarningWorld(t.kernel);
      trap = createServer((_req, res) => {
        trapRequests++;
        res.end(`<!ENTITY leak "${SECRET}">`);
      });
      await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
      trapUrl = `http://127.0.0.1:${(trap.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise((resolve) => trap?.close(resolve));
      await api?.close();
      await t?.cleanup();
    });

    const post = (xml: string | Buffer, token = world.token.waterAnalyst, type = 'application/cap+xml') =>
      api.raw('POST', '/api/v1/cap/inbox', { headers: { authorization: `Bearer ${token}`, 'content-type': type }, body: xml });
    const alertCount = async () => Number((await t.kernel.store.db.selectFrom('alerts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const getAlert = async (id: string) => (await api.call('GET', `/api/v1/alerts/${id}`, world.token.waterAnalyst)).body;

    it('raises a valid message as a hazard alert of the receiving organisation, once', async () => {
      const res = await post(MONACO);
      expect(res.status, res.text).toBe(201);
      expect(res.body).toMatchObject({ identifier: base.identifier, sender: base.sender, version: '1.2', msgType: 'Alert', action: 'created' });
      const alert = await getAlert(res.body.alertIds[0]);
      expect(alert).toMatchObject({
        category: 'hazard',
        severity: 'medium',
        status: 'new',
        title: "[Exercise] Faites bouillir l'eau du robinet avant de la boire – La Condamine",
        source: `cap:${base.sender}`,
        ownerOrgId: world.org.water,
        tlp: 'amber',
        distribution: { scope: 'owner' },
      });
      // The polygon and the circle (as a 32-sided polygon around it) of the area, in GeoJSON order.
      expect(alert.location.type).toBe('MultiPolygon');
      expect(alert.location.coordinates[0][0][0]).toEqual([7.4177, 43.7347]);
      expect(alert.location.coordinates[1][0]).toHaveLength(33);
      expect(alert.evidence.cap).toMatchObject({ identifier: base.identifier, event: "Avis de faire bouillir l'eau", severity: 'Moderate' });
      expect(alert.evidence.xml).toBe(MONACO);
      // The same message again changes nothing.
      const count = await alertCount();
      const again = await post(MONACO);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ action: 'duplicate', alertIds: res.body.alertIds });
      expect(await alertCount()).toBe(count);
      // Another organisation receiving the same message gets its own alert; the water utility's stays its own.
      const police = await post(MONACO, world.token.policeAdmin);
      expect(police.status).toBe(201);
      expect(police.body.alertIds[0]).not.toBe(res.body.alertIds[0]);
      expect((await api.call('GET', `/api/v1/alerts/${res.body.alertIds[0]}`, world.token.policeAdmin)).status).toBe(404);
    });

    it('updates the alert on an Update and closes it on a Cancel of the messages it references', async () => {
      const first = await post(next('EXT-1', 'Alert', []));
      expect(first.status).toBe(201);
      const alertId = first.body.alertIds[0];
      const e1 = parseCap(next('EXT-1', 'Alert', [])).alert;
      const update = await post(next('EXT-2', 'Update', [e1], { severity: 'Severe', headline: 'Do not drink tap water – La Condamine' }));
      expect(update.status, update.text).toBe(200);
      expect(update.body).toMatchObject({ action: 'updated', alertIds: [alertId] });
      expect(await getAlert(alertId)).toMatchObject({ severity: 'high', title: '[Exercise] Do not drink tap water – La Condamine', status: 'new' });
      const e2 = parseCap(next('EXT-2', 'Update', [e1])).alert;
      // A Cancel that names only the Update still finds the alert.
      const cancel = await post(next('EXT-3', 'Cancel', [e2]));
      expect(cancel.body).toMatchObject({ action: 'closed', alertIds: [alertId] });
      expect((await getAlert(alertId)).status).toBe('dismissed');
      // An Update of a message never received is raised as new.
      const orphan = await post(next('EXT-9', 'Update', [{ ...e1, identifier: 'NEVER-SEEN' }]));
      expect(orphan.status).toBe(201);
      expect(orphan.body.action).toBe('created');
      // Test messages are recorded, not raised.
      const count = await alertCount();
      const test = await post(alertToXml({ ...base, identifier: 'EXT-TEST', status: 'Test' }));
      expect(test.body).toMatchObject({ action: 'ignored', alertIds: [] });
      expect(await alertCount()).toBe(count);
    });

    it.skipIf(!HAS_SHARED_CAP)('accepts the official valid examples and refuses the invalid one with every error (../shared/data/cap)', async () => {
      const created: Record<string, string> = {};
      for (const name of ['australia.cap', 'earthquake.cap', 'weather.cap']) {
        const res = await post(readFileSync(`${SHARED_CAP}testdata/${name}`));
        expect([name, res.status, res.body.action]).toEqual([name, 201, 'created']);
        created[name] = res.body.alertIds[0];
      }
      // no_optional_fields.cap carries the same sender and identifier as earthquake.cap: the same message.
      const same = await post(readFileSync(`${SHARED_CAP}testdata/no_optional_fields.cap`));
      expect([same.status, same.body.action, same.body.alertIds]).toEqual([200, 'duplicate', [created['earthquake.cap']]]);
      // canada.cap is an all-clear Update of a message this organisation never received: valid, nothing to close.
      const canada = await post(readFileSync(`${SHARED_CAP}testdata/canada.cap`));
      expect([canada.status, canada.body.action, canada.body.msgType]).toEqual([200, 'ignored', 'Update']);
      const count = await alertCount();
      const invalid = await post(readFileSync(`${SHARED_CAP}testdata/invalid.cap`));
      expect(invalid.status).toBe(422);
      expect(invalid.headers['content-type']).toMatch(/^application\/problem\+json/);
      const rules = invalid.body.problems.filter((p: any) => p.severity === 'error').map((p: any) => p.rule);
      expect(rules).toEqual(expect.arrayContaining(['schema', 'date-time']));
      expect(invalid.body.errors.length).toBe(rules.length);
      expect(invalid.body.errors.some((e: any) => /scope/.test(e.message))).toBe(true);
      expect(await alertCount()).toBe(count);
    });

    it.skipIf(!HAS_SHARED_CAP)('refuses xee.cap (external entities, XInclude) without resolving anything', async () => {
      const res = await post(readFileSync(`${SHARED_CAP}testdata/xee.cap`));
      expect(res.status).toBe(422);
      expect(res.body.problems.map((p: any) => p.rule)).toEqual(['unsafe-xml']);
    });

    it('refuses external entities and entity bombs before any parser resolves them', async () => {
      const count = await alertCount();
      const body = MONACO.replace('<?xml version="1.0" encoding="UTF-8"?>', '');
      const attacks = {
        'external entity': `<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY xxe SYSTEM "${trapUrl}/x"><!ENTITY file SYSTEM "file:///etc/hostname">]>${body.replace('La Condamine</areaDesc>', '&xxe;&file;</areaDesc>')}`,
        'parameter entity': `<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY % remote SYSTEM "${trapUrl}/p"> %remote;]>${body}`,
        'external DTD': `<?xml version="1.0"?><!DOCTYPE alert SYSTEM "${trapUrl}/dtd">${body}`,
        'billion laughs': `<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>${body.replace('La Condamine</areaDesc>', '&h;</areaDesc>')}`,
      };
      for (const [what, xml] of Object.entries(attacks)) {
        const started = performance.now();
        const res = await post(xml);
        expect([what, res.status, res.body.problems.map((p: any) => p.rule)]).toEqual([what, 422, ['unsafe-xml']]);
        expect(res.text).not.toContain(SECRET);
        expect(performance.now() - started).toBeLessThan(2000);
      }
      expect(trapRequests).toBe(0);
      expect(await alertCount()).toBe(count);
    });

    it('answers bad requests plainly: not XML, not CAP, too large, no right', async () => {
      const json = await api.call('POST', '/api/v1/cap/inbox', world.token.waterAnalyst, { identifier: 'x' });
      expect(json.status).toBe(415);
      const notCap = await post('<feed xmlns="http://www.w3.org/2005/Atom"/>');
      expect([notCap.status, notCap.body.problems[0].rule]).toEqual([422, 'not-cap']);
      const broken = await post('<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>');
      expect([broken.status, broken.body.problems[0].rule]).toEqual([422, 'xml-syntax']);
      const huge = await post(`${MONACO.slice(0, -9)}<!--${'x'.repeat(5 * 1024 * 1024)}--></alert>`);
      expect([huge.status, huge.body.detail]).toEqual([413, 'A CAP message is at most 5242880 bytes (5 MiB)']);
      // Other errors are the kernel's as everywhere.
      expect((await post(MONACO, 'not-a-token')).status).toBe(401);
      const viewer = await post(MONACO, world.token.certViewer);
      expect(viewer.status).toBe(403);
      const anonymous = await api.raw('POST', '/api/v1/cap/inbox', { headers: { 'content-type': 'application/cap+xml' }, body: MONACO });
      expect(anonymous.status).toBe(401);
      // A message a bit over the JSON limit (1 MiB) but under 5 MiB is read.
      const big = alertToXml({ ...base, identifier: 'EXT-BIG', info: base.info.map((i) => ({ ...i, description: 'd'.repeat(2 * 1024 * 1024) })) });
      expect((await post(big)).status).toBe(201);
    });
  });
}
