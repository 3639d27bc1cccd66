-- Caches "nobody liked it" (version 0) for contents without a count row, where no counter is.
-- KEYS[1] bucket; ARGV[1] ttl ms, then fields. A ghost never replaces a counter; a bucket it creates expires, so ids
-- nobody liked (or made up) cost memory for the ttl only.
local fresh = redis.call('EXISTS', KEYS[1]) == 0
for i = 2, #ARGV do redis.call('HSETNX', KEYS[1], ARGV[i], '0:0') end
if fresh then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return 0
