import { describe, expect, it } from 'vitest';
import { parsePattern, type ObservationExpression } from '../../src/cti/index.js';

const ok = (p: string): ObservationExpression => {
  const r = parsePattern(p);
  if (!r.ok) throw new Error(`${p}: ${JSON.stringify(r.error)}`);
  return r.pattern;
};
const err = (p: string) => {
  const r = parsePattern(p);
  if (r.ok) throw new Error(`${p} parsed but should not`);
  return r.error;
};

describe('STIX patterns the grammar accepts', () => {
  it.each([
    "[ipv4-addr:value = '198.51.100.1/32']",
    "[ipv4-addr:value == '198.51.100.1']",
    "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
    "[file:hashes.MD5 = 'a' OR file:hashes.'SHA-1' = 'b' AND file:name = 'c']",
    "[network-traffic:dst_port >= 1024 AND network-traffic:dst_port <= 65535]",
    "[network-traffic:src_port > +5 AND network-traffic:x_score < -0.5 AND network-traffic:y != 1.25]",
    "[network-traffic:dst_ref.value <> '10.0.0.1']",
    "[process:pid IN (1, 2, 3)]",
    "[process:name IN ()]",
    "[x-custom:value IN ('a', true, false, h'0aff', b'QUJD', t'2016-01-01T00:00:00.123Z', -4, .5)]",
    "[file:name LIKE 'invoice%.exe']",
    "[process:command_line MATCHES '^powershell.*-enc\\\\s']",
    "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
    "[ipv4-addr:value ISSUPERSET '198.51.100.1']",
    "[file:name NOT = 'a' AND file:size NOT > 5 AND file:name NOT IN ('x') AND file:name NOT LIKE 'y' AND file:name NOT MATCHES 'z' AND ipv4-addr:value NOT ISSUBSET '10.0.0.0/8']",
    '[EXISTS windows-registry-key:values]',
    '[NOT EXISTS windows-registry-key:values[0].data]',
    "[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]",
    "[file:extensions.'archive-ext'.contains_refs[-1].name = 'x']",
    "[email-message:body_multipart[*].body_raw_ref.name = 'a']",
    "[artifact:payload_bin = b'ZXhhbXBsZQ==' AND artifact:x_hex = h'']",
    "[a:b = 1] AND [c:d = 2] OR [e:f = 3] FOLLOWEDBY [g:h = 4]",
    "([a:b = 1] FOLLOWEDBY [c:d = 2]) WITHIN 600 SECONDS",
    "[a:b = 1] REPEATS 5 TIMES WITHIN 1.5 SECONDS",
    "[a:b = 1] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'",
    "[a:b = 'it\\'s \\\\ fine']",
    "[a:b = 1 /* comment */ AND /* multi\nline */ a:c = 2] // trailing comment",
    "(([a:b = 1]))",
    "[a:'quoted key'.'with-hyphen' = 1]",
    '[ a : b = 1 ]',
  ])('%s', (p) => {
    expect(ok(p)).toBeTruthy();
  });

  it('builds the tree with the grammar precedence (AND over OR over FOLLOWEDBY)', () => {
    const tree = ok('[a:b = 1] AND [c:d = 2] OR [e:f = 3] FOLLOWEDBY [g:h = 4]');
    expect(tree).toMatchObject({
      kind: 'observationExpressions',
      operator: 'FOLLOWEDBY',
      left: { operator: 'OR', left: { operator: 'AND' } },
      right: { kind: 'observation' },
    });
    const inner = ok("[a:b = 'x' OR a:c = 'y' AND a:d = 'z']");
    expect(inner).toMatchObject({ comparison: { operator: 'OR', right: { operator: 'AND' } } });
  });

  it('keeps path steps, literals and qualifiers', () => {
    const t = ok("[file:extensions.'windows-pebinary-ext'.sections[*].hashes[2] IN (h'AB', 3)] REPEATS 2 TIMES WITHIN 5 SECONDS");
    expect(t).toMatchObject({
      kind: 'qualified',
      qualifier: { kind: 'within', seconds: 5 },
      expression: { kind: 'qualified', qualifier: { kind: 'repeats', times: 2 } },
    });
    const test = (t as { expression: { expression: { comparison: unknown } } }).expression.expression.comparison;
    expect(test).toMatchObject({
      operator: 'IN',
      path: {
        objectType: 'file',
        steps: [
          { kind: 'key', name: 'extensions' },
          { kind: 'key', name: 'windows-pebinary-ext' },
          { kind: 'key', name: 'sections' },
          { kind: 'index', index: '*' },
          { kind: 'key', name: 'hashes' },
          { kind: 'index', index: 2 },
        ],
      },
      value: [{ type: 'hex', value: 'ab' }, { type: 'int', value: 3 }],
    });
  });

  it('warns when AND joins comparisons on different object types', () => {
    const r = parsePattern("[file:name = 'a' AND process:pid = 4]");
    expect(r.ok && r.warnings.map((w) => w.column)).toEqual([1]);
  });
});

