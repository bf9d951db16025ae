import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { renderAccessDoc } from "../../scripts/access-docs.ts";

it("docs/ACCESS.md matches the statements (run `npm run docs:access` after changing them)", () => {
  expect(readFileSync("docs/ACCESS.md", "utf8")).toBe(renderAccessDoc());
});
