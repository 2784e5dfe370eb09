import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Alert, Severity } from '../../web/src/api/types.js';
import { TimeSeriesChart } from '../../web/src/charts/TimeSeriesChart.js';
import { alarmsInWindow, placeAlarms } from '../../web/src/sensors/alarms.js';

const T = Date.UTC(2026, 10, 22, 10);
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const stream = { id: 'ds-1', key: 'L_T1', ownerOrgId: 'water' };

function alert(id: string, time: number, extra: Partial<Alert> = {}): Alert {
  return {
    id, source: 'detector:t1-level', category: 'physical', severity: 'high', status: 'new', title: `alarm ${id}`, description: '', time: iso(time), lastSeen: iso(time), count: 1,
    location: null, assetIds: [], evidence: { datastreamIds: ['ds-1'] }, dedupKey: null, ownerOrgId: 'water', tlp: 'amber', distribution: { scope: 'owner' },
    createdAt: iso(time), updatedAt: iso(time), version: 1, ...extra,
  } as Alert;
}

describe('a datastream’s alarms on its chart', () => {
  it('merge what the server answered with what arrived live, newest version of each, naming the datastream, in the window', () => {
    const fetched = [alert('a', T - 2 * HOUR), alert('b', T - HOUR)];
    const live = [
      alert('b', T - HOUR, { version: 2, status: 'acknowledged' }), // changed live
      alert('c', T - 30 * 60_000), // raised live
      alert('d', T - 10 * 60_000, { evidence: { datastreams: { L_T1: { observed: 9 } } }, ownerOrgId: 'energy' }), // another organisation's L_T1
      alert('e', T - 10 * 60_000, { evidence: { datastreamIds: ['ds-2'] } }), // another sensor
      alert('f', T - 30 * HOUR, { lastSeen: iso(T - 25 * HOUR) }), // over before the window
      alert('g', T - 30 * HOUR, { lastSeen: iso(T - HOUR), count: 9 }), // began before, lasts into it
    ];
    const shown = alarmsInWindow(stream, fetched, live, T - 24 * HOUR, T);
    expect(shown.map((a) => a.id)).toEqual(['g', 'a', 'b', 'c']);
    expect(shown.find((a) => a.id === 'b')!.status).toBe('acknowledged');
  });

  it('places a flag where each began and a bar for how long it lasted; close flags become one, the most severe first', () => {
    const sev = (id: string, t: number, severity: Severity, lastSeen = t) => alert(id, t, { severity, lastSeen: iso(lastSeen) });
    const markers = placeAlarms(
      [sev('early', T - 10 * HOUR, 'low', T - 9 * HOUR), sev('x', T - 5 * HOUR, 'medium'), sev('y', T - 5 * HOUR + 60_000, 'critical'), sev('before', T - 30 * HOUR, 'high', T - 23 * HOUR)],
      T - 24 * HOUR,
      T,
      480,
    );
    expect(markers.map((m) => m.alerts.map((a) => a.id))).toEqual([['before'], ['early'], ['y', 'x']]);
    // Began before the window: no flag, its bar from the left edge.
    expect(markers[0]).toMatchObject({ x: null, spanFrom: 0, spanTo: 20 });
    expect(markers[1]).toMatchObject({ x: 280, spanFrom: 280, spanTo: 300 });
    expect(markers[2]!.severity).toBe('critical');
    expect(markers[2]!.label).toBe('2 alarms, the most severe critical: alarm y');
  });

  it('are drawn as focusable flags labelled for a screen reader, over a line broken where data are missing', () => {
    const points = [0, 1, 2, 6, 7].map((h) => ({ t: T - 8 * HOUR + h * HOUR, v: h, ...(h === 6 ? { gap: true } : {}) }));
    const html = renderToStaticMarkup(
      <TimeSeriesChart points={points} from={T - 8 * HOUR} to={T} unit="m" label="L_T1 · level" expected={{ min: 0.25, max: 5.5 }} alarms={[alert('a', T - 2 * HOUR, { title: 'L_T1 high' })]} onAlarm={() => {}} />,
    );
    const line = /<path d="([^"]*)" class="chart-line"/.exec(html)![1]!;
    expect(line.match(/M/g)!.length).toBe(2);
    expect(html).toMatch(/<g class="chart-alarm clickable" data-alert-ids="a" role="button" tabindex="0" aria-label="high alarm: L_T1 high">/);
    expect(html).toContain('class="chart-expected"');
    expect(html).toContain('1 alarms');
    // Without a handler, the flags explain themselves but are not buttons.
    const still = renderToStaticMarkup(<TimeSeriesChart points={points} from={T - 8 * HOUR} to={T} unit="m" label="L_T1" alarms={[alert('a', T - 2 * HOUR)]} />);
    expect(still).not.toContain('role="button"');
    expect(still).toContain('<title>high alarm: alarm a</title>');
  });
});
