import { type ChangeEvent, type FormEvent, useMemo, useState } from 'react';
import { api, errorText } from '../api/client';
import { ErrorMessage } from '../components/Modal';
import { formatTime } from '../format';
import { MODEL_NAME, type ModelFile, type ModelInfo, modelVersions, readModelFile, sameTraining, suggestedName } from './models';

function day(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/**
 * Trained SCADA models: every stored version with its training fingerprint (what data it learned from) and
 * the detectors that run it; admins store a new one or a new version of one (`vigil detect train --out`).
 */
export function ModelsPanel({ models, detectors, admin, onStored }: { models: ModelInfo[]; detectors: unknown[]; admin: boolean; onStored: () => void }) {
  const groups = useMemo(() => modelVersions(models, detectors), [models, detectors]);
  const [replacing, setReplacing] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  return (
    <section aria-labelledby="models" className="models">
      <div className="section-head">
        <h2 id="models">Trained models</h2>
        {admin && !uploading && (
          <button type="button" className="small" onClick={() => (setReplacing(null), setUploading(true))}>
            Store a model…
          </button>
        )}
      </div>
      {groups.size === 0 && <p className="muted">No trained model is stored. A SCADA attack detector needs one: train it with `vigil detect train` on attack-free history.</p>}
      {[...groups].map(([name, versions]) => (
        <article key={name} className="model" data-model={name}>
          <header>
            <h3>
              {name} <span className="muted">· {versions.length} version{versions.length > 1 ? 's' : ''}</span>
            </h3>
            {admin && (
              <button type="button" className="small" onClick={() => (setReplacing(name), setUploading(true))}>
                Replace with a new version…
              </button>
            )}
          </header>
          <table className="list">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Trained on</th>
                <th scope="col">Training fingerprint</th>
                <th scope="col">Tags, checks</th>
                <th scope="col">Stored</th>
                <th scope="col">Used by</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.version}>
                  <td>
                    v{v.version}
                    {v.newest && <span className="pill">newest</span>}
                  </td>
                  <td>
                    {day(v.trainedFrom)} – {day(v.trainedTo)} <span className="muted">({v.trainingHours.toLocaleString('en-GB')} h)</span>
                  </td>
                  <td>
                    <code className="fingerprint" title={v.fingerprint}>
                      {v.fingerprint.replace(/^(sha256:)?(.{16}).*$/, '$1$2…')}
                    </code>
                  </td>
                  <td>
                    {v.tags}, {v.checks}
                  </td>
                  <td>{formatTime(v.createdAt)}</td>
                  <td>{v.usedBy.length ? v.usedBy.join(', ') : <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </article>
      ))}
      {uploading && (
        <ModelUpload
          replacing={replacing}
          models={models}
          onDone={(stored) => {
            setUploading(false);
            if (stored) onStored();
          }}
        />
      )}
    </section>
  );
}

function ModelUpload({ replacing, models, onDone }: { replacing: string | null; models: ModelInfo[]; onDone: (stored: boolean) => void }) {
  const [file, setFile] = useState<(ModelFile & { fileName: string }) | null>(null);
  const [name, setName] = useState(replacing ?? '');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [stored, setStored] = useState<ModelInfo | null>(null);

  async function choose(event: ChangeEvent<HTMLInputElement>) {
    setError(null);
    setFile(null);
    const chosen = event.target.files?.[0];
    if (!chosen) return;
    const read = readModelFile(await chosen.text());
    if ('error' in read) return setError(read.error);
    setFile({ ...read, fileName: chosen.name });
    if (!name) setName(suggestedName(chosen.name, replacing));
  }
  async function send(event: FormEvent) {
    event.preventDefault();
    if (!file) return setError('Choose the model file first');
    if (!MODEL_NAME.test(name)) return setError('A model name is 1–64 letters, digits, “_”, “.” or “-”, starting with a letter or digit');
    setSending(true);
    setError(null);
    try {
      setStored(await api<ModelInfo>('POST', '/detectors/models', { name, model: file.model }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSending(false);
    }
  }
  if (stored) {
    return (
      <div className="secret" role="status">
        <p>
          Stored <strong>{stored.name}</strong> version {stored.version} (fingerprint <code>{stored.fingerprint}</code>). Detectors naming “{stored.name}” now run it; those naming a
          version (“{stored.name}@1”) stay on theirs.
        </p>
        <button type="button" onClick={() => onDone(true)}>
          Done
        </button>
      </div>
    );
  }
  const same = file ? sameTraining(file.fingerprint, models) : [];
  return (
    <form className="inline-form model-upload" onSubmit={send} noValidate aria-label={replacing ? `Replace ${replacing}` : 'Store a model'}>
      <h3>{replacing ? `A new version of ${replacing}` : 'Store a trained model'}</h3>
      <label className="field">
        <span>
          Model file (JSON from <code>vigil detect train --out</code>)
        </span>
        <input type="file" accept="application/json,.json" onChange={choose} />
      </label>
      {file && (
        <p className="small-text" data-testid="model-file">
          {file.fileName}: trained on {day(file.from)} – {day(file.to)} ({file.hours.toLocaleString('en-GB')} h), {file.tags} tags, {file.checks} checks; fingerprint <code>{file.fingerprint}</code>
          {same.length > 0 && (
            <span className="warning-text">
              {' '}
              — the same training data as {same.map((m) => `${m.name} v${m.version}`).join(', ')}
            </span>
          )}
        </p>
      )}
      <label className="field">
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} disabled={replacing !== null} />
      </label>
      <ErrorMessage error={error} />
      <div className="buttons">
        <button type="button" onClick={() => onDone(false)}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={sending || !file}>
          {sending ? 'Storing…' : 'Store'}
        </button>
      </div>
    </form>
  );
}
