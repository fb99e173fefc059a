//! The interface the pipeline, the commands, the control socket and the views use to reach
//! the store, whatever keeps it. Object-safe (`&dyn StoreBackend`, `Arc<dyn StoreBackend>`):
//! the backend is chosen when the store is opened, and a virtual call costs nothing next
//! to a read from disk or over a network.

use std::path::Path;

use anyhow::Result;
use chrono::{DateTime, Utc};

use super::types::*;

/// Every store operation newswatch makes. Implemented by [`super::sled::SledStore`].
/// Implementations are shared between tasks (`Send + Sync`) and take `&self`.
pub trait StoreBackend: Send + Sync {
    /// Mark the store as failed: closing it will not record it as clean, so the next open
    /// checks it as after a crash.
    fn mark_failed(&self);

    fn path(&self) -> &Path;

    /// Write everything to disk; called after each cycle and on shutdown.
    fn flush(&self) -> Result<()>;

    /// Write every tree's records as JSON lines (the format is at [`EXPORT_FORMAT`]): each
    /// tree is read once, in key order. Taken while the daemon runs, each record is
    /// whole, but a cycle running at the same time may be caught half-written (as after a
    /// crash, which the next cycle repairs).
    ///
    /// A damaged store is exported as far as it can be read: a tree that fails part-way
    /// is read on from its end backwards down to the last record read, and what was
    /// skipped (and the trees holding fewer records than newswatch recorded) is listed in
    /// [`ExportStats::skipped`]. Only a failure to write `out` is an error.
    fn export(&self, out: &mut dyn std::io::Write) -> Result<ExportStats>;

    /// True when no tree holds a record (meta's own version records aside).
    fn is_empty(&self) -> Result<bool>;

    /// Load an export (see [`EXPORT_FORMAT`]) into this store, which must be empty, then
    /// migrate it when it was written at an older schema version. A bad line fails the
    /// whole import with its line number, and the store is left empty again.
    fn import(&self, input: &mut dyn std::io::BufRead) -> Result<ImportStats>;

    fn feed_state(&self, url: &str) -> Result<Option<FeedState>>;

    fn put_feed_state(&self, state: &FeedState) -> Result<()>;

    /// Every feed state (for `feeds` and the digest footer: one read per feed, not per item).
    fn all_feed_states(&self) -> Result<Vec<FeedState>>;

    /// What this feed carried before (empty for a feed never polled).
    fn seen_set(&self, feed_url: &str) -> Result<SeenSet>;

    /// Write a feed's seen set, capped to `max(SEEN_PER_FEED_MIN, 10 × feed_len)` entries.
    fn put_seen_set(&self, feed_url: &str, set: &mut SeenSet, feed_len: usize) -> Result<()>;

    /// Index a story under its keys (a key already taken keeps its first owner).
    fn index_story(&self, keys: &[String], id: &str) -> Result<()>;

    /// Forget the title and fingerprint entries of stories that appeared before `before`:
    /// a range read from the start of `fp_by_time`, so the cost is what is removed.
    fn prune_dedup(&self, before: DateTime<Utc>) -> Result<usize>;

    fn item(&self, id: &str) -> Result<Option<StoredItem>>;

    /// Retention: remove the stories first seen before `before` that no digest still waits
    /// for (not pending), and the sent digests and alerts sent before it. What dedup needs
    /// stays (the URL/guid index, the feeds' seen sets; the title and fingerprint tiers
    /// prune themselves after 14 days), and so do claims (each carries its own quote,
    /// source and URL). One pass over `items` and `digests` (run once a day, not per item).
    ///
    /// `items` and `digests` are trees the integrity record expects never to shrink, so
    /// the record is written first with the counts that will remain (a stop before the
    /// deletes then finds more records than recorded, which is fine), then again after.
    fn prune_old(&self, before: DateTime<Utc>) -> Result<PruneStats>;

    fn put_item(&self, item: &StoredItem) -> Result<()>;

    fn pending_ids(&self) -> Result<Vec<String>>;

    /// Record a digest as sent and take its stories out of `pending`, atomically: a stop
    /// can never leave a sent digest whose stories would be mailed again.
    fn mark_digest_sent(&self, record: &DigestRecord) -> Result<()>;

    /// A fresh number, unique in this store (for digest ids).
    fn next_id(&self) -> Result<u64>;

    /// The distinct comparison keys that start with `prefix` (at most `cap`), read by
    /// jumping from key to key: the cost is the number of keys, not of claims.
    fn claim_keys_under(&self, prefix: &str, cap: usize) -> Result<Vec<String>>;

    /// The newest `limit` stored claims under one comparison key, oldest first. A new claim
    /// is compared with these: the cost per claim stays bounded however often a figure is
    /// repeated.
    fn recent_claims_for_key(&self, key: &str, limit: usize)
        -> Result<Vec<(Vec<u8>, ClaimRecord)>>;

    fn claim(&self, tree_key: &[u8]) -> Result<Option<ClaimRecord>>;

