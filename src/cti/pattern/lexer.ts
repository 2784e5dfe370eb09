/**
 * The lexer of STIXPattern.g4, written by hand with ANTLR's rule: at each position the longest match wins and a
 * tie goes to the rule defined first (so `AND` is a keyword, `file-name` an IdentifierWithHyphen).
 */
export type TokenKind =
  | 'IntNegLiteral'
  | 'IntPosLiteral'
  | 'FloatNegLiteral'
  | 'FloatPosLiteral'
  | 'HexLiteral'
  | 'BinaryLiteral'
  | 'StringLiteral'
  | 'BoolLiteral'
  | 'TimestampLiteral'
  | Keyword
  | 'IdentifierWithoutHyphen'
  | 'IdentifierWithHyphen'
  | 'EQ'
  | 'NEQ'
  | 'LT'
  | 'LE'
  | 'GT'
  | 'GE'
  | 'QUOTE'
  | 'COLON'
  | 'DOT'
  | 'COMMA'
  | 'RPAREN'
  | 'LPAREN'
  | 'RBRACK'
  | 'LBRACK'
  | 'PLUS'
  | 'HYPHEN'
  | 'POWER_OP'
  | 'DIVIDE'
  | 'ASTERISK'
  | 'EOF';

export type Keyword =
  | 'AND'
  | 'OR'
  | 'NOT'
  | 'FOLLOWEDBY'
  | 'LIKE'
  | 'MATCHES'
  | 'ISSUPERSET'
  | 'ISSUBSET'
  | 'EXISTS'
  | 'LAST'
  | 'IN'
  | 'START'
  | 'STOP'
  | 'SECONDS'
  | 'WITHIN'
  | 'REPEATS'
  | 'TIMES';

const KEYWORDS: ReadonlySet<string> = new Set([
  'AND', 'OR', 'NOT', 'FOLLOWEDBY', 'LIKE', 'MATCHES', 'ISSUPERSET', 'ISSUBSET', 'EXISTS', 'LAST', 'IN', 'START',
  'STOP', 'SECONDS', 'WITHIN', 'REPEATS', 'TIMES',
]);

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

export class LexError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly expected: string[],
  ) {
    super(message);
  }
}

const WHITESPACE = /[ \t\r\n\u000B\u000C\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
const SINGLE: Readonly<Record<string, TokenKind>> = {
  ':': 'COLON', ',': 'COMMA', ')': 'RPAREN', '(': 'LPAREN', ']': 'RBRACK', '[': 'LBRACK', '^': 'POWER_OP', '*': 'ASTERISK',
};
const TIMESTAMP_BODY =
  /^\d{4}-(?:0[1-9]|1[012])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:(?:[0-5]\d|60)(?:\.\d+)?Z$/;
const HEX_BODY = /^(?:[0-9A-Fa-f]{2})*$/;
const BASE64_BODY = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}==)$/;

const isIdentStart = (c: string): boolean => /[A-Za-z_]/.test(c);
const isIdentPart = (c: string): boolean => /[A-Za-z0-9_]/.test(c);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (WHITESPACE.test(c)) {
      i++;
      continue;
    }
    if (c === '/' && input[i + 1] === '*') {
      const close = input.indexOf('*/', i + 2);
      if (close < 0) throw new LexError('unterminated comment', i, ['*/']);
      i = close + 2;
      continue;
    }
    if (c === '/' && input[i + 1] === '/') {
      while (i < input.length && input[i] !== '\r' && input[i] !== '\n') i++;
      continue;
    }
    const token = lexOne(input, i);
    tokens.push(token);
    i = token.end;
  }
  tokens.push({ kind: 'EOF', text: '', start: input.length, end: input.length });
  return tokens;
}

