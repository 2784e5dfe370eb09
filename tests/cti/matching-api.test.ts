import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tlpMarkingId } from '../../src/cti/index.js';
import { MATCH_CAP } from '../../src/cti/matching/live.js';
import { type Api } from '../helpers/http.js';
import { openTestKernel, type TestKernel } from '../helpers/kernel.js';
import { seedWorld, type World } from '../helpers/world.js';
import { importBundle, raw, startCtiApi } from './api.js';

/**
 * Indicator matching on constructed events, through the API: security events and alert evidence against the
 * indicators each organisation may see; alerts, sightings and counts; repeats, the cap, revocation, patterns of
 * several observations (per organisation), and new indicators against the recent past.
 */
type Json = Record<string, any>;
let n = 0;
const indicator = (pattern: string, tlp: 'green' | 'red' | 'clear' = 'green', extra: Json = {}) => ({
  type: 'indicator', spec_version: '2.1', id: `indicator--ab000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`, created: '2026-06-01T00:00:00.000Z',
  modified: '2026-06-01T00:00:00.000Z', name: `ioc ${n}`, pattern, pattern_type: 'stix', valid_from: '2026-06-01T00:00:00Z', object_marking_refs: [tlpMarkingId(tlp)], ...extra,
});
const bundle = (objects: unknown[]) => ({ type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects });

