import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stixIdFromUuid } from '../../src/cti/index.js';
import { type Api } from '../helpers/http.js';
import { openTestKernel, type TestKernel } from '../helpers/kernel.js';
import { seedWorld, type World } from '../helpers/world.js';
import { startCtiApi } from './api.js';
import { fixture } from './helpers.js';

/** MISP events through the API: in with their distributions mapped onto the policy, and back out the same. */
type Json = Record<string, any>;
const original = JSON.parse(readFileSync(fixture('misp-event.json'), 'utf8')) as { Event: Json };

/** The fixture as GREEN, shared with this community, one attribute kept to the organisation, one to a sharing group. */
function greenEvent(): { Event: Json } {
  const e = structuredClone(original);
  e.Event.Tag = e.Event.Tag.map((t: Json) => (t.name === 'tlp:amber' ? { ...t, name: 'tlp:green' } : t));
  e.Event.Attribute[1] = { ...e.Event.Attribute[1], distribution: '4', sharing_group_id: '7' };
  return e;
}

describe('MISP through the API', () => {
  let t: TestKernel;
  let api: Api;
  let world: World;
  const e = greenEvent().Event;
  const rowOf = async (uuid: string, token = world.token.owner) =>
    (await api.call('GET', `/api/v1/stix/objects/${stixIdFromUuid('indicator', uuid)}`, token)).body.items?.[0];

  beforeAll(async () => {
    t = await openTestKernel('sqlite');
    api = await startCtiApi(t.kernel);
    world = await seedWorld(t.kernel);
  });
  afterAll(async () => {
    await api?.close();
    await t?.cleanup();
  });

  it('imports an event: attributes, objects, tags and galaxies; distribution levels mapped onto the policy', async () => {
    const res = await api.call('POST', `/api/v1/misp/events?sharingGroups=7=${world.groupG}`, world.token.owner, greenEvent());
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.eventUuid).toBe(e.uuid);
    expect(res.body.import).toMatchObject({ status: 'complete', invalid: 0 });
    expect(res.body.skipped.map((s: Json) => s.uuid)).toContain(e.Attribute[7].uuid); // a text attribute has no STIX form
    // distribution "5" (inherit) → the event's "1" → community; "0" → owner; "4" with sharing group 7 → group G.
    expect(await rowOf(e.Attribute[0].uuid)).toMatchObject({ tlp: 'green', distribution: { scope: 'community' } });
    expect(await rowOf(e.Attribute[4].uuid)).toMatchObject({ distribution: { scope: 'owner' } });
    expect(await rowOf(e.Attribute[1].uuid)).toMatchObject({ distribution: { scope: 'group', groupId: world.groupG } });
    expect(await rowOf(e.Attribute[0].uuid, world.token.community)).toBeTruthy();
    expect(await rowOf(e.Attribute[4].uuid, world.token.community)).toBeUndefined();
    expect(await rowOf(e.Attribute[1].uuid, world.token.member)).toBeTruthy();
    expect(await rowOf(e.Attribute[1].uuid, world.token.community)).toBeUndefined();
    const report = (await api.call('GET', `/api/v1/stix/objects/${stixIdFromUuid('report', e.uuid)}`, world.token.owner)).body.items[0];
    expect(report.object.labels).toContain('misp-galaxy:threat-actor="Sandworm"');
  });

  it('exports it back: same event, attributes with their uuids, types and values, the object, the tags', async () => {
    const res = await api.call('GET', `/api/v1/misp/events/${e.uuid}`, world.token.owner);
    expect(res.status).toBe(200);
    const back = res.body.Event as Json;
    expect(back).toMatchObject({ uuid: e.uuid, info: e.info, distribution: '1', threat_level_id: e.threat_level_id, analysis: e.analysis, date: e.date });
    const ids = e.Attribute.filter((a: Json) => a.to_ids);
    const key = (a: Json) => `${a.uuid}|${a.type}|${a.value}`;
    expect(back.Attribute.map(key).sort()).toEqual(ids.map(key).sort());
    expect(back.Attribute.find((a: Json) => a.uuid === e.Attribute[4].uuid).distribution).toBe('0');
    expect(back.Object.map((o: Json) => o.uuid)).toEqual(e.Object.map((o: Json) => o.uuid));
    expect(back.Object[0].Attribute.map((a: Json) => a.uuid).sort()).toEqual(e.Object[0].Attribute.filter((a: Json) => a.to_ids).map((a: Json) => a.uuid).sort());
    expect(back.Tag.map((t: Json) => t.name)).toEqual(expect.arrayContaining(['tlp:green', 'misp-galaxy:threat-actor="Sandworm"']));
  });

  it('an AMBER event shared with the community stays with the owner (AMBER is need-to-know), and exports as "your organisation only"', async () => {
    const amber = structuredClone(original);
    amber.Event.uuid = '1e2d3c4b-5a69-4788-9766-554433221100';
    amber.Event.Attribute = amber.Event.Attribute.map((a: Json, i: number) => ({ ...a, uuid: `1e2d3c4b-5a69-4788-9766-5544332211${String(i).padStart(2, '0')}` }));
    amber.Event.Object = [];
    const res = await api.call('POST', '/api/v1/misp/events', world.token.owner, amber);
    expect(res.status).toBe(200);
    expect(res.body.import.narrowed).toBeGreaterThan(0);
    expect(await rowOf(amber.Event.Attribute[0].uuid)).toMatchObject({ tlp: 'amber', distribution: { scope: 'owner' } });
    expect((await api.call('GET', `/api/v1/misp/events/${amber.Event.uuid}`, world.token.owner)).body.Event.distribution).toBe('0');
    expect((await api.call('GET', `/api/v1/misp/events/${amber.Event.uuid}`, world.token.community)).status).toBe(404);
  });

  it('refuses what is not a MISP event, with the problems', async () => {
    const res = await api.call('POST', '/api/v1/misp/events', world.token.owner, { Event: { uuid: 'nope', info: '' } });
    expect(res.status).toBe(422);
    expect(res.body.problems.map((p: Json) => p.path)).toEqual(expect.arrayContaining(['$.Event.uuid', '$.Event.info']));
    expect((await api.call('POST', `/api/v1/misp/events?sharingGroups=7=${world.groupH}`, world.token.owner, greenEvent())).status).toBe(422);
  });
});
