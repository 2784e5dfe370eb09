import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCADA_PARAMETERS } from '../../src/detect/scada/model.js';
import type { Alert } from '../../web/src/api/types.js';
import { DetectorEditor } from '../../web/src/sensors/DetectorEditor.js';
import { checkDraft, draftOf, emptyDraft, hasErrors, serverErrors, settingsOf, summaryOf } from '../../web/src/sensors/detectorForm.js';
import { detectorState, lastAlarmOf, type RuntimeStatus } from '../../web/src/sensors/detectorStatus.js';
import { modelVersions, readModelFile, suggestedName } from '../../web/src/sensors/models.js';

describe('the detector settings form', () => {
  it('turns stored settings into text and back, leaving out what is empty', () => {
    const stored = { id: 't1-level', kind: 'range', datastreams: ['L_T1', 'L_T2'], min: 0.25, max: 5.5, severity: 'high' };
    const draft = draftOf(stored);
    expect(draft).toMatchObject({ id: 't1-level', kind: 'range', datastreams: 'L_T1, L_T2', severity: 'high', category: '', enabled: true, numbers: { min: '0.25', max: '5.5' } });
    expect(settingsOf(draft)).toEqual(stored);
    expect(settingsOf({ ...draft, enabled: false, numbers: { min: '', max: ' 7 ' } })).toEqual({ id: 't1-level', kind: 'range', datastreams: ['L_T1', 'L_T2'], max: 7, severity: 'high', enabled: false });
    // Only the fields of the chosen kind are sent, whatever was typed for another kind.
    expect(settingsOf({ ...draft, kind: 'stale', numbers: { min: '1', periodSeconds: '3600', periods: '3' } })).toEqual({ id: 't1-level', kind: 'stale', datastreams: ['L_T1', 'L_T2'], severity: 'high', periodSeconds: 3600, periods: 3 });
  });

  it('refuses what the server refuses, each problem on its field', () => {
    const draft = { ...emptyDraft('range', 'tank high'), datastreams: '', numbers: { min: 'abc', max: '' } };
    const errors = checkDraft(draft);
    expect(errors.id).toMatch(/letters, digits/);
    expect(errors.datastreams).toMatch(/non-empty list/);
    expect(errors.min).toBe('must be a number');
    expect(hasErrors(errors)).toBe(true);
    expect(checkDraft({ ...emptyDraft('range', 'r'), datastreams: 'L_T1', numbers: { min: '5', max: '1' } }).max).toBe('must be greater than min');
    expect(checkDraft({ ...emptyDraft('flat-line', 'f'), datastreams: '*', numbers: { periods: '1.5' } }).periods).toBe('must be a whole number of readings, at least 2');
    expect(checkDraft({ ...emptyDraft('stale', 's'), datastreams: '*' })).toMatchObject({ periodSeconds: expect.stringContaining('is required'), periods: expect.stringContaining('is required') });
    expect(checkDraft({ ...emptyDraft('scada-attack', 'c') }).model).toBe('must name a trained model');
    expect(checkDraft({ ...emptyDraft('range', 'dup'), datastreams: 'L_T1', numbers: { max: '3' } }, ['dup']).id).toBe('"dup" is used by another detector');
    expect(hasErrors(checkDraft({ ...emptyDraft('rate-of-change', 'ok'), datastreams: 'L_T1', numbers: { maxChange: '1.5' } }))).toBe(false);
  });

  it('puts the server’s 422 problems on the fields of the detector being edited, and keeps the others as messages', () => {
    const errors = serverErrors(
      [
        { path: '[1].max', message: 'must be greater than min' },
        { path: '[1].colour', message: 'unknown setting for a range detector' },
        { path: '[0].periods', message: 'is required' },
        { path: 'r.model', message: 'no trained model "x"' },
      ],
      1,
      'r',
    );
    expect(errors.max).toBe('must be greater than min');
    expect(errors.model).toBe('no trained model "x"');
    expect(errors.form).toEqual(['colour: unknown setting for a range detector', 'another detector ([0].periods): is required']);
  });

  it('shows an analyst the fields of the detector’s kind, read-only', () => {
    // The form as first rendered for an analyst: read-only, every field of a range detector present.
    const html = renderToStaticMarkup(
      <DetectorEditor initial={draftOf({ id: 't1', kind: 'range', datastreams: ['L_T1'], min: 1 })} index={0} otherIds={[]} streamKeys={['L_T1']} modelRefs={[]} readOnly save={async () => {}} onClose={() => {}} />,
    );
    expect(html).toContain('<fieldset disabled=""');
    expect(html).toContain('data-field="min"');
    expect(html).toContain('data-field="max"');
    expect(html).not.toContain('data-field="model"');
    expect(html).not.toContain('>Save<');
  });

  it('says in one line what a detector watches for', () => {
    expect(summaryOf({ kind: 'range', datastreams: ['L_T1'], max: 5.5 })).toBe('L_T1 outside −∞ … 5.5');
    expect(summaryOf({ kind: 'scada-attack', datastreams: ['*'], model: 'ctown@2' })).toBe('the model’s tags against model ctown@2');
  });
});

