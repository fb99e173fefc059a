//! Watchlist files → entities and alert rules → one compiled matcher; every error collected.
//! OWNER: watchlist helper. Interface (keep): `Diagnostic`, `WatchSet::{load_dir, find,
//! alerting, entity, explain}`.
use std::path::{Path, PathBuf};

use crate::model::EntityMatch;

/// One problem in a user file: `path:line:col: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.col,
            self.message
        )
    }
}

#[derive(Debug, Clone)]
pub struct Entity {
    pub id: String,
    pub label: String,
    pub kind: String,
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Watchlist {
    /// The file stem.
    pub id: String,
    pub name: String,
    pub recipients: Option<Vec<String>>,
    pub entities: Vec<Entity>,
}

/// Every watchlist of a folder, compiled into one matcher.
#[derive(Debug, Clone, Default)]
pub struct WatchSet {
    pub lists: Vec<Watchlist>,
}

impl WatchSet {
    /// Load and compile every `*.toml` in `dir`; all problems of all files, or the set.
    pub fn load_dir(dir: &Path) -> Result<WatchSet, Vec<Diagnostic>> {
        let _ = dir;
        Ok(WatchSet::default())
    }

    /// Every entity occurrence in `text`.
    pub fn find(&self, text: &str) -> Vec<EntityMatch> {
        let _ = text;
        Vec::new()
    }

    /// The ids of the watchlists whose alert rule holds for these matches.
    pub fn alerting(&self, matches: &[EntityMatch]) -> Vec<String> {
        let _ = matches;
        Vec::new()
    }

    pub fn entity(&self, watchlist: &str, id: &str) -> Option<&Entity> {
        self.lists
            .iter()
            .find(|l| l.id == watchlist)
            .and_then(|l| l.entities.iter().find(|e| e.id == id))
    }
}
