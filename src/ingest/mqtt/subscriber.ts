/**
 * Subscribes to an external MQTT broker (VIGIL_MQTT_URL, e.g. the city's Mosquitto) with QoS 1 and a
 * persistent session. A minimal MQTT 5 (or 3.1.1) client over mqtt-packet rather than mqtt.js, because Vigil must
 * decide when each PUBACK goes out: only after the readings are committed, while the next messages are
 * already being received (mqtt.js handles one incoming message at a time until it is acknowledged).
 * Messages the broker delivered but Vigil did not acknowledge (a crash, a lost connection) are delivered
 * again by the broker; a reading already stored then counts as a duplicate.
 *
 * The external broker is trusted to enforce who may publish under `vigil/<orgSlug>/…`: configure its ACLs
 * so each organisation's devices can write only below their own slug. Units' positions
 * (`vigil/<slug>/units/<unit id>/position`) go to the units capability as reported by that organisation; when the
 * configured topic filter does not cover them, Vigil subscribes to them as well.
 */
import net from 'node:net';
import tls from 'node:tls';
import mqtt from 'mqtt-packet';
import type { Principal } from '../../kernel/auth/index.js';
import type { Actor } from '../../kernel/kernel.js';
import { groupsOfOrganisation } from '../../kernel/sharing/index.js';
import { parseUnitPositionTopic, unitPositionFromMqtt } from '../../units/index.js';
import type { Ingestion } from '../service.js';
import { parseTopic, readingsOfPayload, unitPositionFilterFor } from './topics.js';

export interface Subscriber {
  close(): Promise<void>;
  /** Resolves once subscribed (tests wait for it). */
  ready: Promise<void>;
}

export interface SubscriberOptions {
  url: string;
  topic: string;
  clientId: string;
  username: string | null;
  password: string | null;
  keepaliveSeconds?: number;
}

/** Messages received but not yet acknowledged before the connection stops being read. */
const PAUSE_AT = 2000;
const RESUME_AT = 500;

