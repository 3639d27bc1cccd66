-- Applies one user's net changes of a batch to their timeline and Bloom filter, atomically.
-- KEYS[1] timeline, KEYS[2] Bloom filter, KEYS[3] the user's rebuild ticket; ARGV[1] N; ARGV[2] idle ttl ms (0 = none); ARGV[3] the batch's epoch,
-- ARGV[4] the stream sequence of its last event; then (content, action, score, h1, h2) per change: 'L' like (keeps an
-- existing like's time), 'R' re-like (replaces it), 'U' unlike; h1, h2 the content's BloomHash.
-- A batch at or below the sentinel's position is already reflected (a redelivery, or a rebuild from PostgreSQL that
-- covered it) and is skipped. Any other tears up the rebuild ticket: a rebuild begun before it may not install a
-- timeline where none is (this one may be evicted before it does), since its reach was measured without this batch. A missing timeline starts Partial. Each like that adds a member trims the timeline back
-- to N at once (so it never outgrows the listpack threshold, docs/redis.md) and turns Complete into Truncated. When
-- the user has a filter, every added like sets its bits and counts as inserted (an unlike clears nothing: bits are
-- shared). Returns {members really changed, 1 if the timeline is truncated and its filter missing or overfull}.
local key, filter = KEYS[1], KEYS[2]
local n = tonumber(ARGV[1])
local epoch, seq = ARGV[3], tonumber(ARGV[4])
local sentinel = sentinel_get(key)
local state = TIMELINE_PARTIAL
if sentinel then
  if position_le(tonumber(epoch), seq, sentinel.epoch, sentinel.applied) then return {0, 0} end
  state = sentinel.state
end
redis.call('DEL', KEYS[3])
sentinel_put(key, sentinel, epoch, seq, state)
local header = bloom_header(filter, 'BITFIELD')
local bits = {}
local function flush()
  if #bits > 0 then redis.call('BITFIELD', filter, unpack(bits)) bits = {} end
end
local changed, added, trimmed = 0, 0, false
for i = 5, #ARGV, 5 do
  local action = ARGV[i + 1]
  local c
  if action == 'L' then
    c = redis.call('ZADD', key, 'NX', ARGV[i + 2], ARGV[i])
  elseif action == 'R' then
    c = redis.call('ZADD', key, ARGV[i + 2], ARGV[i])
  else
    c = redis.call('ZREM', key, ARGV[i])
  end
  changed = changed + c
  if c == 1 and action ~= 'U' then
    local over = redis.call('ZCARD', key) - 1 - n
    if over > 0 then
      redis.call('ZREMRANGEBYRANK', key, 1, over)
      trimmed = true
    end
    if header.bits > 0 then
      local h1, h2 = tonumber(ARGV[i + 3]), tonumber(ARGV[i + 4])
      for p = 0, header.hashes - 1 do
        bits[#bits + 1] = 'SET'
        bits[#bits + 1] = 'u1'
        bits[#bits + 1] = bloom_bit(header, h1, h2, p)
        bits[#bits + 1] = 1
      end
      added = added + 1
      if #bits >= 4000 then flush() end
    end
  end
end
if added > 0 then
  flush()
  redis.call('BITFIELD', filter, 'OVERFLOW', 'SAT', 'INCRBY', 'u32', BLOOM_INSERTED, added)
end
if trimmed and state == TIMELINE_COMPLETE then
  state = TIMELINE_TRUNCATED
  sentinel_put(key, nil, epoch, seq, state)
end
local ttl = tonumber(ARGV[2])
if ttl > 0 then
  redis.call('PEXPIRE', key, ttl)
  if header.bits > 0 then redis.call('PEXPIRE', filter, ttl) end
end
local needsFilter = 0
if state == TIMELINE_TRUNCATED and (header.bits == 0 or header.inserted + added > header.capacity) then needsFilter = 1 end
return {changed, needsFilter}
