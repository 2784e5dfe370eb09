import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  alertToXml,
  approveProposal,
  draftFromTemplate,
  draftWarning,
  placeholdersOf,
  proposeMessage,
  renderPlaceholders,
  submitProposal,
  TEMPLATE_LANGUAGES,
  templatesForIncidentType,
  validateCap,
  WARNING_TEMPLATES,
  type Alert,
  type Warning,
} from '../../src/warnings/index.js';
import {
  civilProtectionOfficer,
  contentFrom,
  HAS_XMLLINT,
  policy,
  REPO_ROOT,
  settings,
  VALUES,
  waterOperator,
} from './fixtures.js';

const now = new Date('2025-07-14T09:30:00Z');

/** Publishes alert → all-clear or cancel through the real lifecycle, returning every CAP message. */
function publishChain(template: string, ending: 'all-clear' | 'cancel'): Alert[] {
  const step = (t: ReturnType<typeof draftWarning>): Warning => {
    if (!t.ok) throw new Error(t.reasons.map((r) => r.message).join('; '));
    return t.warning;
  };
  let w = step(draftWarning({ id: `w-${template}-${ending}`, actor: waterOperator, now, content: contentFrom(template, now) }, policy));
  w = step(submitProposal(w, waterOperator, now, policy));
  w = step(approveProposal(w, civilProtectionOfficer, now, policy, settings));
  const later = new Date(now.getTime() + 3_600_000);
  w = step(proposeMessage(w, waterOperator, ending, contentFrom(template, later, ending), later, policy));
  w = step(submitProposal(w, waterOperator, later, policy));
  w = step(approveProposal(w, civilProtectionOfficer, later, policy, settings));
  return w.published.map((m) => m.alert);
}

const generated = WARNING_TEMPLATES.flatMap((t) => [
  ...publishChain(t.id, 'all-clear').map((alert, i) => ({ name: `${t.id}-${i === 0 ? 'alert' : 'all-clear'}`, alert })),
  { name: `${t.id}-cancel`, alert: publishChain(t.id, 'cancel')[1]! },
]);

describe('warning templates', () => {
  it.each(generated.map((g) => [g.name, g.alert] as const))('%s validates against cap12.xsd and the §3 rules, with no warning', (_name, alert) => {
    const result = validateCap(alertToXml(alert));
    expect(result.problems).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.version).toBe('1.2');
    expect(result.alert).toEqual(alert);
  });

  it('writes one info block per language, French first, each with its own area description', () => {
    const alert = generated.find((g) => g.name === 'boil-water-alert')!.alert;
    expect(alert.info.map((i) => i.language)).toEqual(['fr', 'en', 'it']);
    expect(alert.info.map((i) => i.area[0]!.areaDesc)).toEqual(['La Condamine', 'La Condamine district', 'quartiere della Condamine']);
    expect(alert.info[0]!.headline).toBe("Faites bouillir l'eau du robinet avant de la boire – La Condamine");
    expect(alert.info[0]!.expires).toBe('2025-07-16T11:30:00+02:00'); // 48 h later, Monaco summer time
  });

  it('every template has text for every language and nothing but known placeholders', () => {
    for (const t of WARNING_TEMPLATES) {
      for (const language of TEMPLATE_LANGUAGES) {
        for (const facts of [t, t.allClear]) {
          const text = facts.text[language];
          expect(Object.values(text).every((s) => s.trim().length > 0)).toBe(true);
        }
      }
      expect(placeholdersOf(t).every((p) => p in VALUES)).toBe(true);
      expect(t.allClear.responseType).toEqual(['AllClear']);
    }
  });

  it('refuses to draft while a placeholder has no value, naming it and the language', () => {
    const result = draftFromTemplate({
      template: 'evacuate',
      values: { ...VALUES, assemblyPoint: { fr: 'le Stade Louis-II' } },
      areas: [{ areaDesc: 'Fontvieille', circle: ['43.7275,7.4155 0.5'] }],
      now,
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reasons).toEqual(['no value for {{assemblyPoint}} in language "en"', 'no value for {{assemblyPoint}} in language "it"']);
  });

  it('never expands placeholders inside values', () => {
    const r = renderPlaceholders('{{areaDesc}} – {{contact}}', { areaDesc: '{{contact}}', contact: '112' }, 'en');
    expect(r).toEqual({ text: '{{contact}} – 112', missing: [] });
  });

  it('offers the water templates first for a water contamination incident', () => {
    expect(templatesForIncidentType('water-contamination').slice(0, 2).map((t) => t.id)).toEqual(['boil-water', 'do-not-drink']);
    expect(templatesForIncidentType('unknown')).toHaveLength(WARNING_TEMPLATES.length);
  });

  describe.skipIf(!HAS_XMLLINT)("second opinion: Debian's xmllint", () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-cap-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    it('validates every generated message against cap12.xsd', () => {
      const files = generated.map((g) => {
        const file = join(dir, `${g.name}.xml`);
        writeFileSync(file, alertToXml(g.alert));
        return file;
      });
      const output = execFileSync('xmllint', ['--noout', '--nonet', '--schema', join(REPO_ROOT, 'data-seed/cap/cap12.xsd'), ...files], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      expect(output).toBe('');
    });
  });
});
