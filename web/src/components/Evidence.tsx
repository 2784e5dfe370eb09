import { useEffect, useState } from 'react';
import { errorText } from '../api/client';
import type { Alert, Datastream } from '../api/types';
import { DatastreamChart, datastreamsOf } from '../charts/DatastreamChart';

/** A value of the evidence, in a readable form. */
function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

interface StreamEvidence {
  observed?: unknown;
  expected?: unknown;
  unit?: string;
  [k: string]: unknown;
}

/** The values that triggered the alert, and charts of the datastreams involved when there are any. */
export function Evidence({ alert }: { alert: Alert }) {
  const evidence = alert.evidence ?? {};
  const streams = (evidence.datastreams ?? null) as Record<string, StreamEvidence> | null;
  const plain = Object.entries(evidence).filter(([k]) => k !== 'datastreams' && k !== 'datastreamIds');
  return (
    <section className="evidence" aria-label="Evidence">
      <h3>Evidence</h3>
      {streams && Object.keys(streams).length > 0 && (
        <table className="kv">
          <thead>
            <tr>
              <th scope="col">Datastream</th>
              <th scope="col">Observed</th>
              <th scope="col">Expected</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(streams).map(([key, s]) => (
              <tr key={key}>
                <th scope="row">{key}</th>
                <td className="observed">
                  {show(s.observed)} {s.unit ?? ''}
                </td>
                <td>
                  {show(s.expected)} {s.expected !== undefined ? (s.unit ?? '') : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {plain.length > 0 && (
        <table className="kv">
          <tbody>
            {plain.map(([k, v]) => (
              <tr key={k}>
                <th scope="row">{k}</th>
                <td>{show(v)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!streams && plain.length === 0 && <p className="muted">No evidence was attached.</p>}
      <EvidenceCharts alert={alert} keys={streams ? Object.keys(streams) : []} />
    </section>
  );
}

/**
 * Charts of the datastreams the alert involves: those named by evidence.datastreamIds, else those of its
 * assets whose key appears in evidence.datastreams.
 */
function EvidenceCharts({ alert, keys }: { alert: Alert; keys: string[] }) {
  const [streams, setStreams] = useState<Datastream[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ids = Array.isArray(alert.evidence?.datastreamIds) ? (alert.evidence.datastreamIds as string[]) : [];
  useEffect(() => {
    const controller = new AbortController();
    setStreams(null);
    setError(null);
    Promise.all(alert.assetIds.map((id) => datastreamsOf(id, controller.signal)))
      .then((lists) => {
        const all = lists.flat();
        setStreams(all.filter((d) => ids.includes(d.id) || keys.includes(d.key)));
      })
      .catch((e) => {
        if ((e as Error).name !== 'AbortError') setError(errorText(e));
      });
    return () => controller.abort();
  }, [alert.id]);
  if (error) return <p className="muted">Datastreams could not be read: {error}</p>;
  if (streams === null) return alert.assetIds.length ? <p className="muted">Looking for datastreams…</p> : null;
  if (streams.length === 0) return <p className="muted" data-testid="no-datastreams">No datastreams are involved.</p>;
  const t = Date.parse(alert.time);
  return (
    <div className="evidence-charts">
      {streams.map((d) => (
        <DatastreamChart key={d.id} datastream={d} initial={{ from: t - 3 * 3600_000, to: Math.min(Date.now(), t + 3600_000) }} marker={{ t, label: 'alert' }} />
      ))}
    </div>
  );
}
