import { describe, expect, it } from 'vitest';
import { formatDuration, populationByJunction, readInp, simulateScenario } from '../../src/water/index.js';
import { tinyNetworkText } from './helpers.js';

// Reservoir (head 50 m) → 1 m main → J1 (elevation 0, 10 L/s) → J2 (no demand); 8 h, 15 min steps.
const network = readInp(tinyNetworkText());
const PEOPLE = (10 * 86400) / 757; // 10 L/s at 757 L per person per day

describe('impact metrics on hand-checked cases', () => {
  it('population per junction = average demand / water use per person', () => {
    const pop = populationByJunction(network);
    expect(pop[0]).toBeCloseTo(PEOPLE, 6);
    expect(pop[1]).toBe(0);
    expect(populationByJunction(network, 200)[0]).toBeCloseTo((10 * 86400) / 200, 6);
  });

  it('the main closed from 2 h to 5 h: 3 h without water for J1', async () => {
    const { report } = await simulateScenario({
      network,
      scenario: {
        name: 'main closed', hours: 8,
        criticalConsumers: [{ node: 'J1', name: 'Clinic', assetId: 'clinic-1' }],
        events: [{ type: 'pipe-closure', pipe: 'P1', start: { hour: 2 }, end: { hour: 5 } }],
      },
    });
    const s = report.summary;
    expect(report.status).toBe('completed');
    expect(s.population).toBeCloseTo(PEOPLE, 1);
    expect(s.junctionsAffected).toBe(1);
    expect(s.personHoursWithoutService.baseline).toBe(0);
    expect(s.personHoursWithoutService.added).toBeCloseTo(3 * PEOPLE, 0);
    expect(s.unservedDemand.added).toBeCloseTo(108, 1); // 10 L/s × 3 h
    expect(s.unservedDemand.units).toBe('m³');
    expect(s.waterServiceAvailability.scenario).toBeCloseTo(1 - 3 / 8, 4);
    expect(s.waterServiceAvailability.baseline).toBeCloseTo(1, 6);
    expect(s.peakPopulationWithoutService).toMatchObject({ baseline: 0, at: 2 * 3600 });
    expect(report.criticalConsumers[0]).toMatchObject({ node: 'J1', assetId: 'clinic-1', timeToImpact: 0, firstBelowAt: 7200, baselineFirstBelowAt: null });
    expect(report.criticalConsumers[0]!.text).toBe('Clinic (J1) drops below 20 m in 0 min');
    const times = report.timeline.times;
    const without = report.timeline.populationWithoutService.scenario;
    expect(without[times.indexOf(2 * 3600)]).toBeCloseTo(PEOPLE, 1);
    expect(without[times.indexOf(5 * 3600)]).toBe(0);
  });

  it('a tank of 5 m diameter and 5 m of water feeding 10 L/s empties after 98.17 m³ / 10 L/s = 9817 s', async () => {
    const withTank = readInp(tinyNetworkText({ tank: true }));
    const { report } = await simulateScenario({ network: withTank, scenario: { name: 'drain', hours: 8, events: [] } });
    const tank = report.tanks[0]!;
    const expected = (Math.PI * 25) / 4 * 5 / 0.01;
    expect(tank.emptiedAt).not.toBeNull();
    expect(Math.abs(tank.emptiedAt! - expected)).toBeLessThanOrEqual(2);
    expect(tank.baseline.emptiedAt).toBe(tank.emptiedAt);
    expect(tank.hoursEmpty).toBeCloseTo((8 * 3600 - expected) / 3600, 2);
  });

  it('time to impact counts from the first event, and durations read as a person says them', async () => {
    // A 100 mm main: the big leak at J2 (from 3 h) costs J1 about a metre of pressure; the small one (from 1 h) does not.
    const narrow = readInp(tinyNetworkText().replace('P1 R1 J1 10 1000', 'P1 R1 J1 10 100'));
    const { report } = await simulateScenario({
      network: narrow,
      scenario: {
        name: 'leaks', hours: 8, criticalConsumers: [{ node: 'J1', name: 'Clinic', minPressure: 49.5 }],
        events: [
          { type: 'leak', node: 'J2', emitterCoefficient: 0.01, start: { hour: 1 } },
          { type: 'leak', node: 'J1', emitterCoefficient: 2, start: { hour: 3 } },
        ],
      },
    });
    const c = report.criticalConsumers[0]!;
    expect(c.baselineFirstBelowAt).toBeNull();
    expect(c.firstBelowAt).toBe(3 * 3600);
    expect(c.timeToImpact).toBe(2 * 3600);
    expect(c.text).toBe('Clinic (J1) drops below 49.5 m in 2 h');
    expect(formatDuration(3 * 3600 + 10 * 60)).toBe('3 h 10 min');
    expect(formatDuration(45 * 60)).toBe('45 min');
    expect(formatDuration(52 * 3600)).toBe('2 d 4 h');
  });
});
