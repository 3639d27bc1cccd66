-- Writes counters of one hash bucket as absolute values, each only if its version is newer than what Redis holds.
-- KEYS[1] bucket; ARGV (field, "count:version", version) per counter. Returns how many were written. A real count keeps
-- its bucket: it drops the expiry a bucket of ghosts only was created with.
local written = 0
for i = 1, #ARGV, 3 do
  local cur = redis.call('HGET', KEYS[1], ARGV[i])
  local v = cur and tonumber(string.match(cur, ':(%d+)$'))
  if not (v and v >= tonumber(ARGV[i + 2])) then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
    written = written + 1
  end
end
if written > 0 then redis.call('PERSIST', KEYS[1]) end
return written
