// The Lua scripts of the Redis task store. Redis runs a script alone, start to end, so each one
// checks its guards (worker, owner, status, lease) and writes in one atomic step: two replicas never
// both win a change. Times come from the server's clock (TIME), so the replicas' clocks never
// disagree about a lease; the TTL is the key's own expiry (PEXPIREAT), so nothing needs sweeping.
//
// A task is one hash. Its fields: taskId, owner, status, statusMessage (absent: none), createdAt,
// lastUpdatedAt, ttlMs (absent: null), pollIntervalMs, worker, leaseUntil, result and error (JSON),
// `in` (present while inputRequests is), one `i:KEY` per outstanding input request and one `a:KEY`
// per answer (JSON each). Values stay the JSON text the store was given: Lua never re-encodes them.

import { createHash } from "node:crypto";

export interface TaskScript {
  readonly source: string;
  readonly sha: string;
}

// Milliseconds on the server's clock; `ms` prints a time without Lua's exponent notation.
// `lapse` fails an open task whose lease ran out (ARGV[1]: message, ARGV[2]: error JSON), and
// tells whether it did; afterwards the task is ended, so it cannot happen twice.
const PRELUDE = `
local key = KEYS[1]
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local function ms(n) return string.format('%.0f', n) end
local function open(status) return status == 'working' or status == 'input_required' end
local function clearInputs()
  local gone = {'in'}
  for _, field in ipairs(redis.call('HKEYS', key)) do
    if string.sub(field, 1, 2) == 'i:' then gone[#gone + 1] = field end
  end
  redis.call('HDEL', key, unpack(gone))
end
local function lapse()
  local task = redis.call('HMGET', key, 'status', 'leaseUntil')
  if not open(task[1]) or tonumber(task[2]) > now then return false end
  clearInputs()
  redis.call('HSET', key, 'status', 'failed', 'statusMessage', ARGV[1], 'error', ARGV[2], 'lastUpdatedAt', ms(now))
  return true
end
`;

// ARGV: lapse message and error (unused), taskId, owner, worker, whether a statusMessage is given, it,
// ttlMs ("" for none), pollIntervalMs, leaseMs. Returns 0 when the id is taken, else the task.
const CREATE = `
if redis.call('EXISTS', key) == 1 then return 0 end
redis.call('HSET', key, 'taskId', ARGV[3], 'owner', ARGV[4], 'status', 'working', 'createdAt', ms(now), 'lastUpdatedAt', ms(now),
  'pollIntervalMs', ARGV[9], 'worker', ARGV[5], 'leaseUntil', ms(now + tonumber(ARGV[10])))
if ARGV[6] == '1' then redis.call('HSET', key, 'statusMessage', ARGV[7]) end
if ARGV[8] ~= '' then
  redis.call('HSET', key, 'ttlMs', ARGV[8])
  redis.call('PEXPIREAT', key, ms(now + tonumber(ARGV[8])))
end
return redis.call('HGETALL', key)
`;

// Returns the task (failed first if its lease ran out), or nil when there is none.
const GET = `
if redis.call('EXISTS', key) == 0 then return false end
lapse()
return redis.call('HGETALL', key)
`;

// ARGV from 3: worker, leaseMs, whether anything changes ("0": a heartbeat), status, whether a
// statusMessage is given, it, result JSON, error JSON ("" each: unchanged), inputRequests ("keep",
// "clear" or "set"), then KEY, JSON pairs of the new input requests. Returns the task, or nil when
// nothing was applied.
const WORK = `
if redis.call('EXISTS', key) == 0 then return false end
local task = redis.call('HMGET', key, 'status', 'worker')
if not open(task[1]) or lapse() or task[2] ~= ARGV[3] then return false end
if ARGV[6] ~= '' then redis.call('HSET', key, 'status', ARGV[6]) end
if ARGV[7] == '1' then redis.call('HSET', key, 'statusMessage', ARGV[8]) end
if ARGV[9] ~= '' then redis.call('HSET', key, 'result', ARGV[9]) end
if ARGV[10] ~= '' then redis.call('HSET', key, 'error', ARGV[10]) end
if ARGV[11] ~= 'keep' then clearInputs() end
if ARGV[11] == 'set' then
  redis.call('HSET', key, 'in', '1')
  for i = 12, #ARGV, 2 do redis.call('HSET', key, 'i:' .. ARGV[i], ARGV[i + 1]) end
end
if ARGV[5] == '1' then redis.call('HSET', key, 'lastUpdatedAt', ms(now)) end
redis.call('HSET', key, 'leaseUntil', ms(now + tonumber(ARGV[4])))
return redis.call('HGETALL', key)
`;

// ARGV from 3: owner, then KEY, JSON pairs of the responses. Only outstanding keys are taken; the
// last one taken moves an input_required task back to working. Returns 0 when no task of owner.
const ANSWER = `
if redis.call('EXISTS', key) == 0 or redis.call('HGET', key, 'owner') ~= ARGV[3] then return 0 end
lapse()
local status = redis.call('HGET', key, 'status')
if not open(status) or redis.call('HEXISTS', key, 'in') == 0 then return 1 end
local taken = false
for i = 4, #ARGV, 2 do
  if redis.call('HDEL', key, 'i:' .. ARGV[i]) == 1 then
    redis.call('HSET', key, 'a:' .. ARGV[i], ARGV[i + 1])
    taken = true
  end
end
if not taken then return 1 end
redis.call('HSET', key, 'lastUpdatedAt', ms(now))
for _, field in ipairs(redis.call('HKEYS', key)) do
  if string.sub(field, 1, 2) == 'i:' then return 1 end
end
redis.call('HDEL', key, 'in')
if status == 'input_required' then redis.call('HSET', key, 'status', 'working') end
return 1
`;

// ARGV from 3: owner, statusMessage. An open task of owner becomes cancelled. Returns 0 when no task of owner.
const CANCEL = `
if redis.call('EXISTS', key) == 0 or redis.call('HGET', key, 'owner') ~= ARGV[3] then return 0 end
if not lapse() and open(redis.call('HGET', key, 'status')) then
  clearInputs()
  redis.call('HSET', key, 'status', 'cancelled', 'statusMessage', ARGV[4], 'lastUpdatedAt', ms(now))
end
return 1
`;

const script = (body: string): TaskScript => {
  const source = PRELUDE + body;
  return { source, sha: createHash("sha1").update(source).digest("hex") };
};

/** The store's scripts, each called with KEYS[1] = the task's key and ARGV[1..2] = LEASE_EXPIRED's message and JSON. */
export const taskScripts = {
  create: script(CREATE),
  get: script(GET),
  work: script(WORK),
  answer: script(ANSWER),
  cancel: script(CANCEL),
} as const;