describe('what each detector is doing', () => {
  const status = (over: Partial<RuntimeStatus>): RuntimeStatus => ({ state: 'ready', problem: null, settingsVersion: 1, detectors: [], recentFailures: [], alertsRaised: 0, ...over });
  it('reads the runtime’s status in words, and only a suspended detector can be resumed', () => {
    const d = { id: 'ctown' };
    expect(detectorState({ ...d, enabled: false }, status({}))).toMatchObject({ state: 'disabled' });
    expect(detectorState(d, status({ state: 'idle' }))).toMatchObject({ state: 'waiting', text: 'Starts with the next reading' });
    expect(detectorState(d, status({ state: 'broken', problem: 'ctown.model: no trained model "ctown"' })).text).toContain('no trained model');
    expect(detectorState(d, status({ detectors: [{ id: 'ctown', kind: 'scada-attack', suspended: false, consecutiveFailures: 0, totalFailures: 0 }] }))).toEqual({ state: 'running', text: 'Running', resumable: false });
    expect(detectorState(d, status({ detectors: [{ id: 'ctown', kind: 'scada-attack', suspended: false, consecutiveFailures: 2, totalFailures: 2, lastError: 'boom' }] }))).toMatchObject({ state: 'failing', text: 'Failed 2 times in a row: boom' });
    expect(detectorState(d, status({ detectors: [{ id: 'ctown', kind: 'scada-attack', suspended: true, consecutiveFailures: 5, totalFailures: 5, lastError: 'boom' }] }))).toEqual({ state: 'suspended', text: 'Suspended after 5 failures in a row: boom', resumable: true });
    expect(detectorState(d, null).state).toBe('unknown');
  });

  it('finds its last alarm among its organisation’s alerts', () => {
    const a = (id: string, source: string, lastSeen: string, ownerOrgId = 'water') => ({ id, source, lastSeen, ownerOrgId }) as Alert;
    const alerts = [a('1', 'detector:ctown', '2026-11-22T08:00:00Z'), a('2', 'detector:ctown', '2026-11-22T09:00:00Z'), a('3', 'detector:ctown', '2026-11-22T10:00:00Z', 'energy'), a('4', 'detector:ctown2', '2026-11-22T11:00:00Z')];
    expect(lastAlarmOf('ctown', 'water', alerts)!.id).toBe('2');
    expect(lastAlarmOf('t1-level', 'water', alerts)).toBeNull();
  });
});

describe('trained models', () => {
  const info = (name: string, version: number) => ({ name, version, fingerprint: `sha256:${name}${version}`, tags: 43, checks: 72, trainingHours: 8761, trainedFrom: '2014-01-06', trainedTo: '2015-01-06', createdAt: '2026-11-22T00:00:00Z' });
  it('lists versions newest first with the detectors that run each (a bare name runs the newest)', () => {
    const groups = modelVersions([info('ctown', 1), info('ctown', 2), info('ltown', 1)], [
      { id: 'a', kind: 'scada-attack', model: 'ctown' },
      { id: 'b', kind: 'scada-attack', model: 'ctown@1' },
      { id: 'c', kind: 'range', model: 'ctown' },
    ]);
    expect(groups.get('ctown')!.map((v) => [v.version, v.newest, v.usedBy])).toEqual([[2, true, ['a']], [1, false, ['b']]]);
    expect(groups.get('ltown')![0]!.usedBy).toEqual([]);
  });

  it('checks a model file as the server does before sending it', () => {
    expect(readModelFile('{not json')).toEqual({ error: expect.stringContaining('not JSON') });
    expect(readModelFile('{"format":"something-else"}')).toEqual({ error: expect.stringContaining('format must be "vigil.scada-attack-model"') });
    const model = {
      format: 'vigil.scada-attack-model', version: 1,
      training: { fingerprint: 'sha256:abc', hours: 10, from: '2014-01-06T00:00:00Z', to: '2014-01-06T09:00:00Z', periodMs: 3_600_000 },
      parameters: DEFAULT_SCADA_PARAMETERS, tags: ['A', 'B'], modelled: ['A'], mean: [0], scale: [1], envelopes: { A: { min: 0, max: 1 }, B: { min: 0, max: 0 } }, checks: [],
    };
    expect(readModelFile(JSON.stringify(model))).toMatchObject({ fingerprint: 'sha256:abc', hours: 10, tags: 2, checks: 0 });
    expect(suggestedName('C-Town model (2).json', null)).toBe('C-Town-model-2');
    expect(suggestedName('x.json', 'ctown')).toBe('ctown');
  });
});
