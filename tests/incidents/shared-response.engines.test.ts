import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canSeeEvidence } from '../../src/incidents/evidence-sharing.js';
import type { Distribution, Sharing, Tlp } from '../../src/kernel/sharing/index.js';
import { type Api, type SseClient, listen, openStream, startApi } from '../helpers/http.js';
import { type TestKernel, engines, openTestKernel } from '../helpers/kernel.js';
import { MATRIX_ORGS, type MatrixOrg, type World, seedWorld } from '../helpers/world.js';

/**
 * Shared response as a matrix, on every engine: incidents under four distributions × notes and attachments
 * that follow the incident or carry a stricter label, written by the owner or a partner × each organisation
 * looking → seen or not. The expected cells are written out by hand; the pure policy (canSeeEvidence) must
 * agree with every cell the API answers.
 */
type IncidentKey = 'orgs' | 'community' | 'group' | 'owner';
type ItemKey = 'follows' | 'red-listed' | 'strict-owner' | 'group' | 'partner-private' | 'partner-follows';

const O = 'owner', L = 'listed', M = 'member', C = 'community', X = 'outsider';
const ALL = [O, L, M, C, X] as const;

/** Who sees each item; 'refused' when the label would reach further than the incident. */
const EXPECTED: Record<IncidentKey, Partial<Record<ItemKey, readonly MatrixOrg[] | 'refused'>>> = {
  orgs: { follows: [O, L, M], 'red-listed': [O, L], 'strict-owner': [O], group: [O, M], 'partner-private': [O, L], 'partner-follows': [O, L, M] },
  community: { follows: ALL, 'red-listed': [O, L], 'strict-owner': [O], group: [O, M], 'partner-private': [O, L], 'partner-follows': ALL },
  group: { follows: [O, M], 'red-listed': 'refused', 'strict-owner': [O], group: [O, M], 'partner-private': [O, M], 'partner-follows': [O, M] },
  owner: { follows: [O], 'red-listed': 'refused', 'strict-owner': [O], group: 'refused' },
};
/** The partner that writes on each incident (one that sees it). */
const PARTNER: Record<IncidentKey, MatrixOrg | null> = { orgs: L, community: L, group: M, owner: null };