describe('indicator matching through the API', () => {
  let t: TestKernel;
  let api: Api;
  let world: World;
  const ip = indicator("[ipv4-addr:value = '203.0.113.45']");
  const domain = indicator("[domain-name:value = 'evil.example']");
  const cmd = indicator("[process:command_line LIKE '%Invoke-Mimikatz%']");
  const chain = indicator("[ipv4-addr:value = '198.51.100.9'] FOLLOWEDBY [domain-name:value = 'c2.example'] WITHIN 300 SECONDS");
  const noisy = indicator("[ipv4-addr:value = '192.0.2.200']");
  const secret = indicator("[ipv4-addr:value = '192.0.2.66']", 'red');

  const post = async (token: string, body: unknown, contentType?: string) => {
    const res = contentType
      ? await raw(api, 'POST', '/api/v1/security-events', { token, body: String(body), contentType })
      : await api.call('POST', '/api/v1/security-events', token, body);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return res.body as Json;
  };
  const alert = async (id: string, token: string) => api.call('GET', `/api/v1/alerts/${id}`, token);
  const ctiAlerts = async (token: string) =>
    ((await api.call('GET', '/api/v1/alerts?category=cyber&limit=200', token)).body.items as Json[]).filter((a) => a.source === 'cti:indicator-match');

  beforeAll(async () => {
    t = await openTestKernel('sqlite');
    api = await startCtiApi(t.kernel);
    world = await seedWorld(t.kernel);
    expect((await importBundle(api, world.token.owner, bundle([ip, domain, cmd, chain, noisy]), 'scope=community')).body.stored).toBe(5);
    expect((await importBundle(api, world.token.owner, bundle([secret]), 'scope=owner')).body.stored).toBe(1);
  });
  afterAll(async () => {
    await api?.close();
    await t?.cleanup();
  });

  it('a matching security event raises a cyber alert and a sighting for the organisation that sent it', async () => {
    const res = await post(world.token.community, { '@timestamp': '2026-11-20T10:00:00Z', source: { ip: '203.0.113.45' }, 'event.action': 'login' });
    expect(res).toMatchObject({ received: 1, stored: 1, matched: 1 });
    const a = await alert(res.alertIds[0], world.token.community);
    expect(a.body).toMatchObject({
      category: 'cyber', source: 'cti:indicator-match', severity: 'high', ownerOrgId: world.org.community, tlp: 'amber', distribution: { scope: 'owner' },
      time: '2026-11-20T10:00:00.000Z',
      evidence: { indicator: { id: ip.id, pattern: ip.pattern }, matched: [{ field: 'source.ip', value: '203.0.113.45', stixType: 'ipv4-addr' }], origin: { kind: 'security-event' } },
    });
    expect((await alert(res.alertIds[0], world.token.owner)).status).toBe(404);
    const indicators = (await api.call('GET', '/api/v1/cti/indicators?limit=100', world.token.community)).body.items as Json[];
    expect(indicators.find((i) => i.stixId === ip.id)!.sightings).toMatchObject({ count: 1, alertId: res.alertIds[0] });
    const sightings = (await api.call('GET', '/api/v1/stix/objects?type=sighting', world.token.community)).body.items as Json[];
    expect(sightings).toHaveLength(1);
    expect(sightings[0]!.object).toMatchObject({ sighting_of_ref: ip.id, count: 1, first_seen: '2026-11-20T10:00:00.000Z' });
    expect((await api.call('GET', '/api/v1/stix/objects?type=sighting', world.token.owner)).body.items).toHaveLength(0);
  });

  it('a repeat folds into the open alert and makes a new version of the sighting', async () => {
    const res = await post(world.token.community, { 'source.ip': '203.0.113.45', '@timestamp': '2026-11-20T10:05:00Z' });
    const a = await alert(res.alertIds[0], world.token.community);
    expect(a.body.count).toBe(2);
    const versions = (await api.call('GET', `/api/v1/stix/objects/${(await api.call('GET', '/api/v1/cti/sightings', world.token.community)).body.items[0].sightingId}`, world.token.community)).body.items as Json[];
    expect(versions.map((v) => v.object.count).sort()).toEqual([1, 2]);
  });

  it('matches only against indicators the organisation may see', async () => {
    expect((await post(world.token.community, { dst_ip: '192.0.2.66' })).matched).toBe(0);
    expect((await post(world.token.owner, { dst_ip: '192.0.2.66' })).matched).toBe(1);
  });

  it('takes NDJSON batches and reports the lines it cannot read', async () => {
    const body = [JSON.stringify({ 'dns.question.name': 'evil.example' }), 'not json', JSON.stringify({ CommandLine: 'powershell -c Invoke-Mimikatz -DumpCreds' }), ''].join('\n');
    const res = await post(world.token.member, body, 'application/x-ndjson');
    expect(res).toMatchObject({ received: 2, stored: 2, matched: 2, rejected: [{ index: 1, reason: expect.stringMatching(/not JSON/) }] });
  });

  it("matches alert evidence when an alert is raised", async () => {
    const raised = await api.call('POST', '/api/v1/alerts', world.token.listed, { category: 'cyber', severity: 'low', title: 'proxy log', evidence: { url: { domain: 'evil.example' } } });
    expect(raised.status).toBe(201);
    await api.app.cti.idle();
    const found = (await ctiAlerts(world.token.listed)).find((a) => a.evidence.origin.id === raised.body.id);
    expect(found).toMatchObject({ evidence: { origin: { kind: 'alert' }, indicator: { id: domain.id } } });
  });

  it('completes a pattern of several observations from one organisation’s events only', async () => {
    await post(world.token.member, { 'source.ip': '198.51.100.9', '@timestamp': '2026-11-20T11:00:00Z' });
    expect((await post(world.token.outsider, { 'dns.question.name': 'c2.example', '@timestamp': '2026-11-20T11:01:00Z' })).matched).toBe(0);
    const done = await post(world.token.member, { 'dns.question.name': 'c2.example', '@timestamp': '2026-11-20T11:02:00Z' });
    expect(done.matched).toBe(1);
    expect((await alert(done.alertIds[0], world.token.member)).body.evidence.indicator.id).toBe(chain.id);
  });

  it('caps a value that matches too often: counted, no longer raised', async () => {
    const lines = Array.from({ length: MATCH_CAP.maxPerValue + 5 }, (_, i) => JSON.stringify({ 'source.ip': '192.0.2.200', '@timestamp': new Date(Date.UTC(2026, 10, 20, 12, 0, i)).toISOString() })).join('\n');
    const res = await post(world.token.community, lines, 'application/x-ndjson');
    expect(res.capped).toBe(5);
    const a = await alert(res.alertIds[0], world.token.community);
    expect(a.body.count).toBe(MATCH_CAP.maxPerValue);
    const indicators = (await api.call('GET', '/api/v1/cti/indicators?limit=100', world.token.community)).body.items as Json[];
    expect(indicators.find((i) => i.stixId === noisy.id)!.sightings.count).toBe(MATCH_CAP.maxPerValue + 5);
  });

  it('matches a new indicator against the recent past (stored events), and forgets a revoked one', async () => {
    await post(world.token.community, { 'file.hash.sha256': 'a'.repeat(64), '@timestamp': '2026-11-20T09:00:00Z' });
    const late = indicator(`[file:hashes.'SHA-256' = '${'a'.repeat(64)}']`);
    expect((await importBundle(api, world.token.owner, bundle([late]), 'scope=community')).body.stored).toBe(1);
    await api.app.cti.idle();
    const found = (await ctiAlerts(world.token.community)).find((a) => a.evidence.indicator.id === late.id);
    expect(found).toMatchObject({ evidence: { origin: { kind: 'retro' } }, time: '2026-11-20T09:00:00.000Z' });
    await importBundle(api, world.token.owner, bundle([{ ...late, modified: '2026-06-02T00:00:00.000Z', revoked: true }]), 'scope=community');
    expect((await post(world.token.community, { 'file.hash.sha256': 'a'.repeat(64) })).matched).toBe(0);
  });
});
