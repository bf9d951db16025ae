import { useRef } from "react";
import { ExpressionPreview } from "./expression-preview.tsx";
import { type Token, tokenize } from "./expression-tokens.ts";
import { frame, useParamForm } from "./field-shell.tsx";

const tokenClass: Record<Token["kind"], string> = {
  text: "",
  expr: "rounded-sm bg-amber-100 text-amber-900",
  broken: "rounded-sm bg-red-100 text-red-800",
};

/**
 * A string parameter, which may hold `{{ expression }}`s. The text is drawn by a mirror
 * behind a transparent field (same font, padding and scroll), so expressions are highlighted
 * while the field stays a native input; expressions can be previewed against the latest
 * execution.
 */
export function TextInput({
  id,
  multiline,
  expressions,
  required,
  value,
  placeholder,
  onChange,
  describedBy,
  invalid,
}: {
  id: string;
  multiline: boolean;
  /** Whether the text may hold `{{ }}` (highlighted, previewed); literal fields take none. */
  expressions: boolean;
  required: boolean;
  value: string;
  placeholder?: string;
  onChange: (value: string) => void;
  describedBy?: string;
  invalid: boolean;
}) {
  const { readOnly } = useParamForm();
  const mirror = useRef<HTMLDivElement>(null);
  const { tokens, hasExpression, error } = expressions
    ? tokenize(value)
    : { tokens: [{ kind: "text" as const, text: value }], hasExpression: false, error: undefined };
  const syncScroll = (field: HTMLInputElement | HTMLTextAreaElement) => {
    if (!mirror.current) return;
    mirror.current.scrollTop = field.scrollTop;
    mirror.current.scrollLeft = field.scrollLeft;
  };
  const layout = multiline
    ? "min-h-24 whitespace-pre-wrap break-words"
    : "h-9 overflow-hidden whitespace-pre";
  const props = {
    id,
    className: `${frame} ${layout} relative bg-transparent font-mono leading-5 text-transparent caret-slate-900 placeholder:text-slate-400 disabled:bg-transparent`,
    disabled: readOnly,
    value,
    placeholder,
    spellCheck: false,
    autoComplete: "off",
    onScroll: (e: React.UIEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      syncScroll(e.currentTarget),
    onSelect: (e: React.SyntheticEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      syncScroll(e.currentTarget),
    "aria-describedby":
      [describedBy, error && `${id}-syntax`].filter(Boolean).join(" ") || undefined,
    "aria-invalid": invalid || error !== undefined || undefined,
    "aria-required": required || undefined,
  };
  return (
    <div className="space-y-1">
      <div
        className={`relative rounded-md ${readOnly ? "bg-slate-50 text-slate-600" : "bg-white text-slate-900"}`}
      >
        <div
          ref={mirror}
          aria-hidden="true"
          className={`${layout} absolute inset-0 overflow-hidden rounded-md border border-transparent px-3 py-2 font-mono text-sm leading-5`}
        >
          {tokens.map((token, index) => (
            // tokens are positional: the text is re-split on every change
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <span key={index} className={tokenClass[token.kind]}>
              {token.text}
            </span>
          ))}
          {/* a trailing newline needs a character after it to take up its line */}
          {multiline && value.endsWith("\n") && " "}
        </div>
        {multiline ? (
          <textarea {...props} onChange={(e) => onChange(e.target.value)} />
        ) : (
          <input {...props} onChange={(e) => onChange(e.target.value)} />
        )}
      </div>
      {error && (
        <p id={`${id}-syntax`} className="text-xs text-red-700">
          {error}
        </p>
      )}
      {hasExpression && !error && <ExpressionPreview fieldId={id} template={value} />}
    </div>
  );
}