function lexOne(input: string, i: number): Token {
  const c = input[i]!;

  if (isIdentStart(c)) return lexWord(input, i);
  if (isDigit(c) || c === '+' || c === '-' || c === '.') {
    const number = lexNumber(input, i);
    if (number) return number;
    if (c === '+') return make(input, i, 'PLUS', i + 1);
    if (c === '-') return make(input, i, 'HYPHEN', i + 1);
    return make(input, i, 'DOT', i + 1);
  }
  if (c === "'") {
    const end = stringEnd(input, i);
    return make(input, i, 'StringLiteral', end);
  }
  if (c === '=') return make(input, i, 'EQ', input[i + 1] === '=' ? i + 2 : i + 1);
  if (c === '!' && input[i + 1] === '=') return make(input, i, 'NEQ', i + 2);
  if (c === '<') return input[i + 1] === '=' ? make(input, i, 'LE', i + 2) : input[i + 1] === '>' ? make(input, i, 'NEQ', i + 2) : make(input, i, 'LT', i + 1);
  if (c === '>') return input[i + 1] === '=' ? make(input, i, 'GE', i + 2) : make(input, i, 'GT', i + 1);
  if (c === '/') return make(input, i, 'DIVIDE', i + 1);
  const single = SINGLE[c];
  if (single) return make(input, i, single, i + 1);
  throw new LexError(`invalid character ${JSON.stringify(c)}`, i, []);
}

function make(input: string, start: number, kind: TokenKind, end: number): Token {
  return { kind, text: input.slice(start, end), start, end };
}

/** Identifiers, keywords, booleans and the prefixed literals h'…', b'…', t'…'. */
function lexWord(input: string, i: number): Token {
  let a = i + 1;
  while (a < input.length && isIdentPart(input[a]!)) a++;
  let b = a;
  while (b < input.length && (isIdentPart(input[b]!) || input[b] === '-')) b++;
  const word = input.slice(i, a);
  const prefix = input[i];
  if (a === i + 1 && input[a] === "'" && (prefix === 'h' || prefix === 'b' || prefix === 't')) {
    const end = stringEnd(input, a);
    const body = input.slice(a + 1, end - 1);
    const ok =
      !body.includes('\\') &&
      (prefix === 'h' ? HEX_BODY.test(body) : prefix === 'b' ? BASE64_BODY.test(body) : TIMESTAMP_BODY.test(body));
    const kind: TokenKind = prefix === 'h' ? 'HexLiteral' : prefix === 'b' ? 'BinaryLiteral' : 'TimestampLiteral';
    if (!ok) {
      const what = prefix === 'h' ? "pairs of hex digits" : prefix === 'b' ? 'base64 text' : 'an RFC 3339 UTC timestamp';
      throw new LexError(`malformed ${kind}: expected ${what} between the quotes`, i, [kind]);
    }
    return { kind, text: input.slice(i, end), start: i, end };
  }
  if (b > a) return { kind: 'IdentifierWithHyphen', text: input.slice(i, b), start: i, end: b };
  if (word === 'true' || word === 'false') return { kind: 'BoolLiteral', text: word, start: i, end: a };
  if (KEYWORDS.has(word)) return { kind: word as Keyword, text: word, start: i, end: a };
  return { kind: 'IdentifierWithoutHyphen', text: word, start: i, end: a };
}

/** End offset (past the closing quote) of a quoted literal starting at `i`; only \' and \\ are escapes. */
function stringEnd(input: string, i: number): number {
  let j = i + 1;
  while (j < input.length) {
    const ch = input[j]!;
    if (ch === "'") return j + 1;
    if (ch === '\\') {
      const next = input[j + 1];
      if (next !== "'" && next !== '\\') {
        throw new LexError("invalid escape in string literal: only \\' and \\\\ are allowed", j, ["\\'", '\\\\']);
      }
      j += 2;
      continue;
    }
    j++;
  }
  throw new LexError('unterminated string literal', i, ["'"]);
}

function lexNumber(input: string, i: number): Token | undefined {
  let j = i;
  const sign = input[j] === '+' || input[j] === '-' ? input[j] : '';
  if (sign) j++;
  const intStart = j;
  while (isDigit(input[j])) j++;
  const intDigits = input.slice(intStart, j);
  if (input[j] === '.' && isDigit(input[j + 1])) {
    j++;
    while (isDigit(input[j])) j++;
    return { kind: sign === '-' ? 'FloatNegLiteral' : 'FloatPosLiteral', text: input.slice(i, j), start: i, end: j };
  }
  if (intDigits.length === 0) return undefined;
  // ('0' | [1-9][0-9]*): a leading zero ends the literal after the zero.
  const end = intDigits[0] === '0' ? intStart + 1 : j;
  return { kind: sign === '-' ? 'IntNegLiteral' : 'IntPosLiteral', text: input.slice(i, end), start: i, end };
}
