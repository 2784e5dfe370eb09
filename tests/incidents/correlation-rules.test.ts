import { describe, expect, it } from 'vitest';
import {
  CorrelationInputError,
  CorrelationSettingsError,
  Correlator,
  type CorrelationAlert,
  type CorrelationDecision,
  type CorrelatorOptions,
} from '../../src/incidents/correlation/index.js';
import { IncidentLedger } from '../../src/incidents/correlation/evaluation.js';

const T0 = Date.parse('2025-03-01T08:00:00Z');
const S = 1_000;
const MIN = 60 * S;
const HOUR = 60 * MIN;

let n = 0;
function alert(partial: Partial<CorrelationAlert> & { at: number }): CorrelationAlert {
  const { at, ...rest } = partial;
  return {
    id: `a${++n}`,
    ownerOrgId: 'water-utility',
    time: T0 + at,
    category: 'cyber',
    severity: 'medium',
    kind: 'generic',
    assetIds: [],
    ...rest,
  };
}

/** Runs alerts through a fresh engine; returns the final incident of each alert and every decision. */
function run(alerts: CorrelationAlert[], options: CorrelatorOptions = {}) {
  const engine = new Correlator(options);
  const ledger = new IncidentLedger();
  const decisions: CorrelationDecision[] = [];
  for (const a of alerts) for (const d of engine.correlate(a)) (decisions.push(d), ledger.apply(d));
  for (const d of engine.flush()) (decisions.push(d), ledger.apply(d));
  const incidentOf = (a: CorrelationAlert): string => ledger.incidentOf(a.id)!;
  const decisionFor = (a: CorrelationAlert) =>
    decisions.find((d): d is Exclude<CorrelationDecision, { kind: 'merge' }> => d.kind !== 'merge' && d.alertId === a.id)!;
  return { engine, decisions, incidentOf, decisionFor };
}

describe('same asset', () => {
  it('groups alerts on one asset within the quiet gap and says so', () => {
    const a = alert({ at: 0, assetIds: ['tank-3'], kind: 'tank-level-anomaly', category: 'physical' });
    const b = alert({ at: 20 * MIN, assetIds: ['tank-3'], kind: 'tank-hatch-open', category: 'physical' });
    const { incidentOf, decisionFor } = run([a, b]);
    expect(incidentOf(b)).toBe(incidentOf(a));
    const d = decisionFor(b);
    expect(d.kind).toBe('attach');
    expect(d.reasons).toEqual([expect.objectContaining({ rule: 'same-asset', value: 'tank-3', alertId: a.id })]);
    expect(decisionFor(a)).toMatchObject({ kind: 'open', reasons: [] });
  });

  it('starts a new incident after a silence longer than the quiet gap', () => {
    const a = alert({ at: 0, assetIds: ['tank-3'], kind: 'tank-level-anomaly' });
    const b = alert({ at: 45 * MIN, assetIds: ['tank-3'], kind: 'tank-hatch-open' });
    const { incidentOf } = run([a, b]);
    expect(incidentOf(b)).not.toBe(incidentOf(a));
  });

  it('ends a fast burst after a short pause: two scans ten seconds apart are two incidents', () => {
    const first = Array.from({ length: 300 }, (_, i) => alert({ at: i * 100, assetIds: ['web-1'], kind: 'http-400' }));
    const second = Array.from({ length: 300 }, (_, i) => alert({ at: 30 * S + 12 * S + i * 100, assetIds: ['web-1'], kind: 'new-request-method' }));
    const { incidentOf } = run([...first, ...second]);
    expect(new Set(first.map(incidentOf)).size).toBe(1);
    expect(new Set(second.map(incidentOf)).size).toBe(1);
    expect(incidentOf(second[0]!)).not.toBe(incidentOf(first[0]!));
  });

  it('splits a flood that starts on top of a slow background (surge)', () => {
    const background = Array.from({ length: 30 }, (_, i) => alert({ at: i * 60 * S, assetIds: ['mail'], kind: 'login-success' }));
    const flood = Array.from({ length: 200 }, (_, i) => alert({ at: 30 * MIN + 30 * S + i * 50, assetIds: ['mail'], kind: 'auth-failure' }));
    const { incidentOf } = run([...background, ...flood]);
    expect(new Set(background.map(incidentOf)).size).toBe(1);
    // The surge shows after a handful of alerts (8 compared with the burst's past); those stay behind.
    const apart = flood.filter((a) => incidentOf(a) !== incidentOf(background[0]!));
    expect(apart.length).toBeGreaterThanOrEqual(flood.length - 8);
    expect(new Set(apart.map(incidentOf)).size).toBe(1);
  });

  it('splits a flood whose mix of alerts changes without a pause (one tool after another)', () => {
    const dirb = Array.from({ length: 2000 }, (_, i) => alert({ at: i * 5, assetIds: ['web-1'], kind: i % 10 === 0 ? 'many-400s' : 'http-400' }));
    const wpscan = Array.from({ length: 2000 }, (_, i) => alert({ at: 10 * S + i * 5, assetIds: ['web-1'], kind: i % 2 ? 'new-request-method' : 'http-400' }));
    const { incidentOf } = run([...dirb, ...wpscan]);
    expect(incidentOf(wpscan.at(-1)!)).not.toBe(incidentOf(dirb[0]!));
    // Most of each tool's alerts sit with their own kind; the change is seen within seconds.
    const inFirst = wpscan.filter((a) => incidentOf(a) === incidentOf(dirb[0]!)).length;
    expect(inFirst).toBeLessThan(wpscan.length / 2);
  });
});

