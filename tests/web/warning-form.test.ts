// The warning editor's logic: which lists a warning is in, why approving is off (four eyes, role,
// organisation, tokens), what a templated draft or a CAP content sends, what the browser sees is wrong,
// CAP dateTimes with their offset, and areas drawn on the map turned into the API's shapes and back.
import { describe, expect, it } from 'vitest';
import { approvalReasons, approvalPolicy } from '../../src/warnings/approval.js';
import {
  areaProblems,
  areaSpec,
  capDateTime,
  contentForm,
  contentOf,
  contentProblems,
  countByGroup,
  emptyContent,
  filterWarnings,
  groupsOf,
  rfc3339,
  templateProblems,
  templateRequest,
  templatesFor,
  translationOf,
  whyNotApprove,
  whyNotAuthor,
} from '../../web/src/warnings/form.js';
import { capAreaFeatures, circleRing, distanceMeters, draftFeatures } from '../../web/src/warnings/geo.js';
import type { CapContent, Warning, WarningPolicy, WarningTemplate } from '../../web/src/warnings/types.js';

const CERT = 'org-cert';
const WATER = 'org-water';
const policy: WarningPolicy = { authorRoles: ['admin', 'analyst', 'operator'], approverRoles: ['admin', 'analyst'], approverOrganisations: [{ id: CERT, name: 'City CERT' }], defaultContact: null };

function warning(over: Partial<Warning> = {}): Warning {
  return {
    id: 'w1',
    phase: 'draft',
    headline: 'Boil water – La Condamine',
    incidentId: null,
    template: 'boil-water',
    live: false,
    messages: [],
    proposal: { kind: 'alert', state: 'draft', content: { info: [] }, authors: ['u-author'], updatedAt: '2026-11-22T03:00:00Z', submittedAt: null, rejection: null },
    ownerOrgId: WATER,
    tlp: 'amber',
    distribution: { scope: 'owner' } as Warning['distribution'],
    createdBy: 'u-author',
    createdAt: '2026-11-22T03:00:00Z',
    updatedAt: '2026-11-22T03:00:00Z',
    version: 1,
    ...over,
  };
}
const message = { sequence: 1, kind: 'alert', identifier: 'VIGIL.w1.1', msgType: 'Alert', sender: 's', sent: 'x', references: null, status: 'Actual', url: 'u', authors: ['u-author'], approvedBy: 'u-cert', approverOrgId: CERT, publishedAt: 'x', deliveries: { pending: 0, delivered: 0, failed: 0 } };
const awaiting = (authors = ['u-author']) => warning({ phase: 'awaiting-approval', proposal: { ...warning().proposal!, state: 'awaiting-approval', authors } });

describe('lists of warnings', () => {
  it('puts a warning in every list it belongs to: a published one with an Update being written is in force and a draft', () => {
    expect(groupsOf(warning())).toEqual(['drafts']);
    expect(groupsOf(awaiting())).toEqual(['awaiting']);
    const inForce = warning({ phase: 'published', live: true, messages: [message], proposal: null });
    expect(groupsOf(inForce)).toEqual(['current']);
    expect(groupsOf({ ...inForce, proposal: warning().proposal })).toEqual(['current', 'drafts']);
    expect(groupsOf(warning({ phase: 'cancelled', live: false, messages: [message], proposal: null }))).toEqual(['archived']);
    expect(groupsOf(warning({ phase: 'published', live: false, messages: [message], proposal: null }))).toEqual(['archived']); // expired
  });

  it('filters by list, organisation and words (headline, identifier, area names)', () => {
    const withArea = warning({ id: 'w2', headline: 'Avoid the area', proposal: { ...warning().proposal!, content: { info: [{ category: ['Safety'], event: 'Suspicious object', urgency: 'Immediate', severity: 'Severe', certainty: 'Likely', area: [{ areaDesc: 'Place du Casino' }] }] } } });
    const published = warning({ id: 'w3', ownerOrgId: CERT, live: true, phase: 'published', messages: [message], proposal: null });
    const all = [warning(), withArea, published];
    expect(filterWarnings(all, { group: 'all', text: 'casino', owner: '' }).map((w) => w.id)).toEqual(['w2']);
    expect(filterWarnings(all, { group: 'all', text: 'VIGIL.w1.1', owner: '' }).map((w) => w.id)).toEqual(['w3']);
    expect(filterWarnings(all, { group: 'drafts', text: '', owner: WATER }).map((w) => w.id)).toEqual(['w1', 'w2']);
    expect(filterWarnings(all, { group: 'current', text: '', owner: WATER })).toEqual([]);
    expect(countByGroup(all)).toEqual({ current: 1, awaiting: 0, drafts: 2, archived: 0 });
  });
});

