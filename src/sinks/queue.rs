//! What happens to a queued message (digest, alert, webhook) after a failed send: when to
//! try again (capped exponential backoff) and when to stop trying (a permanent refusal,
//! repeated, parks it). Pure: the caller passes the clock and the failure's kind.

use chrono::{DateTime, Duration, Utc};

/// How a queue retries; from `[email]` `retry_min_secs`, `retry_max_secs`, `park_after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The wait after the first failure; doubled after each further one.
    pub min_secs: u64,
    /// The longest wait between two attempts.
    pub max_secs: u64,
    /// Permanent refusals in a row after which a message is parked (not retried until
    /// `newswatch resend`).
    pub park_after: u32,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            min_secs: 60,
            max_secs: 3600,
            park_after: 5,
        }
    }
}

/// What kind of failure a send ended in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// No answer, a refused connection, a 4xx: the next attempt may succeed.
    Transient,
    /// A 5xx: the server will refuse the same message again.
    Permanent,
}

/// What to do with a message after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Keep it queued; the daemon tries again at this time.
    RetryAt {
        at: DateTime<Utc>,
        permanent_failures: u32,
    },
    /// Stop trying until an operator says `newswatch resend ID`.
    Park { permanent_failures: u32 },
}

impl RetryPolicy {
    /// The wait before attempt `attempts + 1`, after `attempts` failed ones (≥ 1):
    /// `min · 2^(attempts−1)`, never more than `max`.
    pub fn delay(&self, attempts: u32) -> Duration {
        let shift = attempts.saturating_sub(1).min(40);
        let secs = self
            .min_secs
            .saturating_mul(1u64 << shift)
            .min(self.max_secs.max(self.min_secs));
        Duration::seconds(i64::try_from(secs).unwrap_or(i64::MAX / 1000))
    }

    /// After a failed attempt (`attempts` counts it; `permanent_failures` the permanent
    /// refusals in a row before it): retry later, or park.
    pub fn after_failure(
        &self,
        attempts: u32,
        permanent_failures: u32,
        failure: Failure,
        now: DateTime<Utc>,
    ) -> Next {
        let permanent_failures = match failure {
            Failure::Permanent => permanent_failures.saturating_add(1),
            Failure::Transient => 0,
        };
        if failure == Failure::Permanent && permanent_failures >= self.park_after.max(1) {
            return Next::Park { permanent_failures };
        }
        Next::RetryAt {
            at: now + self.delay(attempts),
            permanent_failures,
        }
    }
}

/// Whether a queued message is due at `now` (the daemon honours the backoff; manual
/// commands try every queued message).
pub fn is_due(next_attempt_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    next_attempt_at.is_none_or(|at| at <= now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-06T07:00:00Z")
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default()
    }

    #[test]
    fn waits_double_and_stop_growing_at_the_cap() {
        let p = RetryPolicy {
            min_secs: 60,
            max_secs: 600,
            park_after: 3,
        };
        let waits: Vec<i64> = (1..=7).map(|n| p.delay(n).num_seconds()).collect();
        assert_eq!(waits, [60, 120, 240, 480, 600, 600, 600]);
        // However many attempts, no overflow and still the cap.
        assert_eq!(p.delay(u32::MAX).num_seconds(), 600);
    }

    #[test]
    fn a_temporary_failure_is_retried_for_ever() {
        let p = RetryPolicy::default();
        for attempts in [1, 10, 1000] {
            match p.after_failure(attempts, 0, Failure::Transient, t0()) {
                Next::RetryAt {
                    at,
                    permanent_failures,
                } => {
                    assert!(at > t0());
                    assert_eq!(permanent_failures, 0);
                }
                Next::Park { .. } => panic!("parked after a temporary failure"),
            }
        }
    }

    #[test]
    fn permanent_refusals_in_a_row_park_the_message() {
        let p = RetryPolicy {
            min_secs: 1,
            max_secs: 10,
            park_after: 3,
        };
        let mut permanent = 0;
        let mut outcomes = Vec::new();
        for attempt in 1..=3 {
            let next = p.after_failure(attempt, permanent, Failure::Permanent, t0());
            if let Next::RetryAt {
                permanent_failures, ..
            } = next
            {
                permanent = permanent_failures;
            }
            outcomes.push(matches!(next, Next::Park { .. }));
        }
        assert_eq!(outcomes, [false, false, true]);
        // A temporary failure in between starts the count again.
        assert!(matches!(
            p.after_failure(4, 2, Failure::Transient, t0()),
            Next::RetryAt {
                permanent_failures: 0,
                ..
            }
        ));
    }

    #[test]
    fn due_when_no_time_is_set_or_the_time_has_come() {
        assert!(is_due(None, t0()));
        assert!(is_due(Some(t0()), t0()));
        assert!(!is_due(Some(t0() + Duration::seconds(1)), t0()));
    }
}
