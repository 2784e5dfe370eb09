// Sections of the incident workspace that come from capabilities added later. Each asks the API for its
// records and renders them; a server without that API (404) shows that the section is not available yet.
// Issue 5 (playbooks, tasks, attachments) fills these in; more sections are added to INCIDENT_SECTIONS.
import { type ReactNode, useEffect, useState } from 'react';
import { ApiError, api, errorText } from '../api/client';
import type { Incident } from '../api/types';
import { waterIncidentSection } from '../water/incidentSection';
import { warningsIncidentSection } from '../warnings/incidentSection';

export interface IncidentSection {
  id: string;
  title: string;
  /** The API path of this section's records for an incident. */
  path: (incident: Incident) => string;
  render: (items: Array<Record<string, unknown>>) => ReactNode;
  empty: string;
  /** What the user may do from the incident (shown under the records). */
  actions?: (incident: Incident) => ReactNode;
}

const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));

export const INCIDENT_SECTIONS: IncidentSection[] = [
  {
    id: 'tasks',
    title: 'Tasks',
    path: (i) => `/incidents/${i.id}/tasks`,
    empty: 'No tasks yet.',
    render: (items) => (
      <ul className="plain">
        {items.map((t) => (
          <li key={text(t.id)}>
            <input type="checkbox" readOnly checked={t.status === 'done' || t.status === 'completed'} aria-label={text(t.title)} /> {text(t.title ?? t.name)}{' '}
            <span className="muted">{text(t.assigneeOrgId ?? t.status)}</span>
          </li>
        ))}
      </ul>
    ),
  },
  // Attachments have their own component (components/incident/Attachments.tsx): upload, labels, download.
  waterIncidentSection,
  warningsIncidentSection,
];

export function ExtensionSection({ section, incident }: { section: IncidentSection; incident: Incident }) {
  const [state, setState] = useState<{ items: Array<Record<string, unknown>> } | 'unavailable' | { error: string } | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    api<{ items: Array<Record<string, unknown>> }>('GET', section.path(incident), undefined, { signal: controller.signal })
      .then((page) => setState({ items: page.items ?? [] }))
      .catch((e) => {
        if ((e as Error).name === 'AbortError') return;
        setState(e instanceof ApiError && e.status === 404 ? 'unavailable' : { error: errorText(e) });
      });
    return () => controller.abort();
  }, [incident.id, incident.version]);
  return (
    <section aria-labelledby={`section-${section.id}`} data-section={section.id}>
      <h2 id={`section-${section.id}`}>{section.title}</h2>
      {state === null ? (
        <p className="muted">Loading…</p>
      ) : state === 'unavailable' ? (
        <p className="muted">Not available on this server yet (it arrives with playbooks and tasks).</p>
      ) : 'error' in state ? (
        <p className="error">{state.error}</p>
      ) : state.items.length === 0 ? (
        <p className="muted">{section.empty}</p>
      ) : (
        section.render(state.items)
      )}
      {section.actions?.(incident)}
    </section>
  );
}