describe('recurrence', () => {
  it('merges an hourly repeat of the same mix into the first incident, with the reason', () => {
    const bursts = [0, 1, 2, 3].map((h) =>
      [0, 5, 10].map((s) => alert({ at: h * HOUR + s * S, assetIds: ['mail'], kind: 'antivirus-update' })),
    );
    const { incidentOf, decisions } = run(bursts.flat());
    expect(new Set(bursts.flat().map(incidentOf)).size).toBe(1);
    const merges = decisions.filter((d) => d.kind === 'merge');
    expect(merges).toHaveLength(3);
    expect(merges[0]!.reasons[0]).toMatchObject({ rule: 'recurrence', value: 'mail' });
    expect(merges[0]!.reasons[0]!.detail).toContain('antivirus-update ×3');
  });

  it('keeps a burst with a different mix apart', () => {
    const updates = [0, 1].map((h) => alert({ at: h * HOUR, assetIds: ['mail'], kind: 'antivirus-update' }));
    const odd = alert({ at: 2 * HOUR, assetIds: ['mail'], kind: 'new-service-started' });
    const { incidentOf } = run([...updates, odd]);
    expect(incidentOf(updates[1]!)).toBe(incidentOf(updates[0]!));
    expect(incidentOf(odd)).not.toBe(incidentOf(updates[0]!));
  });

  it('does not merge beyond the recurrence horizon', () => {
    const a = alert({ at: 0, assetIds: ['mail'], kind: 'antivirus-update' });
    const b = alert({ at: 13 * HOUR, assetIds: ['mail'], kind: 'antivirus-update' });
    const { incidentOf } = run([a, b]);
    expect(incidentOf(b)).not.toBe(incidentOf(a));
  });
});

