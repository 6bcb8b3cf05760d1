// SKILL.md frontmatter: the YAML block between the leading `---` lines. Hosts parse it with a full
// YAML parser and compare it field by field with the entry (SEP-2640), so what this reader accepts
// it must read exactly as YAML 1.2 does; anything it cannot vouch for (anchors, tags, flow
// collections, multi-line plain values, values YAML parsers disagree on) is refused with its line.

const FRONTMATTER = /^\uFEFF?---[ \t]*\r?\n(?:([\s\S]*?)\r?\n)?---[ \t]*(?:\r?\n|$)/;

/** The frontmatter of a SKILL.md as an object; throws a TypeError naming `file` and the line. */
export function parseFrontmatter(text: string, file: string): Record<string, unknown> {
  const match = FRONTMATTER.exec(text);
  if (!match) throw new TypeError(`${file}: must begin with YAML frontmatter between two "---" lines`);
  const lines = (match[1] ?? "").split(/\r?\n/).map((raw, index) => ({ raw, number: index + 2 }));
  return new Reader(lines, file).document();
}

interface Line {
  readonly raw: string;
  readonly number: number;
}

const PLAIN_KEY = /^[A-Za-z0-9_][A-Za-z0-9_.\/-]*$/;
const INDICATOR = /^[[\]{},&*!|>%@`#]|^[-?:](\s|$)/;
const NULL = /^(?:~|null|Null|NULL)$/;
const BOOLEAN = /^(?:true|True|TRUE|false|False|FALSE)$/;
const INTEGER = /^[-+]?(?:0|[1-9][0-9]*)$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
// Plain values that some YAML parsers read as something other than a string (YAML 1.1 booleans,
// dates, octal, hex, infinities, numbers with underscores or leading zeros): the author must quote them.
const AMBIGUOUS = new RegExp(
  [
    /^(?:y|n|yes|no|on|off)$/,
    /^[-+]?\.(?:inf|nan)$/,
    /^\d{4}-\d\d?-\d\d?(?:[Tt\s].*)?$/,
    /^[-+]?0(?:[0-9_]|[box])/,
    /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/,
    /^[-+]?[0-9.][0-9.]*_[0-9_.]*$/,
    /^[-+]?[0-9][0-9]*(?:\.[0-9]*)?(?:e[-+]?[0-9]+)?$/,
  ]
    .map((part) => part.source)
    .join("|"),
  "i",
);

class Reader {
  #at = 0;
  constructor(
    private readonly lines: readonly Line[],
    private readonly file: string,
  ) {}

  document(): Record<string, unknown> {
    this.#skipBlank();
    if (this.#at >= this.lines.length) return {};
    if (indentOf(this.#line()) !== 0) this.#fail("the frontmatter must be a mapping starting at column 1");
    const value = this.#mapping(0);
    this.#skipBlank();
    if (this.#at < this.lines.length) this.#fail("unexpected indentation");
    return value;
  }

  #line(): Line {
    return this.lines[this.#at]!;
  }

  #fail(message: string, line: Line = this.#line() ?? this.lines[this.lines.length - 1]!): never {
    throw new TypeError(`${this.file}: frontmatter line ${line.number}: ${message}`);
  }

  /** Skips blank lines and comment lines. */
  #skipBlank(): void {
    while (this.#at < this.lines.length && /^\s*(?:#.*)?$/.test(this.#line().raw)) {
      if (/^ *\t/.test(this.#line().raw)) this.#fail("tabs are not allowed in indentation");
      this.#at++;
    }
  }

  #mapping(indent: number): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (this.#skipBlank(); this.#at < this.lines.length; this.#skipBlank()) {
      const line = this.#line();
      const column = indentOf(line);
      if (column < indent) break;
      if (column > indent) this.#fail("unexpected indentation (a multi-line value must be quoted or use | or >)");
      const text = line.raw.slice(indent);
      if (text.startsWith("- ") || text === "-") break;
      const { key, rest } = this.#key(text);
      if (Object.hasOwn(result, key)) this.#fail(`duplicate key ${JSON.stringify(key)}`);
      this.#at++;
      // Defined, not assigned: a `__proto__` key stays a key.
      Object.defineProperty(result, key, { value: this.#value(rest, indent, line), enumerable: true, writable: true, configurable: true });
    }
    return result;
  }

  #key(text: string): { key: string; rest: string } {
    const quoted = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*')\s*:(?:\s+|$)/.exec(text);
    if (quoted) return { key: this.#quoted(quoted[1]!), rest: text.slice(quoted[0].length) };
    const plain = /^([^\s:#][^:#]*?)\s*:(?:\s+|$)/.exec(text);
    if (!plain || !PLAIN_KEY.test(plain[1]!)) this.#fail("expected `key: value` (keys are letters, digits, _ . / -, or quoted)");
    return { key: plain[1]!, rest: text.slice(plain[0].length) };
  }

  /** The value after `key:` on `line` (whose key sits at `indent`). */
  #value(rest: string, indent: number, line: Line): unknown {
    const inline = stripComment(rest);
    if (inline === "") {
      this.#skipBlank();
      if (this.#at >= this.lines.length) return null;
      const next = this.#line();
      const column = indentOf(next);
      const text = next.raw.slice(column);
      if (column >= indent && (text.startsWith("- ") || text === "-")) return this.#sequence(column);
      return column > indent ? this.#mapping(column) : null;
    }
    if (inline[0] === "|" || inline[0] === ">") return this.#block(inline, indent, line);
    return this.#scalar(inline, line);
  }

  #sequence(indent: number): unknown[] {
    const items: unknown[] = [];
    for (this.#skipBlank(); this.#at < this.lines.length; this.#skipBlank()) {
      const line = this.#line();
      const text = line.raw.slice(indent);
      if (indentOf(line) !== indent || !(text.startsWith("- ") || text === "-")) break;
      const item = stripComment(text.slice(1).trimStart());
      if (item === "" || /^[^"'\s][^:]*:(\s|$)/.test(item) || item.startsWith("- ")) this.#fail("sequence items must be single-line scalars");
      this.#at++;
      items.push(this.#scalar(item, line));
    }
    return items;
  }

  /** A literal (`|`) or folded (`>`) block scalar, with optional `-` / `+` chomping. */
  #block(header: string, indent: number, line: Line): string {
    const style = /^([|>])([-+]?)$/.exec(header);
    if (!style) this.#fail("block scalar headers other than | |- |+ > >- >+ are not supported", line);
    const folded = style[1] === ">";
    const body: string[] = [];
    let contentIndent = -1;
    let leadingSpaces = 0;
    while (this.#at < this.lines.length) {
      const raw = this.#line().raw;
      if (/^ *$/.test(raw)) {
        // Spaces beyond the content's indentation are content; before it is known, they may not exceed it.
        if (contentIndent < 0) leadingSpaces = Math.max(leadingSpaces, raw.length);
        else if (raw.length > contentIndent && folded) this.#fail("more-indented lines in a folded (>) scalar are not supported: use |");
        body.push(contentIndent >= 0 && raw.length > contentIndent ? raw.slice(contentIndent) : "");
        this.#at++;
        continue;
      }
      if (/^\s*$/.test(raw) || /^ *\t/.test(raw)) this.#fail("tabs are not allowed in the indentation of a block scalar");
      const column = indentOf(this.#line());
      if (contentIndent < 0) {
        if (column <= indent) break;
        contentIndent = column;
        if (leadingSpaces > contentIndent) this.#fail("a leading blank line of a block scalar has more spaces than its content");
      }
      if (column < contentIndent) break;
      if (folded && column > contentIndent) this.#fail("more-indented lines in a folded (>) scalar are not supported: use |");
      body.push(raw.slice(contentIndent));
      this.#at++;
    }
    // Trailing blank lines belong to the chomping, not the content.
    let trailing = 0;
    while (body.length > 0 && body[body.length - 1] === "") {
      body.pop();
      trailing++;
    }
    let text = folded ? fold(body) : body.join("\n");
    if (body.length === 0) return style[2] === "+" ? "\n".repeat(trailing) : "";
    if (style[2] === "") text += "\n";
    else if (style[2] === "+") text += "\n".repeat(trailing + 1);
    return text;
  }

  #scalar(text: string, line: Line): unknown {
    if (text[0] === '"' || text[0] === "'") {
      const quoted = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*')$/.exec(text);
      if (!quoted) this.#fail("a quoted value must close on the same line, and nothing but a comment may follow it", line);
      return this.#quoted(quoted[1]!, line);
    }
    if (INDICATOR.test(text)) this.#fail(`the value ${JSON.stringify(text)} starts with a YAML indicator: quote it`, line);
    if (/:(\s|$)/.test(text)) this.#fail(`the value ${JSON.stringify(text)} contains ": ": quote it`, line);
    if (NULL.test(text)) return null;
    if (BOOLEAN.test(text)) return text.toLowerCase() === "true";
    if (INTEGER.test(text) || FLOAT.test(text)) {
      const number = Number(text);
      if (Number.isSafeInteger(number) || (!INTEGER.test(text) && Number.isFinite(number))) return number;
    }
    if (AMBIGUOUS.test(text)) this.#fail(`YAML parsers disagree on the type of ${JSON.stringify(text)}: quote it`, line);
    return text;
  }

  #quoted(text: string, line: Line = this.#line()): string {
    if (text[0] === "'") return text.slice(1, -1).replace(/''/g, "'");
    return text.slice(1, -1).replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_, escape: string) => {
      const known: Record<string, string> = { "\\": "\\", '"': '"', "/": "/", n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", "0": "\0", " ": " " };
      if (escape.length > 1) return String.fromCharCode(parseInt(escape.slice(1), 16));
      const replacement = known[escape];
      if (replacement === undefined) this.#fail(`unsupported escape \\${escape} in a double-quoted value`, line);
      return replacement;
    });
  }
}

function indentOf(line: Line): number {
  return /^ */.exec(line.raw)![0].length;
}

/** A value without its trailing comment (` #…`) and surrounding spaces. */
function stripComment(text: string): string {
  const quoted = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*')/.exec(text);
  const start = quoted ? quoted[0].length : 0;
  const comment = text.slice(start).search(/(^|\s)#/);
  return (comment < 0 ? text : text.slice(0, start + comment)).trim();
}

/** Folded scalar content: lines joined by spaces; each blank line between them becomes a newline. */
function fold(lines: readonly string[]): string {
  let text = "";
  let blanks = 0;
  for (const [index, line] of lines.entries()) {
    if (line === "") {
      blanks++;
      continue;
    }
    if (index > 0) text += blanks > 0 ? "\n".repeat(blanks) : " ";
    text += line;
    blanks = 0;
  }
  return text;
}
