import net from 'node:net';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Broker, startBroker, startSubscriber } from '../../src/ingest/index.js';
import { topicFilterCovers, unitPositionFilterFor } from '../../src/ingest/mqtt/topics.js';
import type { VigilApp } from '../../src/kernel/http/index.js';
import { SYSTEM_ACTOR } from '../../src/kernel/kernel.js';
import { createApiToken } from '../../src/organisations/queries.js';
import { type Live, buildServer, startLive, stopLive } from '../../src/server.js';
import { UNIT_POSITION_TOPIC_FILTER } from '../../src/units/index.js';
import { type TestKernel, openTestKernel } from '../helpers/kernel.js';
import { type World, seedWorld } from '../helpers/world.js';
import { setAutoCreate } from './helpers.js';

/**
 * Units' live positions over the embedded MQTT broker: a vehicle's token (a responder) reports its own
 * organisation's units on `vigil/<slug>/units/<id>/position`; another organisation's topic is refused.
 */
const run = Math.random().toString(36).slice(2, 10);

function connect(port: number, password: string): Promise<mqtt.MqttClient> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(`mqtt://127.0.0.1:${port}`, { clientId: `unit-${run}-${Math.random().toString(36).slice(2, 8)}`, username: 'vehicle', password, reconnectPeriod: 0, protocolVersion: 4 });
    c.once('connect', () => resolve(c));
    c.once('error', (e) => {
      c.end(true);
      reject(e);
    });
  });
}

const publish = (c: mqtt.MqttClient, topic: string, payload: string) =>
  new Promise<void>((resolve, reject) => c.publish(topic, payload, { qos: 1 }, (e) => (e ? reject(e) : resolve())));

/** Publishes, expecting the broker to refuse: MQTT 3.1.1 has no negative acknowledgement, so it hangs up. */
async function refused(c: mqtt.MqttClient, topic: string, payload: string): Promise<void> {
  const closed = new Promise<void>((resolve) => c.once('close', () => resolve()));
  c.publish(topic, payload, { qos: 1 });
  await closed;
  c.end(true);
}

