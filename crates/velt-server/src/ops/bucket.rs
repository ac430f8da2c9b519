//! Keyed token buckets with a bounded number of keys.
//!
//! Each key has a bucket of `burst` tokens refilled at `rate` tokens per
//! second; a request takes one token. A bucket that has refilled to `burst`
//! is indistinguishable from a new one, so it can be dropped without
//! changing any answer: that is how idle keys are evicted. When more than
//! `max_keys` keys are busy at once (no bucket full), the least recently
//! seen ones are dropped too (they get a fresh burst: the limit degrades for
//! them, memory stays bounded).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Number of independently locked shards (fewer lock collisions between
/// requests of different clients).
const SHARDS: usize = 16;

/// A shard is swept (full buckets removed) when it reaches this many keys,
/// and again each time it doubles after a sweep.
const FIRST_SWEEP: usize = 256;

/// The rate of one limit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rate {
    /// Tokens added per second (> 0).
    pub(crate) per_second: f64,
    /// Bucket size: requests allowed at once after an idle period (>= 1).
    pub(crate) burst: f64,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

#[derive(Debug)]
struct Shard<K> {
    buckets: HashMap<K, Bucket>,
    next_sweep: usize,
}

/// Token buckets by key.
#[derive(Debug)]
pub(crate) struct KeyedBuckets<K> {
    rate: Rate,
    max_keys_per_shard: usize,
    shards: Vec<Mutex<Shard<K>>>,
    hasher: std::collections::hash_map::RandomState,
}

impl<K: Hash + Eq + Clone> KeyedBuckets<K> {
    /// Buckets of `rate`, holding at most about `max_keys` keys.
    pub(crate) fn new(rate: Rate, max_keys: usize) -> Self {
        let per_shard = max_keys.div_ceil(SHARDS).max(4);
        Self {
            rate,
            max_keys_per_shard: per_shard,
            shards: (0..SHARDS)
                .map(|_| {
                    Mutex::new(Shard {
                        buckets: HashMap::new(),
                        next_sweep: FIRST_SWEEP.min(per_shard),
                    })
                })
                .collect(),
            hasher: Default::default(),
        }
    }

    /// Takes a token for `key` at time `now`: `Ok(())`, or `Err(wait)` with
    /// the time until a token is available.
    pub(crate) fn take(&self, key: &K, now: Instant) -> Result<(), Duration> {
        use std::hash::BuildHasher;
        let index = (self.hasher.hash_one(key) as usize) % SHARDS;
        let Some(shard) = self.shards.get(index) else {
            return Ok(()); // unreachable: index < SHARDS == shards.len()
        };
        // A poisoned lock only means another request panicked while holding
        // it; the buckets are plain numbers, still consistent.
        let mut shard = shard.lock().unwrap_or_else(|p| p.into_inner());
        let rate = self.rate;
        if !shard.buckets.contains_key(key) && shard.buckets.len() >= shard.next_sweep {
            self.sweep(&mut shard, now);
        }
        let bucket = shard.buckets.entry(key.clone()).or_insert(Bucket {
            tokens: rate.burst,
            last: now,
        });
        let elapsed = now.saturating_duration_since(bucket.last).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate.per_second).min(rate.burst);
        bucket.last = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let missing = 1.0 - bucket.tokens;
            Err(Duration::from_secs_f64(missing / rate.per_second))
        }
    }

    /// Removes full buckets; if the shard is still over its bound, the
    /// least recently seen buckets until it holds 3/4 of it.
    fn sweep(&self, shard: &mut Shard<K>, now: Instant) {
        let rate = self.rate;
        shard.buckets.retain(|_, b| {
            let elapsed = now.saturating_duration_since(b.last).as_secs_f64();
            b.tokens + elapsed * rate.per_second < rate.burst
        });
        let cap = self.max_keys_per_shard;
        if shard.buckets.len() >= cap {
            let keep = cap * 3 / 4;
            let mut seen: Vec<Instant> = shard.buckets.values().map(|b| b.last).collect();
            seen.sort_unstable();
            let drop_count = shard.buckets.len() - keep;
            if let Some(&cutoff) = seen.get(drop_count.saturating_sub(1)) {
                let mut dropped = 0;
                shard.buckets.retain(|_, b| {
                    if dropped < drop_count && b.last <= cutoff {
                        dropped += 1;
                        false
                    } else {
                        true
                    }
                });
            }
        }
        shard.next_sweep = (shard.buckets.len() * 2).clamp(FIRST_SWEEP.min(cap), cap);
    }

    /// Number of keys held.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().unwrap_or_else(|p| p.into_inner()).buckets.len())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const RATE: Rate = Rate {
        per_second: 2.0,
        burst: 3.0,
    };

    #[test]
    fn burst_then_refill_at_the_rate() {
        let b = KeyedBuckets::new(RATE, 1000);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(b.take(&"a", t0), Ok(()));
        }
        let wait = b.take(&"a", t0).unwrap_err();
        assert_eq!(wait, Duration::from_millis(500));
        // Another key has its own bucket.
        assert_eq!(b.take(&"b", t0), Ok(()));
        // Half a second later one token is back, not two.
        let t1 = t0 + Duration::from_millis(500);
        assert_eq!(b.take(&"a", t1), Ok(()));
        assert!(b.take(&"a", t1).is_err());
        // Idle long enough, the bucket is full again, and no fuller.
        let t2 = t1 + Duration::from_secs(60);
        for _ in 0..3 {
            assert_eq!(b.take(&"a", t2), Ok(()));
        }
        assert!(b.take(&"a", t2).is_err());
    }

    #[test]
    fn idle_keys_are_evicted_and_memory_stays_bounded() {
        let max = 2_000;
        let b = KeyedBuckets::new(RATE, max);
        let t0 = Instant::now();
        // 100,000 distinct clients, each seen once, 1 ms apart: every
        // bucket is full again 1.5 s after its request.
        for i in 0..100_000u32 {
            let now = t0 + Duration::from_millis(u64::from(i));
            assert_eq!(b.take(&i, now), Ok(()));
        }
        assert!(b.len() <= max + SHARDS, "{} keys held", b.len());

        // All busy at once (same instant, nothing refilled): still bounded.
        let b = KeyedBuckets::new(RATE, max);
        for i in 0..100_000u32 {
            assert_eq!(b.take(&i, t0), Ok(()));
        }
        assert!(b.len() <= max + SHARDS, "{} keys held", b.len());
    }

    #[test]
    fn bounding_drops_the_least_recently_seen_keys_first() {
        let b = KeyedBuckets::new(RATE, 64);
        let t0 = Instant::now();
        for _ in 0..3 {
            b.take(&u32::MAX, t0).unwrap();
        }
        // Many keys last seen before it, none refilled: over the bound...
        for i in 0..1_000u32 {
            b.take(&i, t0 - Duration::from_secs(10)).unwrap();
        }
        // ...the most recent (exhausted) key is still exhausted.
        assert!(b.take(&u32::MAX, t0).is_err());
    }
}
