-- Replaces a user's timeline and Bloom filter with a snapshot from PostgreSQL, atomically: readers see the old ones
-- or the new ones, never a half-built timeline or a filter older than its timeline.
-- KEYS[1] timeline, KEYS[2] Bloom filter, KEYS[3] this rebuild's staged filter, KEYS[4] the user's rebuild ticket;
-- ARGV[1] the epoch and ARGV[2] the stream sequence the snapshot covers; ARGV[3] state; ARGV[4] idle ttl ms; ARGV[5]
-- what becomes of the filter ('keep', 'drop', or 'swap' in the staged one); ARGV[6], ARGV[7] the epoch and sequence a
-- snapshot must cover when there is no timeline (sequence 0: none); ARGV[8] the rebuild's ticket ('' for the
-- aggregator's own replace, which tears the ticket up as an applied batch does); then (content, score) pairs.
-- Refuses (returns -1) when the timeline already reflects events past the snapshot: replacing it would erase them; or
-- when there is no timeline and either the snapshot does not cover ARGV[6..7] (an evicted timeline's events are known
-- only to be at or below it) or the ticket is no longer this rebuild's (the aggregator applied a batch of the user
-- after ARGV[6..7] was measured, to a timeline since evicted). Returns -2, before writing anything, when the staged
-- filter is gone (evicted). Otherwise returns how many likes it wrote.
local key, filter, staged, ticket = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local epoch, covers = ARGV[1], tonumber(ARGV[2])
local sentinel = sentinel_get(key)
if sentinel and not position_le(sentinel.epoch, sentinel.applied, tonumber(epoch), covers) then return -1 end
local token = ARGV[8]
if token == '' then
  redis.call('DEL', ticket)
elseif not sentinel then
  if redis.call('GET', ticket) ~= token then return -1 end
  local needs = tonumber(ARGV[7])
  if needs > 0 and not position_le(tonumber(ARGV[6]), needs, tonumber(epoch), covers) then return -1 end
end
local change = ARGV[5]
if change == 'swap' and redis.call('EXISTS', staged) == 0 then return -2 end
redis.call('DEL', key)
sentinel_put(key, nil, epoch, covers, tonumber(ARGV[3]))
local pairs = {}
for i = 9, #ARGV, 2 do
  pairs[#pairs + 1] = ARGV[i + 1]
  pairs[#pairs + 1] = ARGV[i]
  if #pairs >= 4000 then
    redis.call('ZADD', key, unpack(pairs))
    pairs = {}
  end
end
if #pairs > 0 then redis.call('ZADD', key, unpack(pairs)) end
if change == 'drop' then
  redis.call('DEL', filter)
elseif change == 'swap' then
  redis.call('RENAME', staged, filter)
end
local ttl = tonumber(ARGV[4])
if ttl > 0 then
  redis.call('PEXPIRE', key, ttl)
  redis.call('PEXPIRE', filter, ttl)
else
  redis.call('PERSIST', filter)
end
return (#ARGV - 8) / 2
