// Trained SCADA models: the stored versions and which detectors use each, and a model file checked before
// it is sent, with the server's own check (src/detect/scada/model.ts, compiled in as is). Pure.
import { ScadaModelError, parseScadaModel } from '../../../src/detect/scada/model.js';

export interface ModelInfo {
  name: string;
  version: number;
  fingerprint: string;
  tags: number;
  checks: number;
  trainingHours: number;
  trainedFrom: string;
  trainedTo: string;
  createdAt: string;
}

export interface ModelVersion extends ModelInfo {
  newest: boolean;
  /** Ids of the detectors that run this version ("name" means the newest; "name@2" stays on 2). */
  usedBy: string[];
}

export function modelVersions(models: ModelInfo[], detectors: unknown[]): Map<string, ModelVersion[]> {
  const out = new Map<string, ModelVersion[]>();
  const sorted = [...models].sort((a, b) => a.name.localeCompare(b.name) || b.version - a.version);
  for (const m of sorted) {
    const list = out.get(m.name) ?? [];
    list.push({ ...m, newest: list.length === 0, usedBy: [] });
    out.set(m.name, list);
  }
  for (const d of detectors) {
    const s = d as { id?: unknown; kind?: unknown; model?: unknown };
    if (s.kind !== 'scada-attack' || typeof s.model !== 'string') continue;
    const at = s.model.lastIndexOf('@');
    const pinned = at > 0 && /^\d+$/.test(s.model.slice(at + 1));
    const name = pinned ? s.model.slice(0, at) : s.model;
    const versions = out.get(name);
    const v = pinned ? versions?.find((x) => x.version === Number(s.model!.toString().slice(at + 1))) : versions?.[0];
    v?.usedBy.push(String(s.id));
  }
  return out;
}

export const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export interface ModelFile {
  model: unknown;
  fingerprint: string;
  hours: number;
  from: string;
  to: string;
  tags: number;
  checks: number;
}

/** A model file as `vigil detect train --out` writes it; the error says what is wrong, as the server would. */
export function readModelFile(text: string): ModelFile | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { error: 'This file is not JSON: choose the model file written by `vigil detect train --out model.json`' };
  }
  try {
    const m = parseScadaModel(json);
    return { model: json, fingerprint: m.training.fingerprint, hours: m.training.hours, from: m.training.from, to: m.training.to, tags: m.tags.length, checks: m.checks.length };
  } catch (error) {
    if (error instanceof ScadaModelError) return { error: `This is not a model Vigil can use: ${error.message}` };
    throw error;
  }
}

/** A name for an uploaded model: the one being replaced, else the file's name made valid. */
export function suggestedName(fileName: string, replacing: string | null): string {
  if (replacing) return replacing;
  const base = fileName.replace(/\.json$/i, '').replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+|-+$/g, '').slice(0, 64);
  return MODEL_NAME.test(base) ? base : 'model';
}

/** Versions whose training data are exactly the file's (same fingerprint): replacing with them changes nothing. */
export function sameTraining(fingerprint: string, models: ModelInfo[]): ModelInfo[] {
  return models.filter((m) => m.fingerprint === fingerprint);
}
