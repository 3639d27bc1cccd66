-- The encodings Redis shares with C#, defined there (TimelineSentinel.cs, BloomShape.cs); the constants above
-- are generated from those definitions (RedisScripts.cs), and a test pins these functions to them.

-- A timeline's sentinel: the member at rank 0, named SENTINEL .. ':' .. epoch (SENTINEL alone: epoch 0), scored
-- -(applied * SENTINEL_STATES + state), below every like time. Nil when the timeline has none (it is missing).
local function sentinel_get(key)
  local s = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  if #s == 0 or string.sub(s[1], 1, #SENTINEL) ~= SENTINEL then return nil end
  local v = -tonumber(s[2])
  local state = v % SENTINEL_STATES
  return {member = s[1], epoch = tonumber(string.sub(s[1], #SENTINEL + 2)) or 0,
          applied = (v - state) / SENTINEL_STATES, state = state}
end

-- Writes the sentinel for (epoch, applied) and state, replacing the old one (epoch: the decimal string C# sent).
local function sentinel_put(key, old, epoch, applied, state)
  local member = SENTINEL .. ':' .. epoch
  if old and old.member ~= member then redis.call('ZREM', key, old.member) end
  redis.call('ZADD', key, -(applied * SENTINEL_STATES + state), member)
end

-- Stream positions order by epoch, then sequence (StreamPosition.cs).
local function position_le(epoch_a, seq_a, epoch_b, seq_b)
  if epoch_a ~= epoch_b then return epoch_a < epoch_b end
  return seq_a <= seq_b
end

-- A Bloom filter's header: bits, hashes, capacity and ids inserted, each a big-endian u32 (0s when there is no filter).
local function bloom_header(filter, command)
  local f = redis.call(command, filter, 'GET', 'u32', BLOOM_BITS, 'GET', 'u32', BLOOM_HASHES,
                       'GET', 'u32', BLOOM_CAPACITY, 'GET', 'u32', BLOOM_INSERTED)
  return {bits = f[1], hashes = f[2], capacity = f[3], inserted = f[4]}
end

-- The offset of the bit that probe p of an id with hashes (h1, h2) sets or tests (BloomHash.Position).
local function bloom_bit(header, h1, h2, p)
  return BLOOM_FIRST_BIT + (h1 + p * h2) % header.bits
end
