-- Whether a user likes each id of a feed page, as far as Redis knows: the timeline's sentinel and each id's score
-- (one ZMSCORE), then, for the ids the timeline cannot decide, the Bloom filter's bits (BITFIELD_RO); both keys are
-- hash-tagged {user}: one cluster slot. A read also keeps them warm: it pushes their idle expiry out (GT: never
-- shortens one).
-- KEYS[1] timeline, KEYS[2] Bloom filter; ARGV[1] idle ttl ms (0 = none); then (content, h1, h2) per id.
-- Returns {state, filter state, one answer per id}: 1 in the timeline, 0 absent from a complete timeline, 2 the filter
-- says no, 3 the filter says maybe, 4 nothing in Redis can tell. A filter present is used whatever the timeline's
-- state: it always holds every like of the user (docs/redis.md).
local key, filter = KEYS[1], KEYS[2]
local sentinel = sentinel_get(key)
local state = 0
if sentinel then state = sentinel.state end
local members = {}
for i = 2, #ARGV, 3 do members[#members + 1] = ARGV[i] end
local scores = redis.call('ZMSCORE', key, unpack(members))
local header = bloom_header(filter, 'BITFIELD_RO')
local filterState = 0
if header.bits > 0 then
  filterState = 1
  if header.inserted > header.capacity then filterState = 2 end
end
local answers = {state, filterState}
local probed, positions = {}, {}
for j = 1, #scores do
  local a = 4
  if scores[j] then
    a = 1
  elseif state == TIMELINE_COMPLETE then
    a = 0
  elseif header.bits > 0 then
    a = 3
    local i = 3 * j - 1
    local h1, h2 = tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
    for p = 0, header.hashes - 1 do positions[#positions + 1] = bloom_bit(header, h1, h2, p) end
    probed[#probed + 1] = j + 2
  end
  answers[j + 2] = a
end
local bits = {}
for first = 1, #positions, 1000 do
  local gets = {}
  for p = first, math.min(first + 999, #positions) do
    gets[#gets + 1] = 'GET'
    gets[#gets + 1] = 'u1'
    gets[#gets + 1] = positions[p]
  end
  local got = redis.call('BITFIELD_RO', filter, unpack(gets))
  for p = 1, #got do bits[#bits + 1] = got[p] end
end
for q = 1, #probed do
  for p = (q - 1) * header.hashes + 1, q * header.hashes do
    if bits[p] == 0 then
      answers[probed[q]] = 2
      break
    end
  end
end
local ttl = tonumber(ARGV[1])
if ttl > 0 then
  redis.call('PEXPIRE', key, ttl, 'GT')
  if header.bits > 0 then redis.call('PEXPIRE', filter, ttl, 'GT') end
end
return answers
