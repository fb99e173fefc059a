//! When the daemon checks a feed next (pure: the caller passes the clock and the jitter).
//!
//! After a success, a feed that says how long its document stays fresh (RSS `ttl`,
//! `Cache-Control: max-age`, `Expires`) is not fetched again before then (capped); otherwise
//! it is due at every poll. After a failure it waits a capped exponential backoff with
//! jitter, or the server's `Retry-After` if longer (a 429/503 holds its whole host); it is
//! never given up. When every feed of a cycle failed to connect (the network is down), no
//! feed is penalised. `once` and `poll` ignore all of this and fetch every feed.

use chrono::{DateTime, Duration, Utc};

/// From `[fetch]`: `retry_min_secs`, `retry_max_secs`, `max_check_interval_secs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedRetry {
    /// The wait after a feed's first failure; doubled after each further one.
    pub min_secs: u64,
    /// The longest wait after failures: a failing feed is still tried this often, for ever.
    pub max_secs: u64,
    /// The longest a freshness hint (`ttl`, `max-age`, `Expires`, `Retry-After`) may put
    /// off a feed's next check.
    pub max_hint_secs: u64,
}

impl Default for FeedRetry {
    fn default() -> FeedRetry {
        FeedRetry {
            min_secs: 300,
            max_secs: 6 * 3600,
            max_hint_secs: 24 * 3600,
        }
    }
}

/// What a feed's last document or error said about when to come back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hints {
    /// RSS `<ttl>`, in minutes.
    pub ttl_mins: Option<u32>,
    /// `Cache-Control: max-age`, or `Expires` minus now, in seconds.
    pub fresh_secs: Option<u64>,
    /// `Retry-After` of a 429 or 503, in seconds.
    pub retry_after_secs: Option<u64>,
}

fn secs(n: u64) -> Duration {
    Duration::seconds(
        i64::try_from(n)
            .unwrap_or(i64::MAX / 1000)
            .min(10 * 365 * 86_400),
    )
}

/// The next check after a successful fetch: `None` means at the next poll.
pub fn after_success(now: DateTime<Utc>, hints: Hints, policy: FeedRetry) -> Option<DateTime<Utc>> {
    let ttl = hints.ttl_mins.map(|m| u64::from(m) * 60);
    let wait = ttl.into_iter().chain(hints.fresh_secs).max()?;
    (wait > 0).then(|| now + secs(wait.min(policy.max_hint_secs)))
}

/// The next check after the `failures`-th failure in a row (≥ 1): `min · 2^(failures−1)`
/// capped at `max`, less up to a quarter of it by `jitter` (in 0..1) so that feeds failing
/// together do not come back together; never earlier than the server's `Retry-After`
/// (itself capped).
pub fn after_failure(
    now: DateTime<Utc>,
    failures: u32,
    hints: Hints,
    policy: FeedRetry,
    jitter: f64,
) -> DateTime<Utc> {
    let shift = failures.saturating_sub(1).min(40);
    let base = policy
        .min_secs
        .saturating_mul(1u64 << shift)
        .min(policy.max_secs.max(policy.min_secs));
    let jitter = jitter.clamp(0.0, 1.0);
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let off = ((base as f64) * 0.25 * jitter) as u64;
    let backoff = base.saturating_sub(off).max(1);
    let retry_after = hints
        .retry_after_secs
        .map_or(0, |s| s.min(policy.max_hint_secs));
    now + secs(backoff.max(retry_after))
}

/// Whether the failures of a cycle look like the machine's network, not the feeds: every
/// feed attempted failed, at least two, and each failed to connect or resolve.
pub fn network_down(attempted: usize, connect_failures: usize, failures: usize) -> bool {
    attempted >= 2 && failures == attempted && connect_failures == attempted
}

/// A number in 0..1 that differs between feeds and attempts, for the jitter.
pub fn jitter_for(url: &str, failures: u32, now: DateTime<Utc>) -> f64 {
    use sha2::Digest as _;
    let h = sha2::Sha256::digest(format!("{url}|{failures}|{}", now.timestamp_micros()));
    let n = u16::from_be_bytes([h[0], h[1]]);
    f64::from(n) / f64::from(u16::MAX)
}

/// The seconds a `Retry-After` value asks for: a number, or an HTTP date.
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<u64> {
    let v = value.trim();
    if let Ok(n) = v.parse::<u64>() {
        return Some(n);
    }
    let at = DateTime::parse_from_rfc2822(v).ok()?.with_timezone(&Utc);
    Some(u64::try_from((at - now).num_seconds()).unwrap_or(0))
}

