import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { OsmMember, OsmSink, Tags } from '../../src/routing/osm/elements.js';
import { readRoadGeoJson } from '../../src/routing/osm/geojson.js';
import { readOsmPbf } from '../../src/routing/osm/pbf.js';
import { readOsmXml } from '../../src/routing/osm/xml.js';
import { directionSpeeds, onewayDirection, parseMaxspeed } from '../../src/routing/profiles.js';
import { importRoadGraph, RoadDataError } from '../../src/routing/index.js';
import { here } from './helpers.js';

class Counter implements OsmSink {
  nodes = 0;
  nodeTags: Tags[] = [];
  ways: Array<{ id: number; refs: number[]; tags: Tags }> = [];
  relations: Array<{ id: number; members: OsmMember[]; tags: Tags }> = [];
  node(_id: number, _lon: number, _lat: number, tags?: Tags): void {
    this.nodes++;
    if (tags) this.nodeTags.push(tags);
  }
  way(id: number, refs: number[], tags: Tags): void {
    this.ways.push({ id, refs, tags });
  }
  relation(id: number, members: OsmMember[], tags: Tags): void {
    this.relations.push({ id, members, tags });
  }
}

const monacoPbf = readFileSync(here('../../data-seed/osm/monaco.osm.pbf'));

describe('OSM PBF reader', () => {
  it('reads every element of the Monaco extract (counts published with the file)', () => {
    const sink = new Counter();
    readOsmPbf(monacoPbf, sink);
    expect(sink.nodes).toBe(180_118);
    expect(sink.ways).toHaveLength(27_377);
    expect(sink.relations).toHaveLength(212);
    // Dense-node tags are decoded too: traffic signals, crossings, barriers.
    expect(sink.nodeTags.length).toBeGreaterThan(1000);
    expect(sink.nodeTags.filter((t) => t.highway === 'traffic_signals').length).toBeGreaterThan(10);
    expect(sink.nodeTags.some((t) => t.barrier !== undefined)).toBe(true);
    const restriction = sink.relations.find((r) => r.id === 3410831)!;
    expect(restriction.tags).toMatchObject({ type: 'restriction', restriction: 'only_straight_on' });
    expect(restriction.members).toContainEqual({ type: 'node', ref: 273244852, role: 'via' });
  });

  it('refuses a truncated file', () => {
    expect(() => readOsmPbf(monacoPbf.subarray(0, monacoPbf.length - 1000), new Counter())).toThrow(/truncated PBF/);
    expect(() => readOsmPbf(monacoPbf.subarray(0, 3), new Counter())).toThrow(RoadDataError);
  });

  it('refuses a file with a damaged block, and something that is not PBF at all', () => {
    const damaged = Buffer.from(monacoPbf);
    for (let i = 200_000; i < 200_400; i++) damaged[i] = (damaged[i]! * 7 + 13) & 0xff;
    expect(() => readOsmPbf(damaged, new Counter())).toThrow(RoadDataError);
    expect(() => readOsmPbf(Buffer.from('definitely not a protobuf file at all'), new Counter())).toThrow(RoadDataError);
  });
});

