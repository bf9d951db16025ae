/**
 * Reads the JSON Schemas of `credentials.types` into form fields, so a new credential type
 * needs no change here. Settings may be a `oneOf` of objects told apart by a constant field
 * (PostgreSQL's `mode`): that field becomes a select and picks the variant's other fields.
 */

import { discriminated, humanize, type JsonSchema } from "../../lib/json-schema.ts";

export type { JsonSchema };

export interface FieldSpec {
  key: string;
  label: string;
  kind: "text" | "integer" | "number" | "boolean" | "choice";
  required: boolean;
  options?: string[];
  min?: number;
  max?: number;
  maxLength?: number;
  /** Settings values this field needs (a PostgreSQL password only with mode "fields"). */
  appliesWhen?: Record<string, string>;
}

export interface SettingsShape {
  /** The constant field that selects a variant, with each variant's value. */
  discriminator?: { key: string; label: string; values: string[] };
  /** The fields of the variant whose discriminator is `value` (or of the only shape). */
  fieldsFor(value: string | undefined): FieldSpec[];
}

function fieldsOf(schema: JsonSchema, skip?: string): FieldSpec[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {})
    .filter(([key]) => key !== skip)
    .map(([key, property]) => ({
      key,
      label: humanize(key),
      kind: property.enum
        ? "choice"
        : property.type === "boolean" || property.type === "integer" || property.type === "number"
          ? property.type
          : "text",
      required: required.has(key),
      options: property.enum,
      min: property.minimum,
      max: property.maximum,
      maxLength: property.maxLength,
      appliesWhen: property["x-applies-when"],
    }));
}

/** Whether a field applies to these settings (always, unless it names the values it needs). */
export const applies = (field: FieldSpec, settings: Record<string, unknown>): boolean =>
  Object.entries(field.appliesWhen ?? {}).every(([key, value]) => settings[key] === value);

export function readSettings(schema: JsonSchema): SettingsShape {
  const variants = schema.oneOf ?? schema.anyOf;
  if (!variants) return { fieldsFor: () => fieldsOf(schema) };
  const union = discriminated(variants);
  if (!union) return { fieldsFor: () => [] };
  return {
    discriminator: { key: union.key, label: humanize(union.key), values: union.values },
    fieldsFor: (value) => {
      const variant = union.variantFor(value);
      return variant ? fieldsOf(variant, union.key) : [];
    },
  };
}

export const readSecret = (schema: JsonSchema): FieldSpec[] => fieldsOf(schema);

export type FormValue = string | boolean;

/** A settings field's value as the API wants it; undefined leaves an empty optional out. */
export function toApiValue(field: FieldSpec, value: FormValue | undefined): unknown {
  if (field.kind === "boolean") return Boolean(value);
  if (value === undefined || value === "") return field.required ? "" : undefined;
  if (field.kind === "integer" || field.kind === "number") return Number(value);
  return value;
}

/** A stored settings value as the form shows it. */
export function toFormValue(field: FieldSpec, value: unknown): FormValue {
  if (field.kind === "boolean") return value === true;
  return value === undefined || value === null ? "" : String(value);
}
