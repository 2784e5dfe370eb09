import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../helpers/kernel.js';
import { listen, openStream, type SseClient } from '../helpers/http.js';
import type { MatrixOrg } from '../helpers/world.js';
import { PLACES, type RoutingWorld, middleOf, startRoutingWorld } from './helpers.js';

/**
 * Units and closures under the sharing policy, on every engine: who sees a unit and its live position, who may
 * dispatch it, who learns where it was sent, and whose routes honour a closure.
 */
const q = (p: [number, number]) => p.join(',');
const toCasino = `/api/v1/routes?from=${q(PLACES.fireStation)}&to=${q(PLACES.casino)}&profile=emergency`;

describe.each(engines())('units and closures under the sharing policy (%s)', (engine) => {
  let r: RoutingWorld;
  let streams: Partial<Record<MatrixOrg, SseClient>> = {};
  const unit: Record<'group' | 'community' | 'own', string> = { group: '', community: '', own: '' };
  const call = (org: MatrixOrg, method: string, url: string, body?: unknown) => r.api.call(method, url, r.world.token[org], body);
  const seen = async (org: MatrixOrg) => ((await call(org, 'GET', '/api/v1/units')).body.items as Array<{ id: string }>).map((u) => u.id).sort();

  beforeAll(async () => {
    r = await startRoutingWorld(engine);
    const { org, groupG } = r.world;
    const create = async (name: string, at: [number, number], sharing: object) => {
      const res = await call('owner', 'POST', '/api/v1/units', { name, type: 'fire-engine', position: { lon: at[0], lat: at[1] }, ...sharing });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    unit.group = await create('Group engine', PLACES.fireStation, { tlp: 'amber', distribution: { scope: 'group', groupId: groupG } });
    unit.community = await create('Community engine', PLACES.policeHq, { tlp: 'green', distribution: { scope: 'community' }, dispatcherOrgIds: [org.listed] });
    unit.own = await create('Own engine', PLACES.hospital, { tlp: 'amber', distribution: { scope: 'owner' } });
    const base = await listen(r.api.app);
    streams = { owner: openStream(base, r.world.token.owner), member: openStream(base, r.world.token.member), community: openStream(base, r.world.token.community) };
    await Promise.all(Object.values(streams).map((s) => s!.opened));
  });
  afterAll(async () => {
    for (const s of Object.values(streams)) s?.close();
    await r?.close();
  });

  it('shows each organisation the units it may see, and nothing of the others', async () => {
    expect(await seen('owner')).toEqual([unit.group, unit.community, unit.own].sort());
    expect(await seen('member')).toEqual([unit.group, unit.community].sort());
    for (const org of ['listed', 'community', 'outsider'] as const) expect(await seen(org)).toEqual([unit.community]);
    expect((await call('community', 'GET', `/api/v1/units/${unit.own}`)).status).toBe(404);
    expect((await call('community', 'GET', '/api/v1/units/count')).body.count).toBe(1);
  });

  it('sends a live position only to the organisations that see the unit', async () => {
    expect((await call('owner', 'POST', `/api/v1/units/${unit.group}/position`, { lon: 7.4139, lat: 43.7297 })).body.accepted).toBe(true);
    expect((await call('owner', 'POST', `/api/v1/units/${unit.community}/position`, { lon: 7.4215, lat: 43.7346 })).body.accepted).toBe(true);
    await streams.member!.waitFor((e) => e.type === 'unit.position' && e.recordId === unit.group);
    // The community stream gets the later, community-visible position; by then it would have had the group one.
    await streams.community!.waitFor((e) => e.type === 'unit.position' && e.recordId === unit.community);
    expect(streams.community!.events.some((e) => e.recordId === unit.group || e.recordId === unit.own)).toBe(false);
    // Only the unit's own organisation reports where it is.
    expect((await call('member', 'POST', `/api/v1/units/${unit.group}/position`, { lon: 7.4139, lat: 43.7297 })).status).toBe(403);
  });

  it('recommends only units the caller may see and dispatch', async () => {
    const mine = (await call('member', 'POST', '/api/v1/incidents', { title: 'Member incident', severity: 'high', location: { type: 'Point', coordinates: PLACES.casino } })).body.id;
    // The member sees the group engine but may not command it.
    const member = await call('member', 'GET', `/api/v1/incidents/${mine}/dispatch`);
    expect(member.status).toBe(200);
    expect(member.body.ranked).toEqual([]);
    expect((await call('member', 'POST', `/api/v1/incidents/${mine}/dispatch`, { unitId: unit.group })).status).toBe(403);
    expect((await call('member', 'POST', `/api/v1/incidents/${mine}/dispatch`, { unitId: unit.own })).status).toBe(422);

    const theirs = (await call('listed', 'POST', '/api/v1/incidents', { title: 'Listed incident', severity: 'high', location: { type: 'Point', coordinates: PLACES.casino }, tlp: 'amber', distribution: { scope: 'orgs', orgIds: [r.world.org.owner] } })).body.id;
    const listed = await call('listed', 'GET', `/api/v1/incidents/${theirs}/dispatch`);
    expect(listed.body.ranked.map((u: { unitId: string }) => u.unitId)).toEqual([unit.community]);
    const owner = await call('owner', 'GET', `/api/v1/incidents/${theirs}/dispatch`);
    expect(owner.body.ranked.map((u: { unitId: string }) => u.unitId).sort()).toEqual([unit.group, unit.community, unit.own].sort());
    expect((await call('community', 'GET', `/api/v1/incidents/${theirs}/dispatch`)).status).toBe(404);

    // Mutual aid: the listed organisation sends the owner's community engine to its own incident.
    expect((await call('listed', 'POST', `/api/v1/incidents/${theirs}/dispatch`, { unitId: unit.community })).status).toBe(201);
    const asCommunity = (await call('community', 'GET', `/api/v1/units/${unit.community}`)).body;
    expect(asCommunity.status).toBe('dispatched');
    expect(asCommunity.assignment).toBeNull();
    expect((await call('owner', 'GET', `/api/v1/units/${unit.community}`)).body.assignment.incidentId).toBe(theirs);
    // The route goes to those who see both the unit and the incident: the owner, not the community.
    const event = await streams.owner!.waitFor((e) => e.type === 'unit.dispatched' && e.recordId === unit.community);
    expect(event.data.assignment.route.type).toBe('LineString');
    await streams.community!.waitFor((e) => e.type === 'unit.updated' && e.recordId === unit.community && e.data.status === 'dispatched');
    expect(streams.community!.events.some((e) => e.type === 'unit.dispatched' || e.type === 'incident.unit')).toBe(false);
    // Re-sharing the unit does not carry its assignment to the new audience either.
    expect((await call('owner', 'POST', `/api/v1/units/${unit.community}/share`, { tlp: 'green', distribution: { scope: 'community' } })).status).toBe(200);
    const shared = await streams.community!.waitFor((e) => e.type === 'unit.shared' && e.recordId === unit.community);
    expect(shared.data.assignment).toBeNull();
  });

  it('honours a closure in the routes of those who may see it, and of no one else', async () => {
    const baseline = (await call('community', 'GET', toCasino)).body;
    const point = middleOf(baseline.geometry);
    const closure = await call('owner', 'POST', '/api/v1/closures', {
      reason: 'covert operation',
      geometry: { type: 'Point', coordinates: point },
      tlp: 'amber',
      distribution: { scope: 'orgs', orgIds: [r.world.org.listed] },
    });
    expect(closure.status).toBe(201);
    const listed = (await call('listed', 'GET', toCasino)).body;
    expect(listed.closuresHonoured).toBe(1);
    expect(listed.travelTimeS).toBeGreaterThan(baseline.travelTimeS);
    const community = (await call('community', 'GET', toCasino)).body;
    expect(community.closuresHonoured).toBe(0);
    expect(community.travelTimeS).toBe(baseline.travelTimeS);
    expect((await call('community', 'GET', `/api/v1/closures/${closure.body.id}`)).status).toBe(404);
    expect((await call('community', 'GET', '/api/v1/closures')).body.items).toEqual([]);
    expect((await call('listed', 'GET', '/api/v1/closures')).body.items.map((c: { id: string }) => c.id)).toEqual([closure.body.id]);
    expect((await call('listed', 'POST', `/api/v1/closures/${closure.body.id}/end`, {})).status).toBe(403);

    // Shared with the community, it closes the road for everyone from the next query on.
    expect((await call('owner', 'POST', `/api/v1/closures/${closure.body.id}/share`, { tlp: 'green', distribution: { scope: 'community' } })).status).toBe(200);
    expect((await call('community', 'GET', toCasino)).body.travelTimeS).toBe(listed.travelTimeS);
    await streams.community!.waitFor((e) => e.type === 'closure.shared' && e.recordId === closure.body.id);
  });
});