describe('asset dependencies', () => {
  const assets = [
    { id: 'plc-7', identifiers: ['10.10.1.7'], dependencies: [{ kind: 'controls' as const, assetId: 'pump-2' }] },
    { id: 'pump-2', dependencies: [{ kind: 'feeds' as const, assetId: 'tank-3' }] },
    { id: 'tank-3' },
    { id: 'school-9' },
  ];

  it('makes a SCADA login and an anomaly on the tank that PLC drives one cyber-physical incident', () => {
    const login = alert({ at: 0, assetIds: ['plc-7'], kind: 'scada-login-unknown-source', category: 'cyber', evidence: { srcip: '198.51.100.23', user: 'engineer' } });
    const level = alert({ at: 12 * MIN, assetIds: ['tank-3'], kind: 'tank-level-anomaly', category: 'physical' });
    const { incidentOf, decisionFor } = run([login, level], { assets });
    expect(incidentOf(level)).toBe(incidentOf(login));
    const d = decisionFor(level);
    expect(d).toMatchObject({ kind: 'attach', category: 'cyber-physical' });
    expect(d.reasons[0]).toMatchObject({ rule: 'asset-dependency', value: 'plc-7', alertId: login.id });
    expect(d.reasons[0]!.detail).toContain('plc-7 controls pump-2; pump-2 feeds tank-3');
  });

  it('respects the hop bound, the dependency window and the allowed kinds', () => {
    const login = alert({ at: 0, assetIds: ['plc-7'], kind: 'scada-login' });
    const level = alert({ at: 5 * MIN, assetIds: ['tank-3'], kind: 'tank-level-anomaly' });
    expect(run([login, level], { assets, settings: { defaults: { dependency: { maxHops: 1 } } } }).incidentOf(level)).not.toBe(
      run([login, level], { assets }).incidentOf(login),
    );
    const late = alert({ at: 2 * HOUR, assetIds: ['tank-3'], kind: 'tank-level-anomaly' });
    const r = run([login, late], { assets });
    expect(r.incidentOf(late)).not.toBe(r.incidentOf(login));
    const noFeeds = run([login, level], { assets, settings: { defaults: { dependency: { kinds: ['controls'] } } } });
    expect(noFeeds.incidentOf(level)).not.toBe(noFeeds.incidentOf(login));
  });

  it('does not relate unrelated assets', () => {
    const a = alert({ at: 0, assetIds: ['plc-7'], kind: 'scada-login' });
    const b = alert({ at: MIN, assetIds: ['school-9'], kind: 'door-forced' });
    const { incidentOf } = run([a, b], { assets });
    expect(incidentOf(b)).not.toBe(incidentOf(a));
  });
});

describe('place and time', () => {
  const at = (lon: number, lat: number) => ({ type: 'Point' as const, coordinates: [lon, lat] as [number, number] });
  // Monaco, about 110 m between the first two points, 2 km to the third.
  const stadium = at(7.4156, 43.7277);
  const nearStadium = at(7.4168, 43.7284);
  const farAway = at(7.4246, 43.7446);

  it('groups different things at the same place within the window', () => {
    const camera = alert({ at: 0, assetIds: ['camera-12'], kind: 'unattended-bag', category: 'physical', location: stadium });
    const report = alert({ at: 6 * MIN, assetIds: [], kind: 'citizen-report', category: 'social', location: nearStadium });
    const { incidentOf, decisionFor } = run([camera, report]);
    expect(incidentOf(report)).toBe(incidentOf(camera));
    expect(decisionFor(report).reasons[0]).toMatchObject({ rule: 'place-time', value: '43.72770,7.41560', alertId: camera.id });
    expect(decisionFor(report).reasons[0]!.detail).toMatch(/^1\d\d m from alert/);
  });

  it('keeps apart what is farther than the radius or later than the window', () => {
    const camera = alert({ at: 0, assetIds: ['camera-12'], kind: 'unattended-bag', location: stadium });
    const far = alert({ at: MIN, assetIds: [], kind: 'citizen-report', location: farAway });
    const late = alert({ at: 40 * MIN, assetIds: [], kind: 'citizen-report', location: nearStadium });
    const { incidentOf } = run([camera, far, late]);
    expect(incidentOf(far)).not.toBe(incidentOf(camera));
    expect(incidentOf(late)).not.toBe(incidentOf(camera));
  });
});

