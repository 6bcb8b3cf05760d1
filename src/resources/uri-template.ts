/**
 * RFC 6570 URI templates, read in reverse: does a concrete URI match a template, and with which
 * variable values? Levels 1–3 are supported (`{var}`, `{+var}`, `{#var}`, `{.var}`, `{/var}`,
 * `{;var}`, `{?a,b}`, `{&a}`); a list or explode modifier matches its raw text.
 */
export type TemplateVariables<T extends string> = T extends `${string}{${infer Expression}}${infer Rest}`
  ? VariableNames<StripOperator<Expression>> | TemplateVariables<Rest>
  : never;

type StripOperator<E extends string> = E extends `${"+" | "#" | "." | "/" | ";" | "?" | "&"}${infer Names}` ? Names : E;
type VariableNames<E extends string> = E extends `${infer Name},${infer More}` ? CleanName<Name> | VariableNames<More> : CleanName<E>;
type CleanName<N extends string> = N extends `${infer Base}*` ? Base : N extends `${infer Base}:${string}` ? Base : N;

interface Expression {
  readonly operator: string;
  readonly names: readonly { readonly name: string; readonly explode: boolean }[];
}

const OPERATORS = "+#./;?&";
const VARIABLE_NAME = /^(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})(?:\.?(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2}))*$/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** A template compiled once into a regular expression plus the query-style expressions. */
export class UriTemplate {
  readonly template: string;
  readonly variables: readonly string[];
  readonly #pattern: RegExp;
  readonly #groups: string[] = [];
  readonly #query: string[] = [];

  constructor(template: string) {
    this.template = template;
    let source = "^";
    let rest = template;
    const variables: string[] = [];
    for (;;) {
      const open = rest.indexOf("{");
      if (open === -1) break;
      const close = rest.indexOf("}", open);
      if (close === -1) throw new TypeError(`Invalid URI template ${JSON.stringify(template)}: unclosed "{"`);
      source += escapeRegExp(rest.slice(0, open));
      const expression = parseExpression(rest.slice(open + 1, close), template);
      variables.push(...expression.names.map((n) => n.name));
      source += this.#expressionSource(expression);
      rest = rest.slice(close + 1);
    }
    if (rest.includes("}")) throw new TypeError(`Invalid URI template ${JSON.stringify(template)}: stray "}"`);
    source += escapeRegExp(rest);
    this.#pattern = new RegExp(`${source}${this.#query.length > 0 ? "(?:[?&](.*))?" : ""}$`);
    this.variables = variables;
  }

  #expressionSource({ operator, names }: Expression): string {
    if (operator === "?" || operator === "&") {
      this.#query.push(...names.map((n) => n.name));
      return "";
    }
    const prefix = operator === "+" || operator === "" ? "" : escapeRegExp(operator);
    const separator = operator === "+" || operator === "" || operator === "#" ? "," : prefix;
    const stop = operator === "." ? "." : operator === ";" ? ";" : "";
    return names
      .map(({ name, explode }, index) => {
        this.#groups.push(name);
        // Reserved expansion keeps "/" and friends; an exploded list is matched as its raw text.
        const value = operator === "+" || operator === "#" ? "(.*?)" : explode ? "([^?#]*?)" : `([^/?#,${escapeRegExp(stop)}]*)`;
        const named = operator === ";" ? `${escapeRegExp(name)}=?` : "";
        const part = `${index === 0 ? prefix : separator}${named}${value}`;
        // The first variable of a plain expression is always present (possibly empty); the rest may be left out.
        return index === 0 && prefix === "" ? part : `(?:${part})?`;
      })
      .join("");
  }

  /** The variables of `uri` when it matches this template, else undefined. */
  match(uri: string): Record<string, string> | undefined {
    const found = this.#pattern.exec(uri);
    if (!found) return undefined;
    const values: Record<string, string> = {};
    this.#groups.forEach((name, index) => {
      const raw = found[index + 1];
      if (raw !== undefined) values[name] = decode(raw);
    });
    const query = this.#query.length > 0 ? found[this.#groups.length + 1] : undefined;
    if (query !== undefined) {
      for (const pair of query.split("&")) {
        const equals = pair.indexOf("=");
        const name = decode(equals === -1 ? pair : pair.slice(0, equals));
        if (this.#query.includes(name)) values[name] = equals === -1 ? "" : decode(pair.slice(equals + 1));
      }
    }
    return values;
  }
}

function parseExpression(body: string, template: string): Expression {
  const operator = body.length > 0 && OPERATORS.includes(body[0]!) ? body[0]! : "";
  const names = body
    .slice(operator.length)
    .split(",")
    .map((spec) => ({ name: spec.replace(/\*$/, "").replace(/:\d+$/, ""), explode: spec.endsWith("*") }));
  for (const { name } of names) {
    if (!VARIABLE_NAME.test(name)) throw new TypeError(`Invalid URI template ${JSON.stringify(template)}: bad variable ${JSON.stringify(name)}`);
  }
  return { operator, names };
}
