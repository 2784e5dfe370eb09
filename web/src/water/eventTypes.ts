// The event types of a water scenario as the form offers them (docs/water.md, "Scenario"): what each does in
// the city's words, and its fields. Which elements a field may name comes from the network (Choices).

export type ChoiceSource = 'signals' | 'spoofTargets' | 'actuated' | 'pumps' | 'pipes' | 'junctions' | 'nodes' | 'tanks' | 'plcs' | 'receivers' | 'controls' | 'energyAssets';

export interface FieldSpec {
  name: string;
  label: string;
  input: 'text' | 'number' | 'select' | 'pumps' | 'checkbox' | 'action';
  /** Fixed options of a select. */
  options?: Array<{ value: string; label: string }>;
  /** Elements of the network to choose from (a select, or suggestions for a text input). */
  from?: ChoiceSource;
  required?: boolean;
  /** Shown only when another field has one of these values. */
  when?: { field: string; values: string[] };
  help?: string;
}

export interface EventTypeSpec {
  type: string;
  label: string;
  /** What happens, in a sentence. */
  effect: string;
  /** cyber: the control system lies or is driven; physical: the pipes and pumps themselves. */
  family: 'cyber' | 'physical';
  fields: FieldSpec[];
}

export const EVENT_TYPES: EventTypeSpec[] = [
  {
    type: 'sensor-spoof',
    label: 'Sensor spoofing',
    family: 'cyber',
    effect: 'What a PLC (and SCADA) reads differs from reality: a constant, an offset, or earlier readings replayed.',
    fields: [
      { name: 'signal', label: 'Signal', input: 'select', from: 'signals', required: true, help: 'L_ tank level, P_ pressure, F_ flow, S_ status' },
      {
        name: 'mode',
        label: 'Lie',
        input: 'select',
        required: true,
        options: [
          { value: 'constant', label: 'constant reading' },
          { value: 'offset', label: 'offset added to the real reading' },
          { value: 'replay', label: 'replay of earlier readings' },
        ],
      },
      { name: 'value', label: 'Value', input: 'number', when: { field: 'mode', values: ['constant', 'offset'] }, required: true },
      { name: 'replayFrom', label: 'Replay from (h)', input: 'number', when: { field: 'mode', values: ['replay'] }, required: true },
      { name: 'replayTo', label: 'Replay to (h)', input: 'number', when: { field: 'mode', values: ['replay'] }, required: true },
      { name: 'on', label: 'Injected on', input: 'select', from: 'spoofTargets', help: 'the instrument (every reader sees it) or one communication link' },
    ],
  },
  {
    type: 'actuator',
    label: 'Pump or valve driven by the attacker',
    family: 'cyber',
    effect: "The attacker holds a pump or valve; the PLC's commands are lost until the end.",
    fields: [
      { name: 'link', label: 'Pump or valve', input: 'select', from: 'actuated', required: true },
      { name: 'status', label: 'Status', input: 'select', options: [{ value: '', label: '(unchanged)' }, { value: 'open', label: 'open / on' }, { value: 'closed', label: 'closed / off' }] },
      { name: 'speed', label: 'Pump speed (1 = nominal)', input: 'number' },
      { name: 'setting', label: 'Valve setting', input: 'number' },
    ],
  },
  {
    type: 'control-change',
    label: 'PLC logic altered',
    family: 'cyber',
    effect: "A control's threshold or action is changed in the PLC, or the control is switched off; restored at the end.",
    fields: [
      { name: 'control', label: 'Control', input: 'select', from: 'controls', required: true },
      { name: 'threshold', label: 'New threshold', input: 'number' },
      { name: 'action', label: 'New action', input: 'action', help: 'open, closed or a setting' },
      { name: 'disabled', label: 'Control disabled', input: 'checkbox' },
    ],
  },
  {
    type: 'link-dos',
    label: 'Denial of service on a PLC link',
    family: 'cyber',
    effect: 'Receivers keep the last values they got: their readings go stale.',
    fields: [
      { name: 'from', label: 'From', input: 'select', from: 'plcs', required: true },
      { name: 'to', label: 'To', input: 'select', from: 'receivers', help: 'every link from it when empty' },
    ],
  },
  {
    type: 'leak',
    label: 'Pipe break or leak',
    family: 'physical',
    effect: 'Water is lost through an orifice at a junction or in the middle of a pipe; repaired at the end.',
    fields: [
      { name: 'pipe', label: 'Pipe', input: 'text', from: 'pipes', help: 'a pipe, split at its middle…' },
      { name: 'node', label: 'or junction', input: 'text', from: 'junctions' },
      { name: 'holeAreaCm2', label: 'Hole area (cm²)', input: 'number' },
      { name: 'emitterCoefficient', label: 'or emitter coefficient', input: 'number' },
    ],
  },
  {
    type: 'pipe-closure',
    label: 'Pipe closed',
    family: 'physical',
    effect: 'A pipe is taken out of service (isolation, N-1); reopened at the end.',
    fields: [{ name: 'pipe', label: 'Pipe', input: 'text', from: 'pipes', required: true }],
  },
  {
    type: 'pump-failure',
    label: 'Pump or power failure',
    family: 'physical',
    effect: 'Pumps cannot run: a mechanical fault or the loss of their power supply.',
    fields: [
      { name: 'pumps', label: 'Pumps', input: 'pumps', from: 'pumps', required: true },
      { name: 'cause', label: 'Cause', input: 'select', options: [{ value: 'mechanical', label: 'mechanical' }, { value: 'power', label: 'power supply lost' }] },
      { name: 'energyAssetId', label: 'Energy asset', input: 'select', from: 'energyAssets', when: { field: 'cause', values: ['power'] }, help: 'the substation or feeder whose outage stops them' },
    ],
  },
  {
    type: 'contamination',
    label: 'Contamination',
    family: 'physical',
    effect: 'A contaminant enters at a tank, a source or a junction (water quality is simulated).',
    fields: [
      { name: 'node', label: 'Where', input: 'text', from: 'nodes', required: true },
      { name: 'concentration', label: 'Concentration (mg/L)', input: 'number' },
      { name: 'massRate', label: 'or mass rate (mg/min)', input: 'number' },
    ],
  },
];

export function eventType(type: string): EventTypeSpec | undefined {
  return EVENT_TYPES.find((t) => t.type === type);
}

export const CONDITION_KINDS = [
  { value: '', label: 'default', element: null },
  { value: 'hour', label: 'at hour', element: null },
  { value: 'afterHours', label: 'hours after its start', element: null },
  { value: 'levelBelow', label: 'when tank level below', element: 'tank' },
  { value: 'levelAbove', label: 'when tank level above', element: 'tank' },
  { value: 'pressureBelow', label: 'when pressure at node below', element: 'node' },
  { value: 'pressureAbove', label: 'when pressure at node above', element: 'node' },
] as const;

export type ConditionKind = (typeof CONDITION_KINDS)[number]['value'];
