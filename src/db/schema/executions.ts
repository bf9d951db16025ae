import { sql } from "drizzle-orm";
import {
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { user } from "./auth.ts";
import { organizationId } from "./orgs.ts";
import { tenantPolicy } from "./tenant.ts";
import { workflow } from "./workflows.ts";

/** Every saved definition of a workflow; executions record the version they ran. */
export const workflowVersion = pgTable(
  "workflow_version",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    workflowId: text("workflow_id")
      .notNull()
      .references(() => workflow.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    definition: jsonb("definition").$type<Record<string, unknown>>().notNull(),
    /** The member whose authority the version's credentials are used with. */
    authorMemberId: text("author_member_id").notNull(),
    createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("workflow_version_workflow_version_idx").on(t.workflowId, t.version),
    index("workflow_version_org_idx").on(t.organizationId),
    tenantPolicy("workflow_version"),
  ],
).enableRLS();

export const executionStatus = pgEnum("execution_status", [
  "queued",
  "running",
  "waiting",
  "succeeded",
  "failed",
  "cancelled",
]);

export const execution = pgTable(
  "execution",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    workflowId: text("workflow_id")
      .notNull()
      .references(() => workflow.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    status: executionStatus("status").notNull().default("queued"),
    trigger: text("trigger", { enum: ["manual", "webhook", "schedule"] }).notNull(),
    payload: jsonb("payload").notNull().default({}),
    triggeredBy: text("triggered_by").references(() => user.id, { onDelete: "set null" }),
    error: text("error"),
    /** A worker's claim on the execution, so a redelivered job cannot run it twice at once. */
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    index("execution_org_workflow_idx").on(t.organizationId, t.workflowId, t.createdAt),
    index("execution_org_status_idx").on(t.organizationId, t.status),
    // executions.list across workflows: newest first, ties by id (the page cursor)
    index("execution_org_created_idx").on(t.organizationId, t.createdAt, t.id),
    // the backlog gate counts, across organizations, the executions not yet started
    index("execution_queued_idx").on(t.organizationId).where(sql`${t.status} = 'queued'`),
    // the lease sweep looks, across organizations, for running executions whose lease expired
    index("execution_running_lease_idx").on(t.leaseUntil).where(sql`${t.status} = 'running'`),
    tenantPolicy("execution"),
  ],
).enableRLS();

/**
 * How long an organization keeps its finished executions; an organization without a row keeps
 * them as the instance defaults say (FLUXO_RETENTION_*).
 */
export const executionRetention = pgTable(
  "execution_retention",
  {
    organizationId: organizationId().primaryKey(),
    /** Succeeded and cancelled executions are deleted this many days after they were created. */
    keepDays: integer("keep_days").notNull(),
    /** Failed executions are deleted this many days after they were created. */
    keepFailedDays: integer("keep_failed_days").notNull(),
    /** Succeeded and cancelled executions kept per workflow, newest first; null: no count limit. */
    keepPerWorkflow: integer("keep_per_workflow"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  () => [tenantPolicy("execution_retention")],
).enableRLS();

export const stepStatus = pgEnum("step_status", [
  "running",
  "retrying",
  "waiting",
  "succeeded",
  "failed",
  "skipped",
]);

/** One node of one execution: its latest attempt, what went in and what came out. */
export const executionStep = pgTable(
  "execution_step",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    executionId: text("execution_id")
      .notNull()
      .references(() => execution.id, { onDelete: "cascade" }),
    nodeId: text("node_id").notNull(),
    status: stepStatus("status").notNull(),
    attempt: integer("attempt").notNull().default(1),
    port: text("port"),
    input: jsonb("input"),
    output: jsonb("output"),
    error: text("error"),
    waitKey: text("wait_key"),
    waitUntil: timestamp("wait_until", { withTimezone: true }),
    /** The port a wait continues on when it times out; null: the step fails. */
    timeoutPort: text("timeout_port"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    durationMs: integer("duration_ms"),
  },
  (t) => [
    uniqueIndex("execution_step_execution_node_idx").on(t.executionId, t.nodeId),
    index("execution_step_org_idx").on(t.organizationId),
    index("execution_step_wait_idx").on(t.waitKey),
    tenantPolicy("execution_step"),
  ],
).enableRLS();
