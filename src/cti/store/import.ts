import { randomUUID } from 'node:crypto';
import type { Actor, Kernel, Write } from '../../kernel/kernel.js';
import type { Distribution, Tlp, Viewer } from '../../kernel/sharing/policy.js';
import { encodeOrgList } from '../../kernel/sharing/store.js';
import { type BundleReport, validateBundleStream } from '../stix/bundle.js';
import { tlpOfMarkingDefinition } from '../stix/markings.js';
import type { ObjectReport } from '../stix/validate.js';
import type { StatusDetails } from '../taxii/resources.js';
import type { StixImportRowTable } from '../schema.js';
import { commitImport, recordImport } from './commit.js';
import { storedMarkings } from './queries.js';
import { type ObjectFacts, boundedDistribution, labelOf, objectFacts, taxiiVersion } from './rows.js';

/**
 * Importing STIX into the store. The source is read as a stream and validated object by object; valid objects
 * are staged in `stix_import_rows` (so a slow or huge upload never holds the write lock), and only when the
 * whole bundle has been read is the verdict given: all-or-nothing by default, the valid objects only when the
 * caller asked for a partial import. The commit is one transaction (store/commit.ts).
 */
export interface ImportRequest {
  ownerOrgId: string;
  actor: Actor;
  /** Whose marking definitions in the store may be referred to (the importer's view). */
  viewer: Viewer;
  /** api | cli | taxii | feed:<id> | misp */
  source: string;
  /** Label of objects that carry no TLP marking. */
  defaultTlp: Tlp;
  /** Distribution asked for; each object's label may narrow it. */
  distribution: Distribution;
  /** Per-object distribution (MISP distribution levels); undefined falls back to `distribution`. */
  distributionFor?: (object: Record<string, unknown>) => Distribution | undefined;
  partial: boolean;
  /** TAXII add-objects: an object whose label forbids the collection's scope fails instead of being narrowed. */
  strictScope?: boolean;
  collectionId?: string;
  maxObjectBytes?: number;
  onProgress?: (objects: number) => void;
  /** Runs inside the commit transaction (a feed stores where it got to with what it got). */
  inCommit?: (w: Write, outcome: { stored: number; duplicates: number }) => Promise<void>;
}

export interface ImportResult {
  id: string;
  status: 'complete' | 'rejected';
  /** Why nothing was stored (rejected imports). */
  reason?: string;
  total: number;
  stored: number;
  duplicates: number;
  invalid: number;
  /** Objects kept to the owner organisation because their label forbids the distribution asked for. */
  narrowed: number;
  /** The validation report: invalid objects (the first REPORT_LIMIT), bundle-level reasons, syntax error. */
  report: BundleReport & { truncated: boolean };
  /** For the TAXII status resource (omitted past STATUS_LIST_LIMIT objects; the counts stay exact). */
  successes?: StatusDetails[];
  failures: StatusDetails[];
  failureCount: number;
  /** The seq range the committed rows occupy (for the matching index). */
  seqFrom: number;
  seqTo: number;
  /** Reading, validating and staging; then the commit. */
  timings: { readMs: number; commitMs: number };
}

export const REPORT_LIMIT = 1000;
export const STATUS_LIST_LIMIT = 10_000;
const STAGE_BATCH = 1000;
const STAGE_TRANSACTION = 20_000;

