import { type FormEvent, useState } from 'react';
import type { Incident } from '../../api/types';
import { Link } from '../../router';
import { store } from '../../state/store';
import { ErrorMessage } from '../Modal';
import { changeErrorText, incidentCall, reviseIncident } from './change';

/** Who leads and works on the incident, its tags, and the incidents linked to it (only those the user sees). */
export function PeopleAndLinks({ incident, why }: { incident: Incident; why: string | null }) {
  const me = store.me;
  const myId = me?.user?.id ?? null;
  const [error, setError] = useState<string | null>(null);
  const [tags, setTags] = useState((incident.tags ?? []).join(', '));
  const [linkTo, setLinkTo] = useState('');
  const assignees = incident.assigneeIds ?? [];
  const linked = incident.linkedIncidentIds ?? [];
  const person = (id: string | null | undefined) => (!id ? 'nobody' : id === myId ? 'you' : `user ${id.slice(0, 8)}…`);

  async function run(action: () => Promise<unknown>) {
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(changeErrorText(e));
    }
  }
  function saveTags(event: FormEvent) {
    event.preventDefault();
    const list = [...new Set(tags.split(',').map((t) => t.trim()).filter(Boolean))];
    void run(() => reviseIncident(incident, { tags: list }));
  }
  const candidates = [...store.incidents.values()].filter((i) => i.id !== incident.id && !linked.includes(i.id));

  return (
    <section aria-labelledby="people">
      <h2 id="people">People, tags and links</h2>
      <p>
        Lead: <strong>{person(incident.leadUserId)}</strong>{' '}
        {myId && !why && incident.leadUserId !== myId && (
          <button type="button" onClick={() => void run(() => reviseIncident(incident, { leadUserId: myId }))}>
            I lead this
          </button>
        )}
      </p>
      <p>
        Assigned: {assignees.length === 0 ? <span className="muted">nobody</span> : assignees.map(person).join(', ')}{' '}
        {myId && !why && (
          <button
            type="button"
            onClick={() => void run(() => reviseIncident(incident, { assigneeIds: assignees.includes(myId) ? assignees.filter((a) => a !== myId) : [...assignees, myId] }))}
          >
            {assignees.includes(myId) ? 'Unassign me' : 'Assign me'}
          </button>
        )}
      </p>
      <form onSubmit={saveTags} className="row-form">
        <label className="field inline">
          Tags
          <input value={tags} onChange={(e) => setTags(e.target.value)} disabled={!!why} placeholder="scada, pumping-station" aria-describedby="tags-help" />
        </label>
        <button type="submit" disabled={!!why}>
          Save tags
        </button>
        <span id="tags-help" className="muted small-text">
          comma-separated
        </span>
      </form>
      <h3>Linked incidents</h3>
      {linked.length === 0 ? (
        <p className="muted">None you may see.</p>
      ) : (
        <ul className="plain" data-testid="linked-incidents">
          {linked.map((id) => (
            <li key={id}>
              <Link to={`/incidents/${id}`}>{store.incidents.get(id)?.title ?? id}</Link>{' '}
              {!why && (
                <button type="button" className="link-button" onClick={() => void run(() => incidentCall<Incident>('DELETE', `/incidents/${incident.id}/links/${id}?version=${incident.version}`, undefined, (i) => [i]))}>
                  unlink
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {!why && (
        <form
          className="row-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (linkTo) void run(() => incidentCall<Incident>('POST', `/incidents/${incident.id}/links`, { incidentId: linkTo, version: incident.version }, (i) => [i]));
          }}
        >
          <label className="field inline">
            Link to
            <select value={linkTo} onChange={(e) => setLinkTo(e.target.value)}>
              <option value="">choose an incident…</option>
              {candidates.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.title}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={!linkTo}>
            Link
          </button>
        </form>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}