describe('unit positions over MQTT', () => {
  let t: TestKernel;
  let live: Live;
  let app: VigilApp;
  let world: World;
  let broker: Broker;
  let vehicleToken: string;
  let operatorToken: string;
  let ownUnit: string;
  let foreignUnit: string;

  const call = async (method: 'GET' | 'POST', url: string, token: string, body?: unknown) => {
    const res = await app.inject({ method, url, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { payload: JSON.stringify(body) } : {}) });
    return { status: res.statusCode, body: JSON.parse(res.body || 'null') };
  };
  const token = async (orgId: string, role: 'responder' | 'operator' | 'viewer') =>
    (await t.kernel.write({ ...SYSTEM_ACTOR, orgId }, (w) => createApiToken(w, { orgId, name: `${role} ${run}`, role, expiresAt: null }))).token;
  const positionOf = async (id: string, as: string) => (await call('GET', `/api/v1/units/${id}`, as)).body.position as { lon: number; lat: number; at: string } | null;

  beforeAll(async () => {
    t = await openTestKernel('sqlite');
    live = startLive(t.kernel);
    app = await buildServer(t.kernel, live);
    await app.ready();
    world = await seedWorld(t.kernel);
    await setAutoCreate(t.kernel, world.org.owner, true);
    vehicleToken = await token(world.org.owner, 'responder');
    operatorToken = await token(world.org.owner, 'operator');
    const own = await call('POST', '/api/v1/units', world.token.owner, { name: 'Engine 1', type: 'fire-engine' });
    const foreign = await call('POST', '/api/v1/units', world.token.listed, { name: 'Their ambulance', type: 'ambulance', position: { lon: 7.42, lat: 43.73 } });
    expect(own.status).toBe(201);
    expect(foreign.status).toBe(201);
    ownUnit = own.body.id;
    foreignUnit = foreign.body.id;
    broker = await startBroker(live.ingestion, { host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await broker?.close();
    await app?.close();
    if (live) await stopLive(live);
    await t?.cleanup();
  });

  it('moves the unit when its vehicle publishes a position (QoS 1: acknowledged once stored)', async () => {
    expect(await positionOf(ownUnit, world.token.owner)).toBeNull();
    const c = await connect(broker.port, vehicleToken);
    const at = new Date(Date.now() - 1000).toISOString();
    await publish(c, `vigil/owner/units/${ownUnit}/position`, JSON.stringify({ lon: 7.4137, lat: 43.7296, at, headingDeg: 90, speedKmh: 40 }));
    expect(await positionOf(ownUnit, world.token.owner)).toMatchObject({ lon: 7.4137, lat: 43.7296, at });
    // A vehicle catching up after a tunnel: an array, the newest wins.
    await publish(c, `vigil/owner/units/${ownUnit}/position`, JSON.stringify([{ lon: 7.415, lat: 43.73, at: Date.now() - 500 }, { lon: 7.416, lat: 43.731, at: Date.now() - 100 }]));
    expect(await positionOf(ownUnit, world.token.owner)).toMatchObject({ lon: 7.416, lat: 43.731 });
    // Garbage is acknowledged (resending it would not help) and changes nothing.
    await publish(c, `vigil/owner/units/${ownUnit}/position`, 'not json');
    await publish(c, `vigil/owner/units/${ownUnit}/position`, JSON.stringify({ lon: 700, lat: 43.7 }));
    expect(await positionOf(ownUnit, world.token.owner)).toMatchObject({ lon: 7.416, lat: 43.731 });
    expect(c.connected).toBe(true);
    c.end(true);
  });

  it('publishes the move on the live stream as unit.position', async () => {
    const c = await connect(broker.port, vehicleToken);
    const since = (await t.kernel.store.db.selectFrom('events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst())?.id ?? 0;
    await publish(c, `vigil/owner/units/${ownUnit}/position`, JSON.stringify({ lon: 7.42, lat: 43.735 }));
    c.end(true);
    const events = await t.kernel.store.db.selectFrom('events').select(['type', 'record_id']).where('id', '>', Number(since)).execute();
    expect(events).toContainEqual(expect.objectContaining({ type: 'unit.position', record_id: ownUnit }));
  });

  it('refuses a position on another organisation’s topic: the connection closes and the unit stays put', async () => {
    const before = await positionOf(foreignUnit, world.token.listed);
    expect(before).toMatchObject({ lon: 7.42, lat: 43.73 });
    const c = await connect(broker.port, vehicleToken);
    await refused(c, `vigil/listed/units/${foreignUnit}/position`, JSON.stringify({ lon: 7.43, lat: 43.74 }));
    expect(await positionOf(foreignUnit, world.token.listed)).toEqual(before);
  });

  it('does not let a token move another organisation’s unit through its own topic', async () => {
    const before = await positionOf(foreignUnit, world.token.listed);
    const c = await connect(broker.port, vehicleToken);
    await publish(c, `vigil/owner/units/${foreignUnit}/position`, JSON.stringify({ lon: 7.43, lat: 43.74 }));
    c.end(true);
    expect(await positionOf(foreignUnit, world.token.listed)).toEqual(before);
  });

  it('keeps readings for tokens that write records; a vehicle’s responder token may report positions only', async () => {
    const count = async () =>
      Number(
        (
          await t.kernel.store.db
            .selectFrom('observations')
            .innerJoin('datastreams', 'datastreams.sid', 'observations.sid')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('datastreams.key', '=', 'U_FLOW')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const device = await connect(broker.port, operatorToken);
    await publish(device, 'vigil/owner/U_FLOW', JSON.stringify({ t: Date.now(), v: 12 }));
    device.end(true);
    expect(await count()).toBe(1);
    const vehicle = await connect(broker.port, vehicleToken);
    await refused(vehicle, 'vigil/owner/U_FLOW', JSON.stringify({ t: Date.now(), v: 13 }));
    expect(await count()).toBe(1);
    // A viewer reports nothing: it is not let in.
    await expect(connect(broker.port, await token(world.org.owner, 'viewer'))).rejects.toThrow(/Not authorized/i);
  });
});

describe('MQTT topic filters (what the external subscriber must also subscribe to)', () => {
  it('knows which filters already deliver unit positions', () => {
    const topic = 'vigil/city/units/u1/position';
    expect(topicFilterCovers('vigil/+/+', topic)).toBe(false);
    expect(topicFilterCovers('vigil/#', topic)).toBe(true);
    expect(topicFilterCovers('#', topic)).toBe(true);
    expect(topicFilterCovers(UNIT_POSITION_TOPIC_FILTER, topic)).toBe(true);
    expect(topicFilterCovers('vigil/+/units/+', topic)).toBe(false);
    expect(topicFilterCovers('vigil/+/+', 'vigil/city/F_PU1')).toBe(true);
  });

  it('subscribes to the unit positions of the organisations the readings filter names', () => {
    expect(unitPositionFilterFor('vigil/+/+')).toBe('vigil/+/units/+/position');
    expect(unitPositionFilterFor('vigil/city/+')).toBe('vigil/city/units/+/position');
    expect(unitPositionFilterFor('vigil/#')).toBeNull();
    expect(unitPositionFilterFor('#')).toBeNull();
    expect(unitPositionFilterFor('plant/+')).toBe('vigil/+/units/+/position');
  });
});

async function mosquittoUp(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(1883, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

describe.skipIf(!(await mosquittoUp()))('unit positions through Mosquitto at 127.0.0.1:1883', () => {
  let t: TestKernel;
  let live: Live;
  let app: VigilApp;
  let world: World;
  const slug = `mqu${run}`;
  const clientId = `vigil-units-${run}`;

  beforeAll(async () => {
    t = await openTestKernel('sqlite');
    live = startLive(t.kernel);
    app = await buildServer(t.kernel, live);
    await app.ready();
    world = await seedWorld(t.kernel);
    await t.kernel.store.db.updateTable('organisations').set({ slug }).where('id', '=', world.org.owner).execute();
  });

  afterAll(async () => {
    await app?.close();
    if (live) await stopLive(live);
    await t?.cleanup();
    // Leave no persistent session behind on the shared broker.
    const c = mqtt.connect('mqtt://127.0.0.1:1883', { clientId, clean: true, reconnectPeriod: 0 });
    await new Promise<void>((resolve) => c.once('connect', () => c.end(false, {}, () => resolve())).once('error', () => resolve()));
  });

  it('moves the unit named by the topic, as reported by the organisation the topic names', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/units', headers: { authorization: `Bearer ${world.token.owner}`, 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'Engine 7', type: 'fire-engine' }) });
    expect(res.statusCode).toBe(201);
    const id = JSON.parse(res.body).id as string;
    const sub = startSubscriber(live.ingestion, { url: 'mqtt://127.0.0.1:1883', topic: `vigil/${slug}/+`, clientId, username: null, password: null });
    await sub.ready;
    const device = mqtt.connect('mqtt://127.0.0.1:1883', { clientId: `veh-${run}`, reconnectPeriod: 0 });
    await new Promise<void>((resolve) => device.once('connect', () => resolve()));
    const moved = new Promise<unknown>((resolve) => {
      const off = t.kernel.bus.subscribe((e) => {
        if (e.type === 'unit.position' && e.recordId === id) {
          off();
          resolve(e.data);
        }
      });
    });
    await publish(device, `vigil/${slug}/units/${id}/position`, JSON.stringify({ lon: 7.4137, lat: 43.7296 }));
    expect(await moved).toMatchObject({ id, position: { lon: 7.4137, lat: 43.7296 } });
    const row = await t.kernel.store.db.selectFrom('units').select(['pos_lon', 'pos_lat']).where('id', '=', id).executeTakeFirstOrThrow();
    expect([row.pos_lon, row.pos_lat]).toEqual([7.4137, 43.7296]);
    device.end(true);
    await sub.close();
  });
});
