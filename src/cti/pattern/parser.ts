import type {
  ComparisonExpression,
  ComparisonOperator,
  Literal,
  ObjectPath,
  ObservationExpression,
  PathStep,
  PatternError,
  PatternResult,
  PropTest,
  Qualifier,
} from './ast.js';
import { LexError, tokenize, type Token, type TokenKind } from './lexer.js';
import { compareTimestamps } from '../stix/timestamps.js';

/**
 * Recursive-descent parser for STIXPattern.g4. The grammar's left-recursive rules become loops with the same
 * associativity and precedence: FOLLOWEDBY < OR < AND < qualifiers for observation expressions, OR < AND inside
 * brackets. Errors carry the offset, line and column and what the grammar expected there.
 */
export function parsePattern(text: string): PatternResult {
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch (error) {
    if (error instanceof LexError) return { ok: false, error: locate(text, error.offset, error.message, error.expected) };
    throw error;
  }
  const parser = new Parser(text, tokens);
  try {
    const pattern = parser.pattern();
    const semantic = checkSemantics(text, pattern);
    if (semantic.errors.length > 0) return { ok: false, error: semantic.errors[0]! };
    return { ok: true, pattern, warnings: semantic.warnings };
  } catch (error) {
    if (error instanceof SyntaxFailure) return { ok: false, error: error.error };
    throw error;
  }
}

class SyntaxFailure extends Error {
  constructor(readonly error: PatternError) {
    super(error.message);
  }
}

const EQUALITY: Partial<Record<TokenKind, ComparisonOperator>> = { EQ: '=', NEQ: '!=' };
const ORDER: Partial<Record<TokenKind, ComparisonOperator>> = { GT: '>', LT: '<', GE: '>=', LE: '<=' };
const STRING_OPERATORS: Partial<Record<TokenKind, ComparisonOperator>> = {
  LIKE: 'LIKE', MATCHES: 'MATCHES', ISSUBSET: 'ISSUBSET', ISSUPERSET: 'ISSUPERSET',
};
const ORDERABLE: readonly TokenKind[] = [
  'IntPosLiteral', 'IntNegLiteral', 'FloatPosLiteral', 'FloatNegLiteral', 'StringLiteral', 'BinaryLiteral', 'HexLiteral',
  'TimestampLiteral',
];
const PRIMITIVE: readonly TokenKind[] = [...ORDERABLE, 'BoolLiteral'];
const COMPARISON_OPERATORS = ['=', '!=', '<>', '>', '<', '>=', '<=', 'IN', 'LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET'];

class Parser {
  private at = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  pattern(): ObservationExpression {
    const expression = this.observationExpressions();
    this.expect(['EOF'], ['FOLLOWEDBY', 'OR', 'AND', 'WITHIN', 'REPEATS', 'START', '<end of pattern>']);
    return expression;
  }

  private observationExpressions(): ObservationExpression {
    return this.chain('FOLLOWEDBY', () => this.observationExpressionOr(), observationBinary('FOLLOWEDBY'));
  }

  private observationExpressionOr(): ObservationExpression {
    return this.chain('OR', () => this.observationExpressionAnd(), observationBinary('OR'));
  }

  private observationExpressionAnd(): ObservationExpression {
    return this.chain('AND', () => this.observationExpression(), observationBinary('AND'));
  }

  /** A left-associative run `operand (operator operand)*`, the grammar's `<assoc=left>` rules as a loop. */
  private chain<T>(operator: TokenKind, operand: () => T, combine: (left: T, right: T) => T): T {
    let left = operand();
    while (this.peek().kind === operator) {
      this.next();
      left = combine(left, operand());
    }
    return left;
  }

  private observationExpression(): ObservationExpression {
    const open = this.peek();
    let expression: ObservationExpression;
    if (open.kind === 'LBRACK') {
      this.next();
      const comparison = this.comparisonExpression();
      const close = this.expect(['RBRACK'], [']', 'AND', 'OR']);
      expression = { kind: 'observation', comparison, span: { start: open.start, end: close.end } };
    } else if (open.kind === 'LPAREN') {
      this.next();
      const inner = this.observationExpressions();
      const close = this.expect(['RPAREN'], [')', 'FOLLOWEDBY', 'OR', 'AND']);
      expression = { ...inner, span: { start: open.start, end: close.end } };
    } else {
      throw this.failure(open, ['[', '(']);
    }
    for (;;) {
      const qualifier = this.qualifier();
      if (!qualifier) return expression;
      expression = { kind: 'qualified', expression, qualifier, span: { start: expression.span.start, end: qualifier.span.end } };
    }
  }

