//! The store: what newswatch keeps between runs (feed states, seen sets, the story index
//! and the dedup tiers, stories, claims, the digest queue, seed documents).
//!
//! - `types`: the plain data read and written ([`StoredItem`], [`ClaimRecord`],
//!   [`DigestRecord`], [`FeedState`], [`SeenSet`], …), no I/O.
//! - `backend`: [`StoreBackend`], the interface everything outside `store/` uses.
//! - `sled`: the default embedded backend ([`sled::SledStore`]); its on-disk format,
//!   migrations and integrity record are described there.
//!
//! Callers open a store with [`open`] (or [`open_salvage`] for `export`) and hold it as
//! `Box`/`Arc<dyn StoreBackend>`; none of them names the backend.

use std::path::Path;

mod backend;
pub mod postgres;
pub mod sled;
mod types;

pub use self::sled::{contain, SCHEMA_VERSION};
pub use backend::StoreBackend;
pub use types::*;

/// Open (or create) the store in `dir` (see [`sled::SledStore::open`]).
pub fn open(dir: &Path) -> Result<Box<dyn StoreBackend>, OpenError> {
    Ok(Box::new(self::sled::SledStore::open(dir)?))
}

/// Open the store the config names: PostgreSQL when `[store] url` is set (the password from
/// `[store] password`/`password_file` when given, else the URL's), else sled in `state_dir`.
pub fn open_for(config: &crate::config::Config) -> Result<Box<dyn StoreBackend>, OpenError> {
    match &config.store.url {
        Some(url) => Ok(Box::new(postgres::PgStore::open(
            url,
            config.store.password.as_deref(),
            &config.state_dir,
        )?)),
        None => open(&config.state_dir),
    }
}

/// Open the store in `dir` without checking or recording anything, to read past damage
/// (see [`sled::SledStore::open_salvage`]).
pub fn open_salvage(dir: &Path) -> Result<Box<dyn StoreBackend>, OpenError> {
    Ok(Box::new(self::sled::SledStore::open_salvage(dir)?))
}

/// True when `e` (an error from the store, with context around it) names damage: the
/// command should stop and the user should be told the way back.
pub fn is_damage_error(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<StoreFailure>().is_some()
            || self::sled::is_damage_cause(c)
            || c.to_string().contains(RECOVERY_HINT)
    })
}
