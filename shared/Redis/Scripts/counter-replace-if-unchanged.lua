-- Repairs one counter, but only if it still holds what the caller saw (a concurrent newer write wins).
-- KEYS[1] bucket; ARGV[1] field, ARGV[2] expected current value ('' = missing), ARGV[3] new value. Returns 1 if written.
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if (cur or '') ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('PERSIST', KEYS[1])
return 1