for (const engine of engines()) {
  describe(`shared response under the sharing policy (${engine})`, () => {
    let t: TestKernel;
    let api: Api;
    let world: World;
    let streams: Partial<Record<MatrixOrg, SseClient>> = {};
    const incidents = {} as Record<IncidentKey, Sharing & { id: string }>;
    /** item → its note text / attachment filename, author and label, per incident. */
    const written: Array<{ incident: IncidentKey; item: ItemKey; noteId: string; attachmentId: string; author: MatrixOrg; label: { tlp: Tlp; distribution: Distribution } | null }> = [];

    beforeAll(async () => {
      t = await openTestKernel(engine);
      api = await startApi(t.kernel);
      world = await seedWorld(t.kernel);
      const sharing: Record<IncidentKey, { tlp: Tlp; distribution: Distribution }> = {
        orgs: { tlp: 'amber', distribution: { scope: 'orgs', orgIds: [world.org.listed, world.org.member] } },
        community: { tlp: 'green', distribution: { scope: 'community' } },
        group: { tlp: 'amber', distribution: { scope: 'group', groupId: world.groupG } },
        owner: { tlp: 'amber', distribution: { scope: 'owner' } },
      };
      const base = await listen(api.app);
      streams = Object.fromEntries(MATRIX_ORGS.map((o) => [o, openStream(base, world.token[o])]));
      await Promise.all(Object.values(streams).map((s) => s!.opened));
      for (const key of Object.keys(sharing) as IncidentKey[]) {
        const res = await api.call('POST', '/api/v1/incidents', world.token.owner, { title: `Incident ${key}`, severity: 'high', ...sharing[key] });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        incidents[key] = { id: res.body.id, ownerOrgId: world.org.owner, ...sharing[key] };
      }
    });
    afterAll(async () => {
      for (const s of Object.values(streams)) s?.close();
      await api?.close();
      await t?.cleanup();
    });

    function labelOf(item: ItemKey, incident: IncidentKey): { tlp: Tlp; distribution: Distribution } | null {
      switch (item) {
        case 'red-listed':
          return { tlp: 'red', distribution: { scope: 'orgs', orgIds: [world.org.listed] } };
        case 'strict-owner':
          return { tlp: 'amber+strict', distribution: { scope: 'owner' } };
        case 'group':
          return { tlp: 'amber', distribution: { scope: 'group', groupId: world.groupG } };
        case 'partner-private':
          return { tlp: incidents[incident].tlp === 'green' ? 'amber' : incidents[incident].tlp, distribution: { scope: 'owner' } };
        default:
          return null;
      }
    }

    it('writes each note and attachment the labels allow, and refuses the ones that would reach further than the incident', async () => {
      for (const incident of Object.keys(EXPECTED) as IncidentKey[]) {
        for (const [item, expected] of Object.entries(EXPECTED[incident]) as Array<[ItemKey, readonly MatrixOrg[] | 'refused']>) {
          const author: MatrixOrg = item.startsWith('partner') ? PARTNER[incident]! : 'owner';
          const label = labelOf(item, incident);
          const id = incidents[incident].id;
          const text = `${incident}/${item}`;
          const note = await api.call('POST', `/api/v1/incidents/${id}/notes`, world.token[author], { text, ...(label ?? {}) });
          let query = `?filename=${encodeURIComponent(text.replace('/', '_'))}.txt`;
          if (label) {
            const d = label.distribution;
            query += `&tlp=${encodeURIComponent(label.tlp)}&scope=${d.scope}${d.scope === 'orgs' ? `&orgs=${d.orgIds.join(',')}` : ''}${d.scope === 'group' ? `&group=${d.groupId}` : ''}`;
          }
          const file = await api.app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/attachments${query}`, headers: { authorization: `Bearer ${world.token[author]}`, 'content-type': 'text/plain' }, payload: `evidence ${text}` });
          if (expected === 'refused') {
            expect([note.status, file.statusCode], text).toEqual([422, 422]);
            continue;
          }
          expect(note.status, `${text}: ${JSON.stringify(note.body)}`).toBe(201);
          expect(file.statusCode, `${text}: ${file.body}`).toBe(201);
          written.push({ incident, item, noteId: note.body.id, attachmentId: file.json().id, author, label });
        }
      }
      // Looser than the incident, never: a GREEN note on an AMBER incident, a community note on a listed one.
      expect((await api.call('POST', `/api/v1/incidents/${incidents.orgs.id}/notes`, world.token.owner, { text: 'loose', tlp: 'green' })).status).toBe(422);
      expect((await api.call('POST', `/api/v1/incidents/${incidents.orgs.id}/notes`, world.token.listed, { text: 'wide', distribution: { scope: 'community' } })).status).toBe(422);
    });

    it('shows each organisation exactly the notes and attachments the policy allows', async () => {
      expect(written.length).toBe(19);
      const cells: string[] = [];
      for (const viewer of MATRIX_ORGS) {
        for (const incident of Object.keys(incidents) as IncidentKey[]) {
          const id = incidents[incident].id;
          const timeline = await api.call('GET', `/api/v1/incidents/${id}/timeline`, world.token[viewer]);
          const attachments = await api.call('GET', `/api/v1/incidents/${id}/attachments`, world.token[viewer]);
          const notes = timeline.status === 200 ? (timeline.body.items as Array<{ id: string; kind: string }>).filter((e) => e.kind === 'note').map((e) => e.id) : [];
          const files = attachments.status === 200 ? (attachments.body.items as Array<{ id: string }>).map((a) => a.id) : [];
          const fileEntries = timeline.status === 200 ? (timeline.body.items as Array<{ kind: string; data: { attachmentId?: string } }>).filter((e) => e.kind === 'attachment').map((e) => e.data.attachmentId) : [];
          for (const w of written.filter((x) => x.incident === incident)) {
            const expected = (EXPECTED[incident][w.item] as readonly MatrixOrg[]).includes(viewer);
            const seen = { note: notes.includes(w.noteId), attachment: files.includes(w.attachmentId), entry: fileEntries.includes(w.attachmentId) };
            const policy = canSeeEvidence(
              { orgId: world.org[viewer], groupIds: viewer === 'member' || viewer === 'owner' ? new Set([world.groupG]) : viewer === 'community' || viewer === 'outsider' ? new Set([world.groupH]) : new Set() },
              incidents[incident],
              { authorOrgId: world.org[w.author], label: w.label },
            );
            cells.push(`${viewer} ${incident}/${w.item}: note=${seen.note} attachment=${seen.attachment} entry=${seen.entry} expected=${expected} policy=${policy}`);
            expect({ viewer, item: `${incident}/${w.item}`, ...seen, policy }).toEqual({ viewer, item: `${incident}/${w.item}`, note: expected, attachment: expected, entry: expected, policy: expected });
          }
        }
      }
      expect(cells.length).toBe(19 * MATRIX_ORGS.length);
    });

    it('downloads only what the viewer may see, answering 404 otherwise', async () => {
      for (const w of written.filter((x) => x.label)) {
        for (const viewer of MATRIX_ORGS) {
          const res = await api.app.inject({ method: 'GET', url: `/api/v1/incidents/${incidents[w.incident].id}/attachments/${w.attachmentId}/content`, headers: { authorization: `Bearer ${world.token[viewer]}` } });
          const expected = (EXPECTED[w.incident][w.item] as readonly MatrixOrg[]).includes(viewer);
          expect({ viewer, item: `${w.incident}/${w.item}`, status: res.statusCode }).toEqual({ viewer, item: `${w.incident}/${w.item}`, status: expected ? 200 : 404 });
        }
      }
    });

    it('sends a restricted note live only to the organisations it reaches', async () => {
      const strict = written.find((w) => w.incident === 'community' && w.item === 'red-listed')!;
      const last = written.filter((w) => w.incident === 'community').at(-1)!;
      // Every stream that sees the community incident has received its last attachment event by now.
      for (const org of MATRIX_ORGS) await streams[org]!.waitFor((e) => e.type === 'incident.attachment' && e.data.id === last.attachmentId);
      const got = (org: MatrixOrg) => streams[org]!.events.some((e) => e.type === 'incident.note' && e.data.id === strict.noteId);
      expect(MATRIX_ORGS.filter(got)).toEqual(['owner', 'listed']);
      const partner = written.find((w) => w.incident === 'community' && w.item === 'partner-private')!;
      expect(MATRIX_ORGS.filter((org) => streams[org]!.events.some((e) => e.type === 'incident.note' && e.data.id === partner.noteId))).toEqual(['owner', 'listed']);
    });
  });
}
