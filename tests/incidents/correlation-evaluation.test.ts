import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AlertCsvError, parseCsv, readAlertCsv } from '../../src/incidents/correlation/alert-csv.js';
import { evaluateCorrelation } from '../../src/incidents/correlation/cli.js';
import { IncidentLedger, scoreGrouping } from '../../src/incidents/correlation/evaluation.js';
import { CliError } from '../../src/kernel/cli-error.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-eval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scoring a grouping', () => {
  it('computes compression, weighted and per-incident purity, and step recall', () => {
    const labels = ['fp', 'fp', 'fp', 'scan', 'scan', 'scan', 'fp', 'exfil', 'fp'];
    const incidents = ['1', '1', '1', '2', '2', '2', '2', '3', '3'];
    const score = scoreGrouping(labels, incidents, 'fp');
    expect(score.incidents).toBe(3);
    expect(score.compression).toBe(3);
    expect(score.purity).toBeCloseTo((3 + 3 + 1) / 9);
    expect(score.meanIncidentPurity).toBeCloseTo((1 + 0.75 + 0.5) / 3);
    // exfil is half of incident 3: not "mostly", so not recalled.
    expect(score.steps).toEqual([
      { label: 'scan', alerts: 3, incidentsMostlyThis: 1, largestIncident: 4, recalled: true },
      { label: 'exfil', alerts: 1, incidentsMostlyThis: 0, largestIncident: 0, recalled: false },
    ]);
    expect(score.stepRecall).toBe(0.5);
  });

  it('follows merges to the final incident', () => {
    const ledger = new IncidentLedger();
    ledger.apply({ kind: 'open', alertId: 'a', incidentId: 'i1' });
    ledger.apply({ kind: 'open', alertId: 'b', incidentId: 'i2' });
    ledger.apply({ kind: 'open', alertId: 'c', incidentId: 'i3' });
    ledger.apply({ kind: 'merge', incidentId: 'i3', intoIncidentId: 'i2' });
    ledger.apply({ kind: 'merge', incidentId: 'i2', intoIncidentId: 'i1' });
    expect(['a', 'b', 'c'].map((x) => ledger.incidentOf(x))).toEqual(['i1', 'i1', 'i1']);
  });
});

describe('alert CSV', () => {
  it('parses RFC 4180 quoting, CRLF and a missing final newline', () => {
    expect(parseCsv('a,b\r\n"x, ""y""",2\n"multi\nline",\n3,4')).toEqual([['a', 'b'], ['x, "y"', '2'], ['multi\nline', ''], ['3', '4']]);
  });

  it('maps rows to alerts without ever passing the labels to the engine', () => {
    const table = readAlertCsv(
      'time,name,ip,host,short,time_label,event_label\n1642723347,Wazuh: ClamAV database update,172.19.130.4,mail,W-Sys-Cav,dnsteal,dnsteal\n',
    );
    expect(table.alerts).toEqual([
      {
        id: 'row-1',
        ownerOrgId: 'evaluation',
        time: 1642723347000,
        category: 'cyber',
        severity: 'medium',
        kind: 'Wazuh: ClamAV database update',
        assetIds: ['mail'],
        evidence: { source: 'Wazuh', rule: 'Wazuh: ClamAV database update', ip: '172.19.130.4', host: 'mail', short: 'W-Sys-Cav' },
      },
    ]);
    expect(JSON.stringify(table.alerts)).not.toContain('dnsteal');
    expect(table.assets).toEqual([{ id: 'mail', name: 'mail', identifiers: ['172.19.130.4'] }]);
    expect(table.labels).toEqual(['dnsteal']);
  });

  it('says what is wrong with a bad file', () => {
    expect(() => readAlertCsv('')).toThrow(AlertCsvError);
    expect(() => readAlertCsv('when,what\n1,2\n')).toThrow('missing column(s) time, name, host');
    expect(() => readAlertCsv('time,name,host\nyesterday,x,h\n')).toThrow('data row 1: time "yesterday"');
    expect(() => readAlertCsv('time,name,host\n1,x\n')).toThrow('data row 1: 2 fields where the header has 3');
    expect(readAlertCsv('time,name,host\n2022-01-21T00:00:00Z,x,h\n').alerts[0]!.time).toBe(Date.parse('2022-01-21T00:00:00Z'));
  });
});

describe('vigil eval correlation', () => {
  it('writes row,incident for every input row and reports the scores', async () => {
    const rows = ['time,name,ip,host,time_label'];
    for (let i = 0; i < 50; i++) rows.push(`${1000 + i * 600},Wazuh: ClamAV database update,10.0.0.1,mail,false_positive`);
    for (let i = 0; i < 30; i++) rows.push(`${20_000 + i},Wazuh: Web server 400 error code.,10.0.0.2,web,dirb`);
    const file = join(dir, 'alerts.csv');
    const out = join(dir, 'out.csv');
    writeFileSync(file, `${rows.join('\n')}\n`);
    const report = await evaluateCorrelation(file, { out, labelColumn: 'time_label', benign: 'false_positive', quiet: true });
    expect(report).toContain('incidents made    2');
    expect(report).toMatch(/purity\s+1\.000/);
    expect(report).toMatch(/step recall\s+1\.00 \(1 of 1 steps/);
    const written = readFileSync(out, 'utf8').trim().split('\n');
    expect(written[0]).toBe('row,incident');
    expect(written).toHaveLength(81);
    expect(written[1]).toBe('1,1');
    expect(written[80]).toBe('80,2');
  });

  it('turns unreadable input into a CliError', async () => {
    await expect(evaluateCorrelation(join(dir, 'missing.csv'), { labelColumn: 'time_label', benign: 'x', quiet: true })).rejects.toBeInstanceOf(CliError);
    writeFileSync(join(dir, 'bad.json'), '{"recurrence":{"similarity":7}}');
    writeFileSync(join(dir, 'ok.csv'), 'time,name,host\n1,x,h\n');
    await expect(evaluateCorrelation(join(dir, 'ok.csv'), { labelColumn: 'time_label', benign: 'x', quiet: true, settings: join(dir, 'bad.json') })).rejects.toThrow(
      'recurrence.similarity',
    );
  });

  const ait = join(import.meta.dirname, '../../../shared/data/siem/ait-ads/russellmitchell_alerts.csv');
  it.skipIf(!existsSync(ait))('meets the targets on the AIT alert data set', async () => {
    const report = await evaluateCorrelation(ait, { labelColumn: 'time_label', benign: 'false_positive', quiet: true });
    const number = (label: string): number => Number(new RegExp(`${label}\\s+([\\d.]+)`).exec(report)![1]);
    expect(number('compression')).toBeGreaterThanOrEqual(100);
    expect(number('purity')).toBeGreaterThanOrEqual(0.95);
    expect(number('step recall')).toBeGreaterThanOrEqual(0.8);
  });
});
