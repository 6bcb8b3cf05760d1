// postgresBus against a real PostgreSQL server (Debian's, started here on a free loopback port, or the
// one DATABASE_URL names): messages cross between buses, over 8000 bytes through the table, in
// order; channel names that need quoting or hashing; malformed notifications; close(); and a
// listening connection killed under the bus, which reconnects and LISTENs again on its own.
// (PGlite cannot stand in: it is one process's database, so its NOTIFY never reaches another.)
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { postgresBus } from "http-mcp/postgres";
import { freePort } from "../scripts/free-port.mjs";
import { postgresUnavailable, startPostgres } from "./support/postgres-server.js";
import { collect, unexpected } from "./support/bus-collector.js";

/** A prefix of its own for each test, so a shared DATABASE_URL server hears nothing of other runs. */
const fresh = () => `t-${randomUUID().slice(0, 8)}:`;

const skip = process.env.DATABASE_URL ? undefined : postgresUnavailable();

describe("postgresBus", { skip }, () => {
  let url: string;
  let stopServer = async () => {};
  let pool: pg.Pool;
  before(async () => {
    if (process.env.DATABASE_URL) url = process.env.DATABASE_URL;
    else {
      const server = await startPostgres();
      url = server.url;
      stopServer = () => server.stop();
    }
    pool = new pg.Pool({ connectionString: url });
  });
  after(async () => {
    await pool?.end();
    await stopServer();
  });

  test("takes a pool or a connection string, not both nor neither; a prefix and a table of the right kind", () => {
    assert.throws(() => postgresBus({}), /either pool or connectionString/);
    assert.throws(() => postgresBus({ pool, connectionString: url }), /either pool or connectionString/);
    assert.throws(() => postgresBus({ pool: { query: async () => ({ rows: [] }) } as never }), /pool needs query and connect/);
    for (const prefix of ["", "a\0b", 5]) assert.throws(() => postgresBus({ pool, prefix: prefix as never }), /prefix must be a non-empty string/);
    assert.throws(() => postgresBus({ pool, table: 'x"; DROP TABLE y; --' }), /table must be a name/);
    assert.throws(() => postgresBus({ connectionString: 5432 as never }), /connectionString must be a string/);
  });

  test("a message sent on one bus reaches every bus on the same database and prefix, and no other", async () => {
    const prefix = fresh();
    const [a, b, other] = [postgresBus({ connectionString: url, prefix }), postgresBus({ pool, prefix }), postgresBus({ pool, prefix: fresh() })];
    const [onA, onB, onOther] = [collect(a), collect(b), collect(other)];
    try {
      await Promise.all([a.ready(), b.ready(), other.ready()]);
      a.send("test", "from a", unexpected);
      b.send("test", "from b", unexpected);
      for (const heard of [onA, onB]) assert.deepEqual([...(await heard.arrived(2))].sort(), ["from a", "from b"]);
      await sleep(50);
      assert.deepEqual(onOther.messages, []);
    } finally {
      for (const bus of [a, b, other]) await bus.close();
    }
  });

  test("a 100 kB message crosses through the table, in order with the small ones around it", async () => {
    const prefix = fresh();
    const table = `bus_${randomUUID().slice(0, 8)}`;
    const [a, b] = [postgresBus({ pool, prefix, table }), postgresBus({ connectionString: url, prefix, table })];
    const heard = collect(b);
    try {
      await b.ready();
      const big = JSON.stringify({ result: "ü".repeat(50_000) }); // 100 kB in UTF-8
      assert.ok(Buffer.byteLength(big) > 100_000);
      const edge = "x".repeat(7900); // the largest that still travels in the notification itself
      for (const message of ["first", big, "third", edge]) a.send("test", message, unexpected);
      const got = await heard.arrived(4);
      assert.deepEqual(got.map((m) => m.length), [5, big.length, 5, 7900]);
      assert.equal(got[1], big);
      assert.equal(got[2], "third");
      const stored = await pool.query(`SELECT count(*)::int AS n FROM ${table}`);
      assert.equal(stored.rows[0].n, 1, "only the big message went through the table");
    } finally {
      await Promise.all([a.close(), b.close()]);
      await pool.query(`DROP TABLE IF EXISTS ${table}`);
    }
  });

  test("replicas sending their first big message at once all create the table without failing", async () => {
    const prefix = fresh();
    const table = `bus_${randomUUID().slice(0, 8)}`;
    const senders = Array.from({ length: 4 }, () => postgresBus({ connectionString: url, prefix, table }));
    const heard = collect(senders[0]!);
    try {
      await senders[0]!.ready();
      await Promise.all(senders.map((bus, i) => bus.transport.publish(bus.channel("test"), String(i).repeat(10_000))));
      assert.deepEqual([...(await heard.arrived(4))].map((m) => m[0]).sort(), ["0", "1", "2", "3"]);
    } finally {
      await Promise.all(senders.map((bus) => bus.close()));
      await pool.query(`DROP TABLE IF EXISTS ${table}`);
    }
  });

  test("channel names that need quoting, or hashing past 63 bytes, work and stay apart", async () => {
    const base = fresh();
    const prefixes = [`${base}Mixed "Case" ; DROP`, `${base}${"long".repeat(20)}-one:`, `${base}${"long".repeat(20)}-two:`];
    const buses = prefixes.map((prefix) => postgresBus({ pool, prefix }));
    const heard = buses.map((bus) => collect(bus));
    try {
      await Promise.all(buses.map((bus) => bus.ready()));
      buses.forEach((bus, i) => bus.send("test", `to ${i}`, unexpected));
      for (const [i, h] of heard.entries()) assert.deepEqual(await h.arrived(1), [`to ${i}`]);
      await sleep(50);
      assert.deepEqual(heard.map((h) => h.messages.length), [1, 1, 1]);
    } finally {
      for (const bus of buses) await bus.close();
    }
  });

  test("notifications the bus did not frame, and stored ones that are gone, are ignored", async () => {
    const prefix = fresh();
    const bus = postgresBus({ pool, prefix });
    const heard = collect(bus);
    try {
      await bus.ready();
      for (const junk of ["", "x{}", "r", "rabc", "r1; DROP", "r99999999"]) await pool.query("SELECT pg_notify($1, $2)", [`${prefix}test`, junk]);
      await pool.query("SELECT pg_notify($1, $2)", [`${prefix}test`, "mgood"]);
      assert.deepEqual(await heard.arrived(1), ["good"]);
      await sleep(50);
      assert.deepEqual(heard.messages, ["good"]);
      assert.deepEqual(heard.reported, []);
    } finally {
      await bus.close();
    }
  });

  test("close() ends the pool the bus made and gives back the given pool's connection, never ends that pool; twice is fine", async () => {
    const given = new pg.Pool({ connectionString: url });
    const own = postgresBus({ connectionString: url, prefix: fresh() });
    const lent = postgresBus({ pool: given, prefix: fresh() });
    collect(own);
    collect(lent);
    await Promise.all([own.ready(), lent.ready()]);
    assert.equal(given.totalCount, 1, "one connection held to LISTEN on");
    await own.close();
    await lent.close();
    await own.close();
    await lent.close();
    assert.equal(given.totalCount, 0, "the listening connection is closed, not handed back for reuse");
    assert.equal((await given.query("SELECT 1 AS one")).rows[0].one, 1);
    await given.end();
    await assert.rejects(own.transport.publish("x", "y"), /Postgres bus: publish failed: the bus is closed/);
    await assert.rejects(own.transport.subscribe("x", () => {}), /the bus is closed/);
  });

  test("a killed listening connection is reported once; the bus reconnects, LISTENs again and delivery resumes", async () => {
    const prefix = fresh();
    const [a, b] = [postgresBus({ pool, prefix }), postgresBus({ connectionString: url, prefix })];
    const heard = collect(b);
    try {
      await b.ready();
      a.send("test", "before", unexpected);
      await heard.arrived(1);
      // The listening backend is the one LISTENing on our channel.
      const killed = await pool.query(
        `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query LIKE $1`,
        [`LISTEN "${prefix}test"%`],
      );
      assert.equal(killed.rows.length, 1);
      const deadline = Date.now() + 10_000;
      let round = 0;
      while (!heard.messages.some((m) => m.startsWith("after "))) {
        if (Date.now() > deadline) assert.fail(`delivery did not resume: ${heard.messages}; reported ${heard.reported}`);
        a.send("test", `after ${round++}`, unexpected);
        await sleep(50);
      }
      assert.equal(heard.reported.length, 1, heard.reported.join("\n"));
      assert.match(heard.reported[0]!, /^Postgres bus: listening connection: /);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test("a database that cannot be reached makes publishing fail, and subscribing waits for it", async () => {
    const nowhere = `postgres://postgres@127.0.0.1:${await freePort()}/postgres`;
    const bus = postgresBus({ connectionString: nowhere, prefix: fresh() });
    const heard = collect(bus);
    try {
      await assert.rejects(bus.transport.publish(bus.channel("test"), "x"), /Postgres bus: publish failed: .*ECONNREFUSED/);
      await sleep(200);
      assert.equal(heard.reported.length, 1, "one report for the outage, not one per retry");
      assert.match(heard.reported[0]!, /^Postgres bus: listening connection: .*ECONNREFUSED/);
    } finally {
      await bus.close();
    }
  });
});