export async function importStix(
  kernel: Kernel,
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  request: ImportRequest,
): Promise<ImportResult> {
  const db = kernel.store.db;
  const id = randomUUID();
  const requestedAt = kernel.clock() * 1000;
  const started = performance.now();
  const now = kernel.clock();
  const markings = await storedMarkings(db, request.viewer);
  const staging = new Staging(kernel, id);
  const failures: StatusDetails[] = [];
  let failureCount = 0;
  let narrowed = 0;
  const pending: Array<{ index: number; facts: ObjectFacts; object: Record<string, unknown> }> = [];
  // What was staged, by bundle index, while the lists stay short enough for a TAXII status resource.
  let stagedDetails: Map<number, StatusDetails> | null = new Map();

  const fail = (stixId: string, version: string, message: string): void => {
    failureCount++;
    if (failures.length < STATUS_LIST_LIMIT) failures.push({ id: stixId, version: version || 'unversioned', message });
  };
  const stage = async (index: number, object: Record<string, unknown>, facts: ObjectFacts, label: Tlp | null): Promise<void> => {
    const tlp = label ?? request.defaultTlp;
    const asked = request.distributionFor?.(object) ?? request.distribution;
    const bounded = boundedDistribution(tlp, asked);
    if (bounded.narrowed && request.strictScope) {
      fail(facts.stixId, facts.version, `TLP:${tlp.toUpperCase()} may not be shared this widely, so it cannot be added to this collection`);
      return;
    }
    if (bounded.narrowed) narrowed++;
    const d = bounded.distribution;
    await staging.add({
      import_id: id,
      n: index,
      row_id: randomUUID(),
      stix_id: facts.stixId,
      type: facts.type,
      version: facts.version,
      version_micros: facts.versionMicros,
      spec_version: facts.specVersion,
      tlp,
      marked_tlp: label,
      dist_scope: d.scope,
      dist_group_id: d.scope === 'group' ? d.groupId : null,
      dist_orgs: d.scope === 'orgs' ? encodeOrgList(d.orgIds) : null,
      marking_refs: null,
      revoked: facts.revoked ? 1 : 0,
      object: JSON.stringify(object),
      staged_at: now,
    });
    if (stagedDetails) {
      stagedDetails.set(index, { id: facts.stixId, version: facts.version });
      if (stagedDetails.size > STATUS_LIST_LIMIT) stagedDetails = null;
    }
  };

  try {
    return await run();
  } catch (error) {
    // Whatever stopped the import (a body over its limit, a dropped connection), nothing stays staged.
    await staging.discard().catch(() => undefined);
    throw error;
  }

  async function run(): Promise<ImportResult> {
    const report = await validateBundleStream(source, {
      knownMarkingIds: [...markings.keys()],
      ...(request.maxObjectBytes ? { maxObjectBytes: request.maxObjectBytes } : {}),
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
      onObject: async (value, objectReport: ObjectReport) => {
        const object = value as Record<string, unknown>;
        const facts = objectFacts(object);
        if (facts.type === 'marking-definition') markings.set(facts.stixId, object);
        // A TLP marking definition is public knowledge, whatever label the importer asked for.
        const label = facts.type === 'marking-definition' && tlpOfMarkingDefinition(object) ? 'clear' : labelOf(facts, (ref) => markings.get(ref));
        if (label === undefined) pending.push({ index: objectReport.index, facts, object });
        else await stage(objectReport.index, object, facts, label);
      },
    });

    // Objects whose markings came later in the bundle: their label is known now (or they are invalid).
    const late = new Set(report.invalidatedLate.map((r) => r.index));
    for (const p of pending) {
      const label = labelOf(p.facts, (ref) => markings.get(ref));
      if (label !== undefined && !late.has(p.index)) await stage(p.index, p.object, p.facts, label);
    }
    await staging.flush();
    if (late.size > 0) await staging.drop([...late]);
    for (const o of report.objects) if (!o.valid) fail(o.id ?? `(object ${o.index})`, 'unknown', o.reasons.map((r) => `${r.path}: ${r.message}`).join('; ').slice(0, 2000));

    const readMs = performance.now() - started;
    const truncated = report.objects.length > REPORT_LIMIT;
    const shownReport = { ...report, objects: report.objects.slice(0, REPORT_LIMIT), invalidatedLate: report.invalidatedLate.slice(0, REPORT_LIMIT), truncated };
    const rejection = verdict(report, request.partial);
    const short = report.total <= STATUS_LIST_LIMIT;
    const base = { id, total: report.total, invalid: report.invalid, narrowed, report: shownReport, failures, failureCount };
    const record = { id, request, requestedAt, total: report.total, invalid: report.invalid, narrowed, failures, report: shownReport };

    if (rejection) {
      await staging.discard();
      await recordImport(db, { ...record, finishedAt: kernel.clock() * 1000, status: 'rejected', stored: 0, duplicates: 0, successes: [] });
      return { ...base, status: 'rejected', reason: rejection, stored: 0, duplicates: 0, seqFrom: 0, seqTo: -1, ...(short ? { successes: [] } : {}), timings: { readMs, commitMs: 0 } };
    }

    let successes: StatusDetails[] | undefined;
    if (short && stagedDetails) {
      successes = [...stagedDetails].filter(([index]) => !late.has(index)).map(([, d]) => d);
    }
    const commitStarted = performance.now();
    const committed = await commitImport(kernel, { ...record, successes: successes ?? [] });
    const commitMs = performance.now() - commitStarted;
    if (successes) {
      successes = await withVersions(kernel, request.ownerOrgId, successes);
      await db.updateTable('stix_imports').set({ successes: JSON.stringify(successes) }).where('id', '=', id).execute();
    }
    return {
      ...base, status: 'complete', stored: committed.stored, duplicates: committed.duplicates, seqFrom: committed.seqFrom, seqTo: committed.seqTo,
      ...(successes ? { successes } : {}), timings: { readMs, commitMs },
    };
  }
}

