//! The sled backend (the default, embedded store): typed trees, key encoding, the schema
//! version and its migrations, the process lock, the integrity record. The only sled user;
//! it implements [`StoreBackend`] and nothing outside `store/` names it.
//!
//! Everything is read by key or by key prefix; nothing scans a whole tree per item.
//! Trees:
//! - `meta`: `schema_version`, `id_floor`, `generation` (see `integrity`).
//! - `feeds`: feed URL → [`FeedState`].
//! - `seen_sets`: feed id → the hashes of the entries that feed carried ([`SeenSet`]): one
//!   read and one write per feed and cycle, whatever the feed's length.
//! - `feed_seen`: schema 1–2's per-entry form of the same; folded into `seen_sets` at open.
//! - `story_index`: `u:<canonical url>` / `g:<guid>` → item id of the first copy.
//! - `items`: item id → [`StoredItem`] (stories that matched a watchlist).
//! - `pending`: item id → () (stories waiting for a digest).
//! - `claims`: `claim key \0 seq` → [`ClaimRecord`] (prefix = comparison key).
//! - `claims_by_entity`: `entity \0 claim tree key` → ().
//! - `digests`: digest id → [`DigestRecord`] (written before it is sent).
//! - `queued`: digest id → () for the digests not yet accepted by the transport.
//! - `seed_docs`: document key → () (what `seed` already recorded).
//! - `title_index`: hash of the normalised title → [`TitleRecord`] (the title tier).
//! - `fp_sigs`: item id → appearance time, URL and body fingerprint (the fingerprint tier).
//! - `fp_bands`: band number + band hash (9 bytes) → ids of the stories with that band, at
//!   most [`MAX_BAND_IDS`], newest last: the LSH index, one lookup per band.
//! - `fp_by_time`: appearance time (i64 BE) + item id → title index key: what
//!   [`SledStore::prune_dedup`] removes once older than the retention window.
//!
//! The dedup trees hold about 3 KB per fingerprinted story (a 0.6 KB fingerprint with its
//! URL, 64 band entries of ~30 bytes, the time entry) and ~0.2 KB per titled story, and
//! only for [`DEDUP_RETENTION_DAYS`]: they stay bounded by the stories of that window.
//!
//! Backups: [`SledStore::export`] writes every tree as JSON lines (format below, at
//! [`EXPORT_FORMAT`]) and [`SledStore::import`] reads them back into an empty store. sled can
//! be left damaged by a killed container; an open that finds damage says so and points at
//! the export (see [`RECOVERY_HINT`]). Damage is found by reading every record at open and
//! comparing the counts with newswatch's own record of the store (see `integrity`).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use serde::{de::DeserializeOwned, Deserialize, Serialize};

use crate::transforms::fingerprint::Fingerprint;

use super::types::*;
use super::StoreBackend;

mod integrity;
pub use integrity::contain;

/// Bumped when a stored type or key changes incompatibly; older stores are migrated at open
/// (see `SledStore::migrate`). 2: claims keyed by subject|role|measure|unit|kind|period.
/// 3: what a feed carried kept as one set per feed (`seen_sets`) instead of a key per entry.
/// 4: queued digests indexed (`queued`), so sent ones are never read again.
pub const SCHEMA_VERSION: u64 = 4;

/// A file in sled's folder written once the store has been opened (see `check_not_emptied`);
/// it moves aside with the folder. sled itself only touches its own files there.
const STORE_MARKER: &str = "newswatch-store";

/// The meta key that offsets claim sequence numbers after an import (see `SledStore::import`).
pub(in crate::store) const ID_FLOOR_KEY: &str = "id_floor";

/// The first line of an export.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(in crate::store) struct ExportHeader {
    pub newswatch_export: u64,
    pub schema_version: u64,
    pub created_at: DateTime<Utc>,
}

/// One record line as written (see [`EXPORT_FORMAT`]).
#[derive(Serialize)]
pub(in crate::store) struct ExportLine<'a> {
    pub tree: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_hex: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<&'a serde_json::value::RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_hex: Option<String>,
}

pub(in crate::store) fn to_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

fn from_hex(s: &str) -> Result<Vec<u8>> {
    anyhow::ensure!(s.len().is_multiple_of(2), "odd number of hex digits");
    (0..s.len())
        .step_by(2)
        .map(|i| {
            s.get(i..i + 2)
                .and_then(|d| u8::from_str_radix(d, 16).ok())
                .with_context(|| format!("not hex at {i}"))
        })
        .collect()
}

/// The stored bytes as JSON text when they are exactly a JSON document (so that writing
/// the text back gives the same bytes), else None.
pub(in crate::store) fn as_raw_json(bytes: &[u8]) -> Option<&serde_json::value::RawValue> {
    let text = std::str::from_utf8(bytes).ok()?;
    let raw: &serde_json::value::RawValue = serde_json::from_str(text).ok()?;
    (raw.get() == text).then_some(raw)
}

/// Parse one record line into (tree, key, value).
pub(in crate::store) fn parse_line(line: &str) -> Result<(String, Vec<u8>, Vec<u8>)> {
    use serde_json::value::RawValue;
    let fields: HashMap<String, &RawValue> =
        serde_json::from_str(line).context("not a JSON object")?;
    if let Some(unknown) = fields
        .keys()
        .find(|k| !["tree", "key", "key_hex", "value", "value_hex"].contains(&k.as_str()))
    {
        anyhow::bail!("unknown field {unknown:?}");
    }
    let string = |name: &str| -> Result<Option<String>> {
        fields
            .get(name)
            .map(|raw| {
                serde_json::from_str::<String>(raw.get())
                    .with_context(|| format!("{name} is not a string"))
            })
            .transpose()
    };
    let tree = string("tree")?.context("no tree")?;
    let key = match (string("key")?, string("key_hex")?) {
        (Some(k), None) => k.into_bytes(),
        (None, Some(h)) => from_hex(&h).context("key_hex")?,
        _ => anyhow::bail!("exactly one of key and key_hex is wanted"),
    };
    let value = match (fields.get("value"), string("value_hex")?) {
        (Some(raw), None) => raw.get().as_bytes().to_vec(),
        (None, Some(h)) => from_hex(&h).context("value_hex")?,
        _ => anyhow::bail!("exactly one of value and value_hex is wanted"),
    };
    Ok((tree, key, value))
}

/// meta's records that describe this store itself (its schema version, id floor,
/// generation): written by the store, never imported from a record.
pub(in crate::store) fn is_local_meta(tree: &str, key: &[u8]) -> bool {
    tree == "meta"
        && (key == b"schema_version"
            || key == ID_FLOOR_KEY.as_bytes()
            || key == integrity::GENERATION_KEY.as_bytes())
}

/// An export's first line, read and checked for its format (each backend checks the schema
/// version it can take).
pub(in crate::store) fn read_header(input: &mut dyn std::io::BufRead) -> Result<ExportHeader> {
    let mut text = String::new();
    input.read_line(&mut text).context("line 1: reading")?;
    let header: ExportHeader = serde_json::from_str(text.trim_end())
        .map_err(|e| anyhow::anyhow!("line 1: not a newswatch export header ({e})"))?;
    anyhow::ensure!(
        header.newswatch_export == EXPORT_FORMAT,
        "line 1: export format {} is not one this newswatch reads ({EXPORT_FORMAT})",
        header.newswatch_export
    );
    Ok(header)
}

/// The record lines of an import (after its header line), as every backend reads them:
/// blank lines skipped, each parsed, meta's own records refused, counted in `stats`;
/// `each` gets the line's number, tree, key and value. Returns the highest claim sequence
/// number seen (claim keys end with their 8-byte sequence number), so that new claims sort
/// after the imported ones.
pub(in crate::store) fn read_records(
    input: &mut dyn std::io::BufRead,
    stats: &mut ImportStats,
    mut each: impl FnMut(usize, String, Vec<u8>, Vec<u8>) -> Result<()>,
) -> Result<u64> {
    let mut max_seq = 0u64;
    let mut text = String::new();
    let mut number = 1usize;
    loop {
        text.clear();
        number += 1;
        let n = input
            .read_line(&mut text)
            .with_context(|| format!("line {number}: reading (is it UTF-8?)"))?;
        if n == 0 {
            break;
        }
        if text.trim().is_empty() {
            continue;
        }
        let (tree, key, value) = parse_line(text.trim_end_matches(['\n', '\r']))
            .with_context(|| format!("line {number}"))?;
        anyhow::ensure!(
            !is_local_meta(&tree, &key),
            "line {number}: meta's {} is not imported from a record",
            String::from_utf8_lossy(&key)
        );
        if let Some(seq) = key
            .len()
            .checked_sub(8)
            .and_then(|at| <[u8; 8]>::try_from(&key[at..]).ok())
            .filter(|_| tree == "claims")
        {
            max_seq = max_seq.max(u64::from_be_bytes(seq));
        }
        *stats.trees.entry(tree.clone()).or_default() += 1;
        stats.records += 1;
        each(number, tree, key, value)?;
    }
    Ok(max_seq)
}

