import { describe, expect, it } from 'vitest';
import {
  TLP_2_MARKING_IDS,
  tlpMarkingDefinition,
  validateBundle,
  validateBundleStream,
  validateObject,
  validateObjects,
  type ObjectReport,
} from '../../src/cti/index.js';

const indicator = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  created: '2026-03-14T10:00:00.000Z',
  modified: '2026-03-14T10:00:00.000Z',
  pattern: "[ipv4-addr:value = '198.51.100.1']",
  pattern_type: 'stix',
  valid_from: '2026-03-14T10:00:00Z',
  ...extra,
});

const codes = (r: ObjectReport): string[] => r.reasons.map((x) => `${x.code} ${x.path}`);

describe('schema-invalid objects are rejected with the right reason', () => {
  it('accepts the well-formed indicator', () => {
    const r = validateObject(indicator());
    expect(r.reasons).toEqual([]);
    expect(r.valid).toBe(true);
  });

  it('names each missing required property', () => {
    const { pattern: _p, valid_from: _v, ...rest } = indicator();
    const r = validateObject(rest);
    expect(r.valid).toBe(false);
    expect(codes(r)).toEqual(expect.arrayContaining(['schema $.objects[0].pattern', 'schema $.objects[0].valid_from']));
    expect(r.reasons.find((x) => x.path.endsWith('.pattern'))!.message).toMatch(/required property 'pattern'/);
  });

  it('rejects created/modified without millisecond precision', () => {
    const r = validateObject(indicator({ created: '2026-03-14T10:00:00Z' }));
    expect(codes(r)).toContain('schema $.objects[0].created');
  });

  it('rejects an identifier that names another type', () => {
    const r = validateObject(indicator({ id: 'malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' }));
    expect(r.valid).toBe(false);
    expect(codes(r)).toContain('schema $.objects[0].id');
  });

  it('rejects a custom object whose id names another type (no schema says so)', () => {
    const r = validateObject({ type: 'x-water-tank', spec_version: '2.1', id: 'x-pump--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', created: '2026-03-14T10:00:00.000Z', modified: '2026-03-14T10:00:00.000Z' });
    expect(r.reasons).toEqual([expect.objectContaining({ code: 'identifier', path: '$.objects[0].id' })]);
  });

  it('rejects modified earlier than created', () => {
    const r = validateObject(indicator({ modified: '2026-03-14T09:59:59.999Z' }));
    expect(r.reasons).toEqual([expect.objectContaining({ code: 'timestamp-order', path: '$.objects[0].modified' })]);
  });

  it('compares timestamps exactly whatever their fraction digits', () => {
    expect(validateObject(indicator({ created: '2026-03-14T10:00:00.5000Z', modified: '2026-03-14T10:00:00.123Z' })).reasons).toEqual([
      expect.objectContaining({ code: 'timestamp-order' }),
    ]);
    expect(validateObject(indicator({ created: '2026-03-14T10:00:00.100Z', modified: '2026-03-14T10:00:00.1000001Z' })).valid).toBe(true);
  });

  it('rejects valid_until not after valid_from', () => {
    const r = validateObject(indicator({ valid_until: '2026-03-14T10:00:00Z' }));
    expect(codes(r)).toEqual(['timestamp-order $.objects[0].valid_until']);
  });

  it('rejects a reference to the wrong kind of object', () => {
    const r = validateObject(indicator({ created_by_ref: 'malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061' }));
    expect(r.reasons).toEqual([expect.objectContaining({ code: 'reference-type', path: '$.objects[0].created_by_ref' })]);
    const sighting = {
      type: 'sighting', spec_version: '2.1', id: 'sighting--ee20065d-2555-424f-ad9e-0f8428623c75',
      created: '2026-03-14T10:00:00.000Z', modified: '2026-03-14T10:00:00.000Z',
      sighting_of_ref: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      where_sighted_refs: ['identity--b8b3f2d2-1c2a-4b8e-9a5f-2d1e0f9a8b7c', 'malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061'],
    };
    expect(codes(validateObject(sighting))).toContain('reference-type $.objects[0].where_sighted_refs[1]');
  });

  it('rejects a relationship from a marking definition', () => {
    const r = validateObject({
      type: 'relationship', spec_version: '2.1', id: 'relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad',
      created: '2026-03-14T10:00:00.000Z', modified: '2026-03-14T10:00:00.000Z', relationship_type: 'indicates',
      source_ref: TLP_2_MARKING_IDS.red, target_ref: 'malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',
    });
    expect(codes(r)).toContain('reference-type $.objects[0].source_ref');
  });

  it('keeps x_-prefixed custom properties and rejects others with the reason', () => {
    expect(validateObject(indicator({ x_vigil_asset: 'pump-7' })).valid).toBe(true);
    const r = validateObject(indicator({ asset: 'pump-7' }));
    expect(r.reasons).toEqual([expect.objectContaining({ code: 'custom-property', path: '$.objects[0].asset' })]);
    expect(r.reasons[0]!.message).toMatch(/x_-prefixed/);
  });

  it('accepts top-level custom properties declared by a toplevel-property-extension', () => {
    const r = validateObject(indicator({
      asset: 'pump-7',
      extensions: { 'extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e': { extension_type: 'toplevel-property-extension' } },
    }));
    expect(r.valid).toBe(true);
  });

  it('rejects marking references that resolve to nothing, and accepts TLP 1.0, TLP 2.0 and bundle markings', () => {
    const unknown = 'marking-definition--4b1e2e4f-1c2a-4b8e-9a5f-2d1e0f9a8b7c';
    expect(codes(validateObject(indicator({ object_marking_refs: [unknown] })))).toEqual(['marking-unknown $.objects[0].object_marking_refs[0]']);
    expect(validateObject(indicator({ object_marking_refs: ['marking-definition--f88d31f6-486f-44da-b317-01333bde0b82'] })).valid).toBe(true);
    expect(validateObject(indicator({ object_marking_refs: [TLP_2_MARKING_IDS['amber+strict']] })).valid).toBe(true);
    const statement = {
      type: 'marking-definition', spec_version: '2.1', id: unknown, created: '2026-01-01T00:00:00.000Z',
      definition_type: 'statement', definition: { statement: 'Copyright City of Vigil' },
    };
    // The marking comes after the object it marks: settled at the end of the bundle.
    const reports = validateObjects([indicator({ object_marking_refs: [unknown] }), statement]);
    expect(reports.map((r) => r.valid)).toEqual([true, true]);
    expect(validateObject(indicator({ object_marking_refs: [unknown] }), { knownMarkingIds: [unknown] }).valid).toBe(true);
  });

  it('checks granular marking selectors point at content that exists', () => {
    const gm = (selectors: string[]) => indicator({
      name: 'C2', kill_chain_phases: [{ kill_chain_name: 'lockheed-martin-cyber-kill-chain', phase_name: 'command-and-control' }],
      granular_markings: [{ marking_ref: TLP_2_MARKING_IDS.red, selectors }],
    });
    expect(validateObject(gm(['name', 'kill_chain_phases.[0].phase_name'])).valid).toBe(true);
    expect(codes(validateObject(gm(['description'])))).toEqual(['granular-selector $.objects[0].granular_markings[0].selectors[0]']);
    expect(codes(validateObject(gm(['kill_chain_phases.[1]'])))).toEqual(['granular-selector $.objects[0].granular_markings[0].selectors[0]']);
  });

  it('rejects an indicator whose STIX pattern does not parse, with the column', () => {
    const r = validateObject(indicator({ pattern: "[ipv4-addr:value = '198.51.100.1'" }));
    expect(r.reasons).toEqual([expect.objectContaining({ code: 'pattern', path: '$.objects[0].pattern' })]);
    expect(r.reasons[0]!.message).toMatch(/column 34 \(offset 33\)/);
    expect(validateObject(indicator({ pattern: 'alert tcp any any', pattern_type: 'snort' })).valid).toBe(true);
  });

  it('warns (without rejecting) when an SCO id is not its deterministic id', () => {
    const r = validateObject({ type: 'ipv4-addr', spec_version: '2.1', id: 'ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd', value: '198.51.100.3' });
    expect(r.valid).toBe(true);
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'identifier', path: '$.objects[0].id' })]);
  });

  it('does not stall on a long near-miss extension name (the schema pattern backtracks exponentially)', () => {
    const started = performance.now();
    const r = validateObject({ type: 'ipv4-addr', id: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4', value: '198.51.100.3', extensions: { [`${'a'.repeat(60)}!`]: { x: 1 } } });
    expect(r.valid).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('bundles are reported object by object', () => {
  it('reports every invalid object with its index and id, and counts the rest valid', async () => {
    const bundle = {
      type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
      objects: [indicator(), indicator({ id: 'indicator--1f2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', modified: '2020-01-01T00:00:00.000Z' }), tlpMarkingDefinition('amber')],
    };
    const report = await validateBundle(bundle);
    expect(report).toMatchObject({ total: 3, valid: 2, invalid: 1, bundleReasons: [] });
    expect(report.objects).toEqual([expect.objectContaining({ index: 1, id: 'indicator--1f2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', valid: false })]);
  });

  it('reports an element that is not JSON without losing the others', async () => {
    const text = `{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[${JSON.stringify(indicator())},{"type":"indicator",}]}`;
    const report = await validateBundleStream([Buffer.from(text)]);
    expect(report.total).toBe(2);
    expect(report.objects).toEqual([expect.objectContaining({ index: 1, valid: false, reasons: [expect.objectContaining({ code: 'json' })] })]);
  });

  it('stops at a broken bundle structure with the byte offset', async () => {
    const report = await validateBundleStream([Buffer.from('{"type":"bundle","objects":[{"a":1]}')]);
    expect(report.syntaxError).toEqual({ message: 'mismatched bracket at byte 34', offset: 34 });
  });

  it('says when the bundle itself is malformed', async () => {
    const report = await validateBundle({ type: 'bundle', id: 'not-an-id', objects: [indicator()] });
    expect(report.bundleReasons).toEqual([expect.objectContaining({ code: 'identifier', path: '$.id' })]);
  });

  it('hands valid objects to the importer as they stream, and lists those a late marking check invalidates', async () => {
    const unknown = 'marking-definition--4b1e2e4f-1c2a-4b8e-9a5f-2d1e0f9a8b7c';
    const seen: string[] = [];
    const report = await validateBundle(
      { type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', objects: [indicator({ object_marking_refs: [unknown] }), indicator({ id: 'indicator--1f2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' })] },
      { onObject: (o) => void seen.push(String((o as { id: string }).id)) },
    );
    expect(seen).toHaveLength(2);
    expect(report.invalidatedLate.map((r) => r.index)).toEqual([0]);
    expect(report.invalid).toBe(1);
  });
});
