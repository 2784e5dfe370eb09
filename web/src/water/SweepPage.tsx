// A sweep: its progress live, then its ranking (worst first). A row opens its figures, and can be
// simulated again in full as a scenario of its own, with the map, the charts and the time to impact.
import { Fragment, useState } from 'react';
import { api, errorText } from '../api/client';
import { ErrorMessage } from '../components/Modal';
import { formatTime } from '../format';
import { Link } from '../router';
import { can, owns } from '../state/actions';
import { store, useStoreVersion } from '../state/store';
import { useSweep, water } from './data';
import { eventSentence } from './describe';
import { RUN_STATUS_TEXT, amount, people, percent } from './format';
import { startRun } from './ScenarioPage';
import { ACTIVE, type SweepEntry, type SweepKind, type WaterScenario, type WaterSweep } from './types';
import { WaterSharing } from './WaterShareButton';

export const SWEEP_KINDS: Array<{ kind: SweepKind; label: string }> = [
  { kind: 'pump-off', label: 'every pump off, one at a time' },
  { kind: 'plc-spoof', label: "every PLC's tank readings spoofed full" },
  { kind: 'n-1', label: 'every pipe closed, one at a time (N-1)' },
];

const kindText = (k: string) => SWEEP_KINDS.find((x) => x.kind === k)?.label ?? k;

export function SweepList({ sweeps, networkName }: { sweeps: WaterSweep[]; networkName: (id: string) => string }) {
  if (sweeps.length === 0) return <p className="muted">No sweep yet.</p>;
  return (
    <ul className="run-list">
      {[...sweeps]
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .map((s) => (
          <li key={s.id} data-sweep={s.id}>
            <Link to={`/water/sweeps/${s.id}`}>
              {kindText(s.kind)} · {networkName(s.networkId)} · {formatTime(s.createdAt)}
            </Link>{' '}
            <span className={`run-status ${s.status}`}>
              {RUN_STATUS_TEXT[s.status]}
              {ACTIVE.includes(s.status) && ` ${Math.round(s.progress * 100)} %`}
            </span>
            {s.result?.ranking[0] && <p className="small-text">Worst: {s.result.ranking[0].name}</p>}
          </li>
        ))}
    </ul>
  );
}

export function SweepPage({ id }: { id: string }) {
  useStoreVersion();
  const sweep = useSweep(id);
  if (sweep.status === 'loading') return <main className="page"><p className="muted">Loading…</p></main>;
  if (sweep.status === 'error') return <main className="page narrow"><h1>Sweep</h1><p className="error">{sweep.httpStatus === 404 ? 'This sweep does not exist or is not shared with your organisation.' : sweep.error}</p></main>;
  return <SweepView sweep={sweep.value} />;
}

