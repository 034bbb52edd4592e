/**
 * Lua scripts of the Redis state store: each step that must not interleave with another instance's, and each
 * request's work, is one script, so one round trip. Time comes from Redis (TIME): instances with skewed clocks agree.
 * Keys other than KEYS[] are made from the prefix in ARGV (a single Redis, not Redis Cluster).
 */
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** KEYS: session hash, quota zset, sessions zset. ARGV: record, max per quota, ttl, id. 1 kept, 0 quota full. */
export const CREATE = `${NOW}
local ttl = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[2], now + ttl, ARGV[4])
redis.call('PEXPIRE', KEYS[2], ttl)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
redis.call('ZADD', KEYS[3], now + ttl, ARGV[4])
redis.call('HSET', KEYS[1], 'r', ARGV[1], 'q', KEYS[2])
redis.call('PEXPIRE', KEYS[1], ttl)
return 1`;

/** The request path: the record, with its expiry (and its quota slot's) pushed forward. KEYS: session hash, sessions zset. ARGV: ttl, id. */
export const SESSION = `${NOW}
local ttl = tonumber(ARGV[1])
local s = redis.call('HMGET', KEYS[1], 'r', 'q')
if not s[1] then return false end
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('ZADD', s[2], 'XX', now + ttl, ARGV[2])
redis.call('PEXPIRE', s[2], ttl)
redis.call('ZADD', KEYS[2], 'XX', now + ttl, ARGV[2])
return s[1]`;

/** KEYS: session hash. ARGV: record, ttl. Only a session that still exists. */
export const UPDATE = `if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'r', ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return 1`;

/** Appends to one stream log and publishes; used by APPEND and FANOUT. */
const PUSH = `local function push(prefix, session, stream, data, ttl, seq, final, max)
  local log = prefix .. 'ev:' .. session .. ':' .. stream
  local counter = log .. ':n'
  local last = tonumber(redis.call('GET', counter) or '0')
  if seq == nil then seq = last + 1 end
  if seq > last then redis.call('SET', counter, seq, 'PX', ttl) else redis.call('PEXPIRE', counter, ttl) end
  local entry = { q = seq, d = data }
  if final then entry.f = 1 end
  redis.call('RPUSH', log, cjson.encode(entry))
  redis.call('LTRIM', log, -max, -1)
  redis.call('PEXPIRE', log, ttl)
  local message = { t = 'ev', stream = stream, seq = seq, data = data }
  if final then message.final = true end
  redis.call('PUBLISH', prefix .. 'ch:s:' .. session, cjson.encode(message))
  return seq
end`;

/** ARGV: prefix, session, stream, data, ttl, seq ('' : the store numbers it), final ('1' or ''), max. */
export const APPEND = `${PUSH}
return push(ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7] == '1', tonumber(ARGV[8]))`;

/**
 * To the standalone stream of each live session of a set (a URI's subscribers) or of the sessions zset (all).
 * KEYS: the set or zset. ARGV: prefix, data, ttl, max, 'z' when KEYS[1] is the sessions zset.
 */
export const FANOUT = `${PUSH}
${NOW}
local prefix, ttl, max = ARGV[1], tonumber(ARGV[3]), tonumber(ARGV[4])
local ids
if ARGV[5] == 'z' then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
  ids = redis.call('ZRANGE', KEYS[1], 0, -1)
else
  ids = redis.call('SMEMBERS', KEYS[1])
end
for _, id in ipairs(ids) do
  if redis.call('EXISTS', prefix .. 's:' .. id) == 1 then push(prefix, id, 'g', ARGV[2], ttl, nil, false, max)
  elseif ARGV[5] ~= 'z' then redis.call('SREM', KEYS[1], id) end
end
return #ids`;