describe('why approving is off', () => {
  const cert = { userId: 'u-cert', orgId: CERT, role: 'analyst' };
  it('is open to a second person of an approving organisation with an approving role', () => {
    expect(whyNotApprove(cert, awaiting(), policy)).toEqual([]);
  });

  it('names each reason, as the server would refuse (author, role, organisation, token, no approver configured)', () => {
    expect(whyNotApprove({ ...cert, userId: 'u-author' }, awaiting(), policy)).toEqual(['You wrote or edited this message: a second person must approve it (four eyes).']);
    expect(whyNotApprove({ ...cert, userId: 'u-editor' }, awaiting(['u-author', 'u-editor']), policy)[0]).toMatch(/second person/);
    expect(whyNotApprove({ ...cert, role: 'operator' }, awaiting(), policy)).toEqual(['Approving needs the role admin or analyst; yours is operator.']);
    expect(whyNotApprove({ ...cert, orgId: WATER }, awaiting(), policy)).toEqual(['Only City CERT approve public warnings.']);
    expect(whyNotApprove({ ...cert, userId: null }, awaiting(), policy)[0]).toMatch(/API token cannot approve/);
    expect(whyNotApprove(cert, awaiting(), { ...policy, approverOrganisations: [] })[0]).toMatch(/No organisation is configured/);
    expect(whyNotApprove(cert, warning(), policy)).toEqual(['No message of this warning is awaiting approval.']);
  });

  it('agrees with the server’s own four-eyes decision on every combination', () => {
    const server = approvalPolicy({ approverRoles: policy.approverRoles, authorRoles: policy.authorRoles, approverOrganisationIds: [CERT] });
    for (const userId of ['u-author', 'u-other']) {
      for (const orgId of [CERT, WATER]) {
        for (const role of ['admin', 'analyst', 'operator', 'responder'] as const) {
          const web = whyNotApprove({ userId, orgId, role }, awaiting(), policy).length === 0;
          const api = approvalReasons({ userId, organisationId: orgId, roles: [role] }, ['u-author'], server).length === 0;
          expect(web, `${userId} ${orgId} ${role}`).toBe(api);
        }
      }
    }
  });

  it('says why writing is off: a viewer, or an organisation that neither owns nor approves', () => {
    expect(whyNotAuthor({ userId: 'u', orgId: WATER, role: 'viewer' }, warning(), policy)[0]).toMatch(/needs the role admin, analyst or operator/);
    expect(whyNotAuthor({ userId: 'u', orgId: 'org-police', role: 'analyst' }, warning(), policy)).toEqual(['Only the owning organisation and the approving organisations edit this warning.']);
    expect(whyNotAuthor({ userId: 'u', orgId: CERT, role: 'analyst' }, warning(), policy)).toEqual([]);
  });
});

