-- Records how far a worker applied a partition, never moving it back (a late write of an older batch loses).
-- KEYS[1] the partition's position; ARGV[1] epoch, ARGV[2] sequence. Stored as "epoch:sequence". Returns 1 if written.
local cur = redis.call('GET', KEYS[1])
if cur then
  local e, s = string.match(cur, '^(%d+):(%d+)$')
  if e and position_le(tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(e), tonumber(s)) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1] .. ':' .. ARGV[2])
return 1