describe('shared indicators, cap and exclusions', () => {
  const assets = [
    { id: 'vpn-gw', identifiers: ['192.0.2.10'] },
    { id: 'scada-hmi', identifiers: ['10.10.0.5', 'hmi01.water.example'] },
  ];

  it('groups alerts on different assets that share an attacker address; the own address never counts', () => {
    const vpn = alert({ at: 0, assetIds: ['vpn-gw'], kind: 'vpn-login', evidence: { src_ip: '203.0.113.7', dest_ip: '192.0.2.10' } });
    const hmi = alert({ at: 40 * MIN, assetIds: ['scada-hmi'], kind: 'hmi-login', evidence: { message: 'Accepted password for operator from 203.0.113.7 on hmi01.water.example' } });
    const { incidentOf, decisionFor } = run([vpn, hmi], { assets });
    expect(incidentOf(hmi)).toBe(incidentOf(vpn));
    const d = decisionFor(hmi);
    expect(d.reasons).toContainEqual(expect.objectContaining({ rule: 'shared-indicator', value: 'ip:203.0.113.7', alertId: vpn.id }));
    expect(d.ignored).toContainEqual({ value: 'host:hmi01.water.example', because: 'own-asset' });
    expect(decisionFor(vpn).ignored).toContainEqual({ value: 'ip:192.0.2.10', because: 'own-asset' });
  });

  it('stops correlating a value seen in more alerts than the cap', () => {
    const alerts = Array.from({ length: 5 }, (_, i) => alert({ at: i * HOUR, assetIds: [`host-${i}`], kind: 'dns-query', evidence: { query: 'update.vendor.example' } }));
    const { incidentOf, decisionFor } = run(alerts, { cap: 3 });
    expect(incidentOf(alerts[2]!)).toBe(incidentOf(alerts[0]!));
    expect(incidentOf(alerts[3]!)).not.toBe(incidentOf(alerts[0]!));
    expect(decisionFor(alerts[3]!).ignored).toContainEqual({ value: 'host:update.vendor.example', because: 'over-cap' });
    expect(decisionFor(alerts[4]!).kind).toBe('open');
  });

  it('never correlates excluded values: exact, typed, CIDR block, host suffix, asset', () => {
    const exclusions = ['8.8.8.8', 'user:svc-backup', 'ip:10.99.0.0/16', 'host:*.windowsupdate.example', 'asset:core-switch'];
    const pairs: Array<[unknown, unknown, string]> = [
      [{ dns: '8.8.8.8' }, { dns: '8.8.8.8' }, 'ip:8.8.8.8'],
      [{ user: 'svc-backup' }, { user: 'SVC-BACKUP' }, 'user:svc-backup'],
      [{ src_ip: '10.99.4.2' }, { src_ip: '10.99.4.2' }, 'ip:10.99.4.2'],
      [{ host: 'dl.windowsupdate.example' }, { host: 'dl.windowsupdate.example' }, 'host:dl.windowsupdate.example'],
    ];
    for (const [e1, e2, value] of pairs) {
      const a = alert({ at: 0, assetIds: ['host-a'], evidence: e1 });
      const b = alert({ at: MIN, assetIds: ['host-b'], evidence: e2 });
      const { incidentOf, decisionFor } = run([a, b], { exclusions });
      expect(incidentOf(b), value).not.toBe(incidentOf(a));
      expect(decisionFor(b).ignored).toContainEqual({ value, because: 'excluded' });
    }
    const a = alert({ at: 0, assetIds: ['core-switch'] });
    const b = alert({ at: MIN, assetIds: ['core-switch'] });
    const r = run([a, b], { exclusions });
    expect(r.incidentOf(b)).not.toBe(r.incidentOf(a));
  });

  it('loopback and unspecified addresses never correlate', () => {
    const a = alert({ at: 0, assetIds: ['h1'], evidence: { src_ip: '127.0.0.1' } });
    const b = alert({ at: MIN, assetIds: ['h2'], evidence: { src_ip: '127.0.0.1' } });
    const { incidentOf } = run([a, b]);
    expect(incidentOf(b)).not.toBe(incidentOf(a));
  });
});

