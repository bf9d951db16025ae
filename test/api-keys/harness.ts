import type { RequestMeta } from "../../src/access/context.ts";
import type { Db } from "../../src/db/client.ts";

export const META: RequestMeta = { requestId: "test", ip: "203.0.113.7", userAgent: "test" };

/** Methods through which drizzle starts any statement on the database. */
const STATEMENT_STARTERS = new Set([
  "select",
  "selectDistinct",
  "selectDistinctOn",
  "insert",
  "update",
  "delete",
  "execute",
  "transaction",
  "with",
  "$count",
  "query",
]);

/** `db`, counting every statement started through it. */
export function countingDb(db: Db): { db: Db; statements: () => number } {
  let statements = 0;
  const proxy = new Proxy(db, {
    get(target, property, receiver) {
      if (typeof property === "string" && STATEMENT_STARTERS.has(property)) statements++;
      return Reflect.get(target, property, receiver);
    },
  });
  return { db: proxy, statements: () => statements };
}

export const seconds = (n: number) => new Date(Date.now() + n * 1000);