/** Staging rows older than a day belong to imports whose process died: they will never be committed. */
export async function sweepStaging(kernel: Kernel): Promise<number> {
  const result = await kernel.store.db.deleteFrom('stix_import_rows').where('staged_at', '<', kernel.clock() - 24 * 3600_000).executeTakeFirst();
  return Number(result.numDeletedRows ?? 0);
}

/** Unversioned objects (SCOs) get their date_added as version, as TAXII lets a server choose consistently. */
async function withVersions(kernel: Kernel, ownerOrgId: string, details: StatusDetails[]): Promise<StatusDetails[]> {
  const unversioned = details.filter((d) => !d.version).map((d) => d.id);
  const added = new Map<string, number>();
  for (let i = 0; i < unversioned.length; i += 500) {
    const rows = await kernel.store.db
      .selectFrom('stix_objects')
      .select(['stix_id', 'date_added'])
      .where('owner_org_id', '=', ownerOrgId)
      .where('version', '=', '')
      .where('stix_id', 'in', unversioned.slice(i, i + 500))
      .execute();
    for (const r of rows) added.set(r.stix_id, Number(r.date_added));
  }
  return details.map((d) => (d.version ? d : { id: d.id, version: taxiiVersion('', added.get(d.id) ?? 0) }));
}

/** Why a report forbids storing anything, or null when it may be committed. */
function verdict(report: BundleReport, partial: boolean): string | null {
  if (report.syntaxError) return `the body is not a readable STIX bundle: ${report.syntaxError.message} (at byte ${report.syntaxError.offset})`;
  const structural = report.bundleReasons.filter((r) => r.path !== '$');
  if (structural.length > 0 && report.total > 0 && !partial) return `the bundle itself is not valid: ${structural.map((r) => r.message).join('; ')}`;
  if (report.invalid > 0 && !partial) {
    return `${report.invalid} of ${report.total} objects are not valid STIX 2.1; nothing was imported (ask for a partial import to keep the ${report.valid} valid ones)`;
  }
  return null;
}

/** The staging table of one import, written in batches in short transactions of their own. */
class Staging {
  private rows: StixImportRowTable[] = [];
  private pendingBatches: StixImportRowTable[][] = [];

  constructor(
    private readonly kernel: Kernel,
    private readonly importId: string,
  ) {}

  async add(row: StixImportRowTable): Promise<void> {
    this.rows.push(row);
    if (this.rows.length >= STAGE_BATCH) {
      this.pendingBatches.push(this.rows);
      this.rows = [];
      if (this.pendingBatches.length * STAGE_BATCH >= STAGE_TRANSACTION) await this.write();
    }
  }

  async flush(): Promise<void> {
    if (this.rows.length > 0) this.pendingBatches.push(this.rows);
    this.rows = [];
    await this.write();
  }

  private async write(): Promise<void> {
    const batches = this.pendingBatches;
    this.pendingBatches = [];
    if (batches.length === 0) return;
    await this.kernel.store.db.transaction().execute(async (tx) => {
      for (const batch of batches) await tx.insertInto('stix_import_rows').values(batch).execute();
    });
  }

  async drop(indexes: number[]): Promise<void> {
    for (let i = 0; i < indexes.length; i += 500) {
      await this.kernel.store.db.deleteFrom('stix_import_rows').where('import_id', '=', this.importId).where('n', 'in', indexes.slice(i, i + 500)).execute();
    }
  }

  async discard(): Promise<void> {
    this.rows = [];
    this.pendingBatches = [];
    await this.kernel.store.db.deleteFrom('stix_import_rows').where('import_id', '=', this.importId).execute();
  }
}
