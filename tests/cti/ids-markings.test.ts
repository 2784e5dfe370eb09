import { describe, expect, it } from 'vitest';
import {
  TLP_1_MARKING_IDS,
  TLP_2_MARKING_IDS,
  canonicalJson,
  parseTlp,
  scoContributingProperties,
  scoId,
  strictestTlp,
  tlpMarkingDefinition,
  tlpOfMarkingDefinition,
  tlpOfMarkingId,
  tlpOfObject,
  uuidV5,
  validateObject,
} from '../../src/cti/index.js';

describe('deterministic SCO identifiers', () => {
  it('implements RFC 4122 UUIDv5 (the RFC/Python reference vector)', () => {
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('canonicalises JSON per RFC 8785 (sorted keys, ECMAScript numbers)', () => {
    expect(canonicalJson({ b: [1, 2.5, 1e21], a: { d: 'é', c: null } })).toBe('{"a":{"c":null,"d":"é"},"b":[1,2.5,1e+21]}');
  });

  it('gives the ids the OASIS reference implementation gives (stix2 test_deterministic_ids)', () => {
    const file = {
      type: 'file', name: 'example.exe', size: 68000, magic_number_hex: '50000000',
      hashes: { 'SHA-256': '841a8921140aba50671ebb0770fecc4ee308c4952cfeff8de154ab14eeef4649' },
      extensions: { 'windows-pebinary-ext': { pe_type: 'exe', machine_hex: '014c', sections: [{ name: '.data', size: 4096, entropy: 7.980693, hashes: { 'SHA-256': '6e3b6f3978e5cd96ba7abee35c24e867b7e64072e2ecb22d0ee7a6e6af6894d0' } }] } },
    };
    expect(scoId(file)).toBe('file--ced31cd4-bdcb-537d-aefa-92d291bfc11d');
    expect(scoId({ type: 'windows-registry-key', values: [{ name: 'Foo', data: 'qwerty' }, { name: 'Bar', data: '42' }] })).toBe(
      'windows-registry-key--36594eba-bcc7-5014-9835-0e154264e588',
    );
  });

  it('uses only the ID Contributing Properties', () => {
    const a = scoId({ type: 'email-addr', value: 'john@example.com', display_name: 'Johnny Doe' });
    expect(scoId({ type: 'email-addr', value: 'john@example.com', display_name: 'Janey Doe' })).toBe(a);
    expect(scoId({ type: 'email-addr', value: 'jane@example.com' })).not.toBe(a);
    expect(a).toMatch(/^email-addr--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('uses one hash, preferring MD5, then SHA-1, SHA-256, SHA-512', () => {
    expect(scoContributingProperties({ type: 'file', hashes: { 'SHA-256': 'bb', MD5: 'aa' } })).toEqual({ hashes: { MD5: 'aa' } });
    expect(scoContributingProperties({ type: 'file', hashes: { 'SHA-512': 'cc', 'SHA-256': 'bb' } })).toEqual({ hashes: { 'SHA-256': 'bb' } });
  });

  it('falls back to UUIDv4 when nothing contributes (process, or no contributing property present)', () => {
    expect(scoId({ type: 'process', pid: 4 }, () => '00000000-0000-4000-8000-000000000000')).toBe('process--00000000-0000-4000-8000-000000000000');
    expect(scoId({ type: 'email-message', is_multipart: false }, () => '11111111-1111-4111-8111-111111111111')).toBe(
      'email-message--11111111-1111-4111-8111-111111111111',
    );
  });
});

describe('TLP marking definitions', () => {
  it('writes the official TLP 2.0 objects, which validate', () => {
    for (const tlp of ['clear', 'green', 'amber', 'amber+strict', 'red'] as const) {
      const object = tlpMarkingDefinition(tlp);
      expect(object.id).toBe(TLP_2_MARKING_IDS[tlp]);
      expect(validateObject(object).reasons).toEqual([]);
      expect(tlpOfMarkingDefinition(object as unknown as Record<string, unknown>)).toBe(tlp);
    }
    expect(TLP_2_MARKING_IDS['amber+strict']).toBe('marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003');
  });

  it('reads TLP 1.0 ids on import (WHITE as CLEAR)', () => {
    expect(tlpOfMarkingId(TLP_1_MARKING_IDS.white)).toBe('clear');
    expect(tlpOfMarkingId(TLP_1_MARKING_IDS.red)).toBe('red');
    expect(tlpOfMarkingId('marking-definition--4b1e2e4f-1c2a-4b8e-9a5f-2d1e0f9a8b7c')).toBeUndefined();
  });

  it('reads a TLP meaning from a marking with its own id', () => {
    const own = { type: 'marking-definition', id: 'marking-definition--4b1e2e4f-1c2a-4b8e-9a5f-2d1e0f9a8b7c', definition_type: 'tlp', definition: { tlp: 'amber' } };
    expect(tlpOfMarkingDefinition(own)).toBe('amber');
    const marked = { object_marking_refs: [own.id, TLP_2_MARKING_IDS.green] };
    expect(tlpOfObject(marked, new Map([[own.id, own]]))).toBe('amber');
  });

  it('takes the strictest of several levels and parses the usual spellings', () => {
    expect(strictestTlp(['green', 'amber+strict', 'amber'])).toBe('amber+strict');
    expect(parseTlp('TLP:AMBER+STRICT')).toBe('amber+strict');
    expect(parseTlp('tlp:white')).toBe('clear');
    expect(parseTlp('tlp:ex:chr')).toBeUndefined();
  });
});
