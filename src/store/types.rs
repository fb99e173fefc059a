//! The store's plain data: what the pipeline, the commands and the views read and write,
//! whatever backend keeps it. No I/O here.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::Digest as _;

use crate::fetch::Validators;
use crate::model::{ClaimStatus, StoredClaim};
use crate::transforms::fingerprint::Fingerprint;

/// Ids kept per band key: a band shared by many stories (a boilerplate-heavy source) keeps
/// its newest, so one lookup never reads an unbounded list.
pub const MAX_BAND_IDS: usize = 8;
/// How long the title and fingerprint tiers remember a story. Copies of a story arrive
/// within days; the URL/guid tier (`story_index`) remembers for ever.
pub const DEDUP_RETENTION_DAYS: i64 = 14;

/// A feed's seen set keeps at least this many entries (and 10 × the feed's length), so an
/// entry falls out of it only long after it left the feed.
pub const SEEN_PER_FEED_MIN: usize = 2000;

/// The hash a seen set keeps for an entry key (the first 8 bytes of its SHA-256, the same
/// bytes `stable_id` prints first, so schema-2 keys fold into it).
pub fn entry_hash(entry_key: &str) -> u64 {
    let digest = sha2::Sha256::digest(entry_key.as_bytes());
    let mut b = [0u8; 8];
    b.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(b)
}

/// The entries one feed carried before, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeenSet {
    order: Vec<u64>,
    index: HashSet<u64>,
}

impl SeenSet {
    pub fn contains(&self, entry_key: &str) -> bool {
        self.index.contains(&entry_hash(entry_key))
    }

    pub fn insert(&mut self, entry_key: &str) {
        self.insert_hash(entry_hash(entry_key));
    }

    pub(crate) fn insert_hash(&mut self, h: u64) {
        if self.index.insert(h) {
            self.order.push(h);
        }
    }

    /// The hashes kept, oldest first.
    pub(crate) fn hashes(&self) -> &[u64] {
        &self.order
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Forget the oldest entries beyond `max`.
    pub(crate) fn cap(&mut self, max: usize) {
        if self.order.len() > max {
            let drop = self.order.len() - max;
            for h in self.order.drain(..drop) {
                self.index.remove(&h);
            }
        }
    }

    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        self.order.iter().flat_map(|h| h.to_be_bytes()).collect()
    }

    pub(crate) fn from_bytes(bytes: &[u8]) -> SeenSet {
        let mut set = SeenSet::default();
        for chunk in bytes.chunks_exact(8) {
            let mut b = [0u8; 8];
            b.copy_from_slice(chunk);
            set.insert_hash(u64::from_be_bytes(b));
        }
        set
    }
}

/// The version of the export format (the `newswatch_export` field of its first line).
///
/// An export is UTF-8 JSON lines. The first line is the header,
/// `{"newswatch_export": 1, "schema_version": N, "created_at": "<RFC 3339>"}`; each other
/// line is one record, `{"tree": "<tree>", "key": …, "value": …}`, trees in name order and
/// records in key order. A key that is UTF-8 is written as a JSON string under `key`; any
/// other key is written as lower-case hex under `key_hex` instead. A value that is a JSON
/// document (most are) is written as that JSON, byte for byte, under `value`; any other
/// value (binary records, empty markers) as lower-case hex under `value_hex`.
pub const EXPORT_FORMAT: u64 = 1;

/// What to do about a damaged store; every error that finds damage ends with it.
pub const RECOVERY_HINT: &str = "the store looks damaged (an unclean stop, a full disk or a \
     killed container can do this): stop newswatch, save what can still be read with \
     `newswatch export --output FILE` (it says what it skipped), move the state_dir's `db` \
     folder aside, then run `newswatch import FILE` with your latest complete `newswatch \
     export`; or start with an empty state_dir instead: the feeds' items are seen again, and \
     those older than fetch.backfill_days are only marked seen, not mailed";

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ExportStats {
    pub schema_version: u64,
    /// Records per tree (trees with no record are listed with 0).
    pub trees: BTreeMap<String, u64>,
    pub records: u64,
    /// What could not be read (a damaged store): one line per problem, empty when the
    /// export is whole.
    pub skipped: Vec<String>,
}

/// What an import read.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportStats {
    /// The schema version the export was written at.
    pub from_schema_version: u64,
    /// True when the records were migrated to [`crate::store::SCHEMA_VERSION`] after loading.
    pub migrated: bool,
    pub trees: BTreeMap<String, u64>,
    pub records: u64,
}

