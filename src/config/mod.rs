//! The config file: raw serde structs → a validated `Config`, with environment overrides.
//! OWNER: config helper. Interface (keep): `Config::load`, `default_config_path`.
use std::path::{Path, PathBuf};

use crate::fetch::FetchSettings;

pub mod schedule;
pub use schedule::CronSchedule;

/// The validated configuration; every path is absolute (resolved against the config file).
#[derive(Debug, Clone)]
pub struct Config {
    /// The config file this was read from.
    pub path: PathBuf,
    pub state_dir: PathBuf,
    pub watchlists_dir: PathBuf,
    pub schedule: ScheduleConfig,
    pub fetch: FetchConfig,
    pub email: EmailConfig,
    pub feeds: Vec<FeedConfig>,
}

#[derive(Debug, Clone)]
pub struct ScheduleConfig {
    pub poll: CronSchedule,
    pub digest: CronSchedule,
    pub timezone: chrono_tz::Tz,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FullText {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone)]
pub struct FetchConfig {
    pub settings: FetchSettings,
    pub full_text: FullText,
    /// Items older than this on a feed's first poll are marked seen, not reported.
    pub backfill_days: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    File,
    Smtp,
    Sendmail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    None,
    Starttls,
    Tls,
}

#[derive(Debug, Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: String,
    /// Resolved at load: from `password_file`, else `password` (e.g. NEWSWATCH__EMAIL__SMTP__PASSWORD).
    pub password: Option<String>,
    pub timeout_secs: u64,
}

#[derive(Debug, Clone)]
pub struct EmailConfig {
    pub from: String,
    pub to: Vec<String>,
    pub subject_prefix: String,
    pub transport: Transport,
    pub outbox_dir: PathBuf,
    pub smtp: SmtpConfig,
    pub sendmail_command: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedKind {
    /// RSS / Atom / JSON Feed (the default).
    Feed,
    /// A page with no feed, scraped with CSS selectors.
    Html,
}

#[derive(Debug, Clone)]
pub struct FeedConfig {
    pub url: String,
    pub name: Option<String>,
    pub kind: FeedKind,
    pub item_selector: Option<String>,
    pub link_selector: Option<String>,
    pub title_selector: Option<String>,
    pub summary_selector: Option<String>,
    pub date_selector: Option<String>,
    /// Per-feed override of fetch.full_text.
    pub full_text: Option<FullText>,
}

/// Errors that stop a command before it does anything.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// One line per problem, each `path: key: message` (or `path:line:col: message`).
    #[error("invalid config:\n{}", .0.join("\n"))]
    Invalid(Vec<String>),
    #[error("{path}: cannot read config: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Config {
    /// Read, override from the environment (`NEWSWATCH__SECTION__KEY`), resolve relative
    /// paths against the file's directory, and validate everything.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let _ = path;
        Err(ConfigError::Invalid(vec![
            "config loading not written yet".into()
        ]))
    }
}

/// `-c` if given, else `$NEWSWATCH_CONFIG`, else `./config/newswatch.toml` if it exists,
/// else `/etc/newswatch/newswatch.toml`.
pub fn default_config_path(cli: Option<&Path>) -> PathBuf {
    if let Some(p) = cli {
        return p.to_path_buf();
    }
    if let Some(p) = std::env::var_os("NEWSWATCH_CONFIG") {
        return PathBuf::from(p);
    }
    let local = PathBuf::from("config/newswatch.toml");
    if local.exists() {
        return local;
    }
    PathBuf::from("/etc/newswatch/newswatch.toml")
}