describe('invalid STIX patterns, with the position and what was expected', () => {
  it.each([
    ["[ipv4-addr:value = '198.51.100.1'", 33, 34, [']', 'AND', 'OR']],
    ["ipv4-addr:value = '1'", 0, 1, ['[', '(']],
    ['[file:name]', 10, 11, ['NOT', '=']],
    ["[file:size > true]", 13, 14, ['IntPosLiteral']],
    ["[file:name LIKE 5]", 16, 17, ['StringLiteral']],
    ["[file:file-name = 'a']", 6, 7, ['a property name (no hyphen, or quoted)']],
    ["[a:b = 1] WITHIN -5 SECONDS", 17, 18, ['a positive number of seconds']],
    ["[a:b = 1] REPEATS 1.5 TIMES", 18, 19, ['a positive integer']],
    ["[a:b = 1] START t'2016-01-01T00:00:00Z'", 39, 40, ['STOP']],
    ["[a:b = 1] [c:d = 2]", 10, 11, ['FOLLOWEDBY']],
    ["[a:b = 1] AND", 13, 14, ['[', '(']],
    ["[a:b IN (1, )]", 12, 13, ['IntPosLiteral']],
    ["[a:b = 'unterminated]", 7, 8, ["'"]],
    ["[a:b = 'bad \\d escape']", 12, 13, ["\\'"]],
    ["[a:b = h'abc']", 7, 8, ['HexLiteral']],
    ["[a:b = b'abc']", 7, 8, ['BinaryLiteral']],
    ["[a:b = t'2016-13-01T00:00:00Z']", 7, 8, ['TimestampLiteral']],
    ['[a:b = 1] /* open comment', 10, 11, ['*/']],
    ['[a:b = 1 # 2]', 9, 10, []],
    ["[a:AND = 1]", 3, 4, ['a property name (no hyphen, or quoted)']],
    ['[a:b = 007]', 8, 9, [']', 'AND', 'OR']],
  ] as const)('%s fails at offset %i (column %i)', (pattern, offset, column, expected) => {
    const e = err(pattern);
    expect(e.offset).toBe(offset);
    expect(e.column).toBe(column);
    expect(e.line).toBe(1);
    for (const x of expected) expect(e.expected.join(' | ')).toContain(x);
  });

  it('gives line and column on multi-line patterns', () => {
    const e = err("[a:b = 1]\nAND\n[c:d =]");
    expect({ line: e.line, column: e.column, found: e.found }).toEqual({ line: 3, column: 7, found: ']' });
  });

  it('applies the specification rules the grammar leaves out', () => {
    expect(err('[a:b = 1] REPEATS 0 TIMES').message).toMatch(/positive integer/);
    expect(err('[a:b = 1] WITHIN 0 SECONDS').message).toMatch(/positive/);
    expect(err("[a:b = 1] START t'2016-01-01T00:00:00Z' STOP t'2016-01-01T00:00:00Z'").message).toMatch(/later than/);
  });
});
