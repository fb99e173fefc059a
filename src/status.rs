//! `newswatch status`: the daemon at a glance. What the running daemon knows of itself
//! (`Live`: when it started, its last and next poll and digest) joined with what the store
//! says (feeds by status, the digest queue, the store's size and contents), rendered as
//! text, as JSON, or as systemd's one-line `STATUS=`.
//!
//! Gathering reads the store; rendering is pure.

use std::fmt::Write as _;

use anyhow::Result;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::store::{DigestKind, StoreBackend};

/// What the running daemon knows of itself; kept by the scheduler.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Live {
    pub pid: u32,
    pub started_at: Option<DateTime<Utc>>,
    /// The job running now (`poll` or `digest`) and since when.
    pub job: Option<String>,
    pub job_started: Option<DateTime<Utc>>,
    pub last_poll_finished: Option<DateTime<Utc>>,
    /// Why the last poll cycle failed as a whole (a store failure), if it did.
    pub last_poll_error: Option<String>,
    pub next_poll: Option<DateTime<Utc>>,
    pub last_digest_finished: Option<DateTime<Utc>>,
    pub next_digest: Option<DateTime<Utc>>,
    /// When the config in force was read (start or the last good reload).
    pub config_loaded_at: Option<DateTime<Utc>>,
}

impl Live {
    /// Healthy unless no poll cycle has finished for two poll periods (counted from the
    /// start while none has finished yet).
    pub fn healthy(&self, now: DateTime<Utc>, poll_period: chrono::Duration) -> bool {
        let Some(since) = self.last_poll_finished.or(self.started_at) else {
            return true;
        };
        now - since <= poll_period * 2
    }
}

/// What the running daemon shares between its scheduler, its control socket and its
/// metrics endpoint: the config in force (replaced whole by a good reload), its own
/// view of itself, and the metrics.
pub struct DaemonState {
    config: std::sync::RwLock<std::sync::Arc<Config>>,
    live: std::sync::Mutex<Live>,
    pub metrics: crate::metrics::Metrics,
}

impl DaemonState {
    pub fn new(config: Config, live: Live) -> DaemonState {
        DaemonState {
            config: std::sync::RwLock::new(std::sync::Arc::new(config)),
            live: std::sync::Mutex::new(live),
            metrics: crate::metrics::Metrics::new(),
        }
    }