/// The freshness a response declares: `Cache-Control: max-age` (ignored with `no-cache` or
/// `no-store`), else `Expires` minus now.
pub fn parse_freshness(
    cache_control: Option<&str>,
    expires: Option<&str>,
    now: DateTime<Utc>,
) -> Option<u64> {
    if let Some(cc) = cache_control {
        let mut max_age = None;
        for part in cc.split(',') {
            let part = part.trim().to_ascii_lowercase();
            if part == "no-cache" || part == "no-store" {
                return None;
            }
            if let Some(n) = part.strip_prefix("max-age=") {
                max_age = n.trim_matches('"').parse::<u64>().ok();
            }
        }
        if max_age.is_some() {
            return max_age;
        }
    }
    let at = DateTime::parse_from_rfc2822(expires?.trim())
        .ok()?
        .with_timezone(&Utc);
    u64::try_from((at - now).num_seconds()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-06T07:00:00Z")
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default()
    }

    const P: FeedRetry = FeedRetry {
        min_secs: 300,
        max_secs: 3600,
        max_hint_secs: 86_400,
    };

    #[test]
    fn a_success_waits_for_the_longest_freshness_hint_capped() {
        let at = |h: Hints| after_success(t0(), h, P).map(|t| (t - t0()).num_seconds());
        assert_eq!(at(Hints::default()), None);
        let ttl = Hints {
            ttl_mins: Some(60),
            ..Default::default()
        };
        assert_eq!(at(ttl), Some(3600));
        let both = Hints {
            ttl_mins: Some(10),
            fresh_secs: Some(1800),
            ..Default::default()
        };
        assert_eq!(at(both), Some(1800));
        let huge = Hints {
            fresh_secs: Some(10 * 86_400),
            ..Default::default()
        };
        assert_eq!(at(huge), Some(86_400));
        let zero = Hints {
            fresh_secs: Some(0),
            ..Default::default()
        };
        assert_eq!(at(zero), None);
    }

    #[test]
    fn failures_back_off_exponentially_with_jitter_and_a_cap_never_giving_up() {
        let wait = |n, j| (after_failure(t0(), n, Hints::default(), P, j) - t0()).num_seconds();
        assert_eq!(
            [1, 2, 3, 4, 5, 50].map(|n| wait(n, 0.0)),
            [300, 600, 1200, 2400, 3600, 3600]
        );
        // Jitter takes off at most a quarter.
        assert_eq!(wait(1, 1.0), 225);
        assert!((225..=300).contains(&wait(1, 0.5)));
        assert_eq!(wait(u32::MAX, 1.0), 2700);
    }

    #[test]
    fn retry_after_is_honoured_when_longer_than_the_backoff() {
        let h = Hints {
            retry_after_secs: Some(7200),
            ..Default::default()
        };
        assert_eq!(
            (after_failure(t0(), 1, h, P, 0.0) - t0()).num_seconds(),
            7200
        );
        let short = Hints {
            retry_after_secs: Some(5),
            ..Default::default()
        };
        assert_eq!(
            (after_failure(t0(), 1, short, P, 0.0) - t0()).num_seconds(),
            300
        );
    }

    #[test]
    fn network_down_only_when_everything_failed_to_connect() {
        assert!(network_down(3, 3, 3));
        assert!(!network_down(3, 2, 3), "one feed failed otherwise");
        assert!(!network_down(3, 2, 2), "one feed worked");
        assert!(
            !network_down(1, 1, 1),
            "one feed says nothing about the network"
        );
    }

    #[test]
    fn headers_are_read() {
        assert_eq!(parse_retry_after("120", t0()), Some(120));
        assert_eq!(
            parse_retry_after("Sun, 06 Dec 2026 08:00:00 GMT", t0()),
            Some(3600)
        );
        assert_eq!(parse_retry_after("soon", t0()), None);
        assert_eq!(
            parse_freshness(Some("public, max-age=900"), None, t0()),
            Some(900)
        );
        assert_eq!(
            parse_freshness(Some("no-cache, max-age=900"), None, t0()),
            None
        );
        assert_eq!(
            parse_freshness(None, Some("Sun, 06 Dec 2026 07:30:00 GMT"), t0()),
            Some(1800)
        );
        assert_eq!(
            parse_freshness(None, Some("Sun, 06 Dec 2026 06:30:00 GMT"), t0()),
            None
        );
        assert_eq!(parse_freshness(None, None, t0()), None);
        let j = jitter_for("http://a/", 1, t0());
        assert!((0.0..=1.0).contains(&j));
    }
}