const boilWater = { id: 'boil-water', incidentTypes: ['water-contamination'], defaultDurationHours: 48, placeholders: { alert: ['areaDesc', 'issuer', 'contact'], allClear: [], cancel: ['reason'] } } as unknown as WarningTemplate;
const evacuate = { id: 'evacuate', incidentTypes: ['fire'], defaultDurationHours: 12, placeholders: { alert: ['areaDesc', 'issuer', 'contact', 'reason', 'assemblyPoint'], allClear: [], cancel: ['reason'] } } as unknown as WarningTemplate;
const circle = { kind: 'circle' as const, areaDesc: 'Port', center: [7.4215, 43.7355] as [number, number], radiusMeters: 250.4 };
const summer = () => 120; // Europe/Monaco in July: +02:00

describe('a templated draft', () => {
  const form = { template: 'evacuate', languages: ['fr', 'en'] as Array<'fr' | 'en'>, values: { reason: 'gas leak', assemblyPoint: '' }, status: 'Actual' as const, effective: '', onset: '', expires: '' };

  it('puts the template made for the incident type first', () => {
    expect(templatesFor([evacuate, boilWater], 'water-contamination').map((t) => t.id)).toEqual(['boil-water', 'evacuate']);
    expect(templatesFor([evacuate, boilWater], null).map((t) => t.id)).toEqual(['evacuate', 'boil-water']);
  });

  it('asks for every placeholder the server cannot fill, and for contact only when the city has none', () => {
    expect(templateProblems(form, evacuate, [circle], policy)).toEqual({ 'values.contact': 'The template needs a contact.', 'values.assemblyPoint': 'The template needs the assembly point.' });
    expect(templateProblems(form, evacuate, [circle], { defaultContact: '112' })).toEqual({ 'values.assemblyPoint': 'The template needs the assembly point.' });
    expect(templateProblems({ ...form, values: { contact: '112' } }, boilWater, [], policy)).toEqual({ 'values.areaDesc': 'Name the area (or give the first area a name).' });
    expect(templateProblems({ ...form, languages: [], expires: '2026-07-14T10:00', effective: '2026-07-14T11:00' }, boilWater, [circle], { defaultContact: 'x' })).toEqual({ languages: 'Choose at least one language.', expires: 'It must expire after it takes effect.' });
  });

  it('sends the template, its filled values, the drawn areas as shapes and the dates with their offset', () => {
    const body = templateRequest({ ...form, values: { reason: ' gas leak ', assemblyPoint: '' }, expires: '2026-07-14T18:30' }, [circle], 'inc-1', summer);
    expect(body).toEqual({
      incidentId: 'inc-1',
      template: 'evacuate',
      languages: ['fr', 'en'],
      values: { reason: 'gas leak' },
      areas: [{ kind: 'circle', areaDesc: 'Port', center: [7.4215, 43.7355], radiusMeters: 250 }],
      status: 'Actual',
      expires: '2026-07-14T18:30:00+02:00',
    });
  });
});

