import { sql } from 'kysely';
import type { Queryable } from '../kernel/db/connection.js';
import type { Viewer } from '../kernel/sharing/index.js';
import { HOUR, MINUTE, datastreamVisibleTo } from './queries.js';

export type Resolution = 'raw' | 'minute' | 'hour';

/** Points a chart asks for: a few hundred; explicit resolutions are still capped so one answer stays small. */
export const CHART_POINTS = 500;
export const MAX_POINTS = 10_000;

export interface SeriesPlan {
  resolution: Resolution;
  /** Width of one point; 0 for raw readings. */
  bucketMs: number;
}

/**
 * Picks the table and bucket width for a chart: raw readings when there are few enough and they are still
 * kept, else minute aggregates merged into buckets of whole minutes, else hour aggregates, so the chart
 * gets at most CHART_POINTS points. Pure: the caller counts the readings and knows the retention horizons.
 */
export function planSeries(
  range: { from: number; to: number },
  requested: 'auto' | Resolution,
  context: { rawCount: number; rawHorizon: number; minuteHorizon: number },
): SeriesPlan {
  const span = Math.max(1, range.to - range.from);
  const width = (unit: number, points: number) => Math.max(unit, Math.ceil(span / points / unit) * unit);
  if (requested === 'raw') return { resolution: 'raw', bucketMs: 0 };
  if (requested === 'minute') return { resolution: 'minute', bucketMs: width(MINUTE, MAX_POINTS) };
  if (requested === 'hour') return { resolution: 'hour', bucketMs: width(HOUR, MAX_POINTS) };
  if (context.rawCount <= CHART_POINTS * 2 && range.from >= context.rawHorizon) return { resolution: 'raw', bucketMs: 0 };
  const minuteBucket = width(MINUTE, CHART_POINTS);
  if (minuteBucket < HOUR && range.from >= context.minuteHorizon) return { resolution: 'minute', bucketMs: minuteBucket };
  return { resolution: 'hour', bucketMs: width(HOUR, CHART_POINTS) };
}

export interface SeriesPoint {
  t: string;
  v: number;
  min?: number;
  max?: number;
  count?: number;
  q?: 'uncertain' | 'bad';
}

/** The sid of a datastream the viewer may see (null otherwise): the sharing policy, in the query. */
function visibleSid(db: Queryable, viewer: Viewer, datastreamId: string) {
  return db.selectFrom('datastreams').select('sid').where('id', '=', datastreamId).where(datastreamVisibleTo(viewer));
}

/** How many readings of the datastream fall in the range, from the hour aggregates (cheap). */
export async function countReadings(db: Queryable, viewer: Viewer, datastreamId: string, from: number, to: number): Promise<number> {
  const row = await db
    .selectFrom('observations_hour')
    .select((eb) => eb.fn.sum<number>('count').as('n'))
    .where('sid', '=', visibleSid(db, viewer, datastreamId))
    .where('t', '>=', Math.floor(from / HOUR) * HOUR)
    .where('t', '<', to)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function readSeries(db: Queryable, viewer: Viewer, datastreamId: string, from: number, to: number, plan: SeriesPlan): Promise<{ points: SeriesPoint[]; truncated: boolean }> {
  const sid = visibleSid(db, viewer, datastreamId);
  if (plan.resolution === 'raw') {
    const rows = await db
      .selectFrom('observations')
      .select(['t', 'v', 'q'])
      .where('sid', '=', sid)
      .where('t', '>=', from)
      .where('t', '<', to)
      .orderBy('t')
      .limit(MAX_POINTS + 1)
      .execute();
    const truncated = rows.length > MAX_POINTS;
    return {
      truncated,
      points: rows.slice(0, MAX_POINTS).map((r) => {
        const p: SeriesPoint = { t: new Date(Number(r.t)).toISOString(), v: r.v };
        if (r.q === 1) p.q = 'uncertain';
        if (r.q === 2) p.q = 'bad';
        return p;
      }),
    };
  }
  const table = plan.resolution === 'minute' ? 'observations_minute' : 'observations_hour';
  const w = sql.lit(plan.bucketMs);
  const bucket = sql<number>`(${sql.ref('t')} / ${w}) * ${w}`;
  const rows = await db
    .selectFrom(table)
    .select([
      bucket.as('b'),
      (eb) => eb.fn.min<number>('min').as('min'),
      (eb) => eb.fn.max<number>('max').as('max'),
      (eb) => eb.fn.sum<number>('sum').as('sum'),
      (eb) => eb.fn.sum<number>('count').as('count'),
    ])
    .where('sid', '=', sid)
    .where('t', '>=', Math.floor(from / plan.bucketMs) * plan.bucketMs)
    .where('t', '<', to)
    .groupBy(bucket)
    .orderBy('b')
    .limit(MAX_POINTS)
    .execute();
  return {
    truncated: false,
    points: rows.map((r) => {
      const count = Number(r.count);
      return { t: new Date(Number(r.b)).toISOString(), v: Number(r.sum) / count, min: Number(r.min), max: Number(r.max), count };
    }),
  };
}
