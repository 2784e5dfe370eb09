import type { FastifyPluginAsync } from 'fastify';
import { type VigilApp, actorFor, asPage, commonListQuery, conflict, initialSharing, notFound, principalOf, requirePermission, shareRoute, unprocessable } from '../../kernel/http/index.js';
import { IdParams, PageOf } from '../../kernel/http/schemas.js';
import type { Kernel } from '../../kernel/kernel.js';
import { networkGeoJson } from '../network/placement.js';
import { controlLine } from '../network/write.js';
import type { WaterRuntime } from '../runtime.js';
import { prepareImport, writeImport } from '../store/import.js';
import { getNetwork, listNetworks, listNetworkVersions, loadNetworkVersion, networkAssets } from '../store/networks.js';
import * as S from '../http-schemas.js';
import { asProblem } from './problems.js';

export function networkRoutes(kernel: Kernel, runtime: WaterRuntime): FastifyPluginAsync {
  const db = kernel.store.db;
  return async (plain) => {
    const app = plain as VigilApp;

    app.get('/water/networks', { schema: { tags: ['water'], summary: 'Water models you may see, newest first', querystring: S.NetworkQuery, response: { 200: PageOf(S.Network) } } }, async (request) => {
      const common = await commonListQuery(db, request.query);
      return asPage(await listNetworks(db, principalOf(request), { ...(common.owner ? { owner: common.owner } : {}), ...(common.q ? { q: common.q } : {}) }, common.limit, common.cursor));
    });

    app.post(
      '/water/networks',
      {
        schema: {
          tags: ['water'],
          summary: "Import an EPANET network as your organisation's water model (a new version if the name exists), creating or linking its assets",
          body: S.NetworkImportBody,
          response: { 200: S.ImportResult, 201: S.ImportResult },
        },
      },
      async (request, reply) => {
        const principal = requirePermission(request, 'records:write');
        const body = request.body;
        let prepared;
        try {
          prepared = prepareImport({ name: body.name, inp: body.inp, ...(body.title ? { title: body.title } : {}), layout: body.layout, placement: body.placement ?? null, ...(body.consumers ? { consumers: body.consumers } : {}) });
        } catch (error) {
          asProblem(error, 'network');
        }
        const refusal = await runtime.check(prepared.network);
        if (refusal) throw unprocessable(`EPANET cannot run this network: ${refusal}`, { problems: [refusal] });
        const sharing = await initialSharing(db, principal, body);
        const assetSharing = await initialSharing(db, principal, {});
        try {
          const outcome = await kernel.write(actorFor(request), (w) => writeImport(w, principal, prepared, { network: sharing, asset: () => assetSharing }));
          return reply.code(outcome.created ? 201 : 200).send(outcome);
        } catch (error) {
          asProblem(error, 'import');
        }
      },
    );

    app.get('/water/networks/:id', { schema: { tags: ['water'], summary: 'One water model (its newest version, or ?version=)', params: IdParams, querystring: S.VersionQuery, response: { 200: S.Network } } }, async (request) => {
      const network = await getNetwork(db, principalOf(request), request.params.id, request.query.version);
      if (!network) throw notFound('water network', request.params.id);
      return network;
    });

    app.get('/water/networks/:id/versions', { schema: { tags: ['water'], summary: 'The versions of a water model, newest first', params: IdParams, response: { 200: S.NetworkVersions } } }, async (request) => {
      const network = await getNetwork(db, principalOf(request), request.params.id);
      if (!network) throw notFound('water network', request.params.id);
      return { items: await listNetworkVersions(db, network.id) };
    });

    app.get('/water/networks/:id/inp', { schema: { tags: ['water'], summary: 'The .inp file of a version, as imported', params: IdParams, querystring: S.VersionQuery } }, async (request, reply) => {
      const network = await getNetwork(db, principalOf(request), request.params.id, request.query.version);
      if (!network) throw notFound('water network', request.params.id);
      const loaded = await loadNetworkVersion(db, network.id, network.shownVersion);
      return reply
        .type('text/plain; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="${network.name}-v${network.shownVersion}.inp"`)
        .send(loaded!.inp);
    });

    app.get(
      '/water/networks/:id/geojson',
      {
        schema: {
          tags: ['water'],
          summary: 'The network on the map: junctions, tanks, reservoirs (points), pipes, pumps, valves (lines), with ids and the assets they are',
          params: IdParams,
          querystring: S.VersionQuery,
          response: { 200: S.GeoJsonOut },
        },
      },
      async (request) => {
        const viewer = principalOf(request);
        const network = await getNetwork(db, viewer, request.params.id, request.query.version);
        if (!network) throw notFound('water network', request.params.id);
        const loaded = (await loadNetworkVersion(db, network.id, network.shownVersion))!;
        if (!loaded.transform) throw conflict('This network has no placement on the map: import it again with a placement (or --centre and --size)');
        const collection = networkGeoJson(loaded.network, loaded.transform);
        const assets = await networkAssets(db, viewer, network.id);
        const kindOf: Record<string, string> = { pump: 'water-pump', tank: 'water-tank', valve: 'water-valve', reservoir: 'water-reservoir' };
        let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
        const features = collection.features.map((f) => {
          const kind = kindOf[String(f.properties.kind)];
          const asset = kind ? assets.get(`${kind}/${f.id}`) : undefined;
          const coords = f.geometry.type === 'Point' ? [f.geometry.coordinates] : f.geometry.coordinates;
          for (const [lon, lat] of coords) {
            minLon = Math.min(minLon, lon); maxLon = Math.max(maxLon, lon); minLat = Math.min(minLat, lat); maxLat = Math.max(maxLat, lat);
          }
          return { ...f, properties: { ...f.properties, assetId: asset?.assetId ?? null } };
        });
        // The controls travel with the map so a scenario form can offer "C3: LINK PU4 OPEN IF NODE T3 BELOW 3".
        const controls = loaded.network.controls.map((c) => ({ id: c.id, link: c.link, text: controlLine(c) }));
        return { type: 'FeatureCollection' as const, bbox: features.length ? [minLon, minLat, maxLon, maxLat] : [], network: { id: network.id, name: network.name, version: network.shownVersion }, controls, features };
      },
    );

    shareRoute(app, kernel, { kind: 'water-network', table: 'water_networks', path: '/water/networks', response: S.Network, load: (q, viewer, id) => getNetwork(q, viewer, id) });
  };
}