/// Per-feed state, kept across cycles: what `feeds` shows.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct FeedState {
    pub url: String,
    pub name: Option<String>,
    pub last_attempt: Option<DateTime<Utc>>,
    pub last_success: Option<DateTime<Utc>>,
    pub consecutive_failures: u32,
    pub failing_since: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub items_seen: u64,
    pub validators: Validators,
    /// The feed URL discovered from an HTML page, when the configured URL was a page.
    #[serde(default)]
    pub discovered_url: Option<String>,
    /// When the daemon checks it next (backoff, freshness hints); `None`: at every poll.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_check: Option<DateTime<Utc>>,
    /// Failures in a row that count for the backoff (a cycle where the network was down
    /// does not count).
    #[serde(default)]
    pub backoff_failures: u32,
    /// Until when its host asked (429/503 `Retry-After`) to be left alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_hold_until: Option<DateTime<Utc>>,
    /// When it last carried a new entry (or was first read): how long it has been silent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_new_entry: Option<DateTime<Utc>>,
}

/// A story that matched a watchlist.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct StoredItem {
    pub id: String,
    pub url: String,
    pub title: String,
    pub feed_url: String,
    pub source: String,
    pub published: Option<DateTime<Utc>>,
    pub first_seen: DateTime<Utc>,
    pub watchlists: Vec<String>,
    pub entities: Vec<String>,
    /// Tree keys of the claims read from it (in the `claims` tree).
    pub claim_keys: Vec<Vec<u8>>,
    /// Syndicated copies seen after it: (source, url).
    pub also_reported_by: Vec<(String, String)>,
}

/// What [`Store::prune_old`] removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PruneStats {
    pub items: usize,
    pub digests: usize,
}

/// The first story seen under a normalised title.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TitleRecord {
    pub id: String,
    pub url: String,
    /// When it appeared (its published time, else when it was first seen).
    pub at: DateTime<Utc>,
}

/// A fingerprinted story as the fingerprint tier returns it.
#[derive(Debug, Clone, PartialEq)]
pub struct FingerprintHit {
    pub id: String,
    pub url: String,
    pub fingerprint: Fingerprint,
}

/// A stored claim with what it was compared with.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ClaimRecord {
    pub stored: StoredClaim,
    /// Entities the claim's sentence or story named.
    pub entities: Vec<String>,
    /// Tree keys of the stored claims it was compared with at the time.
    pub related: Vec<Vec<u8>>,
    /// For each related claim, how it relates: "contradicts", "agrees with", "earlier value".
    #[serde(default)]
    pub relations: Vec<String>,
    /// When an urgent alert (a watchlist's `alert_now`) was queued for it: the digest then
    /// no longer shows it as new.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alerted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DigestState {
    /// Written, not yet accepted by the transport.
    Queued,
    Sent,
    /// Refused permanently (a 5xx) `email.park_after` times in a row: no longer retried
    /// until `newswatch resend ID`; its stories stay held by it (never in another digest).
    Parked,
}

/// A digest as written before sending: resending it sends exactly this.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DigestRecord {
    pub id: String,
    pub message_id: String,
    pub created_at: DateTime<Utc>,
    pub recipients: Vec<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub item_ids: Vec<String>,
    pub claims: usize,
    pub state: DigestState,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
    /// When the daemon tries again (capped exponential backoff after a failure); `None`:
    /// at the next chance. Manual `digest`/`once`/`resend` try every queued one at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Permanent refusals (5xx) in a row; a temporary failure resets it.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub permanent_failures: u32,
    /// A digest, or an urgent alert (a short message of one claim; no stories held).
    #[serde(default, skip_serializing_if = "is_digest")]
    pub kind: DigestKind,
}

/// What a queued message is.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DigestKind {
    #[default]
    Digest,
    Alert,
    /// A JSON POST to a `[[webhooks]]` URL: `recipients` holds the URL, `subject` the
    /// event, `text` the JSON body.
    Webhook,
}

pub(crate) fn is_zero(n: &u32) -> bool {
    *n == 0
}

pub(crate) fn is_digest(k: &DigestKind) -> bool {
    *k == DigestKind::Digest
}

/// Why the store could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// Another process (the daemon, usually) holds the store.
    #[error("the store at {0} is in use by another newswatch process")]
    Locked(PathBuf),
    /// The files are damaged or records are missing; `message` ends with [`RECOVERY_HINT`].
    #[error("cannot open the store at {path}: {message}")]
    Damaged { path: PathBuf, message: String },
    #[error("cannot open the store at {path}: {message}")]
    Other { path: PathBuf, message: String },
}

/// The store failed while a command was using it (a read or write error, a record that
/// does not decode, a panic inside sled): fatal for the command, never a feed's error.
#[derive(Debug, thiserror::Error)]
#[error("the store failed: {message}; {RECOVERY_HINT}")]
pub struct StoreFailure {
    pub message: String,
}

/// The counts of stored claims per status, for summaries.
pub fn status_counts(records: &[(Vec<u8>, ClaimRecord)]) -> [(ClaimStatus, usize); 4] {
    let count = |s| records.iter().filter(|(_, r)| r.stored.status == s).count();
    [
        (ClaimStatus::New, count(ClaimStatus::New)),
        (ClaimStatus::Corroborates, count(ClaimStatus::Corroborates)),
        (ClaimStatus::Contradicts, count(ClaimStatus::Contradicts)),
        (ClaimStatus::Updates, count(ClaimStatus::Updates)),
    ]
}

