import { useId, useState } from "react";
import { containsTemplate } from "../../../../../src/modules/workflows/expressions/template.ts";
import { KeyValueInput, ListInput } from "./collection-inputs.tsx";
import {
  control,
  describedBy,
  FieldFooter,
  FieldShell,
  RequiredMark,
  useParamForm,
} from "./field-shell.tsx";
import { JsonInput } from "./json-input.tsx";
import { childPath, fits, isRecord, type ParamField, type ParamSpec } from "./parameter-schema.ts";
import { AnyInput, asNumber, NumberInput } from "./scalar-inputs.tsx";
import { TextInput } from "./text-input.tsx";

export interface ParamInputProps {
  spec: ParamSpec;
  /** The parameter's path: `url`, `notify.to`; its label and where its errors are found. */
  path: string;
  value: unknown;
  /** undefined removes the parameter (its default applies). */
  onChange: (value: unknown) => void;
}

function hintOf(spec: ParamSpec) {
  const parts = [spec.description];
  if (spec.defaultValue !== undefined && !isRecord(spec.defaultValue)) {
    const shown = JSON.stringify(spec.defaultValue);
    if (shown !== "[]" && shown !== '""') parts.push(`Default: ${shown}`);
  }
  return parts.filter(Boolean).join(" · ") || undefined;
}