/// True when `cause` (one link of an error's chain) is a sled error that names damage.
pub(super) fn is_damage_cause(cause: &(dyn std::error::Error + 'static)) -> bool {
    cause.downcast_ref::<sled::Error>().is_some_and(is_damage)
}

pub struct SledStore {
    db: sled::Db,
    path: PathBuf,
    feeds: sled::Tree,
    feed_seen: sled::Tree,
    seen_sets: sled::Tree,
    story_index: sled::Tree,
    items: sled::Tree,
    pending: sled::Tree,
    claims: sled::Tree,
    claims_by_entity: sled::Tree,
    digests: sled::Tree,
    queued: sled::Tree,
    seed_docs: sled::Tree,
    title_index: sled::Tree,
    fp_sigs: sled::Tree,
    fp_bands: sled::Tree,
    fp_by_time: sled::Tree,
    /// Added to sled's id generator for claim sequence numbers: an imported store starts a
    /// fresh generator, and new claims must sort after (and never overwrite) imported ones.
    id_floor: AtomicU64,
    /// Opened by [`SledStore::open_salvage`]: nothing is recorded at close.
    salvage: bool,
    /// This open's generation (see `integrity`).
    generation: u64,
    /// newswatch's record of the store as found at open.
    recorded: Option<integrity::Integrity>,
    /// A failure was seen: the close records nothing.
    failed: std::sync::atomic::AtomicBool,
    /// Leases finished in this process (see `StoreBackend::finish_lease`).
    finished_leases: std::sync::Mutex<std::collections::HashSet<String>>,
}

impl Drop for SledStore {
    fn drop(&mut self) {
        if self.salvage || self.failed.load(Ordering::Relaxed) {
            return;
        }
        if let Err(e) = self.close() {
            tracing::error!(
                error = %format!("{e:#}"),
                "closing the store: it will be checked as after a crash at the next open"
            );
        }
    }
}

fn enc<T: Serialize>(v: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(v).context("encoding a stored value")
}

fn dec<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes)
        .with_context(|| format!("a stored value does not decode; {RECOVERY_HINT}"))
}

/// sled's errors that mean the files are damaged, not busy or missing.
fn is_damage(e: &sled::Error) -> bool {
    match e {
        sled::Error::Corruption { .. } | sled::Error::ReportableBug(_) => true,
        sled::Error::Io(io) => matches!(
            io.kind(),
            std::io::ErrorKind::InvalidData | std::io::ErrorKind::UnexpectedEof
        ),
        _ => false,
    }
}

/// sled's message without the empty backtrace its corruption errors print.
fn plain(message: &str) -> String {
    message.replace(" backtrace ()", "")
}

/// A fixed-width key part for a URL-like string: keys stay short whatever the URL.
pub(in crate::store) fn hkey(s: &str) -> String {
    crate::transforms::dedup::stable_id(s)
}

impl SledStore {
    /// Open (or create) the store in `dir`. sled allows one process: a second gets `Locked`.
    ///
    /// Every tree is read once and its records counted against newswatch's own record of
    /// the store (see `integrity`): a page sled cannot read, a panic inside sled, or
    /// records missing since the last clean stop is `OpenError::Damaged`, with the way to
    /// recover.
    pub fn open(dir: &Path) -> Result<SledStore, OpenError> {
        Self::open_with(dir, false)
    }

    /// Open for reading what can be read (`export` of a damaged store): nothing is checked
    /// or written (no migration, no record); [`SledStore::export`] says what it skipped.
    pub fn open_salvage(dir: &Path) -> Result<SledStore, OpenError> {
        Self::open_with(dir, true)
    }

    fn open_with(dir: &Path, salvage: bool) -> Result<SledStore, OpenError> {
        let other = |message: String| OpenError::Other {
            path: dir.to_path_buf(),
            message,
        };
        let damaged = |message: String| OpenError::Damaged {
            path: dir.to_path_buf(),
            message: format!("{}; {RECOVERY_HINT}", plain(&message)),
        };
        std::fs::create_dir_all(dir).map_err(|e| other(e.to_string()))?;
        let db_dir = dir.join("db");
        let marker = db_dir.join(STORE_MARKER);
        let had_store = marker.exists();
        let db = integrity::contain(|| {
            sled::Config::new()
                .path(&db_dir)
                // sled's default cache is 1 GiB; the daemon must stay small. 16 MiB: at
                // 10,000 feeds a 32 MiB cache cost 40 MB more resident for no measurable
                // speed.
                .cache_capacity(16 * 1024 * 1024)
                .flush_every_ms(Some(2000))
                .open()
        })
        .map_err(&damaged)?
        .map_err(|e| match e {
            sled::Error::Io(ref io) if io.kind() == std::io::ErrorKind::WouldBlock => {
                OpenError::Locked(dir.to_path_buf())
            }
            sled::Error::Io(ref io)
                if io.to_string().contains("lock") || io.raw_os_error() == Some(11) =>
            {
                OpenError::Locked(dir.to_path_buf())
            }
            ref damage if is_damage(damage) => damaged(damage.to_string()),
            // A `conf` sled cannot read is refused as "unsupported": damage too.
            sled::Error::Unsupported(ref what) => {
                damaged(format!("sled cannot read its files ({what})"))
            }
            other_err => other(other_err.to_string()),
        })?;
        let store = integrity::contain(|| -> sled::Result<SledStore> {
            Ok(SledStore {
                feeds: db.open_tree("feeds")?,
                feed_seen: db.open_tree("feed_seen")?,
                seen_sets: db.open_tree("seen_sets")?,
                story_index: db.open_tree("story_index")?,
                items: db.open_tree("items")?,
                pending: db.open_tree("pending")?,
                claims: db.open_tree("claims")?,
                claims_by_entity: db.open_tree("claims_by_entity")?,
                digests: db.open_tree("digests")?,
                queued: db.open_tree("queued")?,
                seed_docs: db.open_tree("seed_docs")?,
                title_index: db.open_tree("title_index")?,
                fp_sigs: db.open_tree("fp_sigs")?,
                fp_bands: db.open_tree("fp_bands")?,
                fp_by_time: db.open_tree("fp_by_time")?,
                path: dir.to_path_buf(),
                id_floor: AtomicU64::new(0),
                db: db.clone(),
                salvage,
                generation: 0,
                recorded: None,
                failed: std::sync::atomic::AtomicBool::new(false),
                finished_leases: Default::default(),
            })
        })
        .map_err(&damaged)?
        .map_err(|e| match is_damage(&e) {
            true => damaged(e.to_string()),
            false => other(e.to_string()),
        })?;
        let mut store = store;
        let recorded = integrity::read(&db_dir);
        if salvage {
            store.recorded = recorded.ok().flatten();
            return Ok(store);
        }
        // From here on a failure must not write a clean record over the damage found.
        store.failed.store(true, Ordering::Relaxed);
        let recorded = recorded.map_err(&damaged)?;
        let started = std::time::Instant::now();
        let counts = integrity::contain(|| store.count_records())
            .map_err(&damaged)?
            .map_err(|e| damaged(format!("{e:#}")))?;
        tracing::debug!(
            records = counts.values().sum::<u64>(),
            ms = started.elapsed().as_millis() as u64,
            "every tree read at open"
        );
        let sled_generation = store
            .sled_generation()
            .map_err(|e| damaged(format!("{e:#}")))?;
        if let Some(rec) = &recorded {
            let problems = integrity::compare(rec, &counts, sled_generation);
            if !problems.is_empty() {
                return Err(damaged(format!(
                    "records are missing: {}",
                    problems.join("; ")
                )));
            }
        }
        if had_store {
            store
                .check_not_emptied()
                .map_err(|e| damaged(format!("{e:#}")))?;
        }
        // The open is recorded (generation bumped in sled first, then the record marked
        // unclean) before anything else writes: a stop from here on is an unclean one.
        store.generation = recorded
            .as_ref()
            .map_or(0, |r| r.generation)
            .max(sled_generation)
            + 1;
        store.recorded = recorded;
        let migrating =
            store.stored_schema().map_err(|e| other(format!("{e:#}")))? < SCHEMA_VERSION;
        store
            .set_sled_generation()
            .map_err(|e| other(format!("{e:#}")))?;
        // A migration rewrites trees: no record until it is done (a stop in the middle
        // would read as records lost).
        let write_record = |counts: BTreeMap<String, u64>| {
            integrity::write(
                &db_dir,
                &integrity::Integrity {
                    generation: store.generation,
                    clean: false,
                    written_at: Utc::now(),
                    counts,
                },
            )
            .map_err(|e| other(format!("writing newswatch's record of the store: {e}")))
        };
        if migrating {
            integrity::remove(&db_dir).map_err(|e| other(e.to_string()))?;
        } else {
            write_record(counts)?;
        }
        store.check_schema().map_err(|e| other(format!("{e:#}")))?;
        if migrating {
            let counts = store.count_records().map_err(|e| other(format!("{e:#}")))?;
            write_record(counts)?;
        }
        store.load_id_floor().map_err(|e| other(format!("{e:#}")))?;
        if !had_store {
            // Flushed first: the marker must never exist for a store whose version record
            // is not on disk yet, or a kill right now would read as damage at the next open.
            store.flush().map_err(|e| other(format!("{e:#}")))?;
            std::fs::write(
                &marker,
                "newswatch: this sled store has been opened before; see store/mod.rs\n",
            )
            .map_err(|e| other(format!("writing {}: {e}", marker.display())))?;
        }
        store.failed.store(false, Ordering::Relaxed);
        Ok(store)
    }

    /// Records per tree (`meta` aside): reads every page of every tree.
    fn count_records(&self) -> Result<BTreeMap<String, u64>> {
        let mut out = BTreeMap::new();
        for name in self.tree_names() {
            if name == "meta" {
                continue;
            }
            let tree = self.db.open_tree(&name)?;
            let mut n = 0u64;
            for r in tree.iter().keys() {
                r.with_context(|| format!("reading tree {name}"))?;
                n += 1;
            }
            out.insert(name, n);
        }
        Ok(out)
    }