  private qualifier(): Qualifier | undefined {
    const first = this.peek();
    if (first.kind === 'WITHIN') {
      this.next();
      const amount = this.expect(['IntPosLiteral', 'FloatPosLiteral'], ['a positive number of seconds']);
      const last = this.expect(['SECONDS'], ['SECONDS']);
      return { kind: 'within', seconds: Number(amount.text), span: { start: first.start, end: last.end } };
    }
    if (first.kind === 'REPEATS') {
      this.next();
      const count = this.expect(['IntPosLiteral'], ['a positive integer']);
      const last = this.expect(['TIMES'], ['TIMES']);
      return { kind: 'repeats', times: Number(count.text), span: { start: first.start, end: last.end } };
    }
    if (first.kind === 'START') {
      this.next();
      const start = this.expect(['TimestampLiteral'], ["a timestamp literal t'…'"]);
      this.expect(['STOP'], ['STOP']);
      const stop = this.expect(['TimestampLiteral'], ["a timestamp literal t'…'"]);
      return {
        kind: 'startStop',
        start: start.text.slice(2, -1),
        stop: stop.text.slice(2, -1),
        span: { start: first.start, end: stop.end },
      };
    }
    return undefined;
  }

  private comparisonExpression(): ComparisonExpression {
    return this.chain('OR', () => this.comparisonExpressionAnd(), comparisonBinary('OR'));
  }

  private comparisonExpressionAnd(): ComparisonExpression {
    return this.chain('AND', () => this.propTest(), comparisonBinary('AND'));
  }

  private propTest(): ComparisonExpression {
    const first = this.peek();
    if (first.kind === 'LPAREN') {
      this.next();
      const inner = this.comparisonExpression();
      const close = this.expect(['RPAREN'], [')', 'AND', 'OR']);
      return { ...inner, span: { start: first.start, end: close.end } };
    }
    if (first.kind === 'EXISTS' || (first.kind === 'NOT' && this.peek(1).kind === 'EXISTS')) {
      const negated = first.kind === 'NOT';
      if (negated) this.next();
      this.next();
      const path = this.objectPath();
      return { kind: 'propTest', path, negated, operator: 'EXISTS', span: { start: first.start, end: path.span.end } };
    }
    if (first.kind !== 'IdentifierWithoutHyphen' && first.kind !== 'IdentifierWithHyphen') {
      throw this.failure(first, ['an object path (type:property)', '(', 'EXISTS', 'NOT EXISTS']);
    }
    const path = this.objectPath();
    let negated = false;
    if (this.peek().kind === 'NOT') {
      this.next();
      negated = true;
    }
    const op = this.peek();
    const make = (operator: ComparisonOperator, value: Literal | Literal[], end: number): PropTest => ({
      kind: 'propTest', path, negated, operator, value, span: { start: first.start, end },
    });
    const equality = EQUALITY[op.kind];
    if (equality) {
      this.next();
      const literal = this.literal(PRIMITIVE);
      return make(equality, literal, this.previous().end);
    }
    const order = ORDER[op.kind];
    if (order) {
      this.next();
      const literal = this.literal(ORDERABLE);
      return make(order, literal, this.previous().end);
    }
    if (op.kind === 'IN') {
      this.next();
      const set = this.setLiteral();
      return make('IN', set, this.previous().end);
    }
    const stringOperator = STRING_OPERATORS[op.kind];
    if (stringOperator) {
      this.next();
      const literal = this.literal(['StringLiteral']);
      return make(stringOperator, literal, this.previous().end);
    }
    throw this.failure(op, negated ? COMPARISON_OPERATORS : ['NOT', ...COMPARISON_OPERATORS]);
  }

  private objectPath(): ObjectPath {
    const type = this.expect(['IdentifierWithoutHyphen', 'IdentifierWithHyphen'], ['an object type']);
    this.expect(['COLON'], [':']);
    const first = this.expect(['IdentifierWithoutHyphen', 'StringLiteral'], ['a property name (no hyphen, or quoted)']);
    const steps: PathStep[] = [{ kind: 'key', name: keyName(first) }];
    let end = first.end;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'DOT') {
        this.next();
        const key = this.expect(['IdentifierWithoutHyphen', 'StringLiteral'], ['a property name (no hyphen, or quoted)']);
        steps.push({ kind: 'key', name: keyName(key) });
        end = key.end;
      } else if (t.kind === 'LBRACK') {
        this.next();
        const index = this.expect(['IntPosLiteral', 'IntNegLiteral', 'ASTERISK'], ['a list index', '*']);
        const close = this.expect(['RBRACK'], [']']);
        steps.push({ kind: 'index', index: index.kind === 'ASTERISK' ? '*' : Number(index.text) });
        end = close.end;
      } else {
        return { objectType: type.text, steps, span: { start: type.start, end } };
      }
    }
  }

  private setLiteral(): Literal[] {
    this.expect(['LPAREN'], ['(']);
    const items: Literal[] = [];
    if (this.peek().kind === 'RPAREN') {
      this.next();
      return items;
    }
    items.push(this.literal(PRIMITIVE));
    while (this.peek().kind === 'COMMA') {
      this.next();
      items.push(this.literal(PRIMITIVE));
    }
    this.expect(['RPAREN'], [',', ')']);
    return items;
  }

  private literal(kinds: readonly TokenKind[]): Literal {
    const t = this.peek();
    if (!kinds.includes(t.kind)) throw this.failure(t, kinds.map(describeKind));
    this.next();
    return toLiteral(t);
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.at + ahead, this.tokens.length - 1)]!;
  }

  private previous(): Token {
    return this.tokens[this.at - 1]!;
  }

  private next(): Token {
    return this.tokens[this.at++]!;
  }

  private expect(kinds: readonly TokenKind[], expected: string[]): Token {
    const t = this.peek();
    if (!kinds.includes(t.kind)) throw this.failure(t, expected);
    return this.next();
  }

  private failure(t: Token, expected: string[]): SyntaxFailure {
    const found = t.kind === 'EOF' ? '<end of pattern>' : `'${t.text}'`;
    return new SyntaxFailure(locate(this.text, t.start, `expected ${expected.join(' or ')} but found ${found}`, expected));
  }
}

