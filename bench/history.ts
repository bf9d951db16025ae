import pg from "pg";

/**
 * Execution history for `bench/executions.ts`: `count` finished executions of the benchmark's
 * workflow, written straight into the tables with `INSERT … SELECT generate_series` (seconds,
 * not the hours the engine would take), shaped like what the engine leaves behind: the
 * execution row, its three steps with their inputs and outputs, and the completed
 * `execution.advance` job in the queue's table. One in 40 failed at the HTTP request.
 * Spread over the last six days, inside the queue's seven-day retention of completed jobs.
 * Then VACUUM ANALYZE, as autovacuum would after a bulk load.
 */
export async function seedHistory(
  databaseUrl: string,
  target: { orgId: string; workflowId: string; version: number },
  count: number,
) {
  if (count <= 0) return;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("begin");
    await client.query(
      `create temporary table seed on commit drop as
       select gen_random_uuid()::text as id, n,
              now() - interval '6 days' * (n::float8 / $1) as at,
              n % 40 = 0 as failed
       from generate_series(1, $1) as n`,
      [count],
    );
    await client.query(
      `insert into execution (id, organization_id, workflow_id, version, status, trigger, payload,
                              error, created_at, started_at, finished_at)
       select id, $1, $2, $3,
              (case when failed then 'failed' else 'succeeded' end)::execution_status,
              'webhook',
              jsonb_build_object(
                'body', jsonb_build_object('orderId', 'o-' || n, 'amount', n % 1000,
                                           'customer', jsonb_build_object('id', n)),
                'query', '{}'::jsonb,
                'headers', jsonb_build_object('content-type', 'application/json')),
              case when failed then 'node "post": connection refused' end,
              at, at + interval '2 ms', at + interval '40 ms'
       from seed`,
      [target.orgId, target.workflowId, target.version],
    );
    await client.query(
      `insert into execution_step (id, organization_id, execution_id, node_id, status, attempt,
                                   port, input, output, error, started_at, finished_at, duration_ms)
       select gen_random_uuid()::text, $1, id, 'hook', 'succeeded'::step_status, 1, 'main', null::jsonb,
              jsonb_build_object('body', jsonb_build_object('orderId', 'o-' || n)),
              null::text, at + interval '3 ms', at + interval '3 ms', 0
       from seed
       union all
       select gen_random_uuid()::text, $1, id, 'shape', 'succeeded'::step_status, 1, 'main',
              jsonb_build_object('fields', jsonb_build_object('orderId', 'o-' || n,
                                                              'total', (n % 1000) * 2)),
              jsonb_build_object('orderId', 'o-' || n, 'total', (n % 1000) * 2,
                                 'customer', jsonb_build_object('id', n)),
              null, at + interval '4 ms', at + interval '5 ms', 1
       from seed
       union all
       select gen_random_uuid()::text, $1, id, 'post',
              (case when failed then 'failed' else 'succeeded' end)::step_status, 1,
              case when failed then null else 'main' end,
              jsonb_build_object('method', 'POST', 'url', 'http://127.0.0.1/orders',
                                 'body', jsonb_build_object('orderId', 'o-' || n)),
              case when failed then null
                   else jsonb_build_object('status', 200, 'body', jsonb_build_object('ok', true)) end,
              case when failed then 'connection refused' end,
              at + interval '6 ms', at + interval '38 ms', 32
       from seed`,
      [target.orgId],
    );
    await client.query(
      `insert into pgboss.job (name, data, state, started_on, completed_on, created_on, start_after,
                               expire_seconds, retry_limit, retry_delay, keep_until)
       select 'execution.advance', jsonb_build_object('orgId', $1::text, 'executionId', id),
              'completed', at + interval '2 ms', at + interval '40 ms', at, at, 900, 3, 5,
              at + interval '14 days'
       from seed`,
      [target.orgId],
    );
    await client.query("commit");
    await client.query("vacuum analyze execution, execution_step, pgboss.job");
  } finally {
    await client.end();
  }
}
