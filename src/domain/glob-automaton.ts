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

export type GlobStep = LiteralStep | WildcardStep;

/** One compiled pattern; `matches` is not re-entrant (JavaScript never calls it re-entrantly). */
export class GlobAutomaton {
  private readonly literals: Int32Array;
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
    this.literals = Int32Array.from(steps, (step) => ('literal' in step ? step.literal : -1));
    this.wildcards = steps.map((step) => ('accepts' in step ? step.accepts : undefined));
    this.addedInRound = new Float64Array(steps.length + 1).fill(-1);
  }

  /** True when the whole of `name` matches the whole pattern. */
  matches(name: string): boolean {
    const final = this.literals.length;
    this.visits = 0;
    this.round++;
    this.current.length = 0;
    this.add(0, this.current);
    for (let index = 0; index < name.length && this.current.length > 0; index++) {
      const code = name.charCodeAt(index);
      this.round++;
      this.next.length = 0;
      for (const state of this.current) {
        if (state === final) continue;
        const literal = this.literals[state] as number;
        if (literal >= 0) {
          if (literal === code) this.add(state + 1, this.next);
        } else if (this.wildcards[state]?.(code)) {
          this.add(state, this.next);
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
      if (state === final || (this.literals[state] as number) >= 0) return;
    }
  }
}
