/**
 * The embedded MQTT 3.1.1 broker (aedes). Devices connect with an API token as password (the user name is
 * free) and publish to `vigil/<their organisation's slug>/<datastream key>`. A publish to any other topic is
 * refused: the connection is closed (MQTT 3.1.1 has no negative acknowledgement) and counted for the
 * publisher's organisation. A QoS 1 message is acknowledged only once its readings are committed: the
 * acknowledgement is sent after `authorizePublish` answers, and it answers after the pipeline stored the
 * batch. While it waits, aedes does not read further from that connection, so a slow database slows the
 * publishers down instead of losing data.
 *
 * Units' live positions (AVL) share the broker: `vigil/<slug>/units/<unit id>/position` goes to the units
 * capability, which lets a token report only its own organisation's units. A vehicle's token may be a
 * `responder` (it reports positions, it does not write records), so such a token connects, but may publish
 * readings only when its role writes records.
 */
import net from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import { type Principal, principalForToken, roleAllows } from '../../kernel/auth/index.js';
import { actorOf } from '../../kernel/kernel.js';
import { parseUnitPositionTopic, unitPositionFromMqtt } from '../../units/index.js';
import type { Ingestion } from '../service.js';
import { parseTopic, readingsOfPayload } from './topics.js';

export interface Broker {
  port: number;
  close(): Promise<void>;
}

export class BrokerPortInUseError extends Error {
  constructor(readonly host: string, readonly port: number) {
    super(`port ${port} on ${host} is already in use`);
  }
}

type VigilClient = Client & { vigil?: Principal };

function authError(message: string, code: number): AuthenticateError {
  return Object.assign(new Error(message), { returnCode: code }) as AuthenticateError;
}

/** How often connected devices' tokens are checked again, so a revoked token is cut off. */
const RECHECK_MS = 60_000;