describe('OSM XML reader', () => {
  it('reads nodes, ways, relations and decodes entities', () => {
    const sink = new Counter();
    readOsmXml(readFileSync(here('fixtures/small-town.osm'), 'utf8'), sink);
    expect(sink.nodes).toBe(10);
    expect(sink.nodeTags).toEqual([{ barrier: 'bollard', bollard: 'removable' }]);
    expect(sink.ways).toHaveLength(13);
    expect(sink.relations).toHaveLength(2);
    expect(sink.ways.find((w) => w.id === 105)!.tags.name).toBe("Rue d'Ouest");
    expect(sink.ways.find((w) => w.id === 111)!.tags.name).toBe('Chemin Privé');
  });

  it('never resolves external entities (XXE)', () => {
    const xxe = `<?xml version="1.0"?>
<!DOCTYPE osm [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<osm version="0.6"><node id="1" lat="43.7" lon="7.4"><tag k="name" v="&secret;"/></node></osm>`;
    expect(() => readOsmXml(xxe, new Counter())).toThrow(/unsupported entity/);
  });

  it('refuses truncated or foreign XML with the line', () => {
    const text = readFileSync(here('fixtures/small-town.osm'), 'utf8');
    expect(() => readOsmXml(text.slice(0, text.length - 200), new Counter())).toThrow(/truncated OSM XML|never closed/);
    expect(() => readOsmXml('<gpx><trk/></gpx>', new Counter())).toThrow(/not an OSM XML file/);
    expect(() => readOsmXml('<osm><node id="x" lat="1" lon="2"/></osm>', new Counter())).toThrow(/line 1/);
  });

  it('skips elements deleted in JOSM files', () => {
    const sink = new Counter();
    readOsmXml('<osm><node id="1" lat="1" lon="2" action="delete"/><node id="2" lat="1" lon="2"/></osm>', sink);
    expect(sink.nodes).toBe(1);
  });
});

describe('GeoJSON road reader', () => {
  // The GeoJSON export lives in the shared data folder beside the repository; without it this test says so and skips.
  const geojson = here('../../../shared/data/osm/monaco-roads.geojson');
  it.skipIf(!existsSync(geojson))('imports the Monaco roads export (../shared/data/osm) with its node ids as topology', () => {
    const graph = importRoadGraph({ bytes: readFileSync(geojson), fileName: 'monaco-roads.geojson', importedAt: 'x' });
    expect(graph.about.stats.roadWays).toBeGreaterThan(1700);
    expect(graph.about.stats.segments).toBeGreaterThan(2500);
  });

  it('joins lines at shared coordinates when there are no node ids', () => {
    const sink = new Counter();
    const line = (coordinates: number[][]) => ({ type: 'Feature', properties: { highway: 'residential' }, geometry: { type: 'LineString', coordinates } });
    readRoadGeoJson(JSON.stringify({ type: 'FeatureCollection', features: [line([[7.4, 43.7], [7.401, 43.7]]), line([[7.401, 43.7], [7.401, 43.701]])] }), sink);
    expect(sink.ways[0]!.refs[1]).toBe(sink.ways[1]!.refs[0]);
  });

  it('refuses malformed GeoJSON', () => {
    expect(() => readRoadGeoJson('{"type":"FeatureCollection","features":[', new Counter())).toThrow(/not a valid GeoJSON/);
    expect(() => readRoadGeoJson('{"type":"Feature"}', new Counter())).toThrow(/FeatureCollection/);
    const bad = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { highway: 'primary' }, geometry: { type: 'LineString', coordinates: [[7.4, 95]] } }] };
    expect(() => readRoadGeoJson(JSON.stringify(bad), new Counter())).toThrow(/two or more positions|out of range/);
  });
});

