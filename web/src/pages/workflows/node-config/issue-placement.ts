import { childPath, fits, isRecord, type ParamSpec } from "./parameter-schema.ts";
import type { NodeConfigIssue } from "./types.ts";

/** `assignees.0` and `assignees[0]` name the same field. */
export const normalPath = (path: string) =>
  path.replace(/^parameters\./, "").replace(/\.(\d+)(?=\.|\[|$)/g, "[$1]");

/** Fields outside the parameters that show their own problems. */
export const NODE_FIELDS = { name: "name", credential: "credentialId" } as const;

const RETRY_FIELDS = new Set(["retry", "retry.attempts", "retry.backoffMs"]);

/**
 * The paths the form shows fields for, given the parameters' values: groups (objects, lists,
 * records) show problems at their own path; leaves also those inside them (a JSON field's).
 */
function fieldPaths(params: ParamSpec[], value: Record<string, unknown>, prefix = "") {
  const groups = new Set<string>();
  const leaves = new Set<string>();
  const visit = (spec: ParamSpec, path: string, current: unknown) => {
    const field = fits(spec.field, current) ? spec.field : ({ kind: "json" } as const);
    const entries = isRecord(current) ? Object.entries(current) : [];
    switch (field.kind) {
      case "object":
        groups.add(path);
        for (const child of field.params)
          visit(
            child,
            childPath(path, child.key),
            isRecord(current) ? current[child.key] : undefined,
          );
        return;
      case "variants": {
        groups.add(path);
        leaves.add(childPath(path, field.key));
        const tag = isRecord(current) ? current[field.key] : undefined;
        const variant = field.variants.find((v) => v.value === tag);
        for (const child of variant?.params ?? [])
          visit(
            child,
            childPath(path, child.key),
            isRecord(current) ? current[child.key] : undefined,
          );
        return;
      }
      case "record":
        groups.add(path);
        for (const [key] of entries) leaves.add(childPath(path, key));
        return;
      case "list":
        groups.add(path);
        if (Array.isArray(current))
          for (let i = 0; i < current.length; i++) leaves.add(childPath(path, i));
        return;
      default:
        leaves.add(path);
    }
  };
  for (const spec of params) visit(spec, childPath(prefix, spec.key), value[spec.key]);
  return { groups, leaves };
}

const inside = (path: string, field: string) =>
  path.startsWith(`${field}.`) || path.startsWith(`${field}[`);

/**
 * Which problems a field shows: those at its path, and for a leaf those inside it. The rest
 * (the node as a whole, a field the form does not show) are listed at the top of the panel.
 */
export function placeIssues(
  issues: NodeConfigIssue[],
  params: ParamSpec[],
  parameters: Record<string, unknown>,
) {
  const { groups, leaves } = fieldPaths(params, parameters);
  const fieldOf = (raw: string): string | undefined => {
    const path = normalPath(raw);
    if (path === NODE_FIELDS.name || path === NODE_FIELDS.credential) return path;
    if (RETRY_FIELDS.has(path)) return path;
    if (groups.has(path) || leaves.has(path)) return path;
    for (const leaf of leaves) if (inside(path, leaf)) return leaf;
    return undefined;
  };
  const byField = new Map<string, string[]>();
  const general: NodeConfigIssue[] = [];
  for (const issue of issues) {
    const field = fieldOf(issue.path);
    if (field === undefined) general.push(issue);
    else byField.set(field, [...(byField.get(field) ?? []), issue.message]);
  }
  return { general, errorsAt: (path: string) => byField.get(path) ?? [] };
}
