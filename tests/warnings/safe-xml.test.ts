import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCap, validateCap, InvalidCapError } from '../../src/warnings/index.js';
import { refuseDoctype, UnsafeXmlError } from '../../src/warnings/xml-read.js';
import { HAS_SHARED_CAP, SHARED_CAP } from './fixtures.js';

const SECRET = 'VIGIL-SECRET-MARKER-7f3a';
const dir = mkdtempSync(join(tmpdir(), 'vigil-xxe-'));
const secretFile = join(dir, 'secret.txt');
let server: Server;
let requests = 0;
let base = '';

beforeAll(async () => {
  writeFileSync(secretFile, SECRET);
  server = createServer((req, res) => {
    requests++;
    res.end(`<!ENTITY leak "${SECRET}">`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const body = (inner: string) => `<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>X1</identifier><sender>s@example.org</sender><sent>2025-07-14T11:30:00+02:00</sent>
  <status>Actual</status><msgType>Alert</msgType><scope>Public</scope><note>${inner}</note>
</alert>`;

function expectRefusedUnresolved(xml: string): void {
  const result = validateCap(xml);
  expect(result.valid).toBe(false);
  expect(result.problems).toHaveLength(1);
  expect(result.problems[0]!.rule).toBe('unsafe-xml');
  expect(JSON.stringify(result)).not.toContain(SECRET);
}

describe('received XML is never trusted', () => {
  it.skipIf(!HAS_SHARED_CAP)('refuses xee.cap (external entities, parameter entities, XInclude)', () => {
    expectRefusedUnresolved(readFileSync(`${SHARED_CAP}testdata/xee.cap`, 'utf8'));
    expect(() => parseCap(readFileSync(`${SHARED_CAP}testdata/xee.cap`))).toThrow(InvalidCapError);
  });

  it('refuses external entities and DTDs (file and http) without fetching or reading anything', () => {
    const variants = [
      `<?xml version="1.0"?>\n<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file://${secretFile}">]>\n${body('&xxe;')}`,
      `<?xml version="1.0"?>\n<!DOCTYPE alert [<!ENTITY xxe SYSTEM "${base}/entity">]>\n${body('&xxe;')}`,
      `<?xml version="1.0"?>\n<!DOCTYPE alert SYSTEM "${base}/external.dtd">\n${body('&leak;')}`,
      `<?xml version="1.0"?>\n<!DOCTYPE alert [<!ENTITY % remote SYSTEM "${base}/p.dtd"> %remote;]>\n${body('&leak;')}`,
      // hidden behind comments and processing instructions, or a byte-order mark
      `\uFEFF<?xml version="1.0"?><!-- a comment --><?pi x?>\n<!DOCTYPE alert [<!ENTITY xxe SYSTEM "${base}/x">]>${body('&xxe;')}`,
    ];
    for (const xml of variants) expectRefusedUnresolved(xml);
    expect(requests).toBe(0);
  });

  it('refuses entity-expansion bombs at once (billion laughs, quadratic blow-up)', () => {
    const laughs = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('');
    const billion = `<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY lol0 "lol">${laughs}]>${body('&lol9;')}`;
    const quadratic = `<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY a "${'a'.repeat(50_000)}">]>${body('&a;'.repeat(50_000))}`;
    const started = performance.now();
    expectRefusedUnresolved(billion);
    expectRefusedUnresolved(quadratic);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('does not process XInclude: the included file never appears', () => {
    const xml = body(`<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file://${secretFile}" parse="text"/>`);
    const result = validateCap(xml);
    expect(result.valid).toBe(false);
    expect(result.problems.map((p) => p.rule)).toEqual(['schema']);
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  it('an undeclared entity reference is a syntax error, not a lookup', () => {
    const result = validateCap(body('&xxe;'));
    expect(result.problems).toMatchObject([{ rule: 'xml-syntax' }]);
    expect(result.problems[0]!.message).toMatch(/Entity 'xxe' not defined/);
  });

  it('refuses UTF-16 input and documents over the size limit', () => {
    const utf16 = new Uint8Array(Buffer.from(`\uFEFF${body('x')}`, 'utf16le'));
    expect(validateCap(utf16).problems).toMatchObject([{ rule: 'unsafe-xml' }]);
    expect(validateCap(body('x'.repeat(2000)), { maxBytes: 1000 }).problems[0]!.message).toMatch(/over the limit of 1000/);
  });

  it('reads encodings declared in the XML declaration when given bytes', () => {
    const latin1 = Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?>\n${body('comté')}`, 'latin1');
    const { alert } = parseCap(latin1);
    expect(alert.note).toBe('comté');
  });

  it('refuseDoctype lets comments, processing instructions and the root through, and nothing else', () => {
    const ok = (s: string) => () => refuseDoctype(new TextEncoder().encode(s));
    expect(ok('<?xml version="1.0"?>\n<!-- <!DOCTYPE x> in a comment -->\n<alert/>')).not.toThrow();
    expect(ok('<!DOCTYPE alert><alert/>')).toThrow(UnsafeXmlError);
    expect(ok('<!ELEMENT alert ANY><alert/>')).toThrow(UnsafeXmlError);
  });
});