describe('road tags', () => {
  it('parses maxspeed values as OSM writes them', () => {
    expect(parseMaxspeed('50')).toBe(50);
    expect(parseMaxspeed('50 km/h')).toBe(50);
    expect(parseMaxspeed('30 mph')).toBeCloseTo(48.28, 2);
    expect(parseMaxspeed('FR:urban')).toBe(50);
    expect(parseMaxspeed('FR:rural')).toBe(80);
    expect(parseMaxspeed('DE:zone30')).toBe(30);
    expect(parseMaxspeed('walk')).toBe(6);
    expect(parseMaxspeed('50;30')).toBe(30);
    expect(parseMaxspeed('none')).toBeUndefined();
    expect(parseMaxspeed('signals')).toBeUndefined();
    expect(parseMaxspeed(undefined)).toBeUndefined();
  });

  it('reads one-way rules, roundabouts and contraflow bus lanes', () => {
    expect(onewayDirection({ highway: 'residential', oneway: '-1' }, 'car')).toBe(-1);
    expect(onewayDirection({ highway: 'primary', junction: 'roundabout' }, 'car')).toBe(1);
    expect(onewayDirection({ highway: 'primary', junction: 'roundabout', oneway: 'no' }, 'car')).toBe(0);
    expect(onewayDirection({ highway: 'motorway' }, 'car')).toBe(1);
    expect(onewayDirection({ highway: 'residential', oneway: 'reversible' }, 'car')).toBeUndefined();
    expect(onewayDirection({ highway: 'residential', oneway: 'yes', 'oneway:psv': 'no' }, 'car')).toBe(1);
    expect(onewayDirection({ highway: 'residential', oneway: 'yes', 'oneway:psv': 'no' }, 'emergency')).toBe(0);
  });

  it('uses class defaults without maxspeed and speeds emergency vehicles by the factor, within the cap', () => {
    expect(directionSpeeds({ highway: 'residential' }, 'car')).toEqual({ forward: 25, backward: 25 });
    expect(directionSpeeds({ highway: 'primary', maxspeed: '50', oneway: 'yes' }, 'car')).toEqual({ forward: 40, backward: 0 });
    expect(directionSpeeds({ highway: 'primary', maxspeed: '50' }, 'emergency').forward).toBeCloseTo(60, 6);
    expect(directionSpeeds({ highway: 'motorway', maxspeed: '130' }, 'emergency').forward).toBe(130);
    expect(directionSpeeds({ highway: 'residential', access: 'no' }, 'car').forward).toBe(0);
    expect(directionSpeeds({ highway: 'residential', access: 'no', emergency: 'yes' }, 'emergency').forward).toBe(30);
    expect(directionSpeeds({ highway: 'residential', access: 'no', bus: 'designated' }, 'emergency').forward).toBe(30);
    expect(directionSpeeds({ highway: 'pedestrian' }, 'emergency').forward).toBe(0);
    expect(directionSpeeds({ highway: 'footway' }, 'emergency').forward).toBe(0);
  });
});

describe('PBF and XML give the same graph', () => {
  it('imports Monaco written out as OSM XML into exactly the graph the PBF gives', () => {
    // Keep what routing reads: road ways, their nodes (with tags), restriction relations.
    const sink = new Counter();
    const nodes = new Map<number, [number, number, Tags | undefined]>();
    readOsmPbf(monacoPbf, {
      node: (id, lon, lat, tags) => void nodes.set(id, [lon, lat, tags]),
      way: (id, refs, tags) => sink.way(id, refs, tags),
      relation: (id, members, tags) => sink.relation(id, members, tags),
    });
    const roads = sink.ways.filter((w) => w.tags.highway !== undefined);
    const used = new Set(roads.flatMap((w) => w.refs));
    const escape = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const tagLines = (tags: Tags | undefined) => Object.entries(tags ?? {}).map(([k, v]) => `<tag k="${escape(k)}" v="${escape(v)}"/>`).join('');
    const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6">'];
    for (const [id, [lon, lat, tags]] of nodes) {
      if (used.has(id)) lines.push(`<node id="${id}" lat="${lat}" lon="${lon}">${tagLines(tags)}</node>`);
    }
    for (const w of roads) lines.push(`<way id="${w.id}">${w.refs.map((r) => `<nd ref="${r}"/>`).join('')}${tagLines(w.tags)}</way>`);
    for (const r of sink.relations.filter((x) => x.tags.type === 'restriction')) {
      lines.push(`<relation id="${r.id}">${r.members.map((m) => `<member type="${m.type}" ref="${m.ref}" role="${escape(m.role)}"/>`).join('')}${tagLines(r.tags)}</relation>`);
    }
    lines.push('</osm>');
    const fromXml = importRoadGraph({ bytes: new TextEncoder().encode(lines.join('\n')), fileName: 'monaco.osm', importedAt: 'x' });
    const fromPbf = importRoadGraph({ bytes: monacoPbf, fileName: 'monaco.osm.pbf', importedAt: 'x' });
    expect(fromXml.about.stats).toEqual(fromPbf.about.stats);
    expect(fromXml.network).toEqual(fromPbf.network);
    expect(fromXml.profiles).toEqual(fromPbf.profiles);
  });
});
