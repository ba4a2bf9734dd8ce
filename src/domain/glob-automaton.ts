// Matches wildcard patterns in time bounded by pattern length x name length, whatever the pattern: the pattern's
// automaton is run over the name with the set of states it could be in, never a backtracking RegExp (where
// `**a**a**a...` cost exponential time in the number of wildcards).

/** A literal character (one UTF-16 code unit) the name must have next. */
export interface LiteralStep {
  readonly literal: number;
}

/** A run of zero or more characters, each of which `accepts` (a UTF-16 code unit). */
export interface WildcardStep {
  readonly accepts: (code: number) => boolean;
}

/** Exactly one character, which `accepts` (the `?` of the simulator's fault paths). */
export interface SingleStep {
  readonly single: (code: number) => boolean;
}

export type GlobStep = LiteralStep | WildcardStep | SingleStep;

const RUN = -1;
const SINGLE = -2;

/**
 * One compiled pattern; `matches` is not re-entrant (JavaScript never calls it re-entrantly). The literal text before
 * the first wildcard and after the last is compared as text first: most names an exemption is asked about fail there
 * (another project, another collection), and stepping every name through the automaton made a scan with a ten-
 * exemption policy ~80x slower at matching than the RegExp it replaced. Only the part between is stepped through.
 */
export class GlobAutomaton {
  /** The whole pattern, when it has no wildcard: then it matches that name alone. */
  private readonly exact: string | undefined;
  /** What every matching name starts with (all of it for a pattern without wildcards). */
  readonly prefix: string;
  private readonly suffix: string;
  /** The steps from the first wildcard to the last, which the automaton runs: a code, RUN or SINGLE each. */
  private readonly literals: Int32Array;
  /** What the RUN or SINGLE step at each index accepts. */
  private readonly wildcards: readonly (((code: number) => boolean) | undefined)[];
  /** The round in which each state was last added: a set cleared in O(1) by starting a new round. */
  private readonly addedInRound: Float64Array;
  private round = 0;
  private current: number[] = [];
  private next: number[] = [];
  /**
   * States visited by the last `matches`: at most 2 x (pattern steps + 1) x (name length + 1) (each state is added
   * once a character, and each addition stops at most once on a state already added), whatever the pattern; tests
   * hold the matcher to that rather than to a wall-clock time.
   */
  visits = 0;

  constructor(steps: readonly GlobStep[]) {
    const first = steps.findIndex((step) => !('literal' in step));
    const last = steps.findLastIndex((step) => !('literal' in step));
    this.exact = first < 0 ? textOf(steps) : undefined;
    this.prefix = textOf(first < 0 ? steps : steps.slice(0, first));
    this.suffix = first < 0 ? '' : textOf(steps.slice(last + 1));
    const middle = first < 0 ? [] : steps.slice(first, last + 1);
    this.literals = Int32Array.from(middle, (step) =>
      'literal' in step ? step.literal : 'accepts' in step ? RUN : SINGLE,
    );
    this.wildcards = middle.map((step) =>
      'accepts' in step ? step.accepts : 'single' in step ? step.single : undefined,
    );
    this.addedInRound = new Float64Array(middle.length + 1).fill(-1);
  }

  /** True when the whole of `name` matches the whole pattern. */
  matches(name: string): boolean {
    this.visits = 0;
    if (this.exact !== undefined) return name === this.exact;
    const end = name.length - this.suffix.length;
    if (end < this.prefix.length || !name.startsWith(this.prefix) || !name.endsWith(this.suffix))
      return false;
    // One wildcard between the literal ends (`.../legacy-*`, `*-bs`): it takes every character there, or no match.
    if (this.literals.length === 1 && this.literals[0] === RUN) {
      const accepts = this.wildcards[0] as (code: number) => boolean;
      for (let index = this.prefix.length; index < end; index++) {
        this.visits++;
        if (!accepts(name.charCodeAt(index))) return false;
      }
      return true;
    }
    const final = this.literals.length;
    this.round++;
    this.current.length = 0;
    this.add(0, this.current);
    for (let index = this.prefix.length; index < end && this.current.length > 0; index++) {
      const code = name.charCodeAt(index);
      this.round++;
      this.next.length = 0;
      for (const state of this.current) {
        if (state === final) continue;
        const literal = this.literals[state] as number;
        if (literal >= 0) {
          if (literal === code) this.add(state + 1, this.next);
        } else if (this.wildcards[state]?.(code)) {
          this.add(literal === SINGLE ? state + 1 : state, this.next);
        }
      }
      [this.current, this.next] = [this.next, this.current];
    }
    return this.current.includes(final);
  }

  /** Adds a state and, past any wildcards it stands on, the states reached by letting them match nothing. */
  private add(first: number, states: number[]): void {
    const final = this.literals.length;
    for (let state = first; state <= final; state++) {
      this.visits++;
      if (this.addedInRound[state] === this.round) return;
      this.addedInRound[state] = this.round;
      states.push(state);
      if (state === final || this.literals[state] !== RUN) return;
    }
  }
}

/** The text a run of literal steps spells. */
function textOf(steps: readonly GlobStep[]): string {
  let text = '';
  for (const step of steps) if ('literal' in step) text += String.fromCharCode(step.literal);
  return text;
}
