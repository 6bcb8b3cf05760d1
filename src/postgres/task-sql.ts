// The statements of the Postgres task store. Each is one statement, so each change is atomic on its
// own; the guards (worker, owner, status, lease) sit in the UPDATE's WHERE, so when two replicas race
// for the same row the second re-reads the committed row and does not match. Times come from the
// database's clock (now()), so the replicas' clocks never disagree about a lease or a TTL. The only
// text spliced in is the table name, checked by `tableIdentifier` first.

const PART = /^[A-Za-z_][A-Za-z0-9_]{0,47}$/;

/** The quoted identifier of `table` ("name" or "schema.name"); throws on anything else. */
export function tableIdentifier(table: string): { quoted: string; bare: string } {
  const parts = table.split(".");
  if (parts.length > 2 || !parts.every((part) => PART.test(part))) {
    throw new TypeError(`table must be a name or schema.name of letters, digits and underscores (up to 48 each): ${JSON.stringify(table)}`);
  }
  return { quoted: parts.map((part) => `"${part}"`).join("."), bare: parts[parts.length - 1]! };
}

export interface TaskStatements {
  readonly createTable: string;
  readonly insert: string;
  readonly select: string;
  readonly expireLease: string;
  readonly work: string;
  readonly answer: string;
  readonly cancel: string;
  readonly sweep: string;
}

const ms = (column: string) => `floor(extract(epoch FROM ${column}) * 1000)::float8`;
const OPEN = `status IN ('working', 'input_required')`;
const LIVE = `(expires_at IS NULL OR expires_at > now())`;
// $n * 1 ms: parameters arrive as numbers of milliseconds.
const after = (param: string) => `now() + ${param}::float8 * interval '1 millisecond'`;

