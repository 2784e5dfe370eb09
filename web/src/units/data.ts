// Units, road closures and the isochrones on show, kept current by the live stream. Loaded when a map layer
// or the dispatch panel first needs them; every change also bumps the city store, so the maps redraw.
import { allPages, api, currentToken, errorText } from '../api/client';
import type { StreamEvent } from '../api/types';
import { registerStreamEventType } from '../state/live';
import { store } from '../state/store';
import { type ClosureDraft, type DrawMode, applyUnitEvent } from './shape';
import type { Closure, IsochroneAnswer, Unit } from './types';

for (const type of ['incident.unit', 'unit.created', 'unit.updated', 'unit.shared', 'unit.position', 'unit.dispatched', 'closure.created', 'closure.updated', 'closure.shared']) registerStreamEventType(type);

/** What a click on the operations map does: select a record (default), pick an isochrone origin, or draw. */
export type MapTool = 'select' | 'isochrone' | 'closure';

class RoadsLive {
  units = new Map<string, Unit>();
  closures = new Map<string, Closure>();
  isochrones: IsochroneAnswer | null = null;
  isochroneLabel = '';
  tool: MapTool = 'select';
  draft: ClosureDraft = { mode: 'area', vertices: [], reason: '', startsAt: '', endsAt: '' };
  loadError: string | null = null;
  loaded = false;
  private loading: Promise<void> | null = null;
  private loadedFor: string | null = null;

  constructor() {
    store.onEvent((event) => this.apply(event));
  }

  changed(): void {
    store.changed();
  }

  /** Reads units and closures once per session (again after signing in as someone else). */
  ensureLoaded(): Promise<void> {
    const token = currentToken();
    if (this.loading && this.loadedFor === token) return this.loading;
    this.loadedFor = token;
    this.loading = (async () => {
      try {
        const [units, closures] = await Promise.all([allPages<Unit>('/units'), allPages<Closure>('/closures?status=active&status=scheduled')]);
        this.units = new Map(units.map((u) => [u.id, u]));
        this.closures = new Map(closures.map((c) => [c.id, c]));
        this.loadError = null;
        this.loaded = true;
      } catch (error) {
        this.loadError = errorText(error);
        this.loading = null;
      }
      this.changed();
    })();
    return this.loading;
  }

  putUnit(unit: Unit): void {
    this.units.set(unit.id, unit);
    this.changed();
  }

  putClosure(closure: Closure): void {
    this.closures.set(closure.id, closure);
    this.changed();
  }

  apply(event: StreamEvent): void {
    if (applyUnitEvent(this.units, event)) return this.changed();
    if (event.type.startsWith('closure.')) {
      const closure = event.data as Closure;
      const previous = this.closures.get(closure.id);
      if (!previous || previous.version <= closure.version) this.putClosure(closure);
    } else if (event.type === 'record.removed' && (event.data as { kind?: string })?.kind === 'closure') {
      this.closures.delete((event.data as { id: string }).id);
      this.changed();
    }
  }

  setTool(tool: MapTool): void {
    this.tool = tool;
    this.changed();
  }

  setDraft(change: Partial<ClosureDraft>): void {
    this.draft = { ...this.draft, ...change };
    this.changed();
  }

  startDrawing(mode: DrawMode): void {
    this.draft = { mode, vertices: [], reason: this.draft.reason, startsAt: '', endsAt: '' };
    this.setTool('closure');
  }

  /** A click on the map while a tool is on; true when the tool used it (the map then selects nothing). */
  click(point: [number, number]): boolean {
    if (this.tool === 'closure') {
      this.setDraft({ vertices: [...this.draft.vertices, point] });
      return true;
    }
    if (this.tool === 'isochrone') {
      this.tool = 'select';
      void this.showIsochrones(point, `the point ${point[0].toFixed(4)}, ${point[1].toFixed(4)}`);
      return true;
    }
    return false;
  }

  isochroneMinutes = '3,6,9';
  isochroneError: string | null = null;

  async showIsochrones(at: [number, number], label: string, minutes = this.isochroneMinutes): Promise<void> {
    this.isochroneError = null;
    this.changed();
    try {
      this.isochrones = await api<IsochroneAnswer>('GET', `/isochrones?at=${at[0]},${at[1]}&minutes=${encodeURIComponent(minutes)}&profile=emergency`);
      this.isochroneLabel = label;
    } catch (error) {
      this.isochroneError = errorText(error);
    }
    this.changed();
  }

  clearIsochrones(): void {
    this.isochrones = null;
    this.isochroneLabel = '';
    this.changed();
  }
}

export const roads = new RoadsLive();

/** For MapView's onMapClick: the operations map hands clicks to the tool in use. */
export const mapClickTool = (point: [number, number]): boolean => roads.click(point);
