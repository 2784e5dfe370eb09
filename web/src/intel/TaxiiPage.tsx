import { useEffect, useMemo, useState } from 'react';
import { api, errorText } from '../api/client';
import type { Me } from '../api/types';
import { ErrorMessage } from '../components/Modal';
import { IntelHead } from './IntelTabs';
import { audienceText, connectionGuide, orderedCollections } from './taxii';
import type { TaxiiCollections } from './types';

/** The TAXII 2.1 collections this organisation exposes and reads, and how a partner connects to them. */
export function TaxiiPage({ me }: { me: Me }) {
  const [data, setData] = useState<TaxiiCollections | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    api<TaxiiCollections>('GET', '/cti/collections', undefined, { signal: controller.signal })
      .then(setData)
      .catch((e) => (e as Error).name !== 'AbortError' && setError(errorText(e)));
    return () => controller.abort();
  }, []);
  const guide = useMemo(() => (data ? connectionGuide(location.origin, data) : null), [data]);
  const collections = useMemo(() => orderedCollections(data?.collections ?? []), [data]);
  const most = Math.max(1, ...collections.map((c) => c.objects));
  return (
    <main className="page intel">
      <IntelHead me={me} current="/intel/taxii" subtitle={`TAXII 2.1 collections ${me.organisation.name} exposes and reads`} />
      <ErrorMessage error={error} />
      {!data || !guide ? (
        !error && <p className="muted">Loading…</p>
      ) : (
        <>
          <section className="panel" aria-labelledby="connect">
            <h2 id="connect">How a partner connects</h2>
            <dl className="facts">
              <dt>Discovery</dt>
              <dd>
                <code data-testid="discovery-url">{guide.discovery}</code>
              </dd>
              <dt>API root</dt>
              <dd>
                <code>{guide.apiRoot}</code>
              </dd>
            </dl>
            <ol className="steps">
              <li>
                The partner needs an account of an organisation on this Vigil (a user, or an API token of that organisation). It reads exactly what that organisation may see: share
                with it by name or through a sharing group to put intelligence in its collections. Nothing labelled TLP:AMBER+STRICT or TLP:RED is ever served.
              </li>
              <li>
                The partner's TAXII 2.1 client uses the discovery URL with HTTP Basic (any user name, the token as the password) or a Bearer token, and <code>Accept: application/taxii+json;version=2.1</code>:
                <pre>
                  <code>{guide.curl}</code>
                </pre>
              </li>
              <li>A partner running Vigil adds a collection as a feed (its objects keep their label and are never shared further than it allows):
                <pre>
                  <code>{collections[0] ? guide.vigilFeed(collections[0]) : ''}</code>
                </pre>
              </li>
              <li>Served over HTTPS through the TLS reverse proxy (docs/operations.md); paging with <code>next</code> or <code>added_after</code> is exact.</li>
            </ol>
          </section>
          <table className="list collections" data-testid="collections">
            <thead>
              <tr>
                <th scope="col">Collection</th>
                <th scope="col">Id</th>
                <th scope="col">Who reads it</th>
                <th scope="col">Read</th>
                <th scope="col">Write</th>
                <th scope="col">Objects</th>
              </tr>
            </thead>
            <tbody>
              {collections.map((c) => (
                <tr key={c.id} data-collection={c.alias}>
                  <td>
                    <strong>{c.title}</strong>
                    <div className="muted small-text">{c.description}</div>
                  </td>
                  <td>
                    <code>{c.id}</code>
                    <div className="muted small-text">
                      alias <code>{c.alias}</code>
                    </div>
                  </td>
                  <td className="small-text">{audienceText(c)}</td>
                  <td>{c.canRead ? 'yes' : 'no'}</td>
                  <td title={c.canWrite ? 'Your role may add objects (POST …/objects/)' : 'Only roles with intel:write (admins, analysts) may add objects'}>{c.canWrite ? 'yes' : 'no'}</td>
                  <td className="bar-cell">
                    <span className="bar taxii" style={{ width: `${c.objects ? Math.max(4, (c.objects / most) * 100) : 0}%` }} aria-hidden="true" />
                    <span className="bar-value" data-testid="object-count">
                      {c.objects.toLocaleString('en-GB')}
                    </span>
                    {c.versions > c.objects && <div className="muted small-text">{c.versions.toLocaleString('en-GB')} versions</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small-text">Counts are what the collection serves to your account now. TLP:AMBER is served only in the collections of the organisations and groups it is shared with.</p>
        </>
      )}
    </main>
  );
}
