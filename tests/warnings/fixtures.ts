import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  approvalPolicy,
  draftFromTemplate,
  hullAroundPoints,
  validateAlert,
  type Actor,
  type PublicationSettings,
  type TemplatePhase,
  type WarningContent,
} from '../../src/warnings/index.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The shared data folder beside the repository (CI clones main with shared/ next to it). */
export const SHARED_CAP = fileURLToPath(new URL('../../../shared/data/cap/', import.meta.url));
export const HAS_SHARED_CAP = existsSync(`${SHARED_CAP}testdata`);

export const CIVIL_PROTECTION = 'org-civil-protection';
export const WATER_UTILITY = 'org-water';
export const POLICE = 'org-police';

export const waterOperator: Actor = { userId: 'u-alice', organisationId: WATER_UTILITY, roles: ['operator'] };
export const waterColleague: Actor = { userId: 'u-bruno', organisationId: WATER_UTILITY, roles: ['operator', 'responder'] };
export const civilProtectionOfficer: Actor = { userId: 'u-chloe', organisationId: CIVIL_PROTECTION, roles: ['responder'] };
export const civilProtectionAnalyst: Actor = { userId: 'u-dario', organisationId: CIVIL_PROTECTION, roles: ['analyst'] };
export const civilProtectionViewer: Actor = { userId: 'u-elsa', organisationId: CIVIL_PROTECTION, roles: ['viewer'] };
export const policeResponder: Actor = { userId: 'u-fabio', organisationId: POLICE, roles: ['responder', 'admin'] };

export const policy = approvalPolicy({ approverOrganisationIds: [CIVIL_PROTECTION] });

export const settings: PublicationSettings = {
  sender: 'protection-civile@vigil.example.mc',
  identifierPrefix: 'MC-VIGIL',
  timeZone: 'Europe/Monaco',
  validate: (alert) => validateAlert(alert).problems,
};

/** Junctions of La Condamine reached by a contaminant (illustrative coordinates in Monaco). */
export const CONDAMINE_JUNCTIONS = [
  { lat: 43.7347, lon: 7.4196 },
  { lat: 43.7361, lon: 7.4221 },
  { lat: 43.7335, lon: 7.4242 },
  { lat: 43.7322, lon: 7.4210 },
];

export const VALUES = {
  areaDesc: { fr: 'La Condamine', en: 'La Condamine district', it: 'quartiere della Condamine' },
  issuer: { fr: "Société Monégasque des Eaux", en: 'Société Monégasque des Eaux', it: 'Société Monégasque des Eaux' },
  contact: '+377 93 15 00 00',
  reason: { fr: 'un objet suspect est examiné', en: 'a suspicious object is being examined', it: 'un oggetto sospetto è in esame' },
  assemblyPoint: { fr: 'le Stade Louis-II', en: 'the Stade Louis-II', it: 'lo Stadio Louis-II' },
};

export function contentFrom(template: string, now: Date, phase: TemplatePhase = 'alert'): WarningContent {
  const result = draftFromTemplate({
    template,
    phase,
    values: VALUES,
    areas: [{ areaDesc: VALUES.areaDesc, polygon: [hullAroundPoints(CONDAMINE_JUNCTIONS, 150)] }],
    now,
    timeZone: 'Europe/Monaco',
    web: 'https://vigil.example.mc/public/warnings',
  });
  if (!result.ok) throw new Error(result.reasons.join('; '));
  return result.content;
}

/** Debian's xmllint, as a second opinion when it is installed (CI installs libxml2-utils). */
export const HAS_XMLLINT = (() => {
  try {
    execFileSync('xmllint', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
