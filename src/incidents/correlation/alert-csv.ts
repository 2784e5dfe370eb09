import type { CorrelationAlert, CorrelationAsset } from './model.js';

/**
 * Alerts from a SIEM export in CSV (the AIT alert data set's form: time,name,ip,host,...), mapped onto
 * correlation alerts the same way for every row: the host is the asset, its address is the asset's own
 * identity, the rule name is the alert's kind, and the row's fields are the evidence. Label columns are
 * read only for scoring and never reach the engine.
 */
export interface CsvAlertTable {
  alerts: CorrelationAlert[];
  assets: CorrelationAsset[];
  /** Per alert (same index), the value of the label column, or null when the file has none. */
  labels: string[] | null;
}

export class AlertCsvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AlertCsvError';
  }
}

const REQUIRED = ['time', 'name', 'host'] as const;
/** Columns that describe the ground truth: never given to the engine. */
const LABEL_COLUMNS = new Set(['time_label', 'event_label', 'label', 'labels']);

export function readAlertCsv(text: string, options: { labelColumn?: string; ownerOrgId?: string } = {}): CsvAlertTable {
  const records = parseCsv(text);
  const header = records.shift()?.map((h) => h.trim().toLowerCase());
  if (!header || header.length === 0 || (header.length === 1 && header[0] === '')) throw new AlertCsvError('the file is empty');
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new AlertCsvError(`missing column(s) ${missing.join(', ')}; the header must name at least ${REQUIRED.join(', ')} (found: ${header.join(', ')})`);
  }
  const col = (name: string): number => header.indexOf(name);
  const [iTime, iName, iHost, iIp] = [col('time'), col('name'), col('host'), col('ip')];
  const labelColumn = options.labelColumn ?? 'time_label';
  const iLabel = col(labelColumn);
  const evidenceColumns = header.map((h, i) => [h, i] as const).filter(([h]) => !LABEL_COLUMNS.has(h) && h !== labelColumn && h !== 'time');
  const owner = options.ownerOrgId ?? 'evaluation';

  const alerts: CorrelationAlert[] = [];
  const labels: string[] | null = iLabel >= 0 ? [] : null;
  const identities = new Map<string, Set<string>>();
  records.forEach((fields, index) => {
    const row = index + 1;
    if (fields.length === 1 && fields[0] === '') return; // blank line
    if (fields.length !== header.length) {
      throw new AlertCsvError(`data row ${row}: ${fields.length} fields where the header has ${header.length}`);
    }
    const time = parseTime(fields[iTime]!);
    if (time === null) throw new AlertCsvError(`data row ${row}: time "${fields[iTime]}" is neither epoch seconds, milliseconds nor an ISO 8601 date`);
    const name = fields[iName]!.trim();
    const host = fields[iHost]!.trim();
    const ip = iIp >= 0 ? fields[iIp]!.trim() : '';
    const evidence: Record<string, string> = { source: sourceOf(name) };
    for (const [h, i] of evidenceColumns) evidence[h === 'name' ? 'rule' : h] = fields[i]!;
    if (host) {
      const own = identities.get(host) ?? new Set<string>();
      if (ip) own.add(ip);
      identities.set(host, own);
    }
    alerts.push({
      id: `row-${row}`,
      ownerOrgId: owner,
      time,
      category: 'cyber',
      severity: 'medium',
      kind: name || 'unnamed alert',
      assetIds: host ? [host] : [],
      evidence,
    });
    labels?.push(fields[iLabel]!.trim());
  });
  const assets = [...identities].map(([id, ips]) => ({ id, name: id, identifiers: [...ips] }));
  return { alerts, assets, labels };
}

/** "Wazuh: sshd: authentication success" comes from Wazuh. */
function sourceOf(name: string): string {
  const colon = name.indexOf(':');
  return colon > 0 && colon < 40 ? name.slice(0, colon).trim() : 'unknown';
}

function parseTime(raw: string): number | null {
  const s = raw.trim();
  if (/^-?\d+(\.\d+)?$/.test(s)) {
    const n = Number(s);
    // Up to 1e11 it is seconds (until the year 5138); beyond, milliseconds.
    return Math.abs(n) < 1e11 ? Math.round(n * 1000) : Math.round(n);
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(s)) return null;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? null : ms;
}

/** RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  while (i < n) {
    let field: string;
    if (text[i] === '"') {
      field = '';
      let from = ++i;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q < 0) throw new AlertCsvError('the file ends inside a quoted field');
        if (text[q + 1] === '"') {
          field += text.slice(from, q + 1);
          from = q + 2;
          continue;
        }
        field += text.slice(from, q);
        i = q + 1;
        break;
      }
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 44 || c === 10 || c === 13) break; // , \n \r
        j++;
      }
      field = text.slice(i, j);
      i = j;
    }
    fields.push(field);
    const c = text[i];
    if (c === ',') {
      i++;
      if (i === n) fields.push('');
    } else {
      // End of record (or of the file); a quoted field must be followed by one of these.
      if (c !== undefined && c !== '\n' && c !== '\r') throw new AlertCsvError(`unexpected character after a quoted field at offset ${i}`);
      if (c === '\r' && text[i + 1] === '\n') i++;
      i++;
      records.push(fields);
      fields = [];
    }
  }
  if (fields.length > 0) records.push(fields);
  return records;
}
