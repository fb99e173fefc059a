//! The only sled user: typed trees, key encoding, the schema version, the process lock.
//!
//! Everything is read by key or by key prefix; nothing scans a whole tree per item.
//! Trees:
//! - `meta`: `schema_version`.
//! - `feeds`: feed URL → [`FeedState`].
//! - `feed_seen`: `feed-id \0 entry-key` → first-seen time; "did this feed carry it before".
//! - `story_index`: `u:<canonical url>` / `g:<guid>` → item id of the first copy.
//! - `items`: item id → [`StoredItem`] (stories that matched a watchlist).
//! - `pending`: item id → () (stories waiting for a digest).
//! - `claims`: `claim key \0 seq` → [`ClaimRecord`] (prefix = comparison key).
//! - `claims_by_entity`: `entity \0 claim tree key` → ().
//! - `digests`: digest id → [`DigestRecord`] (written before it is sent).
//! - `seed_docs`: document key → () (what `seed` already recorded).
//! - `title_index`: hash of the normalised title → [`TitleRecord`] (the title tier).
//! - `fp_sigs`: item id → appearance time, URL and body fingerprint (the fingerprint tier).
//! - `fp_bands`: band number + band hash (9 bytes) → ids of the stories with that band, at
//!   most [`MAX_BAND_IDS`], newest last: the LSH index, one lookup per band.
//! - `fp_by_time`: appearance time (i64 BE) + item id → title index key: what
//!   [`Store::prune_dedup`] removes once older than the retention window.
//!
//! The dedup trees hold about 3 KB per fingerprinted story (a 0.6 KB fingerprint with its
//! URL, 64 band entries of ~30 bytes, the time entry) and ~0.2 KB per titled story, and
//! only for [`DEDUP_RETENTION_DAYS`]: they stay bounded by the stories of that window.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use serde::{de::DeserializeOwned, Deserialize, Serialize};

use crate::fetch::Validators;
use crate::model::{ClaimStatus, StoredClaim};
use crate::transforms::fingerprint::Fingerprint;

/// Ids kept per band key: a band shared by many stories (a boilerplate-heavy source) keeps
/// its newest, so one lookup never reads an unbounded list.
pub const MAX_BAND_IDS: usize = 8;
/// How long the title and fingerprint tiers remember a story. Copies of a story arrive
/// within days; the URL/guid tier (`story_index`) remembers for ever.
pub const DEDUP_RETENTION_DAYS: i64 = 14;

/// Bumped when a stored type or key changes incompatibly; older stores are migrated at open
/// (see `Store::migrate`). 2: claims keyed by subject|role|measure|unit|kind|period.
pub const SCHEMA_VERSION: u64 = 2;

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
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DigestState {
    /// Written, not yet accepted by the transport.
    Queued,
    Sent,
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
}

/// Why the store could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// Another process (the daemon, usually) holds the store.
    #[error("the store at {0} is in use by another newswatch process")]
    Locked(PathBuf),
    #[error("cannot open the store at {path}: {message}")]
    Other { path: PathBuf, message: String },
}

pub struct Store {
    db: sled::Db,
    path: PathBuf,
    feeds: sled::Tree,
    feed_seen: sled::Tree,
    story_index: sled::Tree,
    items: sled::Tree,
    pending: sled::Tree,
    claims: sled::Tree,
    claims_by_entity: sled::Tree,
    digests: sled::Tree,
    seed_docs: sled::Tree,
    title_index: sled::Tree,
    fp_sigs: sled::Tree,
    fp_bands: sled::Tree,
    fp_by_time: sled::Tree,
}

fn enc<T: Serialize>(v: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(v).context("encoding a stored value")
}

fn dec<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes).context("decoding a stored value (is the store damaged?)")
}

/// A fixed-width key part for a URL-like string: keys stay short whatever the URL.
fn hkey(s: &str) -> String {
    crate::transforms::dedup::stable_id(s)
}

