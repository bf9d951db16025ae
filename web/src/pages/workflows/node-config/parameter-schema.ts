/**
 * Reads a node type's parameter JSON Schema (`workflows.nodeTypes`) into a tree of form
 * fields, so a new node type needs no change here. What a form cannot express falls back to
 * a JSON editor; a value of a simple field that is not of its kind (e.g. an array where a
 * string is expected) is also edited as JSON rather than lost.
 */
import { discriminated, type JsonSchema, resolveRef } from "../../../lib/json-schema.ts";

export type ParamField =
  | { kind: "text"; multiline: boolean }
  | { kind: "number"; integer: boolean }
  | { kind: "boolean" }
  | { kind: "choice"; options: string[] }
  | { kind: "object"; params: ParamSpec[] }
  | { kind: "record"; value: ParamField }
  | { kind: "list"; item: ParamField }
  | { kind: "variants"; key: string; variants: { value: string; params: ParamSpec[] }[] }
  /** Any JSON value: text (which may be an expression) or, switched, JSON. */
  | { kind: "any" }
  | { kind: "json" };

export interface ParamSpec {
  key: string;
  required: boolean;
  description?: string;
  defaultValue?: unknown;
  field: ParamField;
}

/** Strings this long are edited in a textarea (an email body, a query). */
const MULTILINE_FROM = 10_000;

const simpleKinds = new Set(["text", "number", "boolean", "choice", "any"]);

export function readParameters(root: JsonSchema): ParamSpec[] {
  return paramsOf(root, root);
}

function paramsOf(schema: JsonSchema, root: JsonSchema, skip?: string): ParamSpec[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {})
    .filter(([key]) => key !== skip)
    .map(([key, property]) => ({
      key,
      required: required.has(key),
      description: property.description,
      defaultValue: property.default,
      field: fieldOf(property, root),
    }));
}

function fieldOf(raw: JsonSchema, root: JsonSchema): ParamField {
  const schema = resolveRef(raw, root);
  if (schema.enum) return { kind: "choice", options: schema.enum };
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants) return unionField(variants, root);
  switch (schema.type) {
    case "string":
      return { kind: "text", multiline: (schema.maxLength ?? 0) >= MULTILINE_FROM };
    case "integer":
    case "number":
      return { kind: "number", integer: schema.type === "integer" };
    case "boolean":
      return { kind: "boolean" };
    case "object":
      return objectField(schema, root);
    case "array": {
      const item = schema.items ? fieldOf(schema.items, root) : { kind: "json" as const };
      return simpleKinds.has(item.kind) ? { kind: "list", item } : { kind: "json" };
    }
    case undefined:
      return constrains(schema) ? { kind: "json" } : { kind: "any" };
    default:
      return { kind: "json" };
  }
}

/** Whether a schema without a type still restricts its value (else it takes any JSON). */
const constrains = (schema: JsonSchema) =>
  ["$ref", "const", "enum", "anyOf", "oneOf", "properties", "items"].some((key) => key in schema);

function objectField(schema: JsonSchema, root: JsonSchema): ParamField {
  if (schema.properties) return { kind: "object", params: paramsOf(schema, root) };
  const values = schema.additionalProperties;
  if (values === undefined || values === false) return { kind: "json" };
  const value = values === true ? ({ kind: "any" } as const) : fieldOf(values, root);
  return simpleKinds.has(value.kind) ? { kind: "record", value } : { kind: "json" };
}

/** Objects with a constant tag pick fields by it; a union that takes a string is "any". */
function unionField(variants: JsonSchema[], root: JsonSchema): ParamField {
  const resolved = variants.map((v) => resolveRef(v, root));
  const union = resolved.every((v) => v.type === "object") ? discriminated(resolved) : undefined;
  if (union) {
    return {
      kind: "variants",
      key: union.key,
      variants: union.values.map((value) => ({
        value,
        params: paramsOf(union.variantFor(value) ?? {}, root, union.key),
      })),
    };
  }
  return resolved.some((v) => v.type === "string") ? { kind: "any" } : { kind: "json" };
}

/** Whether a stored value can be shown by a field of this kind (else it is edited as JSON). */
export function fits(field: ParamField, value: unknown): boolean {
  if (value === undefined) return true;
  switch (field.kind) {
    case "text":
    case "choice":
      return typeof value === "string";
    case "number":
      return typeof value === "number" || typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    case "object":
    case "record":
    case "variants":
      return isRecord(value);
    case "list":
      return Array.isArray(value) && value.every((item) => fits(field.item, item));
    case "any":
    case "json":
      return true;
  }
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** Keys written with a dot; others (spaces, dots, brackets, quotes, digits only) as ["…"]. */
const SIMPLE_KEY = /^(?!\d+$)[^\s.[\]"'\\]+$/;

/**
 * A field's path below `parent`, written as the server names fields in validation problems
 * (`headers.Authorization`, `headers["X Y"]`, `assignees[0]`).
 */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  if (!SIMPLE_KEY.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent ? `${parent}.${key}` : key;
}