describe('the CAP content, field by field', () => {
  const content: CapContent = {
    status: 'Exercise',
    code: ['drill-7'],
    info: [
      {
        language: 'fr',
        category: ['Health', 'CBRNE'],
        event: 'Contamination',
        responseType: ['Avoid'],
        urgency: 'Immediate',
        severity: 'Severe',
        certainty: 'Likely',
        headline: 'Ne buvez pas l’eau',
        eventCode: [{ valueName: 'vigil:template', value: 'do-not-drink' }],
        expires: '2026-07-14T18:30:00+02:00',
        area: [{ areaDesc: 'Port', circle: ['43.7355,7.4215 0.25'] }],
      },
    ],
  };
  const zone = (cap: string) => cap.slice(0, 16); // the test's zone is the message's own

  it('gives back the content unchanged through its fields, keeping what it does not edit (codes, areas)', () => {
    expect(contentOf(contentForm(content, zone), summer)).toEqual(content);
  });

  it('writes dateTimes as CAP wants them: seconds and an offset, UTC as -00:00, never Z', () => {
    expect(capDateTime('2026-07-14T11:30', summer)).toBe('2026-07-14T11:30:00+02:00');
    expect(capDateTime('2026-01-14T11:30', () => 0)).toBe('2026-01-14T11:30:00-00:00');
    expect(capDateTime('2026-01-14T11:30', () => -210)).toBe('2026-01-14T11:30:00-03:30');
    expect(rfc3339('2026-01-14T11:30', () => 0)).toBe('2026-01-14T11:30:00+00:00');
  });

  it('says what is missing or wrong, at the field, before asking the server', () => {
    const form = emptyContent();
    expect(contentProblems(form)).toEqual({ 'info.0.event': 'Say what the event is (e.g. "Drinking water contamination").', 'info.0.headline': 'Give a headline: it is what phones and sirens announce.' });
    const filled = { ...form, info: [{ ...form.info[0]!, event: 'Gas leak', headline: 'x'.repeat(161), web: 'example.org', category: [], responseType: ['AllClear', 'Avoid'] }] };
    const second = translationOf(filled.info[0]!, 'fr');
    const problems = contentProblems({ ...filled, info: [...filled.info, second] });
    expect(Object.keys(problems).sort()).toEqual(['info.0.category', 'info.0.headline', 'info.0.responseType', 'info.0.web', 'info.1.category', 'info.1.headline', 'info.1.language', 'info.1.responseType', 'info.1.web']);
    expect(problems['info.1.language']).toBe('Block 1 is already in fr.');
    expect(contentProblems({ ...form, info: [] })).toEqual({ info: 'A public warning needs at least one info block (one per language).' });
  });
});

describe('areas drawn on the map', () => {
  it('turns a drawn polygon into a closed GeoJSON ring, and refuses one with fewer than 3 corners', () => {
    const ring: Array<[number, number]> = [[7.42, 43.73], [7.43, 43.73], [7.43, 43.74]];
    expect(areaSpec({ kind: 'polygon', areaDesc: ' Port ', ring })).toEqual({ kind: 'polygon', areaDesc: 'Port', geometry: { type: 'Polygon', coordinates: [[...ring, ring[0]]] } });
    expect(areaProblems([{ kind: 'polygon', areaDesc: '', ring: [[7.42, 43.73], [7.43, 43.73], [7.42, 43.73]] }])).toEqual({ 'areas.0': 'A polygon needs at least 3 distinct corners.' });
    expect(areaProblems([{ ...circle, radiusMeters: 0 }, { ...circle, center: [7.4, 95] }])).toEqual({ 'areas.0': 'A circle needs a radius above 0 m.', 'areas.1': 'A corner is outside WGS 84 (longitude −180…180, latitude −90…90).' });
    expect(areaSpec({ kind: 'incident', areaDesc: '', bufferMeters: 300 })).toEqual({ kind: 'incident', bufferMeters: 300 });
  });

  it('draws a circle whose every point lies at its radius, and reads CAP circles and polygons back', () => {
    const ring = circleRing([7.4215, 43.7355], 500, 32);
    expect(ring).toHaveLength(33);
    expect(ring[0]).toEqual(ring[32]);
    for (const p of ring) expect(distanceMeters([7.4215, 43.7355], p)).toBeCloseTo(500, 3);
    const features = capAreaFeatures([{ areaDesc: 'Port', circle: ['43.7355,7.4215 0.5'], polygon: ['43.73,7.42 43.73,7.43 43.74,7.43 43.73,7.42'] }]);
    expect(features).toHaveLength(2);
    expect((features[0]!.geometry as GeoJSON.Polygon).coordinates[0]![1]).toEqual([7.43, 43.73]);
    const centre = (features[1]!.geometry as GeoJSON.Polygon).coordinates[0]!;
    expect(distanceMeters([7.4215, 43.7355], centre[0] as [number, number])).toBeCloseTo(500, 3);
    expect(capAreaFeatures([{ areaDesc: 'bad', circle: ['north 0.5'], polygon: ['43.73,7.42 43.73,7.43'] }])).toEqual([]);
    expect(draftFeatures([circle, { kind: 'incident', areaDesc: '', bufferMeters: 1 }])).toHaveLength(1);
  });
});
