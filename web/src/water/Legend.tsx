import { type FrameView, LEGENDS } from './frames';

/** The legend of an animation view: what each colour means, with how many junctions show it now. */
export function FrameLegend({ view, counts, tankCounts }: { view: FrameView; counts?: Map<number, number>; tankCounts?: Map<number, number> }) {
  const legend = LEGENDS[view];
  const row = (e: { value: number; label: string; colour: string }, count: number | undefined) => (
    <li key={`${e.label}`} data-value={e.value}>
      <span className="swatch" style={{ background: e.colour }} aria-hidden="true" /> {e.label}
      {count !== undefined && <span className="legend-count"> {count}</span>}
    </li>
  );
  return (
    <div className="frame-legend" aria-label={`Legend: ${legend.title}`}>
      <p className="legend-title">
        <strong>{legend.title}</strong> <span className="muted">— {legend.question}</span>
      </p>
      <ul className="legend-list">
        {legend.entries.map((e) => row(e, counts ? (counts.get(e.value) ?? 0) : undefined))}
        {legend.tanks?.map((e) => row(e, tankCounts ? (tankCounts.get(e.value) ?? 0) : undefined))}
      </ul>
      <p className="muted small-text">Pipes take the state of their worse end; counts are junctions{legend.tanks ? ' and tanks' : ''}.</p>
    </div>
  );
}