describe('organisations, merges and state', () => {
  it("keeps one organisation's alerts out of another's incidents unless they are partners", () => {
    const a = alert({ at: 0, assetIds: ['pumping-station-4'], ownerOrgId: 'water-utility', evidence: { src_ip: '203.0.113.9' } });
    const b = alert({ at: MIN, assetIds: ['substation-2'], ownerOrgId: 'energy-utility', evidence: { src_ip: '203.0.113.9' } });
    expect(run([a, b]).incidentOf(b)).not.toBe(run([a, b]).incidentOf(a));
    const partners = run([a, b], { settings: { byOrganisation: { 'energy-utility': { partners: ['water-utility'] } } } });
    expect(partners.incidentOf(b)).toBe(partners.incidentOf(a));
  });

  it('merges two incidents an alert bridges, keeping the older, with the reason', () => {
    const a = alert({ at: 0, assetIds: ['vpn-gw'], evidence: { src_ip: '203.0.113.50' } });
    const b = alert({ at: 2 * MIN, assetIds: ['plc-1'], evidence: { user: 'vendor-x' } });
    const bridge = alert({ at: 3 * MIN, assetIds: ['hmi-1'], evidence: { src_ip: '203.0.113.50', user: 'vendor-x' } });
    const { incidentOf, decisions } = run([a, b, bridge]);
    expect(incidentOf(b)).toBe(incidentOf(a));
    expect(incidentOf(bridge)).toBe(incidentOf(a));
    const merge = decisions.find((d) => d.kind === 'merge')!;
    expect(merge).toMatchObject({ kind: 'merge', intoIncidentId: incidentOf(a) });
    expect(merge.reasons[0]).toMatchObject({ rule: 'shared-indicator', value: 'user:vendor-x' });
  });

  it('resumes from open incidents and stops joining closed ones', () => {
    const earlier = alert({ at: 0, assetIds: ['tank-3'], kind: 'tank-level-anomaly' });
    const engine = new Correlator({ openIncidents: [{ id: 'INC-42', ownerOrgId: 'water-utility', alerts: [earlier] }] });
    const next = alert({ at: 5 * MIN, assetIds: ['tank-3'], kind: 'tank-level-anomaly' });
    expect(engine.correlate(next)).toEqual([expect.objectContaining({ kind: 'attach', incidentId: 'INC-42' })]);
    engine.closeIncident('INC-42');
    const after = alert({ at: 6 * MIN, assetIds: ['tank-3'], kind: 'tank-level-anomaly' });
    expect(engine.correlate(after)).toEqual([expect.objectContaining({ kind: 'open' })]);
  });

  it('forgets what is older than its longest window (bounded memory)', () => {
    const engine = new Correlator();
    for (let i = 0; i < 8_000; i++) {
      engine.correlate(alert({ at: i * MIN, assetIds: [`asset-${i % 500}`], kind: `k${i % 7}`, evidence: { src_ip: `198.51.${(i >> 8) & 255}.${i & 255}` } }));
    }
    engine.advance(T0 + 8_000 * MIN);
    const size = engine.size();
    // 24 h of indicators at one alert a minute, at most; assets and incidents far fewer than alerts.
    expect(size.indicators).toBeLessThanOrEqual(24 * 60 + 1);
    expect(size.incidents).toBeLessThan(2_000);
    expect(size.assets).toBeLessThanOrEqual(500);
  });

  it('rejects malformed alerts and settings with a clear message', () => {
    const engine = new Correlator();
    expect(() => engine.correlate({ ...alert({ at: 0 }), time: Number.NaN })).toThrow(CorrelationInputError);
    expect(() => engine.correlate({ ...alert({ at: 0 }), id: '' })).toThrow(/alert.id/);
    expect(() => new Correlator({ settings: { defaults: { recurrence: { similarity: 2 } } } })).toThrow(CorrelationSettingsError);
    expect(() => new Correlator({ settings: { byOrganisation: { police: { rules: ['same-place' as never] } } } })).toThrow(
      /settings.byOrganisation.police.rules: unknown value "same-place"/,
    );
    expect(() => new Correlator({ cap: 0 })).toThrow(/cap/);
  });

  it('honours rules switched off per organisation', () => {
    const a = alert({ at: 0, assetIds: ['h1'], evidence: { src_ip: '203.0.113.1' } });
    const b = alert({ at: MIN, assetIds: ['h2'], evidence: { src_ip: '203.0.113.1' } });
    const r = run([a, b], { settings: { defaults: { rules: ['same-asset', 'recurrence'] } } });
    expect(r.incidentOf(b)).not.toBe(r.incidentOf(a));
  });
});