function span(left: { span: { start: number } }, right: { span: { end: number } }): { start: number; end: number } {
  return { start: left.span.start, end: right.span.end };
}

function observationBinary(operator: 'AND' | 'OR' | 'FOLLOWEDBY') {
  return (left: ObservationExpression, right: ObservationExpression): ObservationExpression => ({
    kind: 'observationExpressions', operator, left, right, span: span(left, right),
  });
}

function comparisonBinary(operator: 'AND' | 'OR') {
  return (left: ComparisonExpression, right: ComparisonExpression): ComparisonExpression => ({
    kind: 'comparisonExpression', operator, left, right, span: span(left, right),
  });
}

function keyName(t: Token): string {
  return t.kind === 'StringLiteral' ? unquote(t.text) : t.text;
}

function unquote(text: string): string {
  return text.slice(1, -1).replace(/\\(['\\])/g, '$1');
}

function describeKind(kind: TokenKind): string {
  return kind;
}

function toLiteral(t: Token): Literal {
  switch (t.kind) {
    case 'IntPosLiteral':
    case 'IntNegLiteral':
      return { type: 'int', value: Number(t.text), text: t.text };
    case 'FloatPosLiteral':
    case 'FloatNegLiteral':
      return { type: 'float', value: Number(t.text), text: t.text };
    case 'StringLiteral':
      return { type: 'string', value: unquote(t.text), text: t.text };
    case 'BoolLiteral':
      return { type: 'bool', value: t.text === 'true', text: t.text };
    case 'BinaryLiteral':
      return { type: 'binary', value: t.text.slice(2, -1), text: t.text };
    case 'HexLiteral':
      return { type: 'hex', value: t.text.slice(2, -1).toLowerCase(), text: t.text };
    case 'TimestampLiteral':
      return { type: 'timestamp', value: t.text.slice(2, -1), text: t.text };
    default:
      throw new Error(`not a literal: ${t.kind}`);
  }
}

export function locate(text: string, offset: number, message: string, expected: string[]): PatternError {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  const found = offset >= text.length ? '<end of pattern>' : text.slice(offset, offset + 20);
  return { message, offset, line, column: offset - lineStart + 1, expected, found };
}

/**
 * Rules of the specification beyond the grammar (STIX 2.1 section 9): qualifier amounts are positive, STOP
 * follows START, and (a recommendation, so a warning) comparisons joined by AND inside one observation
 * expression name one object type.
 */
function checkSemantics(text: string, root: ObservationExpression): { errors: PatternError[]; warnings: PatternError[] } {
  const errors: PatternError[] = [];
  const warnings: PatternError[] = [];
  const visit = (e: ObservationExpression): void => {
    if (e.kind === 'observationExpressions') {
      visit(e.left);
      visit(e.right);
    } else if (e.kind === 'qualified') {
      visit(e.expression);
      const q = e.qualifier;
      if (q.kind === 'within' && !(q.seconds > 0)) {
        errors.push(locate(text, q.span.start, 'WITHIN needs a positive number of seconds', ['a positive number']));
      } else if (q.kind === 'repeats' && !(q.times > 0)) {
        errors.push(locate(text, q.span.start, 'REPEATS needs a positive integer', ['a positive integer']));
      } else if (q.kind === 'startStop' && (compareTimestamps(q.stop, q.start) ?? 1) <= 0) {
        errors.push(locate(text, q.span.start, 'the STOP timestamp must be later than the START timestamp', []));
      }
    } else {
      const types = new Set<string>();
      collectAndTypes(e.comparison, types);
      if (types.size > 1) {
        warnings.push(
          locate(text, e.span.start, `comparisons joined by AND refer to different object types (${[...types].join(', ')})`, []),
        );
      }
    }
  };
  visit(root);
  return { errors, warnings };
}

function collectAndTypes(c: ComparisonExpression, into: Set<string>): void {
  if (c.kind === 'propTest') {
    into.add(c.path.objectType);
  } else if (c.operator === 'AND') {
    collectAndTypes(c.left, into);
    collectAndTypes(c.right, into);
  } else {
    // An OR branch is checked on its own terms; its types do not mix with the AND around it.
    const left = new Set<string>();
    const right = new Set<string>();
    collectAndTypes(c.left, left);
    collectAndTypes(c.right, right);
    if (left.size === 1 && right.size === 1 && [...left][0] === [...right][0]) into.add([...left][0]!);
  }
}
