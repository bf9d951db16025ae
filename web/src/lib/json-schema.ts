/**
 * The subset of JSON Schema (draft 2020-12, as zod's toJSONSchema writes it) that the forms
 * read: credential settings and workflow node parameters are both generated from it.
 */
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  enum?: string[];
  const?: string;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  /** Fluxo's extension: the field applies only when these sibling settings have these values. */
  "x-applies-when"?: Record<string, string>;
}

const words: Record<string, string> = { url: "URL", ssl: "SSL", smtp: "SMTP", id: "ID" };

/** "connectionUrl" → "Connection URL". */
export function humanize(key: string): string {
  const parts = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[\s_]+/)
    .map((part) => words[part.toLowerCase()] ?? part.toLowerCase());
  const text = parts.join(" ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A union of objects told apart by one constant string field, e.g. `mode` or `channel`. */
export interface Discriminated {
  key: string;
  values: string[];
  variantFor(value: string | undefined): JsonSchema | undefined;
}

export function discriminated(variants: JsonSchema[]): Discriminated | undefined {
  const first = variants[0]?.properties ?? {};
  const key = Object.keys(first).find((k) =>
    variants.every((v) => typeof v.properties?.[k]?.const === "string"),
  );
  if (!key) return undefined;
  return {
    key,
    values: variants.map((v) => v.properties?.[key]?.const as string),
    variantFor: (value) => variants.find((v) => v.properties?.[key]?.const === value),
  };
}

/** Follows a local `#/$defs/…` reference against the document's root. */
export function resolveRef(schema: JsonSchema, root: JsonSchema): JsonSchema {
  const name = schema.$ref?.match(/^#\/\$defs\/(.+)$/)?.[1];
  return (name && root.$defs?.[name]) || schema;
}