export function startSubscriber(ingestion: Ingestion, options: SubscriberOptions): Subscriber {
  const { kernel, pipeline } = ingestion;
  const log = kernel.log.child({ component: 'mqtt-subscriber' });
  const url = new URL(options.url);
  const secure = url.protocol === 'mqtts:';
  const host = url.hostname;
  const port = Number(url.port || (secure ? 8883 : 1883));
  const username = url.username ? decodeURIComponent(url.username) : options.username;
  const password = url.password ? decodeURIComponent(url.password) : options.password;
  const keepalive = options.keepaliveSeconds ?? 30;
  const where = `${url.protocol}//${host}:${port}`;
  const orgs = new Map<string, { id: string | null; at: number }>();
  // Subscribe to the same organisations' unit positions too, unless the configured filter already delivers them.
  const unitFilter = unitPositionFilterFor(options.topic);
  const subscriptions = [{ topic: options.topic, qos: 1 as const }, ...(unitFilter ? [{ topic: unitFilter, qos: 1 as const }] : [])];

  let socket: net.Socket | null = null;
  let closing = false;
  let generation = 0;
  let backoff = 500;
  // MQTT 5 lets Vigil say how many unacknowledged QoS 1 messages it takes at once (Receive Maximum); with
  // 3.1.1 the broker decides (Mosquitto: 20), and since Vigil acknowledges only after the commit, that
  // window bounds each batch. A broker that refuses MQTT 5 is spoken to in 3.1.1 from then on.
  let protocolVersion: 4 | 5 = 5;
  let readyResolve: () => void = () => {};
  const ready = new Promise<void>((resolve) => (readyResolve = resolve));
  let lastWarnUnknown = 0;

  const status = (state: 'running' | 'connecting' | 'unavailable', detail: string) =>
    ingestion.setPath({ name: 'mqtt-external', state, detail: `${where} (${options.topic}): ${detail}` });

  async function orgIdOf(slug: string): Promise<string | null> {
    const now = kernel.clock();
    const cached = orgs.get(slug);
    if (cached && now - cached.at < 60_000) return cached.id;
    const row = await kernel.store.db.selectFrom('organisations').select('id').where('slug', '=', slug).executeTakeFirst();
    orgs.set(slug, { id: row?.id ?? null, at: now });
    return row?.id ?? null;
  }

  function connect(): void {
    if (closing) return;
    const mine = ++generation;
    status('connecting', 'connecting');
    const s = secure ? tls.connect({ host, port, servername: host }) : net.connect({ host, port });
    socket = s;
    const version = protocolVersion;
    let acknowledged = false;
    const parser = mqtt.parser({ protocolVersion: version });
    // Acknowledgements go out in the order the messages came in (MQTT-4.6.0-2).
    const inflight: Array<{ messageId: number | undefined; done: boolean }> = [];
    let paused = false;
    let lastHeard = Date.now();
    const send = (packet: mqtt.Packet) => {
      if (mine === generation && !s.destroyed) s.write(mqtt.generate(packet, { protocolVersion: version }));
    };
    const flush = () => {
      while (inflight.length > 0 && inflight[0]!.done) {
        const m = inflight.shift()!;
        if (m.messageId !== undefined) send({ cmd: 'puback', messageId: m.messageId });
      }
      if (paused && inflight.length <= RESUME_AT) {
        paused = false;
        s.resume();
      }
    };
    const ping = setInterval(() => {
      if (Date.now() - lastHeard > keepalive * 1500) {
        log.warn('the external MQTT broker stopped answering; reconnecting');
        s.destroy();
        return;
      }
      send({ cmd: 'pingreq' });
    }, (keepalive * 1000) / 2);

    s.on('connect', () => {
      send({
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: version,
        clientId: options.clientId,
        clean: false,
        keepalive,
        ...(version === 5 ? { properties: { receiveMaximum: 65535, sessionExpiryInterval: 7 * 86400 } } : {}),
        ...(username ? { username } : {}),
        ...(password ? { password: Buffer.from(password) } : {}),
      });
    });
    if (secure) s.on('secureConnect', () => {});
    s.on('data', (chunk: Buffer) => {
      lastHeard = Date.now();
      parser.parse(chunk);
    });
    parser.on('error', (error) => {
      log.error({ err: error }, 'the external MQTT broker sent something unreadable; reconnecting');
      s.destroy();
    });
    parser.on('packet', (packet) => {
      switch (packet.cmd) {
        case 'connack': {
          acknowledged = true;
          const code = packet.returnCode ?? packet.reasonCode ?? 0;
          if (version === 5 && (code === 1 || code === 132)) {
            protocolVersion = 4;
            log.info('the external MQTT broker does not speak MQTT 5; using 3.1.1');
            s.destroy();
            return;
          }
          if (code !== 0) {
            log.error({ returnCode: code }, `the external MQTT broker ${where} refused the connection (check VIGIL_MQTT_URL credentials)`);
            status('unavailable', `refused the connection (return code ${code})`);
            s.destroy();
            return;
          }
          backoff = 500;
          send({ cmd: 'subscribe', messageId: 1, subscriptions });
          return;
        }
        case 'suback': {
          const refused = packet.granted.map((g) => (typeof g === 'number' ? g : (g as { qos: number }).qos) >= 128);
          if (refused[0]) {
            log.error(`the external MQTT broker refused the subscription to ${options.topic}`);
            status('unavailable', 'subscription refused');
            return;
          }
          if (refused[1]) log.warn(`the external MQTT broker refused the subscription to ${unitFilter}: no unit positions over MQTT`);
          log.info({ broker: where, topics: subscriptions.map((x) => x.topic) }, 'subscribed to the external MQTT broker');
          status('running', 'subscribed');
          readyResolve();
          return;
        }
        case 'publish': {
          const entry = { messageId: packet.qos > 0 ? packet.messageId : undefined, done: false };
          inflight.push(entry);
          if (!paused && inflight.length >= PAUSE_AT) {
            paused = true;
            s.pause();
          }
          void receive(packet).then(
            () => {
              entry.done = true;
              flush();
            },
            (error: unknown) => {
              // Not stored: no acknowledgement; drop the connection so the broker sends it again.
              log.error({ err: error }, 'readings from the external MQTT broker could not be stored; reconnecting');
              s.destroy();
            },
          );
          return;
        }
        default:
          return;
      }
    });
    s.on('error', (error) => log.debug({ err: error.message }, 'external MQTT connection error'));
    s.on('close', () => {
      clearInterval(ping);
      if (mine !== generation || closing) return;
      // A 3.1.1-only broker may just hang up on an MQTT 5 CONNECT.
      if (!acknowledged && version === 5) protocolVersion = 4;
      status('connecting', `connection lost; retrying in ${Math.round(backoff / 1000)} s`);
      const wait = backoff;
      backoff = Math.min(30_000, backoff * 2);
      setTimeout(connect, wait).unref();
    });
  }

  /**
   * The organisation a unit-position topic names, as the reporter of that position: the external broker's ACLs
   * decided who may publish there. A `responder` may report positions and nothing more.
   */
  async function reporterOf(slug: string): Promise<Principal | null> {
    const orgId = await orgIdOf(slug);
    if (!orgId) return null;
    const groupIds = await groupsOfOrganisation(kernel.store.db, orgId);
    return { kind: 'token', orgId, orgSlug: slug, role: 'responder', userId: null, tokenId: null, label: `external MQTT broker ${where}`, groupIds };
  }

  async function receive(packet: mqtt.IPublishPacket): Promise<void> {
    const unitTopic = parseUnitPositionTopic(packet.topic);
    if (unitTopic) {
      const reporter = await reporterOf(unitTopic.orgSlug);
      if (!reporter) return warnUnknown(packet.topic);
      await unitPositionFromMqtt(kernel, reporter, packet.topic, packet.payload as Buffer, where);
      return;
    }
    const topic = parseTopic(packet.topic);
    const orgId = topic ? await orgIdOf(topic.orgSlug) : null;
    if (!topic || !orgId) return warnUnknown(packet.topic);
    const actor: Actor = { orgId, userId: null, tokenId: null, address: where };
    const { items, rejects } = readingsOfPayload(topic.key, packet.payload as Buffer);
    await pipeline.submit({ orgId, actor, source: 'mqtt-external', items, rejects });
  }

  function warnUnknown(topic: string): void {
    const now = Date.now();
    if (now - lastWarnUnknown > 60_000) {
      lastWarnUnknown = now;
      log.warn({ topic: topic.slice(0, 200) }, 'ignored MQTT messages whose topic names no organisation of this Vigil (vigil/<orgSlug>/<key>)');
    }
  }

  connect();
  return {
    ready,
    async close() {
      closing = true;
      generation += 1;
      const s = socket;
      if (s && !s.destroyed) {
        s.end(mqtt.generate({ cmd: 'disconnect' }, { protocolVersion }));
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            s.destroy();
            resolve();
          }, 1000);
          s.once('close', () => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      ingestion.paths.delete('mqtt-external');
    },
  };
}