/** One parameter, by the kind of field its schema reads as. */
export function ParamInput({ spec, path, value, onChange }: ParamInputProps) {
  const id = useId();
  const { readOnly, literal, errorsAt } = useParamForm();
  const errors = errorsAt(path);
  const literalText = literal.has(path);
  const hint =
    [hintOf(spec), literalText && "Written literally: no {{ }} expressions."]
      .filter(Boolean)
      .join(" · ") || undefined;
  const field = fits(spec.field, value) ? spec.field : ({ kind: "json" } as const);
  const shell = { id, label: path, required: spec.required, hint, errors };
  // A number given as an expression (yielding it when the node runs) is edited as one; the
  // choice is made once, so typing never swaps the field (and its focus) away.
  const [numberAsExpression] = useState(
    () => spec.field.kind === "number" && typeof value === "string" && containsTemplate(value),
  );

  switch (field.kind) {
    case "text":
      return (
        <FieldShell {...shell}>
          <TextInput
            id={id}
            multiline={field.multiline}
            expressions={!literalText}
            required={spec.required}
            value={typeof value === "string" ? value : ""}
            placeholder={typeof spec.defaultValue === "string" ? spec.defaultValue : undefined}
            onChange={(text) => onChange(text === "" && !spec.required ? undefined : text)}
            describedBy={describedBy(id, Boolean(hint), errors)}
            invalid={errors.length > 0}
          />
        </FieldShell>
      );
    case "number":
      if (numberAsExpression) {
        return (
          <FieldShell {...shell}>
            <TextInput
              id={id}
              multiline={false}
              expressions
              required={spec.required}
              value={value === undefined ? "" : String(value)}
              onChange={(text) => onChange(asNumber(text))}
              describedBy={describedBy(id, Boolean(hint), errors)}
              invalid={errors.length > 0}
            />
          </FieldShell>
        );
      }
      return (
        <FieldShell {...shell}>
          <NumberInput
            id={id}
            integer={field.integer}
            value={value as number | string | undefined}
            required={spec.required}
            placeholder={spec.defaultValue === undefined ? undefined : String(spec.defaultValue)}
            onChange={onChange}
            describedBy={describedBy(id, Boolean(hint), errors)}
            invalid={errors.length > 0}
          />
        </FieldShell>
      );
    case "boolean":
      return (
        <div className="space-y-1">
          <div className="flex items-center gap-2">
            <input
              id={id}
              type="checkbox"
              disabled={readOnly}
              checked={(value ?? spec.defaultValue) === true}
              onChange={(e) => onChange(e.target.checked)}
              aria-describedby={describedBy(id, Boolean(hint), errors)}
              aria-invalid={errors.length > 0 || undefined}
              className="size-4 rounded border-slate-300 text-indigo-600"
            />
            <label htmlFor={id} className="font-mono text-sm text-slate-700">
              {path}
            </label>
          </div>
          <FieldFooter id={id} hint={hint} errors={errors} />
        </div>
      );
    case "choice":
      return (
        <FieldShell {...shell}>
          <select
            id={id}
            className={control}
            disabled={readOnly}
            value={typeof value === "string" ? value : ""}
            onChange={(e) => onChange(e.target.value === "" ? undefined : e.target.value)}
            aria-describedby={describedBy(id, Boolean(hint), errors)}
            aria-invalid={errors.length > 0 || undefined}
            aria-required={spec.required || undefined}
          >
            {(value === undefined || !spec.required) && (
              <option value="">
                {spec.defaultValue === undefined ? "Choose…" : `Default (${spec.defaultValue})`}
              </option>
            )}
            {/* a value outside the options (an expression) stays as it is */}
            {[
              ...field.options,
              ...(typeof value === "string" && value !== "" && !field.options.includes(value)
                ? [value]
                : []),
            ].map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
        </FieldShell>
      );
    case "object":
      return (
        <Group path={path} required={spec.required} hint={hint} errors={errors} id={id}>
          <ParamList
            params={field.params}
            prefix={path}
            value={isRecord(value) ? value : {}}
            onChange={(next) => onChange(Object.keys(next).length ? next : undefined)}
          />
        </Group>
      );
    case "variants":
      return (
        <VariantsInput
          id={id}
          spec={spec}
          field={field}
          path={path}
          value={isRecord(value) ? value : undefined}
          onChange={onChange}
        />
      );
    case "record":
      return (
        <Group path={path} required={spec.required} hint={hint} errors={errors} id={id}>
          <KeyValueInput
            path={path}
            item={field.value}
            value={isRecord(value) ? value : {}}
            onChange={(next) =>
              onChange(Object.keys(next).length || spec.required ? next : undefined)
            }
          />
        </Group>
      );
    case "list":
      return (
        <Group path={path} required={spec.required} hint={hint} errors={errors} id={id}>
          <ListInput
            path={path}
            item={field.item}
            value={Array.isArray(value) ? value : []}
            onChange={(next) => onChange(next.length || spec.required ? next : undefined)}
          />
        </Group>
      );
    case "any":
      return <AnyInput {...shell} value={value} onChange={onChange} />;
    case "json":
      return (
        <FieldShell {...shell}>
          <JsonInput id={id} value={value} onChange={onChange} invalid={errors.length > 0} />
        </FieldShell>
      );
  }
}

/** The parameters of an object, each under `prefix.key`. */
export function ParamList({
  params,
  prefix,
  value,
  onChange,
}: {
  params: ParamSpec[];
  prefix?: string;
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
}) {
  return (
    <div className="space-y-4">
      {params.map((spec) => (
        <ParamInput
          key={spec.key}
          spec={spec}
          path={childPath(prefix ?? "", spec.key)}
          value={value[spec.key]}
          onChange={(next) => {
            const { [spec.key]: _old, ...rest } = value;
            onChange(next === undefined ? rest : { ...rest, [spec.key]: next });
          }}
        />
      ))}
    </div>
  );
}

function Group({
  id,
  path,
  required,
  hint,
  errors,
  children,
}: {
  id: string;
  path: string;
  required: boolean;
  hint?: string;
  errors: string[];
  children: React.ReactNode;
}) {
  return (
    <fieldset
      className="space-y-3 rounded-md border border-slate-200 p-3"
      aria-describedby={describedBy(id, Boolean(hint), errors)}
    >
      <legend className="px-1 font-mono text-sm font-medium text-slate-700">
        {path} {required && <RequiredMark />}
      </legend>
      {children}
      <FieldFooter id={id} hint={hint} errors={errors} />
    </fieldset>
  );
}

/** A union of objects picked by a tag (a review's `notify.channel`), or none when optional. */
function VariantsInput({
  id,
  spec,
  field,
  path,
  value,
  onChange,
}: {
  id: string;
  spec: ParamSpec;
  field: Extract<ParamField, { kind: "variants" }>;
  path: string;
  value: Record<string, unknown> | undefined;
  onChange: (value: unknown) => void;
}) {
  const { readOnly, errorsAt } = useParamForm();
  const errors = errorsAt(path);
  const tag = typeof value?.[field.key] === "string" ? (value[field.key] as string) : "";
  const variant = field.variants.find((v) => v.value === tag);
  const tagPath = childPath(path, field.key);
  return (
    <Group path={path} required={spec.required} hint={spec.description} errors={errors} id={id}>
      <FieldShell id={`${id}-tag`} label={tagPath} errors={errorsAt(tagPath)}>
        <select
          id={`${id}-tag`}
          className={control}
          disabled={readOnly}
          value={tag}
          onChange={(e) =>
            onChange(e.target.value === "" ? undefined : { [field.key]: e.target.value })
          }
        >
          {!spec.required && <option value="">None</option>}
          {field.variants.map((v) => (
            <option key={v.value} value={v.value}>
              {v.value}
            </option>
          ))}
        </select>
      </FieldShell>
      {variant && value && (
        <ParamList
          params={variant.params}
          prefix={path}
          value={value}
          onChange={(next) => onChange({ ...next, [field.key]: tag })}
        />
      )}
    </Group>
  );
}