function SweepView({ sweep }: { sweep: WaterSweep }) {
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const active = ACTIVE.includes(sweep.status);
  const pct = Math.round(sweep.progress * 100);
  async function cancel() {
    setError(null);
    try {
      water.putSweep(await api<WaterSweep>('DELETE', `/water/sweeps/${sweep.id}`));
    } catch (e) {
      setError(errorText(e));
    }
  }
  const ranking = sweep.result?.ranking ?? [];
  const hours = (sweep.settings.settings.hours as number | undefined) ?? 24;
  return (
    <main className="page water-page" aria-labelledby="sweep-title">
      <header className="page-head">
        <div>
          <p className="muted">
            <Link to="/water">Water</Link> / sweep
          </p>
          <h1 id="sweep-title">Sweep: {kindText(sweep.kind)}</h1>
          <WaterSharing kind="water-sweep" record={sweep} onShared={(s) => water.putSweep({ ...sweep, ...s })} />
          <p className="meta">
            {sweep.scenarios} scenarios of {hours} h on network version {sweep.networkVersion} · {store.orgName(sweep.ownerOrgId)} · {formatTime(sweep.createdAt)}
            {sweep.result && ` · ${(sweep.result.wallMs / 1000).toFixed(1)} s on ${sweep.result.workers} workers`}
          </p>
        </div>
      </header>
      <div className="run-progress" data-testid="sweep-progress" data-status={sweep.status}>
        <div className="progress-line">
          <span className={`run-status ${sweep.status}`}>{RUN_STATUS_TEXT[sweep.status]}</span>
          <div className="progress" role="progressbar" aria-label="Scenarios done" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
            <div className="progress-bar" style={{ width: `${pct}%` }} />
          </div>
          <span className="muted">{pct} %</span>
          {active && can.write(store.me) && owns(store.me, sweep) && (
            <button type="button" className="danger small" onClick={cancel}>
              Cancel sweep
            </button>
          )}
        </div>
        {active && sweep.note && <p className="muted small-text">{sweep.note}</p>}
        {sweep.failure && <p className="error">{sweep.failure.message}</p>}
      </div>
      <ErrorMessage error={error} />
      {ranking.length > 0 && (
        <section className="panel" aria-labelledby="ranking">
          <h2 id="ranking">Ranking, worst first</h2>
          <p className="muted small-text">Impact score: person-hours without adequate pressure added to normal operation, plus unserved water ÷ 1000. Open a row for its figures.</p>
          <table className="list ranking" data-testid="ranking">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Scenario</th>
                <th scope="col">Impact score</th>
                <th scope="col">People affected</th>
                <th scope="col">Service availability</th>
                <th scope="col">Unserved water</th>
                <th scope="col">Tanks emptied</th>
              </tr>
            </thead>
            <tbody>
              {ranking.map((r) => (
                <Fragment key={r.rank}>
                  <tr className={open === r.rank ? 'selected' : ''}>
                    <td>{r.rank}</td>
                    <td>
                      <button type="button" className="link-button" aria-expanded={open === r.rank} onClick={() => setOpen(open === r.rank ? null : r.rank)}>
                        {r.name}
                      </button>
                      {r.status !== 'completed' && <span className="pill">{r.status}</span>}
                    </td>
                    <td>
                      <span className="score-bar" style={{ width: `${ranking[0]!.impactScore > 0 ? Math.max(2, (r.impactScore / ranking[0]!.impactScore) * 100) : 0}%` }} aria-hidden="true" /> {amount(r.impactScore)}
                    </td>
                    <td>{people(r.populationAffected)}</td>
                    <td>{percent(r.waterServiceAvailability)}</td>
                    <td>{amount(r.unservedAdded)} m³</td>
                    <td>{r.tanksEmptied.join(', ') || '—'}</td>
                  </tr>
                  {open === r.rank && (
                    <tr className="row-detail">
                      <td />
                      <td colSpan={6}>
                        <SweepRow sweep={sweep} entry={r} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </main>
  );
}

function SweepRow({ sweep, entry }: { sweep: WaterSweep; entry: SweepEntry }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function simulate() {
    if (!entry.events) return;
    setBusy(true);
    setError(null);
    try {
      const definition = { ...sweep.settings.settings, name: `${entry.name} (from a sweep)`, description: `Rank ${entry.rank} of the sweep "${kindText(sweep.kind)}" of ${formatTime(sweep.createdAt)}.`, events: entry.events };
      const scenario = await api<WaterScenario>('POST', '/water/scenarios', { networkId: sweep.networkId, definition });
      await startRun(scenario.id);
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  }
  return (
    <div className="sweep-row" data-testid="sweep-row">
      {entry.error && <p className="error">{entry.error}</p>}
      <p>
        {people(entry.populationAffected)} people lose adequate pressure; {people(entry.personHoursAdded)} person-hours without service added; {amount(entry.unservedAdded)} m³ not delivered.
      </p>
      {entry.criticalConsumers.length > 0 ? (
        <ul className="plain">
          {entry.criticalConsumers.map((c) => (
            <li key={c}>
              <strong>{c.replace(/ \([^)]*\) drops/, ' drops')}</strong>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No critical consumer loses pressure.</p>
      )}
      {entry.events && (
        <p className="small-text">
          {entry.events.map((e) => eventSentence(e)).join('; ')}
        </p>
      )}
      {can.write(store.me) &&
        (entry.events ? (
          <button type="button" className="primary small" onClick={simulate} disabled={busy}>
            {busy ? 'Starting…' : 'Simulate it in full (map, charts, time to impact)'}
          </button>
        ) : (
          <p className="muted small-text">This sweep was recorded before rows kept their events: start the sweep again to simulate a row in full.</p>
        ))}
      <ErrorMessage error={error} />
    </div>
  );
}
