// One word of a Dockerfile, expanded as Docker's shell lexer expands it for FROM and ARG: variables
// substituted, quotes and escapes removed. Used by the stage parser and the step placer alike.

/** A global argument's value; `null` when the engine supplies it. Absent means unset. */
export type Variables = ReadonlyMap<string, string | null>;

/**
 * Expands `$VAR`, `${VAR}`, `${VAR:-word}`, `${VAR-word}`, `${VAR:+word}`, `${VAR+word}` and
 * `${VAR:?message}`, and removes quotes and escapes, as Docker's shell lexer does for FROM. An
 * unset variable becomes empty; one the engine supplies stays as written. With no escape
 * character the word has been unquoted already (dockerfile-ast's ARG values): only variables change.
 */
export function expandWord(word: string, variables: Variables, escape: string | undefined): string {
  return new WordLexer(word, variables, escape).text();
}

/** A cursor over the word; `text` and `variable` call each other for `${VAR:-…$OTHER…}`. */
class WordLexer {
  private at = 0;

  constructor(
    private readonly word: string,
    private readonly variables: Variables,
    private readonly escape: string | undefined,
  ) {}

  /** Up to `stop` outside quotes (or the end), expanded. */
  text(stop?: string): string {
    const { word, escape } = this;
    let out = '';
    let quote: string | undefined;
    while (this.at < word.length) {
      const ch = word[this.at] as string;
      if (escape === undefined && ch !== '$' && ch !== stop) {
        out += ch;
        this.at++;
      } else if (quote === "'") {
        if (ch === "'") quote = undefined;
        else out += ch;
        this.at++;
      } else if (ch === stop && quote === undefined) {
        break;
      } else if (ch === escape && this.at + 1 < word.length) {
        out += word[this.at + 1];
        this.at += 2;
      } else if (ch === '"' || (ch === "'" && quote === undefined)) {
        quote = quote === ch ? undefined : ch;
        this.at++;
      } else if (ch === '$') {
        out += this.variable();
      } else {
        out += ch;
        this.at++;
      }
    }
    return out;
  }

  private readName(): string {
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.word.slice(this.at))?.[0] ?? '';
    this.at += name.length;
    return name;
  }

  /** `$NAME` or `${…}`, the cursor on the `$`. */
  private variable(): string {
    const { word, variables } = this;
    const start = this.at++;
    if (word[this.at] !== '{') {
      const name = this.readName();
      if (!name) return '$';
      const value = variables.get(name);
      return value === null ? word.slice(start, this.at) : (value ?? '');
    }
    this.at++;
    const name = this.readName();
    const colon = word[this.at] === ':';
    if (colon) this.at++;
    const operator = '-+?'.includes(word[this.at] ?? '}') ? word[this.at++] : undefined;
    if (!name || (colon && !operator)) throw new Error(`bad substitution in ${word}`);
    const alternative = operator ? this.text('}') : '';
    if (word[this.at++] !== '}') throw new Error(`missing } in ${word}`);
    const value = variables.get(name);
    if (value === null) return word.slice(start, this.at);
    return substitute(name, value, colon && value === '', operator, alternative);
  }
}

/** `${NAME<op>alternative}` once NAME's value is known (`emptyIsMissing`: the `:` forms). */
function substitute(name: string, value: string | undefined, emptyIsMissing: boolean, operator: string | undefined, alternative: string): string {
  const missing = value === undefined || emptyIsMissing;
  switch (operator) {
    case '-':
      return missing ? alternative : (value ?? '');
    case '+':
      return missing ? '' : alternative;
    case '?':
      if (missing) throw new Error(`${name} is not set${alternative ? `: ${alternative}` : ''}`);
      return value ?? '';
    default:
      return value ?? '';
  }
}
