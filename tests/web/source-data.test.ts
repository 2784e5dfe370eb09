// The map hands a source new data only when it changed: an unchanged setData re-tiles and redraws for nothing.
import { describe, expect, it } from 'vitest';
import { sameData, setSourceData } from '../../web/src/map/sourceData';

const fc = (features: GeoJSON.Feature[]): GeoJSON.FeatureCollection => ({ type: 'FeatureCollection', features });
const alert = (id: string, sev: number, coordinates = [7.42, 43.73]): GeoJSON.Feature => ({ type: 'Feature', geometry: { type: 'Point', coordinates }, properties: { kind: 'alert', id, sev, fresh: false } });

describe('sameData', () => {
  it('sees equal collections built afresh as the same', () => {
    expect(sameData(fc([alert('a', 1), alert('b', 2)]), fc([alert('a', 1), alert('b', 2)]))).toBe(true);
  });
  it.each([
    ['another severity', fc([alert('a', 1), alert('b', 3)])],
    ['a moved point', fc([alert('a', 1), alert('b', 2, [7.43, 43.73])])],
    ['one more feature', fc([alert('a', 1), alert('b', 2), alert('c', 0)])],
    ['another order', fc([alert('b', 2), alert('a', 1)])],
  ])('sees %s as a change', (_name, changed) => {
    expect(sameData(fc([alert('a', 1), alert('b', 2)]), changed)).toBe(false);
  });
  it('tells an array from an object and a missing property from an undefined one', () => {
    expect(sameData([], {})).toBe(false);
    expect(sameData({ a: 1 }, { a: 1, b: undefined })).toBe(false);
  });
});

describe('setSourceData', () => {
  it('calls setData for new data only', () => {
    const calls: unknown[] = [];
    const map = { getSource: (id: string) => (id === 'alerts' ? { setData: (d: unknown) => calls.push(d) } : undefined) } as never;
    setSourceData(map, 'alerts', fc([alert('a', 1)]));
    setSourceData(map, 'alerts', fc([alert('a', 1)]));
    setSourceData(map, 'alerts', fc([alert('a', 2)]));
    setSourceData(map, 'missing', fc([]));
    expect(calls).toHaveLength(2);
  });
});
