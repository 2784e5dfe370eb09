import { Problem, unprocessable } from '../../kernel/http/problem.js';
import { LayoutError } from '../cyber/layout.js';
import { InpError } from '../network/inp-text.js';
import { ScenarioError } from '../scenario/validate.js';
import { ImportError } from '../store/import.js';

/** "events[2].signal: ..." → {path, message}, as the kernel's validation errors read. */
function errorsOf(problems: string[]): Array<{ path: string; message: string }> {
  return problems.map((p) => {
    const i = p.indexOf(': ');
    return i > 0 ? { path: p.slice(0, i), message: p.slice(i + 2) } : { path: '', message: p };
  });
}

/**
 * The validators' errors as 422 problems, each with the list of what is wrong (`problems`, and `errors`
 * with paths). Anything else is rethrown.
 */
export function asProblem(error: unknown, what: string): never {
  if (error instanceof ScenarioError || error instanceof LayoutError || error instanceof ImportError) {
    throw unprocessable(`The ${error instanceof LayoutError ? 'PLC layout' : what} is not valid: ${error.problems.join('; ')}`, { problems: error.problems, errors: errorsOf(error.problems) });
  }
  if (error instanceof InpError) {
    throw unprocessable(`The .inp file is not valid: ${error.message}`, {
      problems: [error.message],
      line: error.line,
      section: error.section,
      errors: [{ path: `inp line ${error.line}${error.section ? ` [${error.section}]` : ''}`, message: error.message.replace(/^line \d+( \[[^\]]*\])?: /, '') }],
    });
  }
  if (error instanceof Problem) throw error;
  throw error;
}

export function tooBusy(limit: number): Problem {
  return new Problem(429, `${limit} water simulations are already waiting or running: try again when one has finished (VIGIL_WATER_MAX_ACTIVE)`, { retryAfterSeconds: 10 });
}