    fn sled_generation(&self) -> Result<u64> {
        let meta = self.db.open_tree("meta")?;
        Ok(match meta.get(integrity::GENERATION_KEY)? {
            Some(v) => u64::from_be_bytes(
                v.as_ref()
                    .try_into()
                    .with_context(|| format!("meta's generation is damaged; {RECOVERY_HINT}"))?,
            ),
            None => 0,
        })
    }

    fn set_sled_generation(&self) -> Result<()> {
        let meta = self.db.open_tree("meta")?;
        meta.insert(integrity::GENERATION_KEY, &self.generation.to_be_bytes())?;
        self.db.flush()?;
        Ok(())
    }

    /// Mark the store as failed: closing it will not record it as clean, so the next open
    /// checks it as after a crash.
    pub fn mark_failed(&self) {
        self.failed.store(true, Ordering::Relaxed);
    }

    /// Whether a failure was seen since the open (a hook for `status`).
    pub fn has_failed(&self) -> bool {
        self.failed.load(Ordering::Relaxed)
    }

    /// Record the store as cleanly closed: flushed, every tree counted. Called on drop.
    fn close(&self) -> Result<()> {
        let started = std::time::Instant::now();
        let counts = integrity::contain(|| -> Result<BTreeMap<String, u64>> {
            self.db.flush().context("flushing the store")?;
            self.count_records()
        })
        .map_err(anyhow::Error::msg)??;
        tracing::debug!(
            records = counts.values().sum::<u64>(),
            ms = started.elapsed().as_millis() as u64,
            "every tree counted at close"
        );
        integrity::write(
            &self.path.join("db"),
            &integrity::Integrity {
                generation: self.generation,
                clean: true,
                written_at: Utc::now(),
                counts,
            },
        )
        .context("writing newswatch's record of the store")?;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// sled recovers a log damaged near its start by dropping what follows, so a damaged
    /// store can open as an empty one. A store opened before always has its version
    /// record: one without it (where the marker says a store was here) lost its records.
    fn check_not_emptied(&self) -> Result<()> {
        let meta = self.db.open_tree("meta")?;
        anyhow::ensure!(
            meta.contains_key("schema_version")?,
            "the store opened with its records missing; {RECOVERY_HINT}"
        );
        Ok(())
    }

    /// The schema version the store was written at.
    fn stored_schema(&self) -> Result<u64> {
        let meta = self.db.open_tree("meta")?;
        Ok(match meta.get("schema_version")? {
            // A new store is written at the current version.
            None if self.claims.is_empty() && self.items.is_empty() => SCHEMA_VERSION,
            None => 1,
            Some(v) => {
                let bytes: [u8; 8] = v
                    .as_ref()
                    .try_into()
                    .with_context(|| format!("schema_version is damaged; {RECOVERY_HINT}"))?;
                u64::from_be_bytes(bytes)
            }
        })
    }

    fn check_schema(&self) -> Result<()> {
        let meta = self.db.open_tree("meta")?;
        let found = self.stored_schema()?;
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
        if from < 3 {
            let feeds = self
                .fold_feed_seen()
                .context("folding seen entries into sets")?;
            tracing::info!(feeds, "seen entries folded into one set per feed");
        }
        if from < 4 {
            let n = self
                .index_queued_digests()
                .context("indexing queued digests")?;
            tracing::info!(queued = n, "queued digests indexed");
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

    fn load_id_floor(&self) -> Result<()> {
        let meta = self.db.open_tree("meta")?;
        if let Some(v) = meta.get(ID_FLOOR_KEY)? {
            let bytes: [u8; 8] = v
                .as_ref()
                .try_into()
                .with_context(|| format!("{ID_FLOOR_KEY} is damaged; {RECOVERY_HINT}"))?;
            self.id_floor
                .store(u64::from_be_bytes(bytes), Ordering::Relaxed);
        }
        Ok(())
    }

    // ---- export and import ----

    /// The trees an export covers, by name (sled's default tree included; it is empty).
    fn tree_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .db
            .tree_names()
            .iter()
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .collect();
        names.sort();
        names
    }

    /// Meta records that describe this database rather than its content: the header carries
    /// the schema version, and the id floor is recomputed by an import.
    fn is_local_meta(tree: &str, key: &[u8]) -> bool {
        is_local_meta(tree, key)
    }

    /// Write every tree's records as JSON lines (the format is at [`EXPORT_FORMAT`]): each
    /// tree is read once, in key order. Taken while the daemon runs, each record is
    /// whole, but a cycle running at the same time may be caught half-written (as after a
    /// crash, which the next cycle repairs).
    ///
    /// A damaged store is exported as far as it can be read: a tree that fails part-way
    /// is read on from its end backwards down to the last record read, and what was
    /// skipped (and the trees holding fewer records than newswatch recorded) is listed in
    /// [`ExportStats::skipped`]. Only a failure to write `out` is an error.
    pub fn export(&self, out: &mut dyn std::io::Write) -> Result<ExportStats> {
        // A store opened for salvage is not migrated: the header says what it holds.
        let schema_version = match self.salvage {
            true => integrity::contain(|| self.stored_schema())
                .ok()
                .and_then(|r| r.ok())
                .unwrap_or(SCHEMA_VERSION),
            false => SCHEMA_VERSION,
        };
        let header = ExportHeader {
            newswatch_export: EXPORT_FORMAT,
            schema_version,
            created_at: Utc::now(),
        };
        let mut stats = ExportStats {
            schema_version,
            ..Default::default()
        };
        let mut line = serde_json::to_vec(&header)?;
        line.push(b'\n');
        out.write_all(&line).context("writing the export")?;
        let names = integrity::contain(|| self.tree_names()).unwrap_or_else(|p| {
            stats.skipped.push(format!("the list of trees: {p}"));
            Vec::new()
        });
        for name in names {
            let (count, problem) = self.export_tree(&name, out)?;
            if let Some(p) = problem {
                stats.skipped.push(format!("tree {name}: {p}"));
            }
            stats.records += count;
            stats.trees.insert(name, count);
        }
        if let Some(rec) = &self.recorded {
            // Against what was recorded (as after a crash: a clean record may be older
            // than this open); trees already listed as skipped say so themselves.
            let unclean = integrity::Integrity {
                clean: false,
                ..rec.clone()
            };
            let missing = integrity::compare(&unclean, &stats.trees, u64::MAX);
            stats.skipped.extend(missing);
        }
        out.flush().context("writing the export")?;
        Ok(stats)
    }

    /// Export one tree; returns the records written and, when part of it could not be
    /// read, what happened.
    fn export_tree(
        &self,
        name: &str,
        out: &mut dyn std::io::Write,
    ) -> Result<(u64, Option<String>)> {
        let tree = match integrity::contain(|| self.db.open_tree(name)) {
            Ok(Ok(t)) => t,
            Ok(Err(e)) => return Ok((0, Some(format!("cannot be opened: {e}")))),
            Err(p) => return Ok((0, Some(format!("cannot be opened: {p}")))),
        };
        let mut count = 0u64;
        let mut line = Vec::new();
        let mut last: Option<sled::IVec> = None;
        let mut write = |k: &[u8], v: &[u8], out: &mut dyn std::io::Write| -> Result<u64> {
            if Self::is_local_meta(name, k) {
                return Ok(0);
            }
            let key = std::str::from_utf8(k).ok();
            let value = as_raw_json(v);
            let record = ExportLine {
                tree: name,
                key,
                key_hex: key.is_none().then(|| to_hex(k)),
                value,
                value_hex: value.is_none().then(|| to_hex(v)),
            };
            line.clear();
            serde_json::to_writer(&mut line, &record)?;
            line.push(b'\n');
            out.write_all(&line).context("writing the export")?;
            Ok(1)
        };
        let forward = integrity::contain(|| -> Result<Option<String>> {
            for r in tree.iter() {
                match r {
                    Ok((k, v)) => {
                        count += write(&k, &v, &mut *out)?;
                        last = Some(k);
                    }
                    Err(e) => return Ok(Some(e.to_string())),
                }
            }
            Ok(None)
        });
        let failure = match forward {
            Ok(Ok(None)) => return Ok((count, None)),
            Ok(Ok(Some(e))) => plain(&e),
            Ok(Err(write_error)) => return Err(write_error),
            Err(panic) => panic,
        };
        // Read on from the end, backwards, down to the last record read.
        let mut tail = Vec::new();
        let backward = integrity::contain(|| {
            let iter = match &last {
                Some(k) => tree.range::<&[u8], _>((
                    std::ops::Bound::Excluded(k.as_ref()),
                    std::ops::Bound::Unbounded,
                )),
                None => tree.iter(),
            };
            for r in iter.rev() {
                match r {
                    Ok(kv) => tail.push(kv),
                    Err(e) => return Some(e.to_string()),
                }
            }
            None
        });
        let from_start = count;
        for (k, v) in tail.iter().rev() {
            count += write(k, v, &mut *out)?;
        }
        let from_end = count - from_start;
        let whole_tail = matches!(backward, Ok(None));
        Ok((
            count,
            Some(format!(
                "{from_start} records read, then {failure}; {from_end} more read from its end{}",
                if whole_tail {
                    ""
                } else {
                    " (until the damage again)"
                }
            )),
        ))
    }

    /// True when no tree holds a record (meta's own version records aside).
    pub fn is_empty(&self) -> Result<bool> {
        for name in self.tree_names() {
            let tree = self.db.open_tree(&name)?;
            for r in tree.iter().keys() {
                if !Self::is_local_meta(&name, &r?) {
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }

    /// Load an export (see [`EXPORT_FORMAT`]) into this store, which must be empty, then
    /// migrate it when it was written at an older schema version. A bad line fails the
    /// whole import with its line number, and the store is left empty again.
    pub fn import(&self, input: &mut dyn std::io::BufRead) -> Result<ImportStats> {
        anyhow::ensure!(
            self.is_empty()?,
            "the store at {} already holds records; import only into an empty state_dir \
             (move the old one aside first)",
            self.path.display()
        );
        let header = read_header(input)?;
        anyhow::ensure!(
            header.schema_version <= SCHEMA_VERSION,
            "line 1: the export was written at schema {} by a newer newswatch (this one reads \
             up to {SCHEMA_VERSION}); import it with that version",
            header.schema_version
        );
        let mut stats = ImportStats {
            from_schema_version: header.schema_version,
            ..Default::default()
        };
        match self.load_records(input, &mut stats) {
            Ok(max_seq) => {
                let meta = self.db.open_tree("meta")?;
                meta.insert(ID_FLOOR_KEY, &max_seq.saturating_add(1).to_be_bytes())?;
                self.load_id_floor()?;
                // Written before the migration: a migration stopped half-way runs again
                // at the next open (every step is idempotent).
                meta.insert("schema_version", &header.schema_version.to_be_bytes())?;
                if header.schema_version < SCHEMA_VERSION {
                    self.migrate(header.schema_version)?;
                    stats.migrated = true;
                }
                meta.insert("schema_version", &SCHEMA_VERSION.to_be_bytes())?;
                self.flush()?;
                Ok(stats)
            }
            Err(e) => {
                // Leave the store as empty as it was, so the import can simply be rerun.
                for name in stats.trees.keys() {
                    if let Ok(tree) = self.db.open_tree(name) {
                        let _ = tree.clear();
                    }
                }
                let _ = self.flush();
                Err(e.context("nothing was imported"))
            }
        }
    }

    /// The record lines of an import; returns the highest claim sequence number seen.
    fn load_records(
        &self,
        input: &mut dyn std::io::BufRead,
        stats: &mut ImportStats,
    ) -> Result<u64> {
        let mut trees: HashMap<String, sled::Tree> = HashMap::new();
        read_records(input, stats, |number, name, key, value| {
            let tree = match trees.get(&name) {
                Some(t) => t,
                None => {
                    let t = self
                        .db
                        .open_tree(&name)
                        .with_context(|| format!("line {number}: opening tree {name}"))?;
                    trees.entry(name).or_insert(t)
                }
            };
            tree.insert(key, value)
                .with_context(|| format!("line {number}: writing"))?;
            Ok(())
        })
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

    /// What this feed carried before (empty for a feed never polled).
    pub fn seen_set(&self, feed_url: &str) -> Result<SeenSet> {
        Ok(self
            .seen_sets
            .get(hkey(feed_url).as_bytes())?
            .map(|v| SeenSet::from_bytes(&v))
            .unwrap_or_default())
    }

    /// Write a feed's seen set, capped to `max(SEEN_PER_FEED_MIN, 10 × feed_len)` entries.
    pub fn put_seen_set(&self, feed_url: &str, set: &mut SeenSet, feed_len: usize) -> Result<()> {
        set.cap(SEEN_PER_FEED_MIN.max(feed_len.saturating_mul(10)));
        self.seen_sets
            .insert(hkey(feed_url).as_bytes(), set.to_bytes())?;
        Ok(())
    }

    /// Schema 2 → 3: `feed-id \0 entry-id` keys become one set per feed id. Idempotent:
    /// sets are merged into, and the old tree is cleared only once all are written.
    fn fold_feed_seen(&self) -> Result<usize> {
        let mut sets: std::collections::BTreeMap<Vec<u8>, SeenSet> = Default::default();
        for k in self.feed_seen.iter().keys() {
            let k = k?;
            let Some(split) = k.iter().position(|&b| b == 0) else {
                continue;
            };
            let (feed, entry) = (&k[..split], &k[split + 1..]);
            let Some(hex) = entry.get(..16).and_then(|h| std::str::from_utf8(h).ok()) else {
                continue;
            };
            let Ok(h) = u64::from_str_radix(hex, 16) else {
                continue;
            };
            sets.entry(feed.to_vec()).or_default().insert_hash(h);
        }
        let n = sets.len();
        for (feed, mut set) in sets {
            if let Some(old) = self.seen_sets.get(&feed)? {
                let mut merged = SeenSet::from_bytes(&old);
                for &h in set.hashes() {
                    merged.insert_hash(h);
                }
                set = merged;
            }
            self.seen_sets.insert(feed, set.to_bytes())?;
        }
        self.feed_seen.clear()?;
        Ok(n)
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

    pub(in crate::store) fn fp_record(at: DateTime<Utc>, url: &str, fp: &Fingerprint) -> Vec<u8> {
        let url = &url.as_bytes()[..url.len().min(u16::MAX as usize)];
        let mut v = at.timestamp().to_be_bytes().to_vec();
        v.extend_from_slice(&(url.len() as u16).to_be_bytes());
        v.extend_from_slice(url);
        v.extend_from_slice(&fp.to_bytes());
        v
    }

    pub(in crate::store) fn read_fp_record(bytes: &[u8]) -> Option<(i64, String, Fingerprint)> {
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

    /// Record when a story entered the title or fingerprint tier, for [`SledStore::prune_dedup`].
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

    /// Retention: remove the stories first seen before `before` that no digest still waits
    /// for (not pending), and the sent digests and alerts sent before it. What dedup needs
    /// stays (the URL/guid index, the feeds' seen sets; the title and fingerprint tiers
    /// prune themselves after 14 days), and so do claims (each carries its own quote,
    /// source and URL). One pass over `items` and `digests` (run once a day, not per item).
    ///
    /// `items` and `digests` are trees the integrity record expects never to shrink, so
    /// the record is written first with the counts that will remain (a stop before the
    /// deletes then finds more records than recorded, which is fine), then again after.
    pub fn prune_old(&self, before: DateTime<Utc>) -> Result<PruneStats> {
        let mut items = Vec::new();
        for r in self.items.iter() {
            let (k, v) = r?;
            let item: StoredItem = dec(&v)?;
            if item.first_seen < before && !self.pending.contains_key(&k)? {
                items.push(k);
            }
        }
        let mut digests = Vec::new();
        for r in self.digests.iter() {
            let (k, v) = r?;
            let d: DigestRecord = dec(&v)?;
            if d.state == DigestState::Sent && d.sent_at.is_some_and(|t| t < before) {
                digests.push(k);
            }
        }
        let stats = PruneStats {
            items: items.len(),
            digests: digests.len(),
        };
        if items.is_empty() && digests.is_empty() {
            return Ok(stats);
        }
        let mut counts = self.count_records()?;
        for (tree, gone) in [("items", items.len()), ("digests", digests.len())] {
            if let Some(n) = counts.get_mut(tree) {
                *n = n.saturating_sub(gone as u64);
            }
        }
        self.write_open_record(counts)?;
        for k in &items {
            self.items.remove(k)?;
        }
        for k in &digests {
            self.digests.remove(k)?;
        }
        self.db.flush().context("flushing the pruned store")?;
        self.write_open_record(self.count_records()?)?;
        Ok(stats)
    }

    /// newswatch's record of the store while it is open (not a clean close).
    fn write_open_record(&self, counts: BTreeMap<String, u64>) -> Result<()> {
        integrity::write(
            &self.path.join("db"),
            &integrity::Integrity {
                generation: self.generation,
                clean: false,
                written_at: Utc::now(),
                counts,
            },
        )
        .context("writing newswatch's record of the store")
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

    /// Record a digest as sent and take its stories out of `pending`, atomically: a stop
    /// can never leave a sent digest whose stories would be mailed again.
    pub fn mark_digest_sent(&self, record: &DigestRecord) -> Result<()> {
        use sled::Transactional as _;
        let value = enc(record)?;
        (&self.digests, &self.pending, &self.queued)
            .transaction(|(digests, pending, queued)| {
                digests.insert(record.id.as_bytes(), value.as_slice())?;
                queued.remove(record.id.as_bytes())?;
                for id in &record.item_ids {
                    pending.remove(id.as_bytes())?;
                }
                Ok(())
            })
            .map_err(|e: sled::transaction::TransactionError<()>| {
                anyhow::anyhow!("recording a sent digest: {e:?}")
            })?;
        // On disk before anything else is sent: a kill after the server's 250 must not
        // send this digest again (issue 12).
        self.db
            .flush()
            .context("flushing the sent mark of a digest")?;
        Ok(())
    }

    /// A fresh number, unique in this store (for digest ids).
    pub fn next_id(&self) -> Result<u64> {
        Ok(self.db.generate_id()?)
    }

    // ---- claims ----

    fn claim_prefix(key: &str) -> Vec<u8> {
        let mut p = key.as_bytes().to_vec();
        p.push(0);
        p
    }

    /// The distinct comparison keys that start with `prefix` (at most `cap`), read by
    /// jumping from key to key: the cost is the number of keys, not of claims.
    pub fn claim_keys_under(&self, prefix: &str, cap: usize) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let mut from = prefix.as_bytes().to_vec();
        while out.len() < cap {
            let Some(entry) = self.claims.range(from.as_slice()..).next() else {
                break;
            };
            let (k, _) = entry?;
            if !k.starts_with(prefix.as_bytes()) {
                break;
            }
            // A tree key is the comparison key, a 0 byte, then a sequence number.
            let Some(end) = k.iter().position(|&b| b == 0) else {
                break;
            };
            out.push(String::from_utf8_lossy(&k[..end]).into_owned());
            // Past every entry of this key: keys hold neither 0 nor 1 bytes.
            from = k[..end].to_vec();
            from.push(1);
        }
        Ok(out)
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
        let key = self.new_claim_key(&record.stored.claim.key())?;
        self.put_claim_at(&key, record)?;
        Ok(key)
    }

    /// A fresh tree key for a claim under `claim_key`: the comparison key, a 0 byte, then a
    /// sequence number above every stored one (sled's id generator plus the import floor).
    pub fn new_claim_key(&self, claim_key: &str) -> Result<Vec<u8>> {
        let seq = self
            .db
            .generate_id()?
            .saturating_add(self.id_floor.load(Ordering::Relaxed));
        let mut key = Self::claim_prefix(claim_key);
        key.extend_from_slice(&seq.to_be_bytes());
        Ok(key)
    }

    /// Store a claim under a key from [`SledStore::new_claim_key`], with its entity index.
    pub fn put_claim_at(&self, tree_key: &[u8], record: &ClaimRecord) -> Result<()> {
        self.claims.insert(tree_key, enc(record)?)?;
        self.index_claim_entities(tree_key, record)
    }

    /// Every dedup tier's read for one story (see [`StoreBackend::story_lookup`]).
    pub fn story_lookup(&self, q: &StoryQuery) -> Result<StoryLookup> {
        let by_key = self.story_for(q.index_keys)?;
        let own_item = match &by_key {
            Some(first) if first == q.id => self.item(q.id)?,
            _ => None,
        };
        let by_title = match q.title_key {
            Some(tk) => match self.title_story(tk)? {
                Some(rec) => {
                    // Only compared with the story's own fingerprint: read when it has one.
                    let fp = match q.fingerprint {
                        Some(_) => self.fingerprint_of(&rec.id)?.map(|(_, fp)| fp),
                        None => None,
                    };
                    Some((rec, fp))
                }
                None => None,
            },
            None => None,
        };
        let fingerprint_hits = match q.fingerprint {
            Some(fp) => self.fingerprint_candidates(fp)?,
            None => Vec::new(),
        };
        Ok(StoryLookup {
            by_key,
            own_item,
            by_title,
            fingerprint_hits,
        })
    }

    /// One feed entry's writes (see [`StoreBackend::commit_story`]). sled writes them one
    /// by one in this order, each crash-safe on its own as before: pending before the
    /// item, the seen set written by the caller after the feed's last entry.
    pub fn commit_story(&self, w: &StoryWrite, seen: &mut SeenSet) -> Result<()> {
        if let Some((keys, id)) = &w.index {
            self.index_story(keys, id)?;
        }
        if let Some((tk, rec)) = &w.title {
            self.index_title(tk, rec)?;
        }
        if let Some(f) = &w.fingerprint {
            self.index_fingerprint(&f.id, &f.url, &f.fingerprint, f.title_key.as_deref(), f.at)?;
        }
        if let Some((id, tk, at)) = &w.dedup_time {
            self.mark_dedup_time(id, tk.as_deref(), *at)?;
        }
        for (key, rec) in &w.claims {
            self.put_claim_at(key, rec)?;
        }
        if let Some(id) = &w.pending {
            self.add_pending(id)?;
        }
        if let Some(item) = &w.item {
            self.put_item(item)?;
        }
        seen.insert(&w.entry_key);
        Ok(())
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
        match d.state {
            DigestState::Queued | DigestState::Parked => {
                self.queued.insert(d.id.as_bytes(), &[])?
            }
            DigestState::Sent => self.queued.remove(d.id.as_bytes())?,
        };
        Ok(())
    }

    /// Digests written but not yet accepted by the transport and not parked, oldest first.
    pub fn queued_digests(&self) -> Result<Vec<DigestRecord>> {
        let mut out = self.unsent_digests()?;
        out.retain(|d| d.state == DigestState::Queued);
        Ok(out)
    }

    /// One stored digest (or alert, or webhook message) by its id.
    pub fn digest_record(&self, id: &str) -> Result<Option<DigestRecord>> {
        match self.digests.get(id.as_bytes())? {
            Some(v) => Ok(Some(dec(&v)?)),
            None => Ok(None),
        }
    }

    /// Digests written but not yet accepted by the transport, queued or parked, oldest
    /// first (read through the `queued` index: sent digests are never read again).
    pub fn unsent_digests(&self) -> Result<Vec<DigestRecord>> {
        let mut out = Vec::new();
        for k in self.queued.iter().keys() {
            let k = k?;
            match self.digests.get(&k)? {
                Some(v) => {
                    let d: DigestRecord = dec(&v)?;
                    if d.state != DigestState::Sent {
                        out.push(d);
                    }
                }
                None => {
                    self.queued.remove(&k)?;
                }
            }
        }
        out.sort_by(|a, b| {
            a.created_at
                .cmp(&b.created_at)
                .then_with(|| a.id.cmp(&b.id))
        });
        Ok(out)
    }

    /// Schema 3 → 4: index the digests still queued.
    fn index_queued_digests(&self) -> Result<usize> {
        let mut n = 0;
        for r in self.digests.iter() {
            let (k, v) = r?;
            let d: DigestRecord = dec(&v)?;
            if d.state == DigestState::Queued {
                self.queued.insert(k, &[])?;
                n += 1;
            }
        }
        Ok(n)
    }

    /// The newest digest (or alert, or webhook message) the transport accepted. Ids sort
    /// by creation time, so this reads from the newest back to the first sent one.
    pub fn last_sent_digest(&self) -> Result<Option<DigestRecord>> {
        for r in self.digests.iter().rev() {
            let (_, v) = r?;
            let d: DigestRecord = dec(&v)?;
            if d.state == DigestState::Sent {
                return Ok(Some(d));
            }
        }
        Ok(None)
    }

    // ---- totals (for `status` and metrics) ----

    /// Stories stored (counts the tree: for status, not for a cycle's path).
    pub fn item_count(&self) -> usize {
        self.items.len()
    }

    /// Claims stored.
    pub fn claim_count(&self) -> usize {
        self.claims.len()
    }

    /// What sled's files take on disk.
    pub fn size_on_disk(&self) -> Result<u64> {
        Ok(self.db.size_on_disk()?)
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

impl StoreBackend for SledStore {
    fn story_lookup(&self, q: &StoryQuery) -> Result<StoryLookup> {
        SledStore::story_lookup(self, q)
    }

    fn new_claim_key(&self, claim_key: &str) -> Result<Vec<u8>> {
        SledStore::new_claim_key(self, claim_key)
    }

    fn put_claim_at(&self, tree_key: &[u8], record: &ClaimRecord) -> Result<()> {
        SledStore::put_claim_at(self, tree_key, record)
    }

    fn commit_story(&self, write: &StoryWrite, seen: &mut SeenSet) -> Result<Committed> {
        SledStore::commit_story(self, write, seen)?;
        Ok(Committed::Stored)
    }

    fn instance(&self) -> &str {
        "local"
    }

    // One process owns a sled store (its lock): there is nobody to share work with, so every
    // lease is this process's; only finished ones are remembered (for the process's life:
    // a digest tick is never due twice).
    fn take_leases(&self, names: &[String], _ttl: std::time::Duration) -> Result<Vec<String>> {
        let finished = self
            .finished_leases
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        Ok(names
            .iter()
            .filter(|n| !finished.contains(*n))
            .cloned()
            .collect())
    }

    fn release_leases(&self, _names: &[String]) -> Result<()> {
        Ok(())
    }

    fn finish_lease(&self, name: &str) -> Result<()> {
        self.finished_leases
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(name.to_string());
        Ok(())
    }

    fn lease_state(&self, name: &str) -> Result<LeaseState> {
        let finished = self
            .finished_leases
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        Ok(if finished.contains(name) {
            LeaseState::Finished
        } else {
            LeaseState::Free
        })
    }

    fn lock_claim_subjects(&self, _subjects: &[String]) -> Result<ClaimLock> {
        // The one consumer of the one process decides and writes claims one story at a time.
        Ok(ClaimLock::none())
    }

    fn mark_failed(&self) {
        SledStore::mark_failed(self)
    }

    fn path(&self) -> &Path {
        SledStore::path(self)
    }

    fn flush(&self) -> Result<()> {
        SledStore::flush(self)
    }

    fn export(&self, out: &mut dyn std::io::Write) -> Result<ExportStats> {
        SledStore::export(self, out)
    }

    fn is_empty(&self) -> Result<bool> {
        SledStore::is_empty(self)
    }

    fn import(&self, input: &mut dyn std::io::BufRead) -> Result<ImportStats> {
        SledStore::import(self, input)
    }

    fn feed_state(&self, url: &str) -> Result<Option<FeedState>> {
        SledStore::feed_state(self, url)
    }

    fn put_feed_state(&self, state: &FeedState) -> Result<()> {
        SledStore::put_feed_state(self, state)
    }

    fn all_feed_states(&self) -> Result<Vec<FeedState>> {
        SledStore::all_feed_states(self)
    }

    fn seen_set(&self, feed_url: &str) -> Result<SeenSet> {
        SledStore::seen_set(self, feed_url)
    }

    fn put_seen_set(&self, feed_url: &str, set: &mut SeenSet, feed_len: usize) -> Result<()> {
        SledStore::put_seen_set(self, feed_url, set, feed_len)
    }

    fn index_story(&self, keys: &[String], id: &str) -> Result<()> {
        SledStore::index_story(self, keys, id)
    }

    fn prune_dedup(&self, before: DateTime<Utc>) -> Result<usize> {
        SledStore::prune_dedup(self, before)
    }

    fn item(&self, id: &str) -> Result<Option<StoredItem>> {
        SledStore::item(self, id)
    }

    fn prune_old(&self, before: DateTime<Utc>) -> Result<PruneStats> {
        SledStore::prune_old(self, before)
    }

    fn put_item(&self, item: &StoredItem) -> Result<()> {
        SledStore::put_item(self, item)
    }

    fn pending_ids(&self) -> Result<Vec<String>> {
        SledStore::pending_ids(self)
    }

    fn mark_digest_sent(&self, record: &DigestRecord) -> Result<()> {
        SledStore::mark_digest_sent(self, record)
    }

    fn next_id(&self) -> Result<u64> {
        SledStore::next_id(self)
    }

    fn claim_keys_under(&self, prefix: &str, cap: usize) -> Result<Vec<String>> {
        SledStore::claim_keys_under(self, prefix, cap)
    }

    fn recent_claims_for_key(
        &self,
        key: &str,
        limit: usize,
    ) -> Result<Vec<(Vec<u8>, ClaimRecord)>> {
        SledStore::recent_claims_for_key(self, key, limit)
    }

    fn claim(&self, tree_key: &[u8]) -> Result<Option<ClaimRecord>> {
        SledStore::claim(self, tree_key)
    }

    fn update_claim(&self, tree_key: &[u8], record: &ClaimRecord) -> Result<()> {
        SledStore::update_claim(self, tree_key, record)
    }

    fn claims_list(&self, entity: Option<&str>) -> Result<Vec<(Vec<u8>, ClaimRecord)>> {
        SledStore::claims_list(self, entity)
    }

    fn put_digest(&self, d: &DigestRecord) -> Result<()> {
        SledStore::put_digest(self, d)
    }

    fn queued_digests(&self) -> Result<Vec<DigestRecord>> {
        SledStore::queued_digests(self)
    }

    fn digest_record(&self, id: &str) -> Result<Option<DigestRecord>> {
        SledStore::digest_record(self, id)
    }

    fn unsent_digests(&self) -> Result<Vec<DigestRecord>> {
        SledStore::unsent_digests(self)
    }

    fn last_sent_digest(&self) -> Result<Option<DigestRecord>> {
        SledStore::last_sent_digest(self)
    }

    fn item_count(&self) -> usize {
        SledStore::item_count(self)
    }

    fn claim_count(&self) -> usize {
        SledStore::claim_count(self)
    }

    fn size_on_disk(&self) -> Result<u64> {
        SledStore::size_on_disk(self)
    }

    fn seed_doc_recorded(&self, key: &str) -> Result<bool> {
        SledStore::seed_doc_recorded(self, key)
    }

    fn mark_seed_doc(&self, key: &str) -> Result<()> {
        SledStore::mark_seed_doc(self, key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ClaimStatus;

    /// Opens the store in `dir` again after a handle was dropped: sled's flusher thread
    /// may hold the dropped handle's file lock a moment longer (seen under a loaded test
    /// run), which is `Locked` to this process too.
    fn reopen(dir: &Path) -> SledStore {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            match SledStore::open(dir) {
                Err(OpenError::Locked(_)) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                other => return other.unwrap(),
            }
        }
    }

    #[test]
    fn the_distinct_claim_keys_of_a_subject_are_listed_once_each() {
        use crate::model::{Claim, ClaimStatus, StoredClaim};
        let dir = tempfile::tempdir().unwrap();
        let s = reopen(dir.path());
        let put = |subject: &str, measure: &str, v: f64| {
            let claim = Claim {
                subject: subject.into(),
                measure: measure.into(),
                unit: "ships".into(),
                value: v,
                ..Default::default()
            };
            s.put_claim(&ClaimRecord {
                alerted_at: None,
                stored: StoredClaim {
                    claim,
                    item_id: "i".into(),
                    item_url: "https://a/1".into(),
                    source: "A".into(),
                    published: None,
                    first_seen: Utc::now(),
                    status: ClaimStatus::New,
                    baseline: false,
                },
                entities: Vec::new(),
                related: Vec::new(),
                relations: Vec::new(),
            })
            .unwrap();
        };
        for v in [1.0, 2.0, 3.0] {
            put("strike", "stuck", v);
            put("strike", "diverted", v);
            put("strike-2", "stuck", v);
            put("strik", "stuck", v);
        }
        let keys = s.claim_keys_under("strike|", 10).unwrap();
        assert_eq!(
            keys,
            vec![
                "strike||diverted|ships|running_total|".to_string(),
                "strike||stuck|ships|running_total|".to_string(),
            ]
        );
        assert_eq!(s.claim_keys_under("strike|", 1).unwrap().len(), 1);
    }

    #[test]
    fn retention_prunes_old_sent_stories_keeps_dedup_keys_and_pending_and_the_store_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let now = Utc::now();
        let item = |id: &str, days_ago: i64| StoredItem {
            id: id.into(),
            url: format!("https://a/{id}"),
            first_seen: now - chrono::Duration::days(days_ago),
            ..Default::default()
        };
        let digest = |id: &str, days_ago: i64| DigestRecord {
            id: id.into(),
            message_id: format!("<{id}@x>"),
            created_at: now - chrono::Duration::days(days_ago),
            recipients: vec!["a@example.org".into()],
            subject: String::new(),
            text: String::new(),
            html: String::new(),
            item_ids: Vec::new(),
            claims: 0,
            state: DigestState::Sent,
            attempts: 1,
            last_error: None,
            sent_at: Some(now - chrono::Duration::days(days_ago)),
            next_attempt_at: None,
            permanent_failures: 0,
            kind: DigestKind::Digest,
        };
        {
            let store = reopen(dir.path());
            for (id, age) in [("old", 400), ("old-pending", 400), ("recent", 3)] {
                store.put_item(&item(id, age)).unwrap();
                store
                    .index_story(&[format!("u:https://a/{id}")], id)
                    .unwrap();
            }
            store.add_pending("old-pending").unwrap();
            store.put_digest(&digest("d-old", 400)).unwrap();
            store.put_digest(&digest("d-recent", 3)).unwrap();
            // A clean close records 3 stories and 2 digests.
        }
        {
            let store = reopen(dir.path());
            let stats = store.prune_old(now - chrono::Duration::days(365)).unwrap();
            assert_eq!(
                stats,
                PruneStats {
                    items: 1,
                    digests: 1
                }
            );
            assert!(store.item("old").unwrap().is_none());
            assert!(
                store.item("old-pending").unwrap().is_some(),
                "still pending"
            );
            assert!(store.item("recent").unwrap().is_some());
            assert!(store.digest_record("d-old").unwrap().is_none());
            assert!(store.digest_record("d-recent").unwrap().is_some());
            // The URL still says "seen": a later copy is a duplicate, not news.
            assert_eq!(
                store
                    .story_for(&["u:https://a/old".into()])
                    .unwrap()
                    .as_deref(),
                Some("old")
            );
            // An unclean stop right after: the record was rewritten, so no "records missing".
            std::mem::forget(store);
        }
        // sled's lock goes with the process; here the forgotten handle still holds it, so
        // the reopen is checked on a copy of the files.
        let copy = tempfile::tempdir().unwrap();
        copy_dir(dir.path(), copy.path());
        let reopened = SledStore::open(copy.path());
        assert!(reopened.is_ok(), "{:?}", reopened.err());
    }

    fn copy_dir(from: &Path, to: &Path) {
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let target = to.join(e.file_name());
            if e.file_type().unwrap().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
                copy_dir(&e.path(), &target);
            } else if e.file_name() != "lock" {
                std::fs::copy(e.path(), &target).unwrap();
            }
        }
    }

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
            alerted_at: None,
            stored: StoredClaim {
                claim: c,
                item_id: "i1".into(),
                item_url: "https://a/1".into(),
                source: "A".into(),
                published: None,
                first_seen: Utc::now(),
                status: ClaimStatus::New,
                baseline: false,
            },
            entities: vec!["kursk".into()],
            related,
            relations: Vec::new(),
        };
        {
            let s = reopen(dir.path());
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
        let s = reopen(dir.path());
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
    fn a_seen_set_keeps_the_newest_entries_within_its_cap() {
        let mut set = SeenSet::default();
        for i in 0..(SEEN_PER_FEED_MIN + 5) {
            set.insert(&format!("g:{i}"));
        }
        set.insert("g:0");
        let dir = tempfile::tempdir().unwrap();
        let s = reopen(dir.path());
        s.put_seen_set("https://a/rss", &mut set, 30).unwrap();
        let back = s.seen_set("https://a/rss").unwrap();
        assert_eq!(back.len(), SEEN_PER_FEED_MIN);
        assert!(
            !back.contains("g:0") && !back.contains("g:4"),
            "the oldest went first"
        );
        assert!(back.contains("g:5") && back.contains(&format!("g:{}", SEEN_PER_FEED_MIN + 4)));
    }

    #[test]
    fn a_schema_2_store_folds_its_seen_entries_into_sets() {
        let dir = tempfile::tempdir().unwrap();
        {
            let s = reopen(dir.path());
            // Schema 2's form: `feed-id \0 entry-id` per entry.
            for (feed, entry) in [
                ("https://a/rss", "g:1"),
                ("https://a/rss", "g:2"),
                ("https://b/rss", "g:1"),
            ] {
                let mut k = hkey(feed).into_bytes();
                k.push(0);
                k.extend_from_slice(hkey(entry).as_bytes());
                s.feed_seen.insert(k, &[]).unwrap();
            }
            let meta = s.db.open_tree("meta").unwrap();
            meta.insert("schema_version", &2u64.to_be_bytes()).unwrap();
            s.flush().unwrap();
        }
        let s = reopen(dir.path());
        let a = s.seen_set("https://a/rss").unwrap();
        assert!(a.contains("g:1") && a.contains("g:2") && !a.contains("g:3"));
        assert!(s.seen_set("https://b/rss").unwrap().contains("g:1"));
        assert!(s.feed_seen.is_empty(), "the old form is gone");
    }

    #[test]
    fn second_open_is_refused_as_locked() {
        let dir = tempfile::tempdir().unwrap();
        let _a = reopen(dir.path());
        match SledStore::open(dir.path()) {
            Err(OpenError::Locked(_)) => {}
            Err(e) => panic!("expected Locked, got {e}"),
            Ok(_) => panic!("expected Locked, got a second store"),
        }
    }

    #[test]
    fn seen_entries_and_story_index_survive_reopen() {
        let dir = tempfile::tempdir().unwrap();
        {
            let s = reopen(dir.path());
            let mut seen = s.seen_set("https://a/rss").unwrap();
            seen.insert("u:https://a/1");
            s.put_seen_set("https://a/rss", &mut seen, 30).unwrap();
            s.index_story(&["u:https://a/1".into()], "id1").unwrap();
            s.index_story(&["u:https://a/1".into()], "id2").unwrap();
            s.flush().unwrap();
        }
        let s = reopen(dir.path());
        assert!(s
            .seen_set("https://a/rss")
            .unwrap()
            .contains("u:https://a/1"));
        assert!(!s
            .seen_set("https://b/rss")
            .unwrap()
            .contains("u:https://a/1"));
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
        let s = reopen(dir.path());
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
        let s = reopen(dir.path());
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

    /// One story's writes as one call, then one question answers every tier for a copy
    /// of it; the entry is marked in the feed's seen set, which is written by the caller.
    #[test]
    fn a_story_written_as_one_unit_is_found_by_every_tier_in_one_lookup() {
        use crate::transforms::fingerprint::fingerprint;
        let dir = tempfile::tempdir().unwrap();
        let s = reopen(dir.path());
        let now = Utc::now();
        let fp = fingerprint(&body(120)).unwrap();
        let item = StoredItem {
            id: "s1".into(),
            url: "https://a.test/1".into(),
            feed_url: "https://a.test/feed".into(),
            ..Default::default()
        };
        let claim_key = s.new_claim_key("harbour|||ships||").unwrap();
        let keys = vec!["u:https://a.test/1".to_string()];
        let write = StoryWrite {
            entry_key: "entry-1".into(),
            index: Some((keys.clone(), "s1".into())),
            title: Some((
                "harbour ships".into(),
                TitleRecord {
                    id: "s1".into(),
                    url: item.url.clone(),
                    at: now,
                },
            )),
            fingerprint: Some(FingerprintEntry {
                id: "s1".into(),
                url: item.url.clone(),
                fingerprint: fp.clone(),
                title_key: Some("harbour ships".into()),
                at: now,
            }),
            dedup_time: None,
            claims: vec![(claim_key.clone(), claim_record("harbour", 3.0))],
            pending: Some("s1".into()),
            item: Some(item.clone()),
        };
        let mut seen = SeenSet::default();
        s.commit_story(&write, &mut seen).unwrap();
        assert!(seen.contains("entry-1"));
        assert_eq!(s.pending_ids().unwrap(), vec!["s1".to_string()]);
        assert!(s.claim(&claim_key).unwrap().is_some());
        assert_eq!(s.claims_list(Some("harbour")).unwrap().len(), 1);

        let found = s
            .story_lookup(&StoryQuery {
                id: "s1",
                index_keys: &keys,
                title_key: Some("harbour ships"),
                fingerprint: Some(&fp),
            })
            .unwrap();
        assert_eq!(found.by_key.as_deref(), Some("s1"));
        assert_eq!(found.own_item, Some(item));
        let (rec, its_fp) = found.by_title.unwrap();
        assert_eq!((rec.id.as_str(), its_fp), ("s1", Some(fp.clone())));
        assert_eq!(found.fingerprint_hits.len(), 1);

        // Another story's lookup: the URL tier names s1 without reading its item.
        let other = s
            .story_lookup(&StoryQuery {
                id: "s2",
                index_keys: &keys,
                title_key: None,
                fingerprint: None,
            })
            .unwrap();
        assert_eq!(other.by_key.as_deref(), Some("s1"));
        assert_eq!((other.own_item, other.by_title), (None, None));
        assert!(other.fingerprint_hits.is_empty());

        // An entry that writes nothing is only marked seen.
        let before = s.item_count();
        let empty = StoryWrite {
            entry_key: "entry-2".into(),
            ..Default::default()
        };
        s.commit_story(&empty, &mut seen).unwrap();
        assert!(seen.contains("entry-2"));
        assert_eq!(s.item_count(), before);
    }

    // ---- export and import ----

    fn claim_record(subject: &str, value: f64) -> ClaimRecord {
        use crate::model::{Claim, StoredClaim};
        ClaimRecord {
            alerted_at: None,
            stored: StoredClaim {
                claim: Claim {
                    subject: subject.into(),
                    measure: "deployed".into(),
                    unit: "troops".into(),
                    value,
                    quote: format!("some {value} troops were sent"),
                    ..Default::default()
                },
                item_id: "i1".into(),
                item_url: "https://a.example/1".into(),
                source: "A".into(),
                published: None,
                first_seen: Utc::now(),
                status: ClaimStatus::New,
                baseline: false,
            },
            entities: vec!["kursk".into()],
            related: Vec::new(),
            relations: Vec::new(),
        }
    }

    /// A store with a record in most trees, binary keys and values among them.
    fn populated(dir: &Path) -> SledStore {
        use crate::transforms::fingerprint::fingerprint;
        let s = SledStore::open(dir).unwrap();
        let now = Utc::now();
        s.put_feed_state(&FeedState {
            url: "https://a.example/rss".into(),
            name: Some("A".into()),
            items_seen: 3,
            ..Default::default()
        })
        .unwrap();
        let mut seen = s.seen_set("https://a.example/rss").unwrap();
        seen.insert("u:https://a.example/1");
        s.put_seen_set("https://a.example/rss", &mut seen, 1)
            .unwrap();
        s.index_story(&["u:https://a.example/1".into()], "i1")
            .unwrap();
        let k1 = s.put_claim(&claim_record("dprk-troops", 11000.0)).unwrap();
        s.put_claim(&claim_record("dprk-troops", 12000.0)).unwrap();
        s.put_item(&StoredItem {
            id: "i1".into(),
            title: "Troops sent to the Kursk front".into(),
            claim_keys: vec![k1],
            ..Default::default()
        })
        .unwrap();
        s.add_pending("i1").unwrap();
        s.mark_seed_doc("briefing.txt").unwrap();
        let fp = fingerprint(&body(200)).unwrap();
        s.index_fingerprint("i1", "https://a.example/1", &fp, Some("a title"), now)
            .unwrap();
        s.index_title(
            "a title",
            &TitleRecord {
                id: "i1".into(),
                url: "https://a.example/1".into(),
                at: now,
            },
        )
        .unwrap();
        // Keys and values that are not UTF-8, and a JSON value with spacing of its own.
        s.feed_seen
            .insert([0xff, 0x00, 0xfe], &[0xc3, 0x28])
            .unwrap();
        s.seed_docs.insert("spaced", "{ \"a\" : [1, 2] }").unwrap();
        s
    }

    type Records = Vec<(Vec<u8>, Vec<u8>)>;

    /// Every record of every tree, by tree name (meta's version records aside).
    fn records(s: &SledStore) -> BTreeMap<String, Records> {
        s.tree_names()
            .into_iter()
            .map(|name| {
                let tree = s.db.open_tree(&name).unwrap();
                let recs = tree
                    .iter()
                    .map(|r| {
                        let (k, v) = r.unwrap();
                        (k.to_vec(), v.to_vec())
                    })
                    .filter(|(k, _)| !SledStore::is_local_meta(&name, k))
                    .collect();
                (name, recs)
            })
            .filter(|(_, recs): &(String, Records)| !recs.is_empty())
            .collect()
    }

    #[test]
    fn export_then_import_gives_the_same_records_in_every_tree() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let src = populated(a.path());
        let mut out = Vec::new();
        let stats = src.export(&mut out).unwrap();
        let text = String::from_utf8(out.clone()).unwrap();
        let mut lines = text.lines();
        let header: serde_json::Value = serde_json::from_str(lines.next().unwrap()).unwrap();
        assert_eq!(header["newswatch_export"], 1);
        assert_eq!(header["schema_version"], SCHEMA_VERSION);
        assert_eq!(stats.records as usize, lines.count());
        assert!(
            text.contains(r#""key_hex":"ff00fe","value_hex":"c328""#),
            "{text}"
        );
        assert!(
            text.contains(r#""key":"spaced","value":{ "a" : [1, 2] }"#),
            "{text}"
        );

        let dst = SledStore::open(b.path()).unwrap();
        let imported = dst.import(&mut out.as_slice()).unwrap();
        assert_eq!(imported.records, stats.records);
        assert!(!imported.migrated);
        let before = records(&src);
        assert!(
            before.len() >= 12,
            "most trees hold records: {:?}",
            before.keys()
        );
        assert_eq!(records(&dst), before);
        // And the typed reads see the same store.
        assert_eq!(
            dst.all_feed_states().unwrap(),
            src.all_feed_states().unwrap()
        );
        assert_eq!(dst.claims_list(Some("kursk")).unwrap().len(), 2);
    }

    #[test]
    fn a_claim_stored_after_an_import_is_the_newest_of_its_key() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let src = populated(a.path());
        let mut out = Vec::new();
        src.export(&mut out).unwrap();
        drop(src);
        let values = |s: &SledStore, key: &str| -> Vec<f64> {
            let all = s.claims_for_key(key).unwrap();
            all.iter().map(|(_, r)| r.stored.claim.value).collect()
        };
        let key = claim_record("dprk-troops", 0.0).stored.claim.key();
        {
            // A fresh store's id generator starts where the exported one started: without
            // the floor this claim would overwrite the first imported one.
            let dst = SledStore::open(b.path()).unwrap();
            dst.import(&mut out.as_slice()).unwrap();
            dst.put_claim(&claim_record("dprk-troops", 13000.0))
                .unwrap();
            assert_eq!(values(&dst, &key), [11000.0, 12000.0, 13000.0]);
        }
        // Reopened: the floor is read back from meta.
        let dst = SledStore::open(b.path()).unwrap();
        dst.put_claim(&claim_record("dprk-troops", 14000.0))
            .unwrap();
        assert_eq!(values(&dst, &key), [11000.0, 12000.0, 13000.0, 14000.0]);
    }

    #[test]
    fn importing_into_a_store_that_holds_records_is_refused() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let mut out = Vec::new();
        populated(a.path()).export(&mut out).unwrap();
        let dst = SledStore::open(b.path()).unwrap();
        dst.add_pending("x").unwrap();
        let err = dst.import(&mut out.as_slice()).unwrap_err();
        assert!(
            format!("{err:#}").contains("already holds records"),
            "{err:#}"
        );
        assert_eq!(dst.pending_ids().unwrap(), ["x"], "nothing written");
    }

    #[test]
    fn a_bad_line_is_named_by_its_number_and_nothing_is_kept() {
        let header = format!(
            r#"{{"newswatch_export":1,"schema_version":{SCHEMA_VERSION},"created_at":"2026-11-01T00:00:00Z"}}"#
        );
        let good = r#"{"tree":"pending","key":"i1","value_hex":""}"#;
        let cases = [
            (format!("{header}\n{good}\n{{\"tree\":\"pending\"\n"), "line 3"),
            (format!("{header}\n{good}\n\n{{\"tree\":\"pending\",\"key\":\"i2\"}}\n"), "line 4"),
            (format!("{header}\n{{\"tree\":\"pending\",\"key_hex\":\"zz\",\"value_hex\":\"\"}}\n"), "line 2"),
            (format!("{header}\n{{\"tree\":\"meta\",\"key\":\"schema_version\",\"value_hex\":\"\"}}\n"), "line 2"),
            ("{\"tree\":\"pending\",\"key\":\"i1\",\"value_hex\":\"\"}\n".to_string(), "line 1"),
            (header.replace(&format!(":{SCHEMA_VERSION},"), ":99,") + "\n", "line 1"),
        ];
        for (text, want) in cases {
            let dir = tempfile::tempdir().unwrap();
            let s = reopen(dir.path());
            let err = s.import(&mut text.as_bytes()).unwrap_err();
            let msg = format!("{err:#}");
            assert!(msg.contains(want), "want {want:?} in {msg:?} for\n{text}");
            assert!(s.is_empty().unwrap(), "left empty after: {msg}");
        }
    }

    #[test]
    fn an_export_at_an_older_schema_is_migrated_on_import() {
        let claim = claim_record("dprk-troops", 11000.0);
        let mut old_key = b"dprk-troops|deployed|troops\0".to_vec();
        old_key.extend_from_slice(&7u64.to_be_bytes());
        let line = serde_json::json!({
            "tree": "claims",
            "key": String::from_utf8(old_key).unwrap(),
            "value": serde_json::to_value(&claim).unwrap(),
        });
        let text = format!(
            "{{\"newswatch_export\":1,\"schema_version\":1,\"created_at\":\"2026-11-01T00:00:00Z\"}}\n{line}\n"
        );
        let dir = tempfile::tempdir().unwrap();
        let s = reopen(dir.path());
        let stats = s.import(&mut text.as_bytes()).unwrap();
        assert!(stats.migrated);
        assert_eq!(stats.from_schema_version, 1);
        let moved = s.claims_for_key(&claim.stored.claim.key()).unwrap();
        assert_eq!(moved.len(), 1, "re-keyed under the current key");
        assert!(moved[0].0.ends_with(&7u64.to_be_bytes()), "sequence kept");
    }

    #[test]
    fn a_value_that_does_not_decode_says_how_to_recover() {
        let dir = tempfile::tempdir().unwrap();
        let s = reopen(dir.path());
        s.items.insert("i1", "{\"id\": tru").unwrap();
        let msg = format!("{:#}", s.item("i1").unwrap_err());
        assert!(msg.contains("does not decode"), "{msg}");
        assert!(msg.contains("newswatch import"), "{msg}");
    }

    /// A store whose files are damaged fails to open, saying what to do.
    #[test]
    fn a_damaged_store_fails_to_open_with_the_way_to_recover() {
        let dir = tempfile::tempdir().unwrap();
        populated(dir.path()).flush().unwrap();
        // sled's config file is checksummed (sled reports Corruption); damage at the start
        // of the log makes sled drop every record (the store would open empty).
        for (file, from) in [("conf", 0usize), ("db", 0), ("db", 20)] {
            let copy = tempfile::tempdir().unwrap();
            std::fs::create_dir_all(copy.path().join("db")).unwrap();
            for f in ["conf", "db", STORE_MARKER] {
                std::fs::copy(
                    dir.path().join("db").join(f),
                    copy.path().join("db").join(f),
                )
                .unwrap();
            }
            let p = copy.path().join("db").join(file);
            let mut bytes = std::fs::read(&p).unwrap();
            for b in bytes.iter_mut().skip(from).step_by(3) {
                *b ^= 0x5a;
            }
            std::fs::write(&p, bytes).unwrap();
            match SledStore::open(copy.path()) {
                Err(OpenError::Damaged { message, .. }) => {
                    assert!(message.contains("newswatch import"), "{file}: {message}");
                    assert!(message.contains("move the state_dir's `db` folder aside"));
                }
                Err(e) => panic!("{file}: expected damage, got {e}"),
                Ok(_) => panic!("{file} at {from}: a damaged store opened"),
            }
        }
    }

    fn integrity_record(dir: &Path) -> integrity::Integrity {
        integrity::read(&dir.join("db")).unwrap().unwrap()
    }

    /// Records lost from a cleanly closed store (as when sled opens a damaged data file
    /// as an older one) are found at open, by tree.
    #[test]
    fn records_missing_since_a_clean_stop_are_damage() {
        let dir = tempfile::tempdir().unwrap();
        drop(populated(dir.path()));
        let rec = integrity_record(dir.path());
        assert!(rec.clean);
        assert_eq!(rec.counts["claims"], 2);
        {
            // What sled gives back after damage: a store without some of its records.
            let db = sled::open(dir.path().join("db")).unwrap();
            let claims = db.open_tree("claims").unwrap();
            let first = claims.first().unwrap().unwrap().0;
            claims.remove(first).unwrap();
            db.flush().unwrap();
        }
        match SledStore::open(dir.path()) {
            Err(OpenError::Damaged { message, .. }) => {
                assert!(
                    message.contains("tree claims holds 1 records, 2 were recorded"),
                    "{message}"
                );
                assert!(message.contains("newswatch import"), "{message}");
            }
            Err(e) => panic!("expected damage, got {e}"),
            Ok(_) => panic!("a store that lost a record opened"),
        }
        // An export still writes what is there, and says what is missing.
        let s = SledStore::open_salvage(dir.path()).unwrap();
        let mut out = Vec::new();
        let stats = s.export(&mut out).unwrap();
        assert!(
            stats
                .skipped
                .iter()
                .any(|p| p.contains("claims holds 1 records")),
            "{:?}",
            stats.skipped
        );
        assert!(stats.records > 5);
    }

    /// A kill (no clean close: the record says unclean) after more records were written,
    /// and some pending ones removed, is not damage.
    #[test]
    fn an_unclean_stop_with_more_records_is_not_damage() {
        let dir = tempfile::tempdir().unwrap();
        drop(populated(dir.path()));
        {
            let s = reopen(dir.path());
            assert!(!integrity_record(dir.path()).clean, "unclean while open");
            s.add_pending("i2").unwrap();
            s.pending.remove("i1").unwrap();
            s.put_claim(&claim_record("dprk-troops", 13000.0)).unwrap();
            s.flush().unwrap();
            // As a kill: nothing recorded at close.
            s.mark_failed();
        }
        assert!(!integrity_record(dir.path()).clean);
        let s = reopen(dir.path());
        assert_eq!(s.claims.len(), 3);
        drop(s);
        let rec = integrity_record(dir.path());
        assert!(rec.clean);
        assert_eq!(rec.counts["claims"], 3);
    }

    /// A store written before newswatch kept its record opens, and is recorded at close.
    #[test]
    fn a_store_without_a_record_opens_and_gets_one() {
        let dir = tempfile::tempdir().unwrap();
        drop(populated(dir.path()));
        std::fs::remove_file(dir.path().join("db").join(integrity::INTEGRITY_FILE)).unwrap();
        drop(reopen(dir.path()));
        assert!(integrity_record(dir.path()).clean);
        drop(reopen(dir.path()));
    }

    #[test]
    fn a_store_is_reopened_without_complaint() {
        let dir = tempfile::tempdir().unwrap();
        drop(reopen(dir.path()));
        drop(reopen(dir.path()));
        let s = reopen(dir.path());
        assert!(s.is_empty().unwrap());
    }
}
