import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";

const roleLiteral = /"(OWNER|ADMIN|PARTICIPANT|REVIEWER)"/;
/** Comparisons that decide something from a role name, rather than asking src/access. */
const decision = [
  /(===|!==|==|!=)\s*"(OWNER|ADMIN|PARTICIPANT|REVIEWER)"/,
  /"(OWNER|ADMIN|PARTICIPANT|REVIEWER)"\s*(===|!==|==|!=)/,
  /\[[^\]]*"(OWNER|ADMIN|PARTICIPANT|REVIEWER)"[^\]]*\]\.includes\(/,
  /case\s+"(OWNER|ADMIN|PARTICIPANT|REVIEWER)"/,
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") && !path.endsWith(".test.ts") ? [path] : [];
  });
}

it("no code outside src/access decides access by comparing role names", () => {
  const offenders = sourceFiles("src")
    .filter((file) => !file.startsWith(join("src", "access")))
    .flatMap((file) =>
      readFileSync(file, "utf8")
        .split("\n")
        .map((line, i) => ({ file, line: i + 1, text: line.trim() }))
        .filter(({ text }) => roleLiteral.test(text) && decision.some((re) => re.test(text))),
    );
  expect(offenders).toEqual([]);
});
