import { describe, expect, it } from "vitest";
import { listNodeTypes } from "../../src/modules/workflows/nodes/describe.ts";
import {
  newNodeId,
  toDefinition,
  toFlow,
} from "../../web/src/pages/workflows/editor/definition-graph.ts";

const nodeTypes = listNodeTypes();

describe("the editor's canvas and the stored definition", () => {
  it("round-trips nodes, ports and positions", () => {
    const definition = {
      nodes: [
        { id: "start", type: "webhook_trigger", parameters: {}, position: { x: 0, y: 40 } },
        { id: "check", type: "if", name: "Big?", parameters: { condition: "{{ 1 > 0 }}" } },
        { id: "yes", type: "transform", parameters: { fields: {} }, position: { x: 560, y: 0 } },
      ],
      edges: [
        { from: "start", to: "check", port: "main" },
        { from: "check", to: "yes", port: "true" },
      ],
    };
    const flow = toFlow(definition, nodeTypes);
    expect(flow.edges.map((e) => [e.source, e.sourceHandle, e.target, e.label])).toEqual([
      ["start", "main", "check", undefined],
      ["check", "true", "yes", "true"],
    ]);
    expect(flow.nodes.find((n) => n.id === "check")?.data.nodeType?.ports).toEqual([
      "true",
      "false",
    ]);
    const back = toDefinition(flow.nodes, flow.edges);
    expect(back.edges).toEqual(definition.edges);
    expect(back.nodes.map(({ position, ...node }) => node)).toEqual(
      definition.nodes.map(({ position, ...node }) => node),
    );
    expect(back.nodes[0]?.position).toEqual({ x: 0, y: 40 });
    expect(back.nodes[2]?.position).toEqual({ x: 560, y: 0 });
  });

  it("lays out a definition saved without positions in columns from the trigger", () => {
    const node = (id: string, type = "transform") => ({ id, type, parameters: {} });
    const flow = toFlow(
      {
        nodes: [node("c"), node("start", "manual_trigger"), node("a"), node("b")],
        edges: [
          { from: "start", to: "a", port: "main" },
          { from: "start", to: "b", port: "main" },
          { from: "a", to: "c", port: "main" },
          { from: "b", to: "c", port: "main" },
        ],
      },
      nodeTypes,
    );
    const at = Object.fromEntries(flow.nodes.map((n) => [n.id, n.position]));
    expect(at.start?.x).toBe(0);
    expect(at.a?.x).toBe(at.b?.x);
    expect(at.a?.y).not.toBe(at.b?.y);
    expect(at.c?.x).toBeGreaterThan(at.a?.x ?? Number.POSITIVE_INFINITY);
  });

  it("names a new node after its type, unused and valid as a node id", () => {
    expect(newNodeId("transform", new Set())).toBe("transform");
    expect(newNodeId("transform", new Set(["transform", "transform_2"]))).toBe("transform_3");
  });
});
