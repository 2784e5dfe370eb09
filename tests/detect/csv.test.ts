import { describe, expect, it } from 'vitest';
import { CsvFormatError, parseScadaLog, parseTime } from '../../src/detect/index.js';
import { formatPredictions, parseAttackWindows, parsePredictions } from '../../src/detect/batadal/files.js';

describe('SCADA log CSV', () => {
  it('reads BATADAL training set 2 style: spaces after commas, ATT_FLAG kept apart from the tags', () => {
    const log = parseScadaLog('DATETIME,L_T1,F_PU1,ATT_FLAG\n04/07/16 00, 2.44, 93.63, -999\n04/07/16 01, 2.66, 89.41, 1\n');
    expect(log.table.tags).toEqual(['L_T1', 'F_PU1']);
    expect(log.table.times).toEqual([Date.UTC(2016, 6, 4, 0), Date.UTC(2016, 6, 4, 1)]);
    expect(Array.from(log.table.rows[1]!)).toEqual([2.66, 89.41]);
    expect(log.labels).toEqual([-999, 1]);
    expect(log.timeTexts).toEqual(['04/07/16 00', '04/07/16 01']);
  });

  it('takes columns in any order, a BOM, CRLF, blank lines and a time column that is not first', () => {
    const log = parseScadaLog('\uFEFFF_PU1 , DATETIME,L_T1\r\n\r\n1.5, 2016-07-04 05:00 ,2\r\n');
    expect(log.table.tags).toEqual(['F_PU1', 'L_T1']);
    expect(log.table.times).toEqual([Date.UTC(2016, 6, 4, 5)]);
    expect(log.labels).toBeUndefined();
  });

  it('treats empty and NaN cells as missing readings', () => {
    const log = parseScadaLog('DATETIME,a,b\n01/01/17 00,,NaN\n');
    expect(Array.from(log.table.rows[0]!).every(Number.isNaN)).toBe(true);
  });

  it('names the line and the problem', () => {
    expect(() => parseScadaLog('DATETIME,a\n01/01/17 00,1\n32/01/17 01,2\n', 'x.csv')).toThrow(/x\.csv line 3: cannot read time "32\/01\/17 01"/);
    expect(() => parseScadaLog('DATETIME,a\n01/01/17 00,one\n')).toThrow(/a = "one" is not a number/);
    expect(() => parseScadaLog('DATETIME,a\n01/01/17 00,1,2\n')).toThrow(/3 cells, header has 2/);
    expect(() => parseScadaLog('DATETIME,a\n01/01/17 01,1\n01/01/17 00,1\n')).toThrow(/does not follow the previous line/);
    expect(() => parseScadaLog('DATETIME,a,a\n01/01/17 01,1,1\n')).toThrow(/column a appears twice/);
    expect(() => parseScadaLog('DATETIME,a\n')).toThrow(CsvFormatError);
  });

  it('reads dd/mm/yy HH and ISO-like times as UTC and rejects impossible dates', () => {
    expect(parseTime('06/01/14 00')).toBe(Date.UTC(2014, 0, 6));
    expect(parseTime('31/12/2016 23')).toBe(Date.UTC(2016, 11, 31, 23));
    expect(parseTime('2016-09-13 23:00')).toBe(Date.UTC(2016, 8, 13, 23));
    expect(parseTime('2016-09-13T23:00:00Z')).toBe(Date.UTC(2016, 8, 13, 23));
    expect(parseTime('30/02/16 10')).toBeNaN();
    expect(parseTime('yesterday')).toBeNaN();
  });
});

describe('evaluation files', () => {
  it('reads attack windows with extra columns and predictions, and writes predictions back', () => {
    const w = parseAttackWindows('attack_id,dataset,start,end_inclusive,rows_hours\n1,dataset04,2016-09-13 23:00,2016-09-16 00:00,50\n');
    expect(w).toEqual([{ id: '1', start: Date.UTC(2016, 8, 13, 23), end: Date.UTC(2016, 8, 16, 0) }]);
    const text = formatPredictions(['13/09/16 23', '14/09/16 00'], [true, false]);
    expect(text).toBe('DATETIME,ATT_FLAG\n13/09/16 23,1\n14/09/16 00,0\n');
    expect(parsePredictions(text)).toEqual([
      { time: Date.UTC(2016, 8, 13, 23), alarm: true },
      { time: Date.UTC(2016, 8, 14, 0), alarm: false },
    ]);
    expect(() => parsePredictions('DATETIME,ATT_FLAG\n13/09/16 23,-999\n')).toThrow(/must be 0 or 1/);
    expect(() => parseAttackWindows('id,start\n1,2016-01-01 00:00\n')).toThrow(/start and end_inclusive/);
  });
});

describe('reporting resolution', () => {
  it('is 10^-d for the most decimals a log carries', async () => {
    const { reportingResolution } = await import('../../src/detect/scada/features.js');
    expect(reportingResolution(parseScadaLog('DATETIME,a,b\n01/01/17 00, 2.44, 93.6\n01/01/17 01, 3, NaN\n').table)).toBeCloseTo(0.01, 12);
    expect(reportingResolution(parseScadaLog('DATETIME,a\n01/01/17 00,12\n').table)).toBe(1);
    expect(reportingResolution(parseScadaLog('DATETIME,a\n01/01/17 00,0.509729922\n').table)).toBeCloseTo(1e-6, 12);
  });
});

describe('lenient reading for assessment', () => {
  it('keeps repeated and backward lines, and maps each to the verdict of the latest hour before it', async () => {
    const { increasingRows } = await import('../../src/detect/batadal/csv.js');
    const log = parseScadaLog('DATETIME,a\n01/01/17 00,1\n01/01/17 01,2\n01/01/17 01,3\n01/01/17 00,4\n01/01/17 02,5\n', 'x', 'lenient');
    expect(log.table.rows).toHaveLength(5);
    const { table, verdictOf } = increasingRows(log.table);
    expect(table.rows.map((r) => r[0])).toEqual([1, 2, 5]);
    expect(verdictOf).toEqual([0, 1, 1, 1, 2]);
  });
});
