//! Per-address rate limits, kept in memory: a fixed window per client address.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// At most `limit` requests per `window` from one address.
#[derive(Debug)]
pub struct RateLimiter {
    limit: u32,
    window: Duration,
    windows: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl RateLimiter {
    pub fn new(limit: u32, window: Duration) -> Self {
        RateLimiter {
            limit,
            window,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one request from `ip`; `Err(seconds)` says how long until it may try again.
    pub fn check(&self, ip: IpAddr) -> Result<(), u64> {
        self.check_at(ip, Instant::now(), true)
    }

    /// Takes back one request counted by [`Self::check`]: for limits that keep only some
    /// outcomes (failed sign-ins). Counting first and forgiving after means that a burst
    /// of parallel attempts is limited as it arrives, not once the attempts have failed.
    pub fn forgive(&self, ip: IpAddr) {
        let ip = network_of(ip);
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(entry) = windows.get_mut(&ip) {
            entry.1 = entry.1.saturating_sub(1);
        }
    }

    fn check_at(&self, ip: IpAddr, now: Instant, count: bool) -> Result<(), u64> {
        let ip = network_of(ip);
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Forget finished windows now and then, so the map stays as small as the traffic.
        if windows.len() > 10_000 {
            let window = self.window;
            windows.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let entry = windows.entry(ip).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        if entry.1 >= self.limit {
            let left = self.window.saturating_sub(now.duration_since(entry.0));
            return Err(left.as_secs().max(1));
        }
        if count {
            entry.1 += 1;
        }
        Ok(())
    }
}

/// The network one client controls: an IPv4 address, or an IPv6 /64 (one subscriber's
/// network, in which any address is theirs to pick).
fn network_of(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut segments = v6.segments();
                segments[4..].fill(0);
                IpAddr::V6(segments.into())
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ipv6_network_counts_as_one_client() {
        let limiter = RateLimiter::new(2, Duration::from_secs(60));
        let now = Instant::now();
        let a: IpAddr = "2001:db8:1:2::1".parse().expect("an address");
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().expect("an address");
        let elsewhere: IpAddr = "2001:db8:1:3::1".parse().expect("an address");
        assert_eq!(limiter.check_at(a, now, true), Ok(()));
        assert_eq!(limiter.check_at(b, now, true), Ok(()));
        assert!(limiter.check_at(a, now, true).is_err(), "same /64");
        assert_eq!(limiter.check_at(elsewhere, now, true), Ok(()));
        let mapped: IpAddr = "::ffff:10.0.0.1".parse().expect("an address");
        assert_eq!(network_of(mapped), IpAddr::from([10, 0, 0, 1]));
    }

    #[test]
    fn a_forgiven_request_frees_its_place() {
        let limiter = RateLimiter::new(2, Duration::from_secs(60));
        let a: IpAddr = [10, 0, 0, 1].into();
        assert_eq!(limiter.check(a), Ok(()));
        assert_eq!(limiter.check(a), Ok(()));
        assert!(limiter.check(a).is_err());
        limiter.forgive(a);
        assert_eq!(limiter.check(a), Ok(()), "one place was given back");
        assert!(limiter.check(a).is_err());
    }

    #[test]
    fn limits_each_address_within_its_window() {
        let limiter = RateLimiter::new(3, Duration::from_secs(60));
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        let start = Instant::now();
        for _ in 0..3 {
            assert_eq!(
                limiter.check_at(a, start, false),
                Ok(()),
                "looking counts nothing"
            );
            assert_eq!(limiter.check_at(a, start, true), Ok(()));
        }
        let retry = limiter.check_at(a, start + Duration::from_secs(20), false);
        assert_eq!(retry, Err(40));
        assert_eq!(
            limiter.check_at(b, start, true),
            Ok(()),
            "other addresses are not affected"
        );
        assert_eq!(
            limiter.check_at(a, start + Duration::from_secs(60), true),
            Ok(()),
            "a new window starts afresh"
        );
    }
}