/// One story's dedup question, asked at once: every tier's read for it (see
/// [`crate::store::StoreBackend::story_lookup`]).
#[derive(Debug, Clone, Copy)]
pub struct StoryQuery<'a> {
    /// The story's own id.
    pub id: &'a str,
    /// Its URL/guid keys (`u:…`, `g:…`).
    pub index_keys: &'a [String],
    /// Its normalised title key, when it has a title worth one.
    pub title_key: Option<&'a str>,
    /// Its body fingerprint, when it has a body.
    pub fingerprint: Option<&'a Fingerprint>,
}

/// What the store knows of a story, every tier answered.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoryLookup {
    /// The id stored first under one of its URL/guid keys.
    pub by_key: Option<String>,
    /// The stored item of `by_key` when that is the story's own id (a cycle that stopped
    /// before its feed's seen set was written).
    pub own_item: Option<StoredItem>,
    /// The first story under its title, with that story's body fingerprint if any.
    pub by_title: Option<(TitleRecord, Option<Fingerprint>)>,
    /// The stories sharing a fingerprint band with it (none without a fingerprint).
    pub fingerprint_hits: Vec<FingerprintHit>,
}

/// A story's fingerprint as the fingerprint tier indexes it.
#[derive(Debug, Clone, PartialEq)]
pub struct FingerprintEntry {
    pub id: String,
    pub url: String,
    pub fingerprint: Fingerprint,
    pub title_key: Option<String>,
    /// When it entered the tier (pruned after the dedup window).
    pub at: DateTime<Utc>,
}

/// Everything one feed entry writes, as one unit (see
/// [`crate::store::StoreBackend::commit_story`]); empty parts write nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoryWrite {
    /// The feed entry's key: marked seen in the feed's seen set once the rest is written.
    pub entry_key: String,
    /// URL/guid keys → the id of the first copy (a key already set keeps its story).
    pub index: Option<(Vec<String>, String)>,
    /// Title key → the first story under it.
    pub title: Option<(String, TitleRecord)>,
    /// The fingerprint tier's entry (it also records the dedup time).
    pub fingerprint: Option<FingerprintEntry>,
    /// Without a fingerprint: the id and title key whose title entry is pruned with the
    /// dedup window, and from when.
    pub dedup_time: Option<(String, Option<String>, DateTime<Utc>)>,
    /// Claims with the tree keys from [`crate::store::StoreBackend::new_claim_key`].
    pub claims: Vec<(Vec<u8>, ClaimRecord)>,
    /// A story that waits for the digest.
    pub pending: Option<String>,
    /// The item to write (a new story, or the first copy with one more reporter).
    pub item: Option<StoredItem>,
}

/// What [`crate::store::StoreBackend::commit_story`] did with a story's writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Committed {
    /// Written (or nothing was asked but the seen mark).
    Stored,
    /// Another instance sharing the store took one of the story's URL/guid or title keys
    /// between this story's lookup and its writes: nothing was written and the entry is
    /// not marked seen. The caller looks the story up again; it is now a copy.
    LostRace,
}

/// A lock on claim subjects (see [`crate::store::StoreBackend::lock_claim_subjects`]),
/// held until dropped.
#[must_use = "the lock is released when this is dropped"]
pub struct ClaimLock {
    _held: Option<Box<dyn Send>>,
}

impl ClaimLock {
    /// Nothing to hold (one process owns the store).
    pub fn none() -> ClaimLock {
        ClaimLock { _held: None }
    }

    /// Held until `guard` is dropped.
    pub fn held(guard: Box<dyn Send>) -> ClaimLock {
        ClaimLock { _held: Some(guard) }
    }
}

impl std::fmt::Debug for ClaimLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClaimLock")
            .field("held", &self._held.is_some())
            .finish()
    }
}

/// What a named lease is (see [`crate::store::StoreBackend::lease_state`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeaseState {
    /// Nobody holds it (never taken, released or expired).
    Free,
    /// An instance holds it until then.
    Held { owner: String, until: DateTime<Utc> },
    /// Finished for good: never taken again.
    Finished,
}

/// The name of the lease on one feed's poll.
pub fn feed_lease(url: &str) -> String {
    format!("feed:{url}")
}

/// The name of the lease on one digest schedule tick (one digest per tick for all the
/// instances sharing a store).
pub fn digest_tick_lease(tick: DateTime<Utc>) -> String {
    format!(
        "digest-tick:{}",
        tick.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    )
}

/// The name of the lease on sending one queued digest, alert or webhook message.
pub fn send_lease(digest_id: &str) -> String {
    format!("send:{digest_id}")
}

/// The lease held while digests are built from `pending` (so that two instances never
/// put one story in two digests).
pub const DIGEST_BUILD_LEASE: &str = "digest-build";
