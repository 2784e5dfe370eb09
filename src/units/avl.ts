import { type Principal, roleAllows } from '../kernel/auth/index.js';
import { isId } from '../kernel/ids.js';
import type { Actor, Kernel } from '../kernel/kernel.js';
import { checkPosition } from './positions.js';
import { visibleUnitRows, writePosition } from './queries.js';

/**
 * Live positions (AVL) in: from HTTP (one unit, or a batch from an AVL gateway) and from MQTT. Every path ends
 * here, so the same rules hold everywhere: only the unit's own organisation reports its position, reports are
 * checked one by one (a bad one never drops the good ones of a batch), and the batch is one transaction.
 */
export type PositionRejection = 'invalid' | 'future' | 'stale' | 'not-found' | 'not-yours' | 'forbidden';

export interface PositionResult {
  unitId: string;
  accepted: boolean;
  reason?: PositionRejection;
  detail?: string;
}

export async function acceptPositions(kernel: Kernel, principal: Principal, actor: Actor, reports: Array<{ unitId: string; position: unknown }>): Promise<PositionResult[]> {
  if (!roleAllows(principal.role, 'records:contribute')) {
    return reports.map((r) => ({ unitId: r.unitId, accepted: false, reason: 'forbidden', detail: `a ${principal.role} may not report unit positions` }));
  }
  return kernel.write(actor, async (w) => {
    const ids = [...new Set(reports.map((r) => r.unitId).filter((id) => isId(id)))];
    const units = await visibleUnitRows(w.tx, principal, ids);
    const lastAt = new Map<string, number | null>([...units].map(([id, row]) => [id, row.pos_at === null ? null : Number(row.pos_at)]));
    const results: PositionResult[] = [];
    for (const { unitId, position } of reports) {
      const unit = units.get(unitId);
      if (!unit) {
        results.push({ unitId, accepted: false, reason: 'not-found', detail: `no unit with id ${String(unitId).slice(0, 60)} exists` });
        continue;
      }
      if (unit.ownerOrgId !== principal.orgId) {
        results.push({ unitId, accepted: false, reason: 'not-yours', detail: "only the unit's own organisation reports its position" });
        continue;
      }
      const verdict = checkPosition(position, w.now, lastAt.get(unitId) ?? null);
      if (!verdict.ok) {
        results.push({ unitId, accepted: false, reason: verdict.reason, detail: verdict.detail });
        continue;
      }
      await writePosition(w, unit, verdict.report);
      lastAt.set(unitId, verdict.report.at);
      results.push({ unitId, accepted: true });
    }
    return results;
  });
}

/** The MQTT topics of unit positions: `vigil/<organisation slug>/units/<unit id>/position`. */
export const UNIT_POSITION_TOPIC_FILTER = 'vigil/+/units/+/position';

export function parseUnitPositionTopic(topic: string): { orgSlug: string; unitId: string } | null {
  const parts = topic.split('/');
  if (parts.length !== 5 || parts[0] !== 'vigil' || parts[2] !== 'units' || parts[4] !== 'position' || !parts[1] || !parts[3]) return null;
  return { orgSlug: parts[1], unitId: parts[3] };
}

export interface MqttPositionOutcome {
  /** False when the topic is not a unit position topic of the publisher's organisation (refuse the publish). */
  allowed: boolean;
  results: PositionResult[];
  detail?: string;
}

/**
 * For the embedded MQTT broker: a message published on `vigil/<org>/units/<unitId>/position` by an
 * authenticated client (`principal`, from its API token). The payload is one position
 * `{"lon", "lat", "at"?, "headingDeg"?, "speedKmh"?, "accuracyM"?}` or an array of them. Resolves once the
 * positions are stored (acknowledge QoS 1 then); rejects only when the database fails (do not acknowledge).
 * A publish to another organisation's topic is not allowed.
 */
export async function unitPositionFromMqtt(kernel: Kernel, principal: Principal, topic: string, payload: Buffer | string, address: string | null = null): Promise<MqttPositionOutcome> {
  const where = parseUnitPositionTopic(topic);
  if (!where || where.orgSlug !== principal.orgSlug) {
    return { allowed: false, results: [], detail: `publish positions to vigil/${principal.orgSlug}/units/<unit id>/position` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'));
  } catch {
    return { allowed: true, results: [{ unitId: where.unitId, accepted: false, reason: 'invalid', detail: 'the payload is not JSON' }] };
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  if (list.length === 0 || list.length > 1000) {
    return { allowed: true, results: [{ unitId: where.unitId, accepted: false, reason: 'invalid', detail: 'send one position or an array of 1 to 1000' }] };
  }
  const actor: Actor = { orgId: principal.orgId, userId: principal.userId, tokenId: principal.tokenId, address };
  // The topic names the unit; a payload that names another one is refused rather than guessed at.
  const reports = list.map((position) => ({ unitId: where.unitId, position: stripUnitId(position, where.unitId) }));
  return { allowed: true, results: await acceptPositions(kernel, principal, actor, reports) };
}

function stripUnitId(position: unknown, unitId: string): unknown {
  if (typeof position !== 'object' || position === null || !('unitId' in position)) return position;
  const { unitId: named, ...rest } = position as Record<string, unknown>;
  return named === unitId ? rest : { ...rest, unitIdMismatch: named };
}