    /// Update the status / related links of a stored claim in place.
    fn update_claim(&self, tree_key: &[u8], record: &ClaimRecord) -> Result<()>;

    /// Claims about one entity (by the entity index), or every claim.
    fn claims_list(&self, entity: Option<&str>) -> Result<Vec<(Vec<u8>, ClaimRecord)>>;

    fn put_digest(&self, d: &DigestRecord) -> Result<()>;

    /// Digests written but not yet accepted by the transport and not parked, oldest first.
    fn queued_digests(&self) -> Result<Vec<DigestRecord>>;

    /// One stored digest (or alert, or webhook message) by its id.
    fn digest_record(&self, id: &str) -> Result<Option<DigestRecord>>;

    /// Digests written but not yet accepted by the transport, queued or parked, oldest
    /// first (read through the `queued` index: sent digests are never read again).
    fn unsent_digests(&self) -> Result<Vec<DigestRecord>>;

    /// The newest digest (or alert, or webhook message) the transport accepted. Ids sort
    /// by creation time, so this reads from the newest back to the first sent one.
    fn last_sent_digest(&self) -> Result<Option<DigestRecord>>;

    /// Stories stored (counts the tree: for status, not for a cycle's path).
    fn item_count(&self) -> usize;

    /// Claims stored.
    fn claim_count(&self) -> usize;

    /// What sled's files take on disk.
    fn size_on_disk(&self) -> Result<u64>;

    fn seed_doc_recorded(&self, key: &str) -> Result<bool>;

    fn mark_seed_doc(&self, key: &str) -> Result<()>;

    /// Every dedup tier's read for one story as one question: the story index by its
    /// URL/guid keys (with the item when it is the story's own id), the title index (with
    /// that story's fingerprint) and the fingerprint band candidates.
    fn story_lookup(&self, q: &StoryQuery) -> Result<StoryLookup>;

    /// [`StoreBackend::story_lookup`] for several stories as one question (a feed's new
    /// entries: one round trip for a network backend instead of one each).
    fn story_lookups(&self, qs: &[StoryQuery]) -> Result<Vec<StoryLookup>> {
        qs.iter().map(|q| self.story_lookup(q)).collect()
    }

    /// A fresh tree key for a claim under `claim_key`, sorting after every stored one of it.
    fn new_claim_key(&self, claim_key: &str) -> Result<Vec<u8>>;

    /// Store a claim under a key from [`StoreBackend::new_claim_key`], with its entity index.
    fn put_claim_at(&self, tree_key: &[u8], record: &ClaimRecord) -> Result<()>;

    /// One feed entry's writes as one unit, in this order: the story index, the title
    /// index, the fingerprint tier or dedup time, the claims, pending, the item; then
    /// `write.entry_key` is marked in `seen`, the feed's seen set (read once per cycle,
    /// written with [`StoreBackend::put_seen_set`] after the feed's last entry). A backend
    /// with transactions runs the writes as one.
    ///
    /// Returns [`Committed::LostRace`] when another instance sharing the store took one of
    /// the story's index or title keys since its [`StoreBackend::story_lookup`]: then
    /// nothing was written and `seen` is unchanged (a single-process backend never loses).
    fn commit_story(&self, write: &StoryWrite, seen: &mut SeenSet) -> Result<Committed>;

    // ---- several instances sharing one store ----

    /// This process's name among the instances sharing the store (host, pid and a random
    /// part); `"local"` for a store one process owns.
    fn instance(&self) -> &str;

    /// Try to take each named lease for `ttl` (names from [`feed_lease`],
    /// [`digest_tick_lease`], [`send_lease`], [`DIGEST_BUILD_LEASE`]). A lease is taken
    /// when it is free, expired or already this instance's (the expiry then moves on); one
    /// another instance holds, or one finished, is not. Never waits for another instance's
    /// lock. Returns the names taken, in the order given. A store one process owns takes
    /// every name not finished.
    fn take_leases(&self, names: &[String], ttl: std::time::Duration) -> Result<Vec<String>>;

    /// Give back leases this instance holds (others' are left alone).
    fn release_leases(&self, names: &[String]) -> Result<()>;

    /// Mark a lease finished for good: it is never taken again (a digest tick whose digest
    /// is queued). The lease need not be held.
    fn finish_lease(&self, name: &str) -> Result<()>;

    /// What a lease is now.
    fn lease_state(&self, name: &str) -> Result<LeaseState>;

    /// Lock the claims of these subjects (a claim key's part before its first `|`) until
    /// the returned guard is dropped: while it is held, no other instance sharing the store
    /// decides or writes claims under them. Taken before a story's claims are compared with
    /// the stored ones and dropped after its [`StoreBackend::commit_story`], so two
    /// instances storing claims about one subject at once see each other's. Subjects are
    /// locked in sorted order (no deadlock between two stories).
    fn lock_claim_subjects(&self, subjects: &[String]) -> Result<ClaimLock>;
}
