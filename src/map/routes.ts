import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Problem, type VigilApp } from '../kernel/http/index.js';
import type { Kernel } from '../kernel/kernel.js';
import { type RoadCollection, boundsOf, slimRoads } from './roads.js';

const SEED = fileURLToPath(new URL('../../data-seed/', import.meta.url));
export const ROADS_FILE = path.join(SEED, 'osm', 'monaco-roads.geojson');
export const GLYPHS_DIR = path.join(SEED, 'glyphs');
const ATTRIBUTION = '© OpenStreetMap contributors (ODbL)';

interface Prepared {
  body: Buffer;
  gzip: Buffer;
  etag: string;
}

function prepare(body: Buffer): Prepared {
  const gzip = zlib.gzipSync(body, { level: 9 });
  return { body, gzip, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

/** Sends a prepared body, gzip'd when the client accepts it, with an ETag for revalidation. */
function sendPrepared(request: FastifyRequest, reply: FastifyReply, prepared: Prepared, type: string): FastifyReply {
  reply.header('ETag', prepared.etag).header('Vary', 'Accept-Encoding').header('Cache-Control', 'public, max-age=3600');
  if (request.headers['if-none-match'] === prepared.etag) return reply.code(304).send();
  const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  if (gzip) reply.header('Content-Encoding', 'gzip');
  return reply.type(type).send(gzip ? prepared.gzip : prepared.body);
}

/**
 * The base map the web application draws offline: the city's roads as GeoJSON and the glyphs its
 * labels are drawn with. Both are public data (OpenStreetMap, open-licensed fonts), so they are served
 * without a session, like the login page that may show them.
 */
export function mapRoutes(kernel: Kernel, options: { roadsFile?: string; glyphsDir?: string } = {}): FastifyPluginAsync {
  const roadsFile = options.roadsFile ?? ROADS_FILE;
  const glyphsDir = options.glyphsDir ?? GLYPHS_DIR;
  let roads: { prepared: Prepared; bounds: [number, number, number, number] } | null = null;
  const glyphs = new Map<string, Prepared | null>();

  function loadRoads() {
    if (!roads) {
      const slim = slimRoads(JSON.parse(fs.readFileSync(roadsFile, 'utf8')) as RoadCollection);
      roads = { prepared: prepare(Buffer.from(JSON.stringify(slim))), bounds: boundsOf(slim) };
      kernel.log.debug({ bytes: roads.prepared.body.length, gzip: roads.prepared.gzip.length }, 'base map roads prepared');
    }
    return roads;
  }

  function loadGlyphs(stack: string, range: string): Prepared | null {
    const key = `${stack}/${range}`;
    if (!glyphs.has(key)) {
      const file = path.join(glyphsDir, stack, `${range}.pbf`);
      glyphs.set(key, fs.existsSync(file) ? prepare(fs.readFileSync(file)) : null);
    }
    return glyphs.get(key) ?? null;
  }

  return async (plain) => {
    const app = plain as VigilApp;

    app.get(
      '/map/base',
      {
        config: { public: true },
        schema: {
          tags: ['map'],
          summary: 'What the base map needs: the city bounds, the road data and glyph URLs, the attribution',
          security: [],
          response: {
            200: Type.Object({
              bounds: Type.Array(Type.Number(), { minItems: 4, maxItems: 4 }),
              roads: Type.String(),
              glyphs: Type.String(),
              fonts: Type.Object({ regular: Type.String(), bold: Type.String() }),
              attribution: Type.String(),
            }),
          },
        },
      },
      async () => ({
        bounds: loadRoads().bounds,
        roads: '/api/v1/map/roads',
        glyphs: '/api/v1/map/glyphs/{fontstack}/{range}.pbf',
        fonts: { regular: 'Vigil Sans Regular', bold: 'Vigil Sans Bold' },
        attribution: ATTRIBUTION,
      }),
    );

    app.get(
      '/map/roads',
      { config: { public: true }, schema: { tags: ['map'], summary: "The city's roads as GeoJSON (OpenStreetMap, ODbL), gzip'd when accepted", security: [] } },
      async (request, reply) => sendPrepared(request, reply, loadRoads().prepared, 'application/geo+json'),
    );

    app.get(
      '/map/glyphs/:fontstack/:range',
      {
        config: { public: true },
        schema: {
          tags: ['map'],
          summary: 'Label glyphs (MapLibre glyph PBF, signed distance fields) for a range of 256 code points',
          security: [],
          params: Type.Object({ fontstack: Type.String({ maxLength: 200 }), range: Type.String({ pattern: '^[0-9]{1,6}-[0-9]{1,6}\\.pbf$' }) }, { additionalProperties: false }),
        },
      },
      async (request, reply) => {
        const range = request.params.range.replace(/\.pbf$/, '');
        // MapLibre asks for a comma-separated stack; the first font we have answers.
        for (const stack of request.params.fontstack.split(',').map((s) => s.trim())) {
          if (!/^[A-Za-z0-9 ]+$/.test(stack)) continue;
          const prepared = loadGlyphs(stack, range);
          if (prepared) return sendPrepared(request, reply, prepared, 'application/x-protobuf');
        }
        throw new Problem(404, `No glyphs for the font stack ${request.params.fontstack}, range ${range}`);
      },
    );
  };
}
