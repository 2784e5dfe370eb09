/**
 * The abstract syntax of a STIX 2.1 pattern (STIXPattern.g4). Names follow the grammar's rules:
 * observation expressions combine observations, comparison expressions live inside `[ … ]`.
 */
export interface Span {
  /** Offset of the first character (UTF-16 code units, 0-based). */
  start: number;
  /** Offset just past the last character. */
  end: number;
}

export type Literal =
  | { type: 'int'; value: number; text: string }
  | { type: 'float'; value: number; text: string }
  | { type: 'string'; value: string; text: string }
  | { type: 'bool'; value: boolean; text: string }
  | { type: 'binary'; value: string; text: string }
  | { type: 'hex'; value: string; text: string }
  | { type: 'timestamp'; value: string; text: string };

export type PathStep = { kind: 'key'; name: string } | { kind: 'index'; index: number | '*' };

export interface ObjectPath {
  objectType: string;
  steps: PathStep[];
  span: Span;
}

export type EqualityOperator = '=' | '!=';
export type OrderOperator = '>' | '<' | '>=' | '<=';
export type ComparisonOperator =
  | EqualityOperator
  | OrderOperator
  | 'IN'
  | 'LIKE'
  | 'MATCHES'
  | 'ISSUBSET'
  | 'ISSUPERSET'
  | 'EXISTS';

/** One propTest: `objectPath NOT? op value`, or `NOT? EXISTS objectPath`. */
export interface PropTest {
  kind: 'propTest';
  path: ObjectPath;
  negated: boolean;
  operator: ComparisonOperator;
  /** A single literal, a set (for IN), or undefined for EXISTS. */
  value?: Literal | Literal[];
  span: Span;
}

export interface ComparisonBinary {
  kind: 'comparisonExpression';
  operator: 'AND' | 'OR';
  left: ComparisonExpression;
  right: ComparisonExpression;
  span: Span;
}

export type ComparisonExpression = PropTest | ComparisonBinary;

export type Qualifier =
  | { kind: 'within'; seconds: number; span: Span }
  | { kind: 'repeats'; times: number; span: Span }
  | { kind: 'startStop'; start: string; stop: string; span: Span };

export interface Observation {
  kind: 'observation';
  comparison: ComparisonExpression;
  span: Span;
}

export interface ObservationBinary {
  kind: 'observationExpressions';
  operator: 'AND' | 'OR' | 'FOLLOWEDBY';
  left: ObservationExpression;
  right: ObservationExpression;
  span: Span;
}

export interface QualifiedObservation {
  kind: 'qualified';
  expression: ObservationExpression;
  qualifier: Qualifier;
  span: Span;
}

export type ObservationExpression = Observation | ObservationBinary | QualifiedObservation;

export interface PatternError {
  message: string;
  /** 0-based offset into the pattern. */
  offset: number;
  /** 1-based line and column. */
  line: number;
  column: number;
  /** What the grammar would have accepted here. */
  expected: string[];
  /** The text found instead ('<end of pattern>' at the end). */
  found: string;
}

export type PatternResult =
  | { ok: true; pattern: ObservationExpression; warnings: PatternError[] }
  | { ok: false; error: PatternError };
