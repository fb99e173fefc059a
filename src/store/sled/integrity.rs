//! What newswatch knows about its own store, apart from sled: sled 0.34 (unmaintained since
//! 2021) can open a damaged data file as an older or partial store without a word, and
//! panics on some damage. So newswatch
//!
//! - runs sled where a panic is contained ([`contain`]): a panic at open is damage, a
//!   panic during a cycle is a store failure, never an abort with a backtrace;
//! - keeps its own record of the store in a file beside sled's (`db/newswatch-integrity`,
//!   [`Integrity`]): a generation (also written in sled's `meta` tree), whether the store
//!   was closed cleanly, and how many records each tree held then. At open every tree is
//!   counted (a full pass that also reads every page: a page sled cannot read is damage)
//!   and compared with the record.
//!
//! After a clean close nothing writes, so every tree must hold exactly what was recorded
//! (fewer = records lost). After an unclean stop (a kill, a crash) sled keeps some of the
//! writes made after the last record and not others: only the trees that never lose
//! records ([`GROWING`]) are checked, and only against the counts recorded at the last
//! open. sled's generation lower than the record's means the data file went back in time.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The record's file, in sled's folder (it moves aside with it).
pub(super) const INTEGRITY_FILE: &str = "newswatch-integrity";
/// The generation in sled's `meta` tree.
pub(super) const GENERATION_KEY: &str = "generation";

/// Trees whose records are only ever added (outside migrations, which run before a record
/// is written): after an unclean stop they hold at least what was recorded.
pub(super) const GROWING: &[&str] = &[
    "feeds",
    "seen_sets",
    "story_index",
    "items",
    "claims",
    "claims_by_entity",
    "digests",
    "seed_docs",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Integrity {
    /// Bumped at each open; sled's `meta` holds the same number.
    pub generation: u64,
    /// True when written at a clean close: nothing has written since.
    pub clean: bool,
    pub written_at: DateTime<Utc>,
    /// Records per tree (`meta` aside), counted at the open or close that wrote this.
    pub counts: BTreeMap<String, u64>,
}

/// The record, None when there is none (a new store, or one written before newswatch kept
/// it); an unreadable record is damage.
pub(super) fn read(db_dir: &Path) -> Result<Option<Integrity>, String> {
    let path = db_dir.join(INTEGRITY_FILE);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| format!("{} is unreadable ({e})", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("reading {}: {e}", path.display())),
    }
}

/// Write the record: a new file synced, then renamed over the old one.
pub(super) fn write(db_dir: &Path, record: &Integrity) -> std::io::Result<()> {
    let path = db_dir.join(INTEGRITY_FILE);
    let tmp = db_dir.join(format!("{INTEGRITY_FILE}.tmp"));
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(&serde_json::to_vec_pretty(record).map_err(std::io::Error::other)?)?;
    f.sync_all()?;
    std::fs::rename(&tmp, &path)?;
    if let Ok(dir) = std::fs::File::open(db_dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

pub(super) fn remove(db_dir: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(db_dir.join(INTEGRITY_FILE)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// What does not agree between the record and the store as found: empty when nothing.
pub(super) fn compare(
    record: &Integrity,
    found: &BTreeMap<String, u64>,
    sled_generation: u64,
) -> Vec<String> {
    let mut problems = Vec::new();
    if sled_generation < record.generation {
        problems.push(format!(
            "the data file is older than newswatch's record of it (generation {sled_generation}, \
             recorded {})",
            record.generation
        ));
    }
    // sled ahead of the record: stopped between the two writes of an open, i.e. unclean.
    let clean = record.clean && sled_generation == record.generation;
    let when = if clean {
        "at the last clean stop"
    } else {
        "when newswatch last recorded it"
    };
    for (tree, &want) in &record.counts {
        if !clean && !GROWING.contains(&tree.as_str()) {
            continue;
        }
        let have = found.get(tree).copied().unwrap_or(0);
        if have < want {
            problems.push(format!(
                "tree {tree} holds {have} records, {want} were recorded {when} ({} missing)",
                want - have
            ));
        }
    }
    problems
}

thread_local! {
    /// The last panic inside sled on this thread, as the panic hook saw it.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn payload_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_string())
}

/// A panic hook that turns panics inside sled into one WARN line (no backtrace) and keeps
/// their location for [`contain`]; every other panic goes to the hook before it.
fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let sled_at = info.location().and_then(|l| {
                let file = l.file();
                file.find("sled-")
                    .map(|at| format!("{}:{}", &file[at..], l.line()))
            });
            match sled_at {
                Some(at) => {
                    let text = format!("{} (at {at})", payload_text(info.payload()));
                    tracing::warn!(panic = %text, "sled panicked");
                    LAST_PANIC.with(|p| *p.borrow_mut() = Some(text));
                }
                None => previous(info),
            }
        }));
    });
}

/// Run `f` (sled work); a panic inside it becomes `Err` with what sled said and where.
pub fn contain<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_panic_hook();
    LAST_PANIC.with(|p| p.borrow_mut().take());
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|payload| {
        let text = LAST_PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_else(|| payload_text(payload.as_ref()));
        format!("sled panicked: {text}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(clean: bool, counts: &[(&str, u64)]) -> Integrity {
        Integrity {
            generation: 5,
            clean,
            written_at: Utc::now(),
            counts: counts.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        }
    }

    fn found(counts: &[(&str, u64)]) -> BTreeMap<String, u64> {
        counts.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn a_clean_store_must_hold_every_record() {
        let rec = record(true, &[("items", 40), ("pending", 40)]);
        assert!(compare(&rec, &found(&[("items", 40), ("pending", 40)]), 5).is_empty());
        let p = compare(&rec, &found(&[("items", 40), ("pending", 12)]), 5);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].contains("pending holds 12 records, 40 were recorded"));
        // A tree gone altogether.
        assert_eq!(compare(&rec, &found(&[("pending", 40)]), 5).len(), 1);
    }

    /// A kill after the last record: more records than recorded, and trees that shrink
    /// (pending, the dedup tiers) with fewer, is not damage.
    #[test]
    fn an_unclean_stop_with_more_records_is_not_damage() {
        let rec = record(false, &[("items", 40), ("pending", 40), ("fp_sigs", 9)]);
        let after_kill = found(&[("items", 55), ("pending", 3), ("fp_sigs", 0)]);
        assert!(compare(&rec, &after_kill, 5).is_empty());
        // sled one generation ahead of a clean record: stopped inside an open.
        let clean = record(true, &[("items", 40), ("pending", 40)]);
        assert!(compare(&clean, &found(&[("items", 41), ("pending", 2)]), 6).is_empty());
        // But a growing tree never shrinks.
        let p = compare(&rec, &found(&[("items", 39)]), 5);
        assert_eq!(p.len(), 1, "{p:?}");
    }

    #[test]
    fn a_data_file_older_than_the_record_is_damage() {
        let rec = record(true, &[("items", 1)]);
        let p = compare(&rec, &found(&[("items", 1)]), 4);
        assert!(p[0].contains("older than newswatch's record"), "{p:?}");
    }

    #[test]
    fn a_panic_is_contained_with_its_message() {
        assert_eq!(contain(|| 3), Ok(3));
        let err = contain(|| -> u8 { panic!("boom") }).unwrap_err();
        assert!(err.contains("boom"), "{err}");
    }
}
