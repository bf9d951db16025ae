import { z } from "zod";
import { nodeTypes, portsOf } from "./index.ts";

/** The node types with their parameter schemas, ports and accepted credentials, for a UI. */
export function listNodeTypes() {
  return [...nodeTypes.values()].map((node) => ({
    type: node.type,
    displayName: node.displayName,
    kind: node.kind,
    /** The palette group: trigger, action, logic or review. */
    group: node.kind === "trigger" ? "trigger" : (node.group ?? "action"),
    ports: portsOf(node),
    credential: node.credential ?? null,
    /** Parameters that must be written literally: no `{{ }}` expressions. */
    literalFields: node.literalFields ?? [],
    parameters: z.toJSONSchema(node.parameters, { unrepresentable: "any", io: "input" }),
  }));
}
