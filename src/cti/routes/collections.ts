import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { principalOf } from '../../kernel/http/index.js';
import type { Kernel } from '../../kernel/kernel.js';
import { collectionScope, collectionsFor } from '../taxii/collections.js';
import { API_ROOT_PATH } from '../taxii/routes.js';

/**
 * The TAXII collections the caller's organisation exposes and reads, as the web application shows them: the
 * same list `/taxii2/api/collections/` gives (same ids, same rights), with how many objects each holds for the
 * caller and where a partner connects. The counts go through the collection's own scope, so they are what
 * TAXII would serve this caller: AMBER+STRICT and RED are never counted.
 */
const Collection = Type.Object({
  id: Type.String(),
  alias: Type.String(),
  kind: Type.Enum(['public', 'community', 'org', 'group']),
  title: Type.String(),
  description: Type.String(),
  canRead: Type.Boolean(),
  canWrite: Type.Boolean(),
  objects: Type.Integer({ description: 'distinct STIX objects in the collection, as this caller sees it' }),
  versions: Type.Integer({ description: 'stored versions of those objects' }),
  url: Type.String({ description: 'the collection’s URL, relative to this server' }),
});

export function collectionRoutes(kernel: Kernel): FastifyPluginAsync {
  const db = kernel.store.db;
  return async (app) => {
    app.get(
      '/cti/collections',
      {
        schema: {
          tags: ['threat intelligence'],
          summary: 'The TAXII 2.1 collections you see, with their object counts, the discovery URL and the API root',
          response: { 200: Type.Object({ discovery: Type.String(), apiRoot: Type.String(), collections: Type.Array(Collection) }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const list = await collectionsFor(db, principal);
        const collections = [];
        for (const c of list) {
          const scope = collectionScope(c, principal);
          const counted = await db
            .selectFrom('stix_objects as o')
            .select((eb) => [eb.fn.count<number>('o.stix_id').distinct().as('objects'), eb.fn.countAll<number>().as('versions')])
            .where(scope('o'))
            .executeTakeFirstOrThrow();
          collections.push({ ...c, objects: Number(counted.objects), versions: Number(counted.versions), url: `${API_ROOT_PATH}collections/${c.id}/` });
        }
        return { discovery: '/taxii2/', apiRoot: API_ROOT_PATH, collections };
      },
    );
  };
}