impl Store {
    /// Open (or create) the store in `dir`. sled allows one process: a second gets `Locked`.
    pub fn open(dir: &Path) -> Result<Store, OpenError> {
        let other = |message: String| OpenError::Other {
            path: dir.to_path_buf(),
            message,
        };
        std::fs::create_dir_all(dir).map_err(|e| other(e.to_string()))?;
        let db = sled::Config::new()
            .path(dir.join("db"))
            // sled's default cache is 1 GiB; the daemon must stay small. 16 MiB: at 10,000
            // feeds a 32 MiB cache cost 40 MB more resident for no measurable speed.
            .cache_capacity(16 * 1024 * 1024)
            .flush_every_ms(Some(2000))
            .open()
            .map_err(|e| match e {
                sled::Error::Io(ref io) if io.kind() == std::io::ErrorKind::WouldBlock => {
                    OpenError::Locked(dir.to_path_buf())
                }
                sled::Error::Io(ref io)
                    if io.to_string().contains("lock") || io.raw_os_error() == Some(11) =>
                {
                    OpenError::Locked(dir.to_path_buf())
                }
                other_err => other(other_err.to_string()),
            })?;
        let tree = |name: &str| db.open_tree(name).map_err(|e| other(e.to_string()));
        let store = Store {
            feeds: tree("feeds")?,
            feed_seen: tree("feed_seen")?,
            story_index: tree("story_index")?,
            items: tree("items")?,
            pending: tree("pending")?,
            claims: tree("claims")?,
            claims_by_entity: tree("claims_by_entity")?,
            digests: tree("digests")?,
            seed_docs: tree("seed_docs")?,
            title_index: tree("title_index")?,
            fp_sigs: tree("fp_sigs")?,
            fp_bands: tree("fp_bands")?,
            fp_by_time: tree("fp_by_time")?,
            path: dir.to_path_buf(),
            db,
        };
        store.check_schema().map_err(|e| other(format!("{e:#}")))?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn check_schema(&self) -> Result<()> {
        let meta = self.db.open_tree("meta")?;
        let found = match meta.get("schema_version")? {
            // A new store is written at the current version.
            None if self.claims.is_empty() && self.items.is_empty() => SCHEMA_VERSION,
            None => 1,
            Some(v) => {
                let bytes: [u8; 8] = v.as_ref().try_into().context("schema_version is damaged")?;
                u64::from_be_bytes(bytes)
            }
        };
        anyhow::ensure!(
            found <= SCHEMA_VERSION,
            "the store was written by a newer newswatch (schema {found}, this one reads up to \
             {SCHEMA_VERSION}); upgrade newswatch or point state_dir elsewhere"
        );
        if found < SCHEMA_VERSION {
            self.migrate(found)?;
        }
        meta.insert("schema_version", &SCHEMA_VERSION.to_be_bytes())?;
        Ok(())
    }

    /// Bring a store written by an older version up to date, in place. Every step is
    /// idempotent, so a migration stopped half-way is simply run again at the next open.
    fn migrate(&self, from: u64) -> Result<()> {
        tracing::info!(from, to = SCHEMA_VERSION, "migrating the store");
        if from < 2 {
            let moved = self.reindex_claims().context("re-keying stored claims")?;
            tracing::info!(claims = moved, "claims re-keyed");
        }
        self.db.flush()?;
        Ok(())
    }

    /// Re-key every stored claim under the current `Claim::key()` (keeping its sequence
    /// number, so order is kept), fix the links that point at moved claims (items' claim
    /// lists, claims' related lists) and rebuild the entity index. Returns how many moved.
    pub fn reindex_claims(&self) -> Result<usize> {
        let mut renamed: std::collections::HashMap<Vec<u8>, Vec<u8>> = Default::default();
        let all: Vec<(Vec<u8>, ClaimRecord)> = self
            .claims
            .iter()
            .map(|r| {
                let (k, v) = r?;
                Ok((k.to_vec(), dec(&v)?))
            })
            .collect::<Result<_>>()?;
        for (old, rec) in &all {
            let seq = old.get(old.len().saturating_sub(8)..).unwrap_or_default();
            let mut new = Self::claim_prefix(&rec.stored.claim.key());
            new.extend_from_slice(seq);
            if &new != old {
                renamed.insert(old.clone(), new);
            }
        }
        let fix = |k: &Vec<u8>| renamed.get(k).cloned().unwrap_or_else(|| k.clone());
        for (old, mut rec) in all {
            rec.related = rec.related.iter().map(fix).collect();
            let new = fix(&old);
            self.claims.insert(new.as_slice(), enc(&rec)?)?;
            if new != old {
                self.claims.remove(old.as_slice())?;
            }
        }
        for r in self.items.iter() {
            let (k, v) = r?;
            let mut item: StoredItem = dec(&v)?;
            if item.claim_keys.iter().any(|c| renamed.contains_key(c)) {
                item.claim_keys = item.claim_keys.iter().map(fix).collect();
                self.items.insert(k, enc(&item)?)?;
            }
        }
        self.claims_by_entity.clear()?;
        for r in self.claims.iter() {
            let (k, v) = r?;
            let rec: ClaimRecord = dec(&v)?;
            self.index_claim_entities(&k, &rec)?;
        }
        Ok(renamed.len())
    }

    fn index_claim_entities(&self, key: &[u8], record: &ClaimRecord) -> Result<()> {
        let mut entities = record.entities.clone();
        entities.push(record.stored.claim.subject.clone());
        entities.sort();
        entities.dedup();
        for e in entities {
            let mut ek = e.into_bytes();
            ek.push(0);
            ek.extend_from_slice(key);
            self.claims_by_entity.insert(ek, &[])?;
        }
        Ok(())
    }

    /// Write everything to disk; called after each cycle and on shutdown.
    pub fn flush(&self) -> Result<()> {
        self.db.flush().context("flushing the store")?;
        Ok(())
    }

    // ---- feeds ----

    pub fn feed_state(&self, url: &str) -> Result<Option<FeedState>> {
        self.feeds.get(url)?.map(|v| dec(&v)).transpose()
    }

    pub fn put_feed_state(&self, state: &FeedState) -> Result<()> {
        self.feeds.insert(state.url.as_bytes(), enc(state)?)?;
        Ok(())
    }

    /// Every feed state (for `feeds` and the digest footer: one read per feed, not per item).
    pub fn all_feed_states(&self) -> Result<Vec<FeedState>> {
        self.feeds.iter().map(|r| dec(&r?.1)).collect()
    }

    // ---- seen entries and the story index ----

    fn seen_key(feed_url: &str, entry_key: &str) -> Vec<u8> {
        let mut k = hkey(feed_url).into_bytes();
        k.push(0);
        k.extend_from_slice(hkey(entry_key).as_bytes());
        k
    }

    /// Did this feed carry this entry before?
    pub fn feed_has_seen(&self, feed_url: &str, entry_key: &str) -> Result<bool> {
        Ok(self
            .feed_seen
            .contains_key(Self::seen_key(feed_url, entry_key))?)
    }

    pub fn mark_feed_seen(&self, feed_url: &str, entry_key: &str, at: DateTime<Utc>) -> Result<()> {
        self.feed_seen.insert(
            Self::seen_key(feed_url, entry_key),
            at.timestamp().to_be_bytes().to_vec(),
        )?;
        Ok(())
    }

    /// The id of the first copy known under any of these keys (`u:…`, `g:…`).
    pub fn story_for(&self, keys: &[String]) -> Result<Option<String>> {
        for k in keys {
            if let Some(v) = self.story_index.get(k.as_bytes())? {
                return Ok(Some(String::from_utf8_lossy(&v).into_owned()));
            }
        }
        Ok(None)
    }

    /// Index a story under its keys (a key already taken keeps its first owner).
    pub fn index_story(&self, keys: &[String], id: &str) -> Result<()> {
        for k in keys {
            let _ = self.story_index.compare_and_swap(
                k.as_bytes(),
                None as Option<&[u8]>,
                Some(id.as_bytes()),
            )?;
        }
        Ok(())
    }

    // ---- the title and fingerprint tiers ----

    /// The story first seen under this title key, if any.
    pub fn title_story(&self, title_key: &str) -> Result<Option<TitleRecord>> {
        self.title_index
            .get(hkey(title_key))?
            .map(|v| dec(&v))
            .transpose()
    }

    /// Index a story under its title key (the key now names this story).
    pub fn index_title(&self, title_key: &str, rec: &TitleRecord) -> Result<()> {
        self.title_index.insert(hkey(title_key), enc(rec)?)?;
        Ok(())
    }

    fn fp_record(at: DateTime<Utc>, url: &str, fp: &Fingerprint) -> Vec<u8> {
        let url = &url.as_bytes()[..url.len().min(u16::MAX as usize)];
        let mut v = at.timestamp().to_be_bytes().to_vec();
        v.extend_from_slice(&(url.len() as u16).to_be_bytes());
        v.extend_from_slice(url);
        v.extend_from_slice(&fp.to_bytes());
        v
    }

    fn read_fp_record(bytes: &[u8]) -> Option<(i64, String, Fingerprint)> {
        let at = i64::from_be_bytes(bytes.get(..8)?.try_into().ok()?);
        let len = usize::from(u16::from_be_bytes(bytes.get(8..10)?.try_into().ok()?));
        let url = String::from_utf8_lossy(bytes.get(10..10 + len)?).into_owned();
        let fp = Fingerprint::from_bytes(bytes.get(10 + len..)?)?;
        Some((at, url, fp))
    }

    /// The stories sharing at least one band with `fp` (candidates, not yet verified):
    /// one lookup per band and one per candidate, never a scan.
    pub fn fingerprint_candidates(&self, fp: &Fingerprint) -> Result<Vec<FingerprintHit>> {
        let mut ids: Vec<String> = Vec::new();
        for key in fp.band_keys() {
            if let Some(v) = self.fp_bands.get(key)? {
                for id in dec::<Vec<String>>(&v)? {
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
            }
        }
        let mut out = Vec::new();
        for id in ids {
            let Some(v) = self.fp_sigs.get(id.as_bytes())? else {
                continue;
            };
            // A record this version cannot read is skipped, not fatal.
            if let Some((_, url, fingerprint)) = Self::read_fp_record(&v) {
                out.push(FingerprintHit {
                    id,
                    url,
                    fingerprint,
                });
            }
        }
        Ok(out)
    }

    /// Remember a story's fingerprint (and its title key, for pruning both together).
    pub fn index_fingerprint(
        &self,
        id: &str,
        url: &str,
        fp: &Fingerprint,
        title_key: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.fp_sigs
            .insert(id.as_bytes(), Self::fp_record(at, url, fp))?;
        for key in fp.band_keys() {
            let mut ids: Vec<String> = match self.fp_bands.get(key)? {
                Some(v) => dec(&v)?,
                None => Vec::new(),
            };
            if ids.iter().any(|x| x == id) {
                continue;
            }
            ids.push(id.to_string());
            if ids.len() > MAX_BAND_IDS {
                let extra = ids.len() - MAX_BAND_IDS;
                ids.drain(..extra);
            }
            self.fp_bands.insert(key, enc(&ids)?)?;
        }
        self.mark_dedup_time(id, title_key, at)
    }

    /// Record when a story entered the title or fingerprint tier, for [`Store::prune_dedup`].
    pub fn mark_dedup_time(
        &self,
        id: &str,
        title_key: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let mut k = at.timestamp().to_be_bytes().to_vec();
        k.extend_from_slice(id.as_bytes());
        match title_key {
            Some(t) => {
                self.fp_by_time.insert(k, hkey(t).as_bytes())?;
            }
            // Never forget a title key recorded before for the same entry.
            None => {
                let _ = self.fp_by_time.compare_and_swap(
                    k,
                    None as Option<&[u8]>,
                    Some(&[] as &[u8]),
                )?;
            }
        }
        Ok(())
    }

    /// The URL and fingerprint of a story known to the fingerprint tier (the URL serves
    /// `duplicate_of` when the first copy matched no watchlist and so is not in `items`).
    pub fn fingerprint_of(&self, id: &str) -> Result<Option<(String, Fingerprint)>> {
        Ok(self
            .fp_sigs
            .get(id.as_bytes())?
            .and_then(|v| Self::read_fp_record(&v))
            .map(|(_, url, fp)| (url, fp)))
    }

    /// Forget the title and fingerprint entries of stories that appeared before `before`:
    /// a range read from the start of `fp_by_time`, so the cost is what is removed.
    pub fn prune_dedup(&self, before: DateTime<Utc>) -> Result<usize> {
        let end = before.timestamp().to_be_bytes();
        let old: Vec<(sled::IVec, sled::IVec)> = self
            .fp_by_time
            .range(..end.as_slice())
            .collect::<Result<_, _>>()?;
        let removed = old.len();
        for (k, title_hash) in old {
            let id = String::from_utf8_lossy(k.get(8..).unwrap_or_default()).into_owned();
            if let Some(v) = self.fp_sigs.remove(id.as_bytes())? {
                if let Some((_, _, fp)) = Self::read_fp_record(&v) {
                    for key in fp.band_keys() {
                        let Some(list) = self.fp_bands.get(key)? else {
                            continue;
                        };
                        let mut ids: Vec<String> = dec(&list)?;
                        ids.retain(|x| x != &id);
                        if ids.is_empty() {
                            self.fp_bands.remove(key)?;
                        } else {
                            self.fp_bands.insert(key, enc(&ids)?)?;
                        }
                    }
                }
            }
            if !title_hash.is_empty() {
                if let Some(v) = self.title_index.get(&title_hash)? {
                    // Only if the title still names this story or an old one: a later
                    // story may own it now. (A copy's headline names the first copy.)
                    if dec::<TitleRecord>(&v).is_ok_and(|t| t.id == id || t.at < before) {
                        self.title_index.remove(&title_hash)?;
                    }
                }
            }
            self.fp_by_time.remove(&k)?;
        }
        Ok(removed)
    }

    // ---- items ----

    pub fn item(&self, id: &str) -> Result<Option<StoredItem>> {
        self.items.get(id)?.map(|v| dec(&v)).transpose()
    }

    pub fn put_item(&self, item: &StoredItem) -> Result<()> {
        self.items.insert(item.id.as_bytes(), enc(item)?)?;
        Ok(())
    }

    pub fn add_pending(&self, id: &str) -> Result<()> {
        self.pending.insert(id.as_bytes(), &[])?;
        Ok(())
    }

    pub fn pending_ids(&self) -> Result<Vec<String>> {
        self.pending
            .iter()
            .keys()
            .map(|k| Ok(String::from_utf8_lossy(&k?).into_owned()))
            .collect()
    }

    pub fn remove_pending(&self, ids: &[String]) -> Result<()> {
        let mut batch = sled::Batch::default();
        for id in ids {
            batch.remove(id.as_bytes());
        }
        self.pending.apply_batch(batch)?;
        Ok(())
    }

    // ---- claims ----

    fn claim_prefix(key: &str) -> Vec<u8> {
        let mut p = key.as_bytes().to_vec();
        p.push(0);
        p
    }

    /// Stored claims under one comparison key, oldest first, with their tree keys.
    pub fn claims_for_key(&self, key: &str) -> Result<Vec<(Vec<u8>, ClaimRecord)>> {
        self.claims
            .scan_prefix(Self::claim_prefix(key))
            .map(|r| {
                let (k, v) = r?;
                Ok((k.to_vec(), dec(&v)?))
            })
            .collect()
    }

    /// The newest `limit` stored claims under one comparison key, oldest first. A new claim
    /// is compared with these: the cost per claim stays bounded however often a figure is
    /// repeated.
    pub fn recent_claims_for_key(
        &self,
        key: &str,
        limit: usize,
    ) -> Result<Vec<(Vec<u8>, ClaimRecord)>> {
        let mut out: Vec<(Vec<u8>, ClaimRecord)> = self
            .claims
            .scan_prefix(Self::claim_prefix(key))
            .rev()
            .take(limit)
            .map(|r| {
                let (k, v) = r?;
                Ok((k.to_vec(), dec(&v)?))
            })
            .collect::<Result<_>>()?;
        out.reverse();
        Ok(out)
    }

    pub fn claim(&self, tree_key: &[u8]) -> Result<Option<ClaimRecord>> {
        self.claims.get(tree_key)?.map(|v| dec(&v)).transpose()
    }

    /// Store a claim; returns its tree key.
    pub fn put_claim(&self, record: &ClaimRecord) -> Result<Vec<u8>> {
        let seq = self.db.generate_id()?;
        let mut key = Self::claim_prefix(&record.stored.claim.key());
        key.extend_from_slice(&seq.to_be_bytes());
        self.claims.insert(key.as_slice(), enc(record)?)?;
        self.index_claim_entities(&key, record)?;
        Ok(key)
    }

    /// Update the status / related links of a stored claim in place.
    pub fn update_claim(&self, tree_key: &[u8], record: &ClaimRecord) -> Result<()> {
        self.claims.insert(tree_key, enc(record)?)?;
        Ok(())
    }

    /// Claims about one entity (by the entity index), or every claim.
    pub fn claims_list(&self, entity: Option<&str>) -> Result<Vec<(Vec<u8>, ClaimRecord)>> {
        match entity {
            None => self
                .claims
                .iter()
                .map(|r| {
                    let (k, v) = r?;
                    Ok((k.to_vec(), dec(&v)?))
                })
                .collect(),
            Some(e) => {
                let mut prefix = e.as_bytes().to_vec();
                prefix.push(0);
                let mut out = Vec::new();
                for r in self.claims_by_entity.scan_prefix(&prefix).keys() {
                    let k = r?;
                    let tree_key = &k[prefix.len()..];
                    if let Some(rec) = self.claim(tree_key)? {
                        out.push((tree_key.to_vec(), rec));
                    }
                }
                Ok(out)
            }
        }
    }

    // ---- digests ----

    pub fn put_digest(&self, d: &DigestRecord) -> Result<()> {
        self.digests.insert(d.id.as_bytes(), enc(d)?)?;
        Ok(())
    }

    /// Digests written but not yet accepted by the transport, oldest first.
    pub fn queued_digests(&self) -> Result<Vec<DigestRecord>> {
        let mut out = Vec::new();
        for r in self.digests.iter().values() {
            let d: DigestRecord = dec(&r?)?;
            if d.state == DigestState::Queued {
                out.push(d);
            }
        }
        Ok(out)
    }

    // ---- seed documents ----

    pub fn seed_doc_recorded(&self, key: &str) -> Result<bool> {
        Ok(self.seed_docs.contains_key(key.as_bytes())?)
    }

    pub fn mark_seed_doc(&self, key: &str) -> Result<()> {
        self.seed_docs.insert(key.as_bytes(), &[])?;
        Ok(())
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_1_store_is_migrated_and_its_claims_keep_their_links() {
        use crate::model::{Claim, ClaimStatus, StoredClaim};
        let dir = tempfile::tempdir().unwrap();
        let claim = |v: f64| Claim {
            subject: "dprk-troops".into(),
            measure: "killed".into(),
            unit: "people".into(),
            value: v,
            quote: format!("{v} died"),
            ..Default::default()
        };
        let record = |c: Claim, related: Vec<Vec<u8>>| ClaimRecord {
            stored: StoredClaim {
                claim: c,
                item_id: "i1".into(),
                item_url: "https://a/1".into(),
                source: "A".into(),
                published: None,
                first_seen: Utc::now(),
                status: ClaimStatus::New,
            },
            entities: vec!["kursk".into()],
            related,
            relations: Vec::new(),
        };
        {
            let s = Store::open(dir.path()).unwrap();
            // Written the way version 1 keyed claims (subject|measure|unit).
            let old_key = |seq: u64| {
                let mut k = b"dprk-troops|killed|people\0".to_vec();
                k.extend_from_slice(&seq.to_be_bytes());
                k
            };
            s.claims
                .insert(old_key(1), enc(&record(claim(600.0), vec![])).unwrap())
                .unwrap();
            s.claims
                .insert(
                    old_key(2),
                    enc(&record(claim(6000.0), vec![old_key(1)])).unwrap(),
                )
                .unwrap();
            s.put_item(&StoredItem {
                id: "i1".into(),
                claim_keys: vec![old_key(1), old_key(2)],
                ..Default::default()
            })
            .unwrap();
            let meta = s.db.open_tree("meta").unwrap();
            meta.insert("schema_version", &1u64.to_be_bytes()).unwrap();
            s.flush().unwrap();
        }
        let s = Store::open(dir.path()).unwrap();
        let new_key = claim(600.0).key();
        let under_new = s.claims_for_key(&new_key).unwrap();
        assert_eq!(under_new.len(), 2, "both claims under the current key");
        let (k600, _) = &under_new[0];
        assert_eq!(
            under_new[1].1.related,
            vec![k600.clone()],
            "links follow the move"
        );
        let item = s.item("i1").unwrap().unwrap();
        assert!(item
            .claim_keys
            .iter()
            .all(|k| s.claim(k).unwrap().is_some()));
        assert_eq!(
            s.claims_list(Some("kursk")).unwrap().len(),
            2,
            "entity index rebuilt"
        );
    }

    #[test]
    fn second_open_is_refused_as_locked() {
        let dir = tempfile::tempdir().unwrap();
        let _a = Store::open(dir.path()).unwrap();
        match Store::open(dir.path()) {
            Err(OpenError::Locked(_)) => {}
            Err(e) => panic!("expected Locked, got {e}"),
            Ok(_) => panic!("expected Locked, got a second store"),
        }
    }

    #[test]
    fn seen_entries_and_story_index_survive_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let now = Utc::now();
        {
            let s = Store::open(dir.path()).unwrap();
            s.mark_feed_seen("https://a/rss", "u:https://a/1", now)
                .unwrap();
            s.index_story(&["u:https://a/1".into()], "id1").unwrap();
            s.index_story(&["u:https://a/1".into()], "id2").unwrap();
            s.flush().unwrap();
        }
        let s = Store::open(dir.path()).unwrap();
        assert!(s.feed_has_seen("https://a/rss", "u:https://a/1").unwrap());
        assert!(!s.feed_has_seen("https://b/rss", "u:https://a/1").unwrap());
        assert_eq!(
            s.story_for(&["u:https://a/1".into()]).unwrap().as_deref(),
            Some("id1")
        );
    }

    fn body(n: usize) -> String {
        (0..n)
            .map(|i| format!("word{} ", i * 7919 % 1000))
            .collect()
    }

    #[test]
    fn fingerprints_are_found_by_band_and_pruned_by_age() {
        use crate::transforms::fingerprint::fingerprint;
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        let old = Utc::now() - chrono::Duration::days(DEDUP_RETENTION_DAYS + 10);
        let fp = fingerprint(&body(200)).unwrap();
        let other = fingerprint(&format!("{} tail", body(150))).unwrap();
        s.index_fingerprint("id1", "https://a/1", &fp, Some("a long enough title"), old)
            .unwrap();
        s.index_title(
            "a long enough title",
            &TitleRecord {
                id: "id1".into(),
                url: "https://a/1".into(),
                at: old,
            },
        )
        .unwrap();
        let hits = s.fingerprint_candidates(&other).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(
            (hits[0].id.as_str(), hits[0].url.as_str()),
            ("id1", "https://a/1")
        );
        assert_eq!(hits[0].fingerprint, fp);
        assert_eq!(
            s.fingerprint_of("id1").unwrap().map(|(u, _)| u).as_deref(),
            Some("https://a/1")
        );
        // A copy's other headline names the first copy, and is pruned with the copy.
        s.index_title(
            "the copy's other headline",
            &TitleRecord {
                id: "id1".into(),
                url: "https://a/1".into(),
                at: old,
            },
        )
        .unwrap();
        s.mark_dedup_time("copy", Some("the copy's other headline"), old)
            .unwrap();
        // Indexing twice does not list it twice.
        s.index_fingerprint("id1", "https://a/1", &fp, None, old)
            .unwrap();
        assert_eq!(s.fingerprint_candidates(&fp).unwrap().len(), 1);

        assert_eq!(
            s.prune_dedup(Utc::now() - chrono::Duration::days(DEDUP_RETENTION_DAYS))
                .unwrap(),
            2
        );
        assert!(s.fingerprint_candidates(&fp).unwrap().is_empty());
        assert!(s.title_story("a long enough title").unwrap().is_none());
        assert!(s
            .title_story("the copy's other headline")
            .unwrap()
            .is_none());
        assert_eq!(s.fp_bands.len(), 0, "no band entry left behind");
    }

    #[test]
    fn a_band_keeps_its_newest_ids_only() {
        use crate::transforms::fingerprint::fingerprint;
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        let fp = fingerprint(&body(120)).unwrap();
        for i in 0..MAX_BAND_IDS + 3 {
            s.index_fingerprint(&format!("id{i}"), "u", &fp, None, Utc::now())
                .unwrap();
        }
        let hits = s.fingerprint_candidates(&fp).unwrap();
        assert_eq!(hits.len(), MAX_BAND_IDS);
        assert!(
            !hits.iter().any(|h| h.id == "id0"),
            "the oldest left the band"
        );
    }
}
