//! One poll cycle: fetch → sources → transforms → store → cycle report; and the digest:
//! pending stories → rendered digest → written to the store → sent.
//!
//! Feeds are processed concurrently (bounded by the fetcher); each feed task does its own
//! fetching, parsing, extraction, matching and claim reading, then hands small results to
//! one consumer that does dedup and store writes in order, so "earlier in this cycle" is
//! well defined. No task keeps a page after it has been read.
//!
//! The work is split by what it owns: `cycle` (the poll cycle: feed tasks, the consumer,
//! dedup and store writes), `claims` (claim storage and comparison), `digest` (building,
//! storing and sending digests) and `seed` (recording a corpus document as baseline).

use std::sync::Arc;

use anyhow::{Context as _, Result};

use crate::config::Config;
use crate::fetch::Fetcher;
use crate::store::StoreBackend;

mod alerts;
mod claims;
mod cycle;
mod digest;
pub mod outbox;
pub mod schedule_state;

/// The retention cutoff (`[retention] days` before `now`), None when kept for ever.
pub fn retention_cutoff(
    config: &crate::config::Config,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<chrono::DateTime<chrono::Utc>> {
    (config.retention_days > 0)
        .then(|| now - chrono::Duration::days(i64::from(config.retention_days)))
}
mod seed;
mod webhooks;

pub use alerts::{queue_alerts, send_alerts, send_queued_alerts};
pub use claims::{claim_entities, claim_report, record_claim};
pub use cycle::{analyse, body_fingerprint, item_text, poll, poll_due};
pub use digest::{
    build_digests, digest, digest_due, digest_tick, BuiltDigest, DigestMode, TickOutcome,
};
pub use seed::{seed_document, SeedDoc};
pub use webhooks::deliver as deliver_webhooks;

/// What a cycle needs from the outside world.
pub struct Context {
    pub config: Config,
    pub store: Arc<dyn StoreBackend>,
    pub fetcher: Arc<Fetcher>,
}

impl Context {
    pub fn new(config: Config, store: Box<dyn StoreBackend>) -> Result<Context> {
        let fetcher = Fetcher::new(&config.fetch.settings).context("building the HTTP client")?;
        Ok(Context {
            config,
            store: Arc::from(store),
            fetcher: Arc::new(fetcher),
        })
    }
}
