// A run on the map: the network over Monaco's streets, each node and pipe coloured by its state at the
// chosen moment, with a time slider, play/pause and a legend. The page owns the moment (charts share it).
import { useEffect, useMemo, useRef, useState } from 'react';
import { MapView, type Selection } from '../map/MapView';
import { assetsOverlay } from '../map/overlays';
import { DEFAULT_FILTERS } from '../state/filters';
import { type FrameView, FRAME_VIEWS, LEGENDS, countValues, decodeFrame, nodeKinds, viewValue } from './frames';
import { formatDuration, simClock } from './format';
import { FrameLegend } from './Legend';
import { type Highlight, WaterMapState } from './mapState';
import { createWaterOverlay } from './networkLayer';
import type { RunFrames } from './types';

export interface Playback {
  index: number;
  setIndex: (i: number) => void;
  playing: boolean;
  setPlaying: (on: boolean) => void;
  /** Simulated hours per second of playback. */
  speed: number;
  setSpeed: (s: number) => void;
}

/** Plays `times` at `speed` simulated hours per second, skipping frames when the machine is slow. */
export function usePlayback(times: number[]): Playback {
  const [index, setIndex] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(2);
  const position = useRef(0);
  position.current = index;
  useEffect(() => {
    if (!playing || times.length < 2) return;
    let frame = 0;
    const startedAt = performance.now();
    const from = position.current >= times.length - 1 ? 0 : position.current;
    const fromTime = times[from]!;
    const tick = (now: number) => {
      const target = fromTime + ((now - startedAt) / 1000) * speed * 3600;
      let i = position.current;
      while (i + 1 < times.length && times[i + 1]! <= target) i++;
      if (i !== position.current) setIndex(i);
      if (i >= times.length - 1) return setPlaying(false);
      frame = requestAnimationFrame(tick);
    };
    if (from !== position.current) setIndex(from);
    position.current = from;
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [playing, speed, times]);
  return { index, setIndex, playing, setPlaying, speed, setSpeed };
}

export interface RunMapProps {
  networkId: string;
  networkVersion: number;
  frames: RunFrames;
  playback: Playback;
  view: FrameView;
  onView: (v: FrameView) => void;
  highlights: Highlight[];
  /** Assets to show with the network (the critical consumers'). */
  assetIds: string[];
  /** Moments to mark on the slider (events starting and ending). */
  marks: Array<{ time: number; label: string }>;
  focus: Array<[number, number]> | null;
  onSelect: (s: Selection | null) => void;
}

export function RunMap(props: RunMapProps) {
  const { frames, playback, view } = props;
  const state = useMemo(() => new WaterMapState([{ id: props.networkId, version: props.networkVersion }]), [props.networkId, props.networkVersion]);
  const overlays = useMemo(() => [createWaterOverlay({ id: 'water-run', label: 'Water network', defaultVisible: true, state }), assetsOverlay], [state]);
  const only = useMemo(() => new Set(props.assetIds), [props.assetIds.join(',')]);
  const decoded = useMemo(() => frames.frames.map((f) => (f ? decodeFrame(f) : null)), [frames]);
  const kinds = useMemo(() => nodeKinds(frames.nodeTypes), [frames]);
  const frame = decoded[playback.index] ?? null;

  useEffect(() => {
    state.set({ animation: { networkId: props.networkId, nodes: frames.nodes, kinds, frame, view } });
  }, [state, frame, view, kinds]);
  useEffect(() => state.set({ highlights: props.highlights }), [state, JSON.stringify(props.highlights)]);

  const counts = useMemo(() => {
    if (!frame) return { junctions: undefined, tanks: undefined };
    const values = frame.map((c) => viewValue(c, view));
    return { junctions: countValues(values, kinds, 'junction'), tanks: countValues(values, kinds, 'tank') };
  }, [frame, view, kinds]);

  const t = frames.times[playback.index] ?? 0;
  const end = frames.times[frames.times.length - 1] ?? 0;
  return (
    <div className="run-map">
      <MapView main className="run-map-canvas" label="Map of the simulated network" overlays={overlays} visible={{}} filters={DEFAULT_FILTERS} only={only} focus={props.focus} onSelect={props.onSelect} />
      <div className="animation-controls" role="group" aria-label="Animation of the run">
        <button type="button" className="primary play" onClick={() => playback.setPlaying(!playback.playing)} aria-pressed={playback.playing}>
          {playback.playing ? '❚❚ Pause' : '▶ Play'}
        </button>
        <label className="slider">
          <span className="visually-hidden">Simulation time</span>
          <input
            type="range"
            min={0}
            max={Math.max(0, frames.times.length - 1)}
            value={playback.index}
            onChange={(e) => {
              playback.setPlaying(false);
              playback.setIndex(Number(e.target.value));
            }}
            aria-label="Simulation time"
            aria-valuetext={`${formatDuration(t)} since the start, ${simClock(t)}`}
          />
          <span className="marks" aria-hidden="true">
            {props.marks.map((m) => (
              <span key={`${m.label}${m.time}`} className="mark" style={{ left: `${(m.time / (end || 1)) * 100}%` }} title={m.label} />
            ))}
          </span>
        </label>
        <output className="anim-time" data-testid="anim-time">
          <strong>{simClock(t)}</strong> <span className="muted">+{formatDuration(t)}</span>
        </output>
        <label className="field inline">
          <span className="visually-hidden">Speed</span>
          <select value={playback.speed} onChange={(e) => playback.setSpeed(Number(e.target.value))} aria-label="Playback speed">
            <option value={1}>1 h / s</option>
            <option value={2}>2 h / s</option>
            <option value={6}>6 h / s</option>
          </select>
        </label>
      </div>
      <div className="view-switch" role="radiogroup" aria-label="What the colours show">
        {FRAME_VIEWS.map((v) => (
          <label key={v} className={`chip${v === view ? ' on' : ''}`}>
            <input type="radio" name="frame-view" value={v} checked={v === view} onChange={() => props.onView(v)} /> {LEGENDS[v].title}
          </label>
        ))}
      </div>
      <FrameLegend view={view} counts={counts.junctions} tankCounts={counts.tanks} />
    </div>
  );
}
