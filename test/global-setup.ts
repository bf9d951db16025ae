import type { TestProject } from "vitest/node";
import { buildPgliteTemplate, buildServerTemplate } from "./helpers/template-db.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** A migrated PGlite dump (in-memory runs) or template database name (DATABASE_URL runs). */
    databaseTemplate: { kind: "pglite"; file: string } | { kind: "postgres"; name: string };
  }
}

/** Builds the migrated template each test file's database is copied from (test/helpers/db.ts). */
export default async function setup(project: TestProject) {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    project.provide("databaseTemplate", { kind: "pglite", file: await buildPgliteTemplate() });
    return;
  }
  const template = await buildServerTemplate(serverUrl);
  project.provide("databaseTemplate", { kind: "postgres", name: template.name });
  return template.drop;
}