    /// The config in force.
    pub fn config(&self) -> std::sync::Arc<Config> {
        match self.config.read() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn set_config(&self, config: std::sync::Arc<Config>) {
        match self.config.write() {
            Ok(mut g) => *g = config,
            Err(poisoned) => *poisoned.into_inner() = config,
        }
    }

    /// A copy of the daemon's view of itself.
    pub fn live(&self) -> Live {
        match self.live.lock() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn update(&self, f: impl FnOnce(&mut Live)) {
        match self.live.lock() {
            Ok(mut g) => f(&mut g),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }
}

/// The time between two firings of the poll schedule after `now` (what "a poll period"
/// means for a cron schedule); a schedule that never fires again counts as one day.
pub fn poll_period(config: &Config, now: DateTime<Utc>) -> chrono::Duration {
    let tz = config.schedule.timezone;
    let first = config.schedule.poll.next_after(now, tz);
    let second = first.and_then(|f| config.schedule.poll.next_after(f, tz));
    match (first, second) {
        (Some(a), Some(b)) if b > a => b - a,
        _ => chrono::Duration::days(1),
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Status {
    pub daemon: DaemonStatus,
    pub poll: Schedule,
    pub digest: Schedule,
    pub feeds: FeedCounts,
    pub digest_queue: Queue,
    pub store: StoreStatus,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DaemonStatus {
    pub running: bool,
    pub pid: Option<u32>,
    pub started_at: Option<String>,
    /// `poll` or `digest` while one runs.
    pub job: Option<String>,
    pub job_started: Option<String>,
    pub config_loaded_at: Option<String>,
    /// False when no poll cycle finished for two poll periods (what /healthz says).
    pub healthy: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Schedule {
    /// The schedule as written in the config.
    pub schedule: String,
    /// The last one that finished: known to the daemon, else read from the store (the
    /// newest feed attempt; the newest digest sent).
    pub last: Option<String>,
    /// Only while the daemon runs.
    pub next: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FeedCounts {
    pub total: usize,
    pub ok: usize,
    pub failing: usize,
    pub never_polled: usize,
    pub oldest_failing: Option<FailingFeed>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FailingFeed {
    pub url: String,
    pub name: Option<String>,
    pub since: Option<String>,
    pub consecutive_failures: u32,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Queue {
    /// Digests, alerts and webhook messages written but not yet accepted.
    pub queued: usize,
    pub oldest_queued: Option<String>,
    pub last_sent: Option<String>,
    /// The last send error of a message still queued.
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StoreStatus {
    pub path: String,
    pub size_bytes: u64,
    pub items: usize,
    pub claims: usize,
}

fn ts(d: Option<DateTime<Utc>>) -> Option<String> {
    d.map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// Read what the store says and join it with the daemon's own view (`None`: no daemon).
pub fn gather(
    store: &dyn StoreBackend,
    config: &Config,
    live: Option<&Live>,
    now: DateTime<Utc>,
) -> Result<Status> {
    let states: std::collections::BTreeMap<String, crate::store::FeedState> = store
        .all_feed_states()?
        .into_iter()
        .map(|s| (s.url.clone(), s))
        .collect();
    let (mut ok, mut failing, mut never) = (0, 0, 0);
    let mut oldest: Option<(DateTime<Utc>, FailingFeed)> = None;
    let mut last_attempt: Option<DateTime<Utc>> = None;
    for f in &config.feeds {
        let Some(s) = states.get(&f.url) else {
            never += 1;
            continue;
        };
        last_attempt = last_attempt.max(s.last_attempt);
        if s.last_attempt.is_none() {
            never += 1;
        } else if s.consecutive_failures > 0 {
            failing += 1;
            let since = s.failing_since.or(s.last_attempt).unwrap_or(now);
            if oldest.as_ref().is_none_or(|(t, _)| since < *t) {
                oldest = Some((
                    since,
                    FailingFeed {
                        url: f.url.clone(),
                        name: f.name.clone().or_else(|| s.name.clone()),
                        since: ts(Some(since)),
                        consecutive_failures: s.consecutive_failures,
                        error: s.last_error.clone(),
                    },
                ));
            }
        } else {
            ok += 1;
        }
    }
    let queued = store.queued_digests()?;
    let last_sent = store.last_sent_digest()?;
    let healthy = live.map(|l| l.healthy(now, poll_period(config, now)));
    let last_digest = live
        .and_then(|l| l.last_digest_finished)
        .or(last_sent.as_ref().and_then(|d| d.sent_at));
    Ok(Status {
        daemon: DaemonStatus {
            running: live.is_some(),
            pid: live.map(|l| l.pid),
            started_at: ts(live.and_then(|l| l.started_at)),
            job: live.and_then(|l| l.job.clone()),
            job_started: ts(live.and_then(|l| l.job_started)),
            config_loaded_at: ts(live.and_then(|l| l.config_loaded_at)),
            healthy,
        },
        poll: Schedule {
            schedule: config.schedule.poll.expr.clone(),
            last: ts(live.and_then(|l| l.last_poll_finished).or(last_attempt)),
            next: ts(live.and_then(|l| l.next_poll)),
            last_error: live.and_then(|l| l.last_poll_error.clone()),
        },
        digest: Schedule {
            schedule: config.schedule.digest.expr.clone(),
            last: ts(last_digest),
            next: ts(live.and_then(|l| l.next_digest)),
            last_error: None,
        },
        feeds: FeedCounts {
            total: config.feeds.len(),
            ok,
            failing,
            never_polled: never,
            oldest_failing: oldest.map(|(_, f)| f),
        },
        digest_queue: Queue {
            queued: queued.len(),
            oldest_queued: ts(queued.first().map(|d| d.created_at)),
            last_sent: ts(last_sent.and_then(|d| d.sent_at)),
            last_error: queued.iter().rev().find_map(|d| {
                d.last_error.as_ref().map(|e| match d.kind {
                    DigestKind::Digest => e.clone(),
                    DigestKind::Alert => format!("alert: {e}"),
                    DigestKind::Webhook => format!("webhook: {e}"),
                })
            }),
        },
        store: StoreStatus {
            // A PostgreSQL store is where the database is (password redacted).
            path: match &config.store.url {
                Some(url) => crate::config::redact_url_password(url),
                None => store.path().display().to_string(),
            },
            size_bytes: store.size_on_disk()?,
            items: store.item_count(),
            claims: store.claim_count(),
        },
    })
}

/// "12.3 MB": sizes as an operator reads them (powers of 1000, like `df -H`).
pub fn human_size(bytes: u64) -> String {
    let units = ["B", "kB", "MB", "GB", "TB"];
    let mut v = bytes as f64;
    let mut u = 0;
    while v >= 1000.0 && u + 1 < units.len() {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{bytes} B")
    } else {
        format!("{v:.1} {}", units[u])
    }
}

/// The status for a person, one fact per line.
pub fn render_text(s: &Status) -> String {
    use crate::views::count;
    let mut out = String::new();
    let or_never = |v: &Option<String>| v.clone().unwrap_or_else(|| "never".into());
    if s.daemon.running {
        let _ = write!(
            out,
            "daemon: running (pid {}, since {})",
            s.daemon.pid.unwrap_or_default(),
            s.daemon.started_at.as_deref().unwrap_or("?")
        );
        if let (Some(job), Some(since)) = (&s.daemon.job, &s.daemon.job_started) {
            let _ = write!(out, "; {job} running since {since}");
        }
        if s.daemon.healthy == Some(false) {
            out.push_str("; UNHEALTHY: no poll cycle finished for two poll periods");
        }
        out.push('\n');
    } else {
        out.push_str("daemon: not running\n");
    }
    for (what, sched) in [("poll", &s.poll), ("digest", &s.digest)] {
        let _ = write!(
            out,
            "{what}: last {}, next {} ({})",
            or_never(&sched.last),
            sched
                .next
                .clone()
                .unwrap_or_else(|| if s.daemon.running { "none" } else { "—" }.into()),
            sched.schedule
        );
        if let Some(e) = &sched.last_error {
            let _ = write!(out, "; last error: {e}");
        }
        out.push('\n');
    }
    let f = &s.feeds;
    let _ = writeln!(
        out,
        "feeds: {} ok, {} failing, {} never polled ({})",
        f.ok,
        f.failing,
        f.never_polled,
        count(f.total, "feed", "feeds")
    );
    if let Some(o) = &f.oldest_failing {
        let _ = writeln!(
            out,
            "  oldest failing: {} since {} (×{}): {}",
            o.name.as_deref().unwrap_or(&o.url),
            o.since.as_deref().unwrap_or("?"),
            o.consecutive_failures,
            o.error.as_deref().unwrap_or("unknown error")
        );
    }
    let q = &s.digest_queue;
    let _ = write!(out, "digest queue: {} queued", q.queued);
    if let Some(o) = &q.oldest_queued {
        let _ = write!(out, " (oldest {o})");
    }
    let _ = writeln!(out, "; last sent {}", or_never(&q.last_sent));
    if let Some(e) = &q.last_error {
        let _ = writeln!(out, "  last error: {e}");
    }
    let _ = writeln!(
        out,
        "store: {}, {}, {} ({})",
        human_size(s.store.size_bytes),
        count(s.store.items, "item", "items"),
        count(s.store.claims, "claim", "claims"),
        s.store.path
    );
    out
}

/// systemd's `STATUS=`: the same in one line.
pub fn one_line(s: &Status) -> String {
    let hm = |v: &Option<String>| {
        v.as_deref()
            .and_then(|t| t.get(11..16))
            .unwrap_or("never")
            .to_string()
    };
    let mut line = format!(
        "poll {} (next {}); feeds {} ok, {} failing, {} never polled; queue {}; store {}, {} items, {} claims",
        hm(&s.poll.last),
        hm(&s.poll.next),
        s.feeds.ok,
        s.feeds.failing,
        s.feeds.never_polled,
        s.digest_queue.queued,
        human_size(s.store.size_bytes),
        s.store.items,
        s.store.claims
    );
    if s.daemon.healthy == Some(false) {
        line.insert_str(0, "UNHEALTHY: ");
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn health_turns_after_two_poll_periods_without_a_finished_cycle() {
        let period = chrono::Duration::minutes(15);
        let live = Live {
            started_at: Some(t("2026-12-01T10:00:00Z")),
            last_poll_finished: Some(t("2026-12-01T10:01:00Z")),
            ..Live::default()
        };
        assert!(live.healthy(t("2026-12-01T10:31:00Z"), period));
        assert!(!live.healthy(t("2026-12-01T10:31:01Z"), period));
        let starting = Live {
            started_at: Some(t("2026-12-01T10:00:00Z")),
            ..Live::default()
        };
        assert!(starting.healthy(t("2026-12-01T10:20:00Z"), period));
        assert!(!starting.healthy(t("2026-12-01T10:45:00Z"), period));
    }

    #[test]
    fn sizes_read_like_df() {
        let table = [
            (0, "0 B"),
            (999, "999 B"),
            (1000, "1.0 kB"),
            (12_345_678, "12.3 MB"),
        ];
        for (bytes, want) in table {
            assert_eq!(human_size(bytes), want);
        }
    }
}