export async function startBroker(ingestion: Ingestion, options: { host: string; port: number }): Promise<Broker> {
  const { kernel, pipeline } = ingestion;
  const log = kernel.log.child({ component: 'mqtt-broker' });
  const clients = new Set<VigilClient>();
  const tokens = new WeakMap<VigilClient, string>();

  const broker = new Aedes({
    heartbeatInterval: 60_000,
    authenticate(client, _username, password, done) {
      const token = password?.toString('utf8') ?? '';
      if (!token.startsWith('vgl_api_')) return done(authError('an API token is the MQTT password', 4), false);
      principalForToken(kernel.store.db, token, kernel.clock()).then(
        (principal) => {
          if (!principal) return done(authError('the API token is not valid (expired, revoked or mistyped)', 4), false);
          if (!roleAllows(principal.role, 'records:contribute')) return done(authError(`a ${principal.role} token may not publish`, 5), false);
          (client as VigilClient).vigil = principal;
          tokens.set(client as VigilClient, token);
          done(null, true);
        },
        (error: unknown) => {
          log.error({ err: error }, 'authenticating an MQTT client failed');
          done(authError('the server could not check the token', 3), false);
        },
      );
    },
    authorizeSubscribe(client, subscription, done) {
      const principal = (client as VigilClient).vigil;
      const own = `vigil/${principal?.orgSlug}/`;
      // An organisation may watch its own topics, never another's (a '#' or '+' above its level would reach them).
      const topic = subscription.topic;
      if (principal && topic.startsWith(own) && !topic.slice(own.length).includes('#/')) return done(null, subscription);
      done(null, null);
    },
    authorizePublish(client, packet, done) {
      const c = client as VigilClient | null;
      const principal = c?.vigil;
      if (!c || !principal) return done(new Error('not authenticated'));
      if (parseUnitPositionTopic(packet.topic)) {
        unitPositionFromMqtt(kernel, principal, packet.topic, packet.payload, remote(c)).then(
          (outcome) => {
            if (outcome.allowed) {
              const refused = outcome.results.filter((r) => !r.accepted);
              if (refused.length > 0) log.debug({ client: c.id, refused: refused.slice(0, 5) }, 'MQTT positions not taken');
              return done(null);
            }
            log.warn({ client: c.id, organisation: principal.orgSlug, topic: packet.topic.slice(0, 200) }, 'refused an MQTT position for another organisation’s unit');
            done(new Error(outcome.detail ?? 'not a unit of the publisher’s organisation'));
          },
          // Not stored: no acknowledgement; the device sends the position again.
          (error: Error) => done(error),
        );
        return;
      }
      const where = parseTopic(packet.topic);
      if (where && where.orgSlug === principal.orgSlug && !roleAllows(principal.role, 'records:write')) {
        log.warn({ client: c.id, organisation: principal.orgSlug, role: principal.role }, 'refused readings from a token that may only report unit positions');
        return done(new Error(`a ${principal.role} token may publish unit positions only`));
      }
      if (!where || where.orgSlug !== principal.orgSlug) {
        log.warn({ client: c.id, organisation: principal.orgSlug, topic: packet.topic.slice(0, 200) }, 'refused an MQTT publish outside the organisation’s topics');
        void pipeline
          .submit({
            orgId: principal.orgId,
            actor: actorOf(principal, remote(c)),
            source: 'mqtt',
            items: [],
            rejects: [{ reason: 'forbidden-topic', detail: `publishing to "${packet.topic.slice(0, 120)}" is not allowed: use vigil/${principal.orgSlug}/<datastream key>` }],
          })
          .catch(() => {});
        return done(new Error(`topic ${packet.topic} is not vigil/${principal.orgSlug}/<key>`));
      }
      const { items, rejects } = readingsOfPayload(where.key, packet.payload);
      pipeline.submit({ orgId: principal.orgId, actor: actorOf(principal, remote(c)), source: 'mqtt', items, rejects }).then(
        () => done(null),
        // Not stored: no acknowledgement; the connection closes and the device sends the message again.
        (error: Error) => done(error),
      );
    },
  });
  broker.on('clientReady', (client) => clients.add(client as VigilClient));
  broker.on('clientDisconnect', (client) => clients.delete(client as VigilClient));
  broker.on('clientError', (client, error) => log.debug({ client: client?.id, err: error.message }, 'MQTT client error'));
  broker.on('connectionError', (client, error) => log.debug({ client: client?.id, err: error.message }, 'MQTT connection error'));
  await broker.listen();

  const server = net.createServer((socket) => broker.handle(socket));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new BrokerPortInUseError(options.host, options.port);
    throw error;
  }
  server.on('error', (error) => log.error({ err: error }, 'MQTT listener failed'));
  const port = (server.address() as net.AddressInfo).port;

  const recheck = setInterval(() => {
    for (const client of clients) {
      const token = tokens.get(client);
      if (!token) continue;
      void principalForToken(kernel.store.db, token, kernel.clock()).then((p) => {
        if (!p) {
          log.info({ client: client.id }, 'closing an MQTT connection whose token was revoked or expired');
          client.close();
        }
      });
    }
  }, RECHECK_MS);
  recheck.unref();

  ingestion.setPath({ name: 'mqtt', state: 'running', detail: `embedded MQTT 3.1.1 broker on ${options.host}:${port}`, clients: 0 });
  const status = setInterval(() => {
    ingestion.setPath({ name: 'mqtt', state: 'running', detail: `embedded MQTT 3.1.1 broker on ${options.host}:${port}`, clients: clients.size });
  }, 5000);
  status.unref();

  return {
    port,
    async close() {
      clearInterval(recheck);
      clearInterval(status);
      // Closing the broker ends its connections; only then can the listener finish closing.
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      ingestion.paths.delete('mqtt');
    },
  };
}

function remote(client: Client): string | null {
  const conn = client.conn as net.Socket | undefined;
  return conn?.remoteAddress ?? null;
}
