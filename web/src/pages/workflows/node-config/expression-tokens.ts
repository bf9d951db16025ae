import {
  containsTemplate,
  parseTemplate,
  TemplateSyntaxError,
} from "../../../../../src/modules/workflows/expressions/template.ts";

export type Token =
  | { kind: "text"; text: string }
  | { kind: "expr"; text: string }
  /** An unterminated or empty `{{`, from where it starts to the end. */
  | { kind: "broken"; text: string };

export interface Tokenized {
  tokens: Token[];
  hasExpression: boolean;
  /** Why the `{{ }}` cannot be read, as the server would say on save. */
  error?: string;
}

/**
 * A parameter's text split for highlighting with the same scanner the server evaluates with,
 * so `{{ {"a": {"b": 1}} }}` is one expression here too.
 */
export function tokenize(text: string): Tokenized {
  if (!containsTemplate(text)) return { tokens: [{ kind: "text", text }], hasExpression: false };
  try {
    const tokens = parseTemplate(text).map(
      (s): Token => (s.kind === "text" ? s : { kind: "expr", text: `{{${s.source}}}` }),
    );
    return { tokens, hasExpression: true };
  } catch (error) {
    if (!(error instanceof TemplateSyntaxError)) throw error;
    const before = tokenize(text.slice(0, error.offset)).tokens;
    return {
      tokens: [...before, { kind: "broken", text: text.slice(error.offset) }],
      hasExpression: true,
      error: error.message,
    };
  }
}
