import net from 'node:net';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Broker, startBroker, startSubscriber } from '../../src/ingest/index.js';
import { type Live, startLive, stopLive } from '../../src/server.js';
import { type TestKernel, openTestKernel } from '../helpers/kernel.js';
import { type World, seedWorld } from '../helpers/world.js';
import { apiToken, setAutoCreate } from './helpers.js';

const run = Math.random().toString(36).slice(2, 10);

function connect(port: number, password: string, clientId = `test-${run}-${Math.random().toString(36).slice(2, 8)}`): Promise<mqtt.MqttClient> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(`mqtt://127.0.0.1:${port}`, { clientId, username: 'device', password, reconnectPeriod: 0, protocolVersion: 4 });
    c.once('connect', () => resolve(c));
    c.once('error', (e) => {
      c.end(true);
      reject(e);
    });
  });
}

const publish = (c: mqtt.MqttClient, topic: string, payload: string) =>
  new Promise<void>((resolve, reject) => c.publish(topic, payload, { qos: 1 }, (e) => (e ? reject(e) : resolve())));

async function count(t: TestKernel, key: string): Promise<number> {
  const row = await t.kernel.store.db
    .selectFrom('observations')
    .innerJoin('datastreams', 'datastreams.sid', 'observations.sid')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('datastreams.key', '=', key)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('MQTT ingestion', () => {
  let t: TestKernel;
  let live: Live;
  let world: World;
  let broker: Broker;
  let ownerToken: string;

  beforeAll(async () => {
    t = await openTestKernel('sqlite');
    live = startLive(t.kernel);
    world = await seedWorld(t.kernel);
    await setAutoCreate(t.kernel, world.org.owner, true);
    await setAutoCreate(t.kernel, world.org.listed, true);
    ownerToken = await apiToken(t.kernel, world.org.owner);
    broker = await startBroker(live.ingestion, { host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await broker?.close();
    if (live) await stopLive(live);
    await t?.cleanup();
  });

  it('stores what a device publishes with QoS 1 to its organisation’s topic, one reading or an array', async () => {
    const c = await connect(broker.port, ownerToken);
    const t0 = Date.now();
    await publish(c, 'vigil/owner/F_PU1', JSON.stringify({ t: t0, v: 91.5 }));
    await publish(c, 'vigil/owner/F_PU1', JSON.stringify([{ t: new Date(t0 + 1000).toISOString(), v: 92 }, { t: t0 + 2000, v: 93, q: 'good' }]));
    // The PUBACK came after the commit: the readings are there now, without waiting.
    expect(await count(t, 'F_PU1')).toBe(3);
    await publish(c, 'vigil/owner/F_PU1', 'not json');
    await publish(c, 'vigil/owner/F_PU1', JSON.stringify({ t: t0 + 3000, v: 'high' }));
    expect(c.connected).toBe(true);
    expect(await count(t, 'F_PU1')).toBe(3);
    const rejections = await t.kernel.store.db.selectFrom('ingest_rejections').select(['reason', 'count']).where('org_id', '=', world.org.owner).orderBy('reason').execute();
    expect(rejections.map((r) => [r.reason, Number(r.count)])).toEqual([['malformed', 1], ['non-numeric', 1]]);
    await new Promise<void>((resolve) => c.end(false, {}, () => resolve()));
  });

  it('refuses a device without a valid API token', async () => {
    await expect(connect(broker.port, 'vgl_api_not-a-token')).rejects.toThrow(/Bad username or password|Not authorized/i);
    await expect(connect(broker.port, '')).rejects.toThrow();
  });

  it('refuses a publish to another organisation’s topic: the connection is closed and nothing is stored', async () => {
    const c = await connect(broker.port, ownerToken);
    const closed = new Promise<void>((resolve) => c.once('close', () => resolve()));
    c.publish('vigil/listed/L_X', JSON.stringify({ t: Date.now(), v: 1 }), { qos: 1 });
    await closed;
    c.end(true);
    expect(await count(t, 'L_X')).toBe(0);
    const row = await t.kernel.store.db.selectFrom('ingest_rejections').select('count').where('org_id', '=', world.org.owner).where('reason', '=', 'forbidden-topic').executeTakeFirst();
    expect(Number(row?.count)).toBe(1);
  });

  it('lets an organisation subscribe to its own topics only', async () => {
    const c = await connect(broker.port, ownerToken);
    const sub = (topic: string) => new Promise<number>((resolve) => c.subscribe(topic, { qos: 1 }, (e, g) => resolve(e ? 128 : (g?.[0]?.qos ?? -1))));
    expect(await sub('vigil/owner/#')).toBe(1);
    expect(await sub('vigil/listed/#')).toBe(128);
    expect(await sub('#')).toBe(128);
    c.end(true);
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

describe.skipIf(!(await mosquittoUp()))('subscribing to Mosquitto at 127.0.0.1:1883', () => {
  let t: TestKernel;
  let live: Live;
  const slug = `mq${run}`;
  const clientId = `vigil-test-${run}`;

  beforeAll(async () => {
    t = await openTestKernel('sqlite');
    live = startLive(t.kernel);
    const world = await seedWorld(t.kernel);
    await t.kernel.store.db.updateTable('organisations').set({ slug }).where('id', '=', world.org.owner).execute();
    await setAutoCreate(t.kernel, world.org.owner, true);
  });

  afterAll(async () => {
    if (live) await stopLive(live);
    await t?.cleanup();
    // Leave no persistent session behind on the shared broker.
    const c = mqtt.connect('mqtt://127.0.0.1:1883', { clientId, clean: true, reconnectPeriod: 0 });
    await new Promise<void>((resolve) => c.once('connect', () => c.end(false, {}, () => resolve())).once('error', () => resolve()));
  });

  it('stores QoS 1 messages published by a device to Mosquitto', async () => {
    const sub = startSubscriber(live.ingestion, { url: 'mqtt://127.0.0.1:1883', topic: `vigil/${slug}/+`, clientId, username: null, password: null });
    await sub.ready;
    const device = mqtt.connect('mqtt://127.0.0.1:1883', { clientId: `dev-${run}`, reconnectPeriod: 0 });
    await new Promise<void>((resolve) => device.once('connect', () => resolve()));
    const t0 = Date.now();
    const done = new Promise<void>((resolve) => {
      const off = live.ingestion.pipeline.onAccepted(() => {
        void count(t, 'L_T9').then((n) => {
          if (n === 50) {
            off();
            resolve();
          }
        });
      });
    });
    for (let i = 0; i < 50; i++) await publish(device, `vigil/${slug}/L_T9`, JSON.stringify({ t: t0 + i * 1000, v: i / 10 }));
    await done;
    expect(await count(t, 'L_T9')).toBe(50);
    device.end(true);
    await sub.close();
  });
});