export function taskStatements(table: string, sweepBatch: number): TaskStatements {
  const { quoted: t, bare } = tableIdentifier(table);
  const columns = [
    `task_id AS "taskId"`,
    `owner`,
    `status`,
    `status_message AS "statusMessage"`,
    `${ms("created_at")} AS "createdAt"`,
    `${ms("last_updated_at")} AS "lastUpdatedAt"`,
    `ttl_ms::float8 AS "ttlMs"`,
    `poll_interval_ms::float8 AS "pollIntervalMs"`,
    `input_requests AS "inputRequests"`,
    `answers`,
    `result`,
    `error`,
    `worker`,
    `${ms("lease_until")} AS "leaseUntil"`,
  ].join(", ");
  // In the responses ($3) that are outstanding; and the outstanding requests left unanswered.
  const taken = `(SELECT jsonb_object_agg(key, value) FROM jsonb_each($3::text::jsonb) WHERE input_requests ? key)`;
  const left = `(SELECT jsonb_object_agg(key, value) FROM jsonb_each(input_requests) WHERE NOT ($3::text::jsonb ? key))`;
  const found = `EXISTS (SELECT 1 FROM done) OR EXISTS (SELECT 1 FROM ${t} WHERE task_id = $1 AND owner = $2 AND ${LIVE}) AS found`;
  return {
    // One DO block is one transaction: the advisory lock keeps two replicas' first calls from both
    // creating the table at once (which Postgres answers with a unique violation on pg_type).
    createTable: `DO $do$ BEGIN
      PERFORM pg_advisory_xact_lock(hashtext('http-mcp task table ' || '${t.replaceAll('"', "")}'));
      CREATE TABLE IF NOT EXISTS ${t} (
        task_id text PRIMARY KEY,
        owner text NOT NULL,
        status text NOT NULL CHECK (status IN ('working', 'input_required', 'completed', 'failed', 'cancelled')),
        status_message text,
        created_at timestamptz NOT NULL,
        last_updated_at timestamptz NOT NULL,
        ttl_ms bigint,
        expires_at timestamptz,
        poll_interval_ms integer NOT NULL,
        input_requests jsonb,
        answers jsonb,
        result jsonb,
        error jsonb,
        worker text NOT NULL,
        lease_until timestamptz NOT NULL
      );
      CREATE INDEX IF NOT EXISTS "${bare}_expires_at" ON ${t} (expires_at) WHERE expires_at IS NOT NULL;
    END $do$`,
    // A row past its TTL may still be there (the sweep deletes in batches): it gives way to the new task.
    insert: `INSERT INTO ${t} AS old (task_id, owner, status, status_message, created_at, last_updated_at, ttl_ms, expires_at, poll_interval_ms, worker, lease_until)
      VALUES ($1, $2, 'working', $3, now(), now(), round($4::float8)::bigint, ${after("$4")}, round($5::float8), $6, ${after("$7")})
      ON CONFLICT (task_id) DO UPDATE SET owner = EXCLUDED.owner, status = EXCLUDED.status, status_message = EXCLUDED.status_message,
        created_at = EXCLUDED.created_at, last_updated_at = EXCLUDED.last_updated_at, ttl_ms = EXCLUDED.ttl_ms, expires_at = EXCLUDED.expires_at,
        poll_interval_ms = EXCLUDED.poll_interval_ms, input_requests = NULL, answers = NULL, result = NULL, error = NULL,
        worker = EXCLUDED.worker, lease_until = EXCLUDED.lease_until
      WHERE old.expires_at <= now()
      RETURNING ${columns}`,
    select: `SELECT ${columns}, (${OPEN} AND lease_until <= now()) AS lapsed FROM ${t} WHERE task_id = $1 AND ${LIVE}`,
    expireLease: `UPDATE ${t} SET status = 'failed', status_message = $2, error = $3::text::jsonb, input_requests = NULL, last_updated_at = now()
      WHERE task_id = $1 AND ${OPEN} AND lease_until <= now() AND ${LIVE}
      RETURNING ${columns}`,
    // $3..$6: status, message, result, error (null: unchanged); $7: whether to set input_requests to $8.
    work: `UPDATE ${t} SET status = COALESCE($3, status), status_message = COALESCE($4, status_message),
        result = COALESCE($5::text::jsonb, result), error = COALESCE($6::text::jsonb, error),
        input_requests = CASE WHEN $7::boolean THEN $8::text::jsonb ELSE input_requests END,
        -- A heartbeat (nothing to change) renews the lease only: it is no update of the task.
        last_updated_at = CASE WHEN $3::text IS NULL AND $4::text IS NULL AND $5::text IS NULL AND $6::text IS NULL AND NOT $7::boolean
          THEN last_updated_at ELSE now() END,
        lease_until = ${after("$9")}
      WHERE task_id = $1 AND worker = $2 AND ${OPEN} AND lease_until > now() AND ${LIVE}
      RETURNING ${columns}`,
    answer: `WITH done AS (
        UPDATE ${t} SET answers = COALESCE(answers, '{}'::jsonb) || ${taken}, input_requests = ${left},
          status = CASE WHEN status = 'input_required' AND ${left} IS NULL THEN 'working' ELSE status END,
          last_updated_at = now()
        WHERE task_id = $1 AND owner = $2 AND ${OPEN} AND lease_until > now() AND ${LIVE} AND ${taken} IS NOT NULL
        RETURNING 1)
      SELECT ${found}`,
    cancel: `WITH done AS (
        UPDATE ${t} SET status = 'cancelled', status_message = $3, input_requests = NULL, last_updated_at = now()
        WHERE task_id = $1 AND owner = $2 AND ${OPEN} AND lease_until > now() AND ${LIVE}
        RETURNING 1)
      SELECT ${found}`,
    // SKIP LOCKED: two replicas sweeping at once take different rows instead of waiting on each other.
    sweep: `DELETE FROM ${t} WHERE task_id IN (
        SELECT task_id FROM ${t} WHERE expires_at <= now() LIMIT ${sweepBatch} FOR UPDATE SKIP LOCKED)`,
  };
}
