import { describe, expect, it } from 'vitest';
import { IndicatorIndex } from '../../src/cti/index.js';

const A = { 'dns.question.name': 'stage1.example' };
const B = { 'destination.ip': '203.0.113.99' };
const C = { 'url.full': 'http://unrelated.example/' };
const S = 1000;

/** Feeds (event, time in seconds) pairs; returns the indicator's `complete` flag for each. */
function run(pattern: string, steps: Array<[Record<string, unknown>, number]>, options = {}): boolean[] {
  const idx = new IndicatorIndex({ correlate: options });
  idx.add('i', pattern);
  idx.add('other', "[url:value = 'http://unrelated.example/']");
  return steps.map(([event, t]) => idx.match(event, t * S).some((m) => m.indicatorId === 'i' && m.complete));
}

describe('correlating observations across events', () => {
  it('FOLLOWEDBY needs the left before the right', () => {
    const p = "[domain-name:value = 'stage1.example'] FOLLOWEDBY [ipv4-addr:value = '203.0.113.99']";
    expect(run(p, [[A, 0], [B, 10]])).toEqual([false, true]);
    expect(run(p, [[B, 0], [A, 10]])).toEqual([false, false]);
  });

  it('AND takes either order, and does not fire again on an unrelated event', () => {
    const p = "[domain-name:value = 'stage1.example'] AND [ipv4-addr:value = '203.0.113.99']";
    expect(run(p, [[B, 0], [A, 10], [C, 20]])).toEqual([false, true, false]);
    expect(run(p, [[{ ...A, ...B }, 0]])).toEqual([true]);
  });

  it('WITHIN bounds the whole occurrence', () => {
    const p = "([domain-name:value = 'stage1.example'] FOLLOWEDBY [ipv4-addr:value = '203.0.113.99']) WITHIN 60 SECONDS";
    expect(run(p, [[A, 0], [B, 61]])).toEqual([false, false]);
    expect(run(p, [[A, 0], [B, 61], [A, 70], [B, 80]])).toEqual([false, false, false, true]);
  });

  it('REPEATS counts occurrences, with WITHIN as a sliding window', () => {
    const p = "[domain-name:value = 'stage1.example'] REPEATS 3 TIMES WITHIN 10 SECONDS";
    expect(run(p, [[A, 0], [A, 5], [A, 20], [A, 25], [A, 29]])).toEqual([false, false, false, false, true]);
  });

  it('START/STOP limits when observations count', () => {
    const p = "[domain-name:value = 'stage1.example'] REPEATS 2 TIMES START t'2026-01-01T00:00:00Z' STOP t'2026-01-02T00:00:00Z'";
    const day = Date.parse('2026-01-01T00:00:00Z') / S;
    expect(run(p, [[A, day - 10], [A, day + 10]])).toEqual([false, false]);
    expect(run(p, [[A, day + 10], [A, day + 20]])).toEqual([false, true]);
  });

  it('forgets observations past the horizon', () => {
    const p = "[domain-name:value = 'stage1.example'] FOLLOWEDBY [ipv4-addr:value = '203.0.113.99']";
    expect(run(p, [[A, 0], [B, 7200]], { horizonMs: 3600 * S })).toEqual([false, false]);
  });

  it('reports parts only when correlation is off', () => {
    const idx = new IndicatorIndex();
    idx.add('i', "[domain-name:value = 'stage1.example'] AND [ipv4-addr:value = '203.0.113.99']");
    expect(idx.match({ ...A, ...B }, 0).map((m) => m.complete)).toEqual([false, false]);
  });
});
