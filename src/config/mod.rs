//! The config file: raw serde structs → a validated `Config`, with environment overrides.
//! OWNER: config helper. Interface (keep): `Config::load`, `default_config_path`.
//!
//! Loading reads the file twice on purpose. The `toml` crate parses it with spans, which
//! gives `path:line:col` for syntax errors, unknown keys and bad values; the `config` crate
//! layers the `NEWSWATCH__SECTION__KEY` environment over it. Every key is then read and
//! checked on its own so that one typo never hides another: all problems come back at once,
//! one line each.
use std::collections::{HashMap, HashSet};
use std::fmt::Display;
use std::path::{Component, Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use config::{Value, ValueKind};

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
    /// The project's seed baseline (`manifest.toml`, `baseline.json`) for `seed` without DIR.
    pub seeds_dir: PathBuf,
    pub schedule: ScheduleConfig,
    pub fetch: FetchConfig,
    pub email: EmailConfig,
    pub feeds: Vec<FeedConfig>,
    /// `[[webhooks]]`: JSON POSTs of digests and alerts.
    pub webhooks: Vec<WebhookConfig>,
    /// Stored stories (and sent digests) older than this many days are pruned
    /// (`[retention] days`; 0: kept for ever). Dedup keys and claims stay.
    pub retention_days: u32,
    /// `claims.lexicon`: a lexicon file that replaces the embedded one (read and checked
    /// here, so a bad file is a config error with its path).
    pub lexicon: Option<crate::transforms::claims::lexicon::Lexicon>,
    /// `[metrics] listen`: where to serve Prometheus text and /healthz (the daemon only).
    pub metrics_listen: Option<std::net::SocketAddr>,
    /// `[store]`: sled in `state_dir` (the default), or a PostgreSQL store shared by
    /// several instances.
    pub store: StoreConfig,
    /// Things that are legal but probably not meant (no feeds, no recipients); for the log.
    pub warnings: Vec<String>,
}

/// `[store]`.
#[derive(Clone)]
pub struct StoreConfig {
    /// `url`: `postgres://user@host:port/db` (also `postgresql://`); None: sled in
    /// `state_dir`.
    pub url: Option<String>,
    /// Resolved at load: from `password_file`, else `password` (e.g.
    /// NEWSWATCH__STORE__PASSWORD); a password in the URL itself also works.
    pub password: Option<String>,
    /// `lease_secs`: how long an instance holds a feed it polls, a digest it sends or a
    /// digest tick it builds before another instance may take it over (it must outlast one
    /// feed's work: fetch timeouts and article fetches).
    pub lease: std::time::Duration,
}

impl std::fmt::Debug for StoreConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreConfig")
            .field("url", &self.url.as_deref().map(redact_url_password))
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("lease", &self.lease)
            .finish()
    }
}

/// `url` with any password in it replaced by `***` (for logs and `check`).
pub fn redact_url_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
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
    /// When the daemon checks a feed again after a failure or a freshness hint
    /// (`retry_min_secs`, `retry_max_secs`, `max_check_interval_secs`).
    pub retry: crate::pipeline::schedule_state::FeedRetry,
    /// A feed with no new item for this long is listed in the digest's sources needing
    /// attention (`silent_after_hours`).
    pub silent_after_hours: u32,
    /// At most this many of a feed's new entries are read per cycle; the rest are read at
    /// the next cycles (`max_items_per_feed`).
    pub max_items_per_feed: usize,
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
    /// `ca_file`: a PEM file of the certificate authorities trusted for this server
    /// (instead of the system's), for internal mail servers.
    pub ca_file: Option<PathBuf>,
}

/// What a webhook is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookEvent {
    Digest,
    Alert,
}

impl WebhookEvent {
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookEvent::Digest => "digest",
            WebhookEvent::Alert => "alert",
        }
    }
}

/// One `[[webhooks]]` entry.
#[derive(Clone)]
pub struct WebhookConfig {
    pub url: String,
    pub events: Vec<WebhookEvent>,
    /// The header that carries `token` (default `Authorization`).
    pub header: String,
    /// The header's value, resolved at load from `token_file`, `token_env` or `token`.
    pub token: Option<String>,
}

impl std::fmt::Debug for WebhookConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookConfig")
            .field("url", &self.url)
            .field("events", &self.events)
            .field("header", &self.header)
            .field("token", &self.token.as_ref().map(|_| "…"))
            .finish()
    }
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
    /// How the mail queue retries and when it parks a message (`retry_min_secs`,
    /// `retry_max_secs`, `park_after`).
    pub retry: crate::sinks::queue::RetryPolicy,
    /// At most this many stories in one digest; the rest wait for the next.
    pub max_stories_per_digest: usize,
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

impl FeedConfig {
    /// The full-text policy for this feed: its own, else the global one.
    pub fn full_text_or(&self, global: FullText) -> FullText {
        self.full_text.unwrap_or(global)
    }
}

/// Errors that stop a command before it does anything.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// One line per problem, each `path: key: message` (or `path:line:col: message`).
    #[error("invalid config:\n{}", .0.join("\n"))]
    Invalid(Vec<String>),
    /// The reason is shown once (it is not the error's `source`, which `{:#}` would print
    /// a second time), with a hint when the file is not there.
    #[error("{path}: cannot read config: {reason}{}", Self::hint(reason))]
    Io {
        path: PathBuf,
        reason: std::io::Error,
    },
}

impl ConfigError {
    fn hint(reason: &std::io::Error) -> &'static str {
        if reason.kind() == std::io::ErrorKind::NotFound {
            " (name the config with -c PATH or NEWSWATCH_CONFIG; without either, \
             ./config/newswatch.toml is used if it exists, else /etc/newswatch/newswatch.toml)"
        } else {
            ""
        }
    }
}

/// The prefix of environment overrides; levels are separated by `__`.
pub const ENV_PREFIX: &str = "NEWSWATCH";

/// The User-Agent sent with every request unless `fetch.user_agent` says otherwise.
pub fn default_user_agent() -> String {
    format!(
        "newswatch/{} (+https://github.com/newswatch)",
        env!("CARGO_PKG_VERSION")
    )
}

impl Config {
    /// Read, override from the environment (`NEWSWATCH__SECTION__KEY`), resolve relative
    /// paths against the file's directory, and validate everything.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        // `vars()` would panic on a variable that is not UTF-8; such a variable cannot be
        // one of ours anyway, so it is skipped.
        let env = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)));
        Config::load_with_env(path, env)
    }

    /// `load` with the environment given explicitly (tests, or a caller that filters it).
    pub fn load_with_env(
        path: &Path,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|reason| ConfigError::Io {
            path: path.to_path_buf(),
            reason,
        })?;
        let env: Vec<(String, String)> = env
            .into_iter()
            .filter(|(k, v)| {
                k.to_ascii_uppercase()
                    .starts_with(&format!("{ENV_PREFIX}__"))
                    && !v.is_empty()
            })
            .collect();
        Loader::new(path, &text, env).load()
    }

    /// The configured name of the feed at `url`, if the config gives one.
    pub fn feed_name(&self, url: &str) -> Option<&str> {
        self.feeds
            .iter()
            .find(|f| f.url == url)
            .and_then(|f| f.name.as_deref())
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

// ---------------------------------------------------------------------------------------
// The schema: which keys exist. Unknown keys are errors, with the nearest known one as a hint.

enum Shape {
    Leaf,
    Table(&'static [(&'static str, Shape)]),
    /// `[[feeds]]`: an array of tables.
    Tables(&'static [(&'static str, Shape)]),
}

const SCHEDULE_KEYS: &[(&str, Shape)] = &[
    ("poll", Shape::Leaf),
    ("digest", Shape::Leaf),
    ("timezone", Shape::Leaf),
];
const FETCH_KEYS: &[(&str, Shape)] = &[
    ("timeout_secs", Shape::Leaf),
    ("connect_timeout_secs", Shape::Leaf),
    ("max_body_bytes", Shape::Leaf),
    ("concurrency", Shape::Leaf),
    ("per_host_concurrency", Shape::Leaf),
    ("full_text", Shape::Leaf),
    ("backfill_days", Shape::Leaf),
    ("retry_min_secs", Shape::Leaf),
    ("retry_max_secs", Shape::Leaf),
    ("max_check_interval_secs", Shape::Leaf),
    ("silent_after_hours", Shape::Leaf),
    ("max_items_per_feed", Shape::Leaf),
    ("user_agent", Shape::Leaf),
    ("internal_networks", Shape::Leaf),
];
const SMTP_KEYS: &[(&str, Shape)] = &[
    ("host", Shape::Leaf),
    ("port", Shape::Leaf),
    ("security", Shape::Leaf),
    ("username", Shape::Leaf),
    ("password", Shape::Leaf),
    ("password_file", Shape::Leaf),
    ("timeout_secs", Shape::Leaf),
    ("ca_file", Shape::Leaf),
];
const METRICS_KEYS: &[(&str, Shape)] = &[("listen", Shape::Leaf)];
const EMAIL_KEYS: &[(&str, Shape)] = &[
    ("from", Shape::Leaf),
    ("to", Shape::Leaf),
    ("subject_prefix", Shape::Leaf),
    ("transport", Shape::Leaf),
    ("outbox_dir", Shape::Leaf),
    ("sendmail_command", Shape::Leaf),
    ("retry_min_secs", Shape::Leaf),
    ("retry_max_secs", Shape::Leaf),
    ("park_after", Shape::Leaf),
    ("max_stories_per_digest", Shape::Leaf),
    ("smtp", Shape::Table(SMTP_KEYS)),
];
const FEED_KEYS: &[(&str, Shape)] = &[
    ("url", Shape::Leaf),
    ("name", Shape::Leaf),
    ("kind", Shape::Leaf),
    ("item_selector", Shape::Leaf),
    ("link_selector", Shape::Leaf),
    ("title_selector", Shape::Leaf),
    ("summary_selector", Shape::Leaf),
    ("date_selector", Shape::Leaf),
    ("full_text", Shape::Leaf),
];
const TOP_KEYS: &[(&str, Shape)] = &[
    ("state_dir", Shape::Leaf),
    ("watchlists_dir", Shape::Leaf),
    ("seeds_dir", Shape::Leaf),
    ("schedule", Shape::Table(SCHEDULE_KEYS)),
    ("fetch", Shape::Table(FETCH_KEYS)),
    ("email", Shape::Table(EMAIL_KEYS)),
    ("feeds", Shape::Tables(FEED_KEYS)),
    ("claims", Shape::Table(CLAIMS_KEYS)),
    ("webhooks", Shape::Tables(WEBHOOK_KEYS)),
    ("metrics", Shape::Table(METRICS_KEYS)),
    ("retention", Shape::Table(RETENTION_KEYS)),
    ("store", Shape::Table(STORE_KEYS)),
];
const STORE_KEYS: &[(&str, Shape)] = &[
    ("url", Shape::Leaf),
    ("password", Shape::Leaf),
    ("password_file", Shape::Leaf),
    ("lease_secs", Shape::Leaf),
];
const RETENTION_KEYS: &[(&str, Shape)] = &[("days", Shape::Leaf)];
const WEBHOOK_KEYS: &[(&str, Shape)] = &[
    ("url", Shape::Leaf),
    ("events", Shape::Leaf),
    ("header", Shape::Leaf),
    ("token", Shape::Leaf),
    ("token_file", Shape::Leaf),
    ("token_env", Shape::Leaf),
];
const CLAIMS_KEYS: &[(&str, Shape)] = &[("lexicon", Shape::Leaf)];

/// Every leaf key's dotted path, for hints when a key is in the wrong section.
fn all_leaf_paths() -> Vec<String> {
    fn walk(prefix: &str, keys: &[(&str, Shape)], out: &mut Vec<String>) {
        for (name, shape) in keys {
            let path = join_key(prefix, name);
            match shape {
                Shape::Leaf => out.push(path),
                Shape::Table(k) => walk(&path, k, out),
                Shape::Tables(k) => walk(&format!("{path}[]"), k, out),
            }
        }
    }
    let mut out = Vec::new();
    walk("", TOP_KEYS, &mut out);
    out
}

fn join_key(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// The closest candidate within a distance that still looks like a typo.
fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .filter_map(|c| {
            let lc = c.to_lowercase();
            // `timeout` for `timeout_secs`: a prefix is as good as a typo.
            let prefix = word.len() >= 3 && (lc.starts_with(&word) || word.starts_with(&lc));
            let d = strsim::levenshtein(&word, &lc);
            (d <= limit || prefix).then_some((if prefix { 0 } else { d }, c))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// "unknown key `x`" with the best hint: a sibling with a close name, else the same name
/// in another section.
fn unknown_key_message(name: &str, siblings: &[(&str, Shape)]) -> String {
    if let Some(near) = nearest(name, siblings.iter().map(|(k, _)| *k)) {
        return format!("unknown key (did you mean `{near}`?)");
    }
    let elsewhere = all_leaf_paths()
        .into_iter()
        .find(|p| p.rsplit('.').next() == Some(name));
    match elsewhere {
        Some(p) => format!(
            "unknown key (`{name}` belongs at `{}`)",
            p.replace("[]", "[n]")
        ),
        None => {
            let known: Vec<&str> = siblings.iter().map(|(k, _)| *k).collect();
            format!("unknown key (known here: {})", known.join(", "))
        }
    }
}

// ---------------------------------------------------------------------------------------
// Diagnostics.

struct Diag {
    pos: Option<(usize, usize)>,
    text: String,
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// What came out of the file and the environment, and the problems found so far.
struct Loader<'a> {
    path: &'a Path,
    /// The path as the user gave it, for messages.
    shown: String,
    text: &'a str,
    env: Vec<(String, String)>,
    /// Dotted key (`feeds[2].url`) → where its value starts in the file.
    positions: HashMap<String, (usize, usize)>,
    /// Dotted keys whose value comes from the environment.
    env_keys: HashSet<String>,
    diags: Vec<Diag>,
    warnings: Vec<String>,
}

fn env_var_name(key: &str) -> String {
    format!("{ENV_PREFIX}__{}", key.replace('.', "__").to_uppercase())
}

fn kind_name(v: &ValueKind) -> &'static str {
    match v {
        ValueKind::Nil => "nothing",
        ValueKind::Boolean(_) => "a boolean",
        ValueKind::I64(_) | ValueKind::I128(_) | ValueKind::U64(_) | ValueKind::U128(_) => {
            "an integer"
        }
        ValueKind::Float(_) => "a float",
        ValueKind::String(_) => "a string",
        ValueKind::Table(_) => "a table",
        ValueKind::Array(_) => "an array",
    }
}

impl<'a> Loader<'a> {
    fn new(path: &'a Path, text: &'a str, env: Vec<(String, String)>) -> Loader<'a> {
        let env_keys = env
            .iter()
            .map(|(k, _)| k[ENV_PREFIX.len() + 2..].to_lowercase().replace("__", "."))
            .collect();
        Loader {
            path,
            shown: path.display().to_string(),
            text,
            env,
            positions: HashMap::new(),
            env_keys,
            diags: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// A problem with `key`, located in the file or named by its environment variable.
    fn error(&mut self, key: &str, message: impl Display) {
        let from_env = self.env_keys.contains(key)
            || key
                .split_once('[')
                .is_some_and(|(k, _)| self.env_keys.contains(k));
        let (pos, text) = if from_env {
            let var = env_var_name(key.split('[').next().unwrap_or(key));
            (
                None,
                format!("{}: {key}: {message} (set by {var})", self.shown),
            )
        } else if let Some(&(l, c)) = self.positions.get(key) {
            (
                Some((l, c)),
                format!("{}:{l}:{c}: {key}: {message}", self.shown),
            )
        } else {
            (None, format!("{}: {key}: {message}", self.shown))
        };
        self.diags.push(Diag { pos, text });
    }

    fn error_at(&mut self, offset: usize, key: &str, message: impl Display) {
        let (l, c) = line_col(self.text, offset);
        self.diags.push(Diag {
            pos: Some((l, c)),
            text: format!("{}:{l}:{c}: {key}: {message}", self.shown),
        });
    }

    fn finish(mut self) -> Result<Vec<String>, ConfigError> {
        if self.diags.is_empty() {
            return Ok(self.warnings);
        }
        // File order first, then what has no position; stable, so ties keep their order.
        self.diags
            .sort_by_key(|d| d.pos.map_or((usize::MAX, 0), |p| p));
        Err(ConfigError::Invalid(
            self.diags.into_iter().map(|d| d.text).collect(),
        ))
    }

    fn load(mut self) -> Result<Config, ConfigError> {
        // 1. Syntax, with positions; nothing else is worth checking in a broken file.
        let (doc, syntax) = toml::de::DeTable::parse_recoverable(self.text);
        if !syntax.is_empty() {
            // The parser recovers and goes on, so one mistake can cascade along its line:
            // keep the first error of each line.
            let mut lines = Vec::new();
            let mut seen_lines = HashSet::new();
            for e in &syntax {
                let msg = e.message().trim_end().replace('\n', " ");
                match e.span() {
                    Some(span) => {
                        let (l, c) = line_col(self.text, span.start);
                        if seen_lines.insert(l) {
                            lines.push(format!("{}:{l}:{c}: {msg}", self.shown));
                        }
                    }
                    None => lines.push(format!("{}: {msg}", self.shown)),
                }
            }
            return Err(ConfigError::Invalid(lines));
        }
        // 2. Unknown keys and misplaced sections, with positions; remember every value's.
        self.walk_table(doc.get_ref(), "", TOP_KEYS);
        self.check_env_keys();

        // 3. The merged view: file, then environment.
        let env_map: config::Map<String, String> = self.env.iter().cloned().collect();
        let built = config::Config::builder()
            .add_source(config::File::from_str(self.text, config::FileFormat::Toml))
            .add_source(
                config::Environment::with_prefix(ENV_PREFIX)
                    .prefix_separator("__")
                    .separator("__")
                    .source(Some(env_map)),
            )
            .build();
        let merged = match built {
            Ok(c) => c,
            Err(e) => {
                let mut lines: Vec<String> = self.diags.into_iter().map(|d| d.text).collect();
                lines.push(format!("{}: {e}", self.shown));
                return Err(ConfigError::Invalid(lines));
            }
        };
        let get = |key: &str| merged.get::<Value>(key).ok();
        self.build(&get)
    }

    fn walk_table(
        &mut self,
        table: &toml::de::DeTable<'_>,
        prefix: &str,
        keys: &'static [(&'static str, Shape)],
    ) {
        for (k, v) in table.iter() {
            let name: &str = k.get_ref();
            let key = join_key(prefix, name);
            let pos = line_col(self.text, v.span().start);
            self.positions.insert(key.clone(), pos);
            let Some((_, shape)) = keys.iter().find(|(n, _)| *n == name) else {
                let msg = unknown_key_message(name, keys);
                self.error_at(k.span().start, &key, msg);
                continue;
            };
            match (shape, v.get_ref()) {
                (Shape::Leaf, toml::de::DeValue::Array(items)) => {
                    for (i, item) in items.iter().enumerate() {
                        let pos = line_col(self.text, item.span().start);
                        self.positions.insert(format!("{key}[{i}]"), pos);
                    }
                }
                (Shape::Leaf, _) => {}
                (Shape::Table(sub), toml::de::DeValue::Table(t)) => self.walk_table(t, &key, sub),
                (Shape::Table(_), other) => {
                    let found = other.type_str();
                    self.error_at(
                        v.span().start,
                        &key,
                        format!("expected a table ([{key}]), found {found}"),
                    );
                }
                (Shape::Tables(sub), toml::de::DeValue::Array(items)) => {
                    for (i, item) in items.iter().enumerate() {
                        let ikey = format!("{key}[{i}]");
                        self.positions
                            .insert(ikey.clone(), line_col(self.text, item.span().start));
                        match item.get_ref() {
                            toml::de::DeValue::Table(t) => self.walk_table(t, &ikey, sub),
                            other => {
                                let found = other.type_str();
                                self.error_at(
                                    item.span().start,
                                    &ikey,
                                    format!("expected a table ([[{key}]]), found {found}"),
                                );
                            }
                        }
                    }
                }
                (Shape::Tables(_), other) => {
                    let found = other.type_str();
                    self.error_at(
                        v.span().start,
                        &key,
                        format!("expected an array of tables ([[{key}]]), found {found}"),
                    );
                }
            }
        }
    }

    /// Environment variables that name no key are mistakes too (a typo there would
    /// otherwise be silently ignored).
    fn check_env_keys(&mut self) {
        let mut keys: Vec<String> = self.env_keys.iter().cloned().collect();
        keys.sort();
        for key in keys {
            let mut shape_keys: &'static [(&'static str, Shape)] = TOP_KEYS;
            let parts: Vec<&str> = key.split('.').collect();
            for (i, part) in parts.iter().enumerate() {
                let last = i + 1 == parts.len();
                let var = env_var_name(&key);
                let Some((_, shape)) = shape_keys.iter().find(|(n, _)| n == part) else {
                    let msg = unknown_key_message(part, shape_keys);
                    self.diags.push(Diag {
                        pos: None,
                        text: format!("{}: {key}: {msg} (set by {var})", self.shown),
                    });
                    break;
                };
                match shape {
                    Shape::Leaf if last => {}
                    Shape::Leaf => {
                        self.diags.push(Diag {
                            pos: None,
                            text: format!(
                                "{}: {key}: `{}` is not a section (set by {var})",
                                self.shown,
                                parts[..=i].join(".")
                            ),
                        });
                        break;
                    }
                    Shape::Table(sub) if !last => shape_keys = sub,
                    Shape::Table(_) => {
                        self.diags.push(Diag {
                            pos: None,
                            text: format!(
                                "{}: {key}: is a section, not a value; set one of its keys as {var}__<KEY> (set by {var})",
                                self.shown
                            ),
                        });
                        break;
                    }
                    Shape::Tables(_) => {
                        self.diags.push(Diag {
                            pos: None,
                            text: format!(
                                "{}: {key}: [[{part}]] cannot be set from the environment (set by {var})",
                                self.shown
                            ),
                        });
                        break;
                    }
                }
            }
        }
    }

    // -- typed readers: each reports its own problem and falls back to the default --------

    fn string(&mut self, key: &str, v: Option<Value>, default: &str) -> String {
        match v.map(|v| v.kind) {
            None => default.to_string(),
            Some(ValueKind::String(s)) => s,
            Some(other) => {
                self.error(
                    key,
                    format!("expected a string, found {}", kind_name(&other)),
                );
                default.to_string()
            }
        }
    }

    fn opt_string(&mut self, key: &str, v: Option<Value>) -> Option<String> {
        match v.map(|v| v.kind) {
            None => None,
            Some(ValueKind::String(s)) => Some(s),
            Some(other) => {
                self.error(
                    key,
                    format!("expected a string, found {}", kind_name(&other)),
                );
                None
            }
        }
    }

    /// A whole number in `min..=max` (numbers from the environment arrive as strings).
    fn uint(&mut self, key: &str, v: Option<Value>, default: u64, min: u64, max: u64) -> u64 {
        let n: Result<i128, String> = match v.map(|v| v.kind) {
            None => return default,
            Some(ValueKind::I64(n)) => Ok(n.into()),
            Some(ValueKind::U64(n)) => Ok(n.into()),
            Some(ValueKind::I128(n)) => Ok(n),
            Some(ValueKind::U128(n)) => Ok(i128::try_from(n).unwrap_or(i128::MAX)),
            Some(ValueKind::String(s)) => s
                .trim()
                .parse::<i128>()
                .map_err(|_| format!("expected a whole number, found {s:?}")),
            Some(other) => Err(format!(
                "expected a whole number, found {}",
                kind_name(&other)
            )),
        };
        match n {
            Ok(n) if n >= i128::from(min) && n <= i128::from(max) => {
                u64::try_from(n).unwrap_or(default)
            }
            Ok(n) => {
                self.error(key, format!("must be between {min} and {max}, found {n}"));
                default
            }
            Err(e) => {
                self.error(key, e);
                default
            }
        }
    }

    fn choice<T: Copy>(
        &mut self,
        key: &str,
        v: Option<Value>,
        default: T,
        options: &[(&str, T)],
    ) -> T {
        self.opt_choice(key, v, options).unwrap_or(default)
    }

    fn opt_choice<T: Copy>(
        &mut self,
        key: &str,
        v: Option<Value>,
        options: &[(&str, T)],
    ) -> Option<T> {
        let s = self.opt_string(key, v)?;
        if let Some((_, t)) = options
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(s.trim()))
        {
            return Some(*t);
        }
        let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
        self.error(
            key,
            format!("invalid value {s:?}: expected one of {}", names.join(", ")),
        );
        None
    }

    /// A list of strings; from the environment, one comma-separated string.
    fn string_list(&mut self, key: &str, v: Option<Value>) -> Vec<String> {
        match v.map(|v| v.kind) {
            None => Vec::new(),
            Some(ValueKind::String(s)) => s
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            Some(ValueKind::Array(items)) => {
                let mut out = Vec::new();
                for (i, item) in items.into_iter().enumerate() {
                    match item.kind {
                        ValueKind::String(s) => out.push(s),
                        other => self.error(
                            &format!("{key}[{i}]"),
                            format!("expected a string, found {}", kind_name(&other)),
                        ),
                    }
                }
                out
            }
            Some(other) => {
                self.error(
                    key,
                    format!("expected an array of strings, found {}", kind_name(&other)),
                );
                Vec::new()
            }
        }
    }

    /// A path, absolute after resolving against the config file's directory.
    fn path(&mut self, key: &str, v: Option<Value>, default: &str, base: &Path) -> PathBuf {
        let s = self.string(key, v, default);
        if s.trim().is_empty() {
            self.error(key, "must not be empty");
            return resolve(base, default);
        }
        resolve(base, &s)
    }

    // -- the whole config ----------------------------------------------------------------

    fn build(mut self, get: &dyn Fn(&str) -> Option<Value>) -> Result<Config, ConfigError> {
        let base = config_dir(self.path);

        let state_dir = self.path("state_dir", get("state_dir"), "../var/state", &base);
        if state_dir.exists() && !state_dir.is_dir() {
            self.error(
                "state_dir",
                format!("{} is not a directory", state_dir.display()),
            );
        }
        let watchlists_dir = self.path(
            "watchlists_dir",
            get("watchlists_dir"),
            "../watchlists",
            &base,
        );
        match std::fs::metadata(&watchlists_dir) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => self.error(
                "watchlists_dir",
                format!("{} is not a directory", watchlists_dir.display()),
            ),
            Err(e) => self.error(
                "watchlists_dir",
                format!("cannot open {}: {e}", watchlists_dir.display()),
            ),
        }

        // Where `seed` without a folder finds manifest.toml and baseline.json; it need not exist.
        let seeds_dir = self.path("seeds_dir", get("seeds_dir"), "../seeds", &base);

        let schedule = self.schedule(get);
        let fetch = self.fetch(get);
        let email = self.email(get, &base);
        let feeds = self.feeds(get, &base);
        let webhooks = self.webhooks(get, &base);
        let lexicon = self
            .opt_string("claims.lexicon", get("claims.lexicon"))
            .and_then(|p| {
                let path = resolve(&base, &p);
                let text = match std::fs::read_to_string(&path) {
                    Ok(t) => t,
                    Err(e) => {
                        self.error(
                            "claims.lexicon",
                            format!("cannot read {}: {e}", path.display()),
                        );
                        return None;
                    }
                };
                match crate::transforms::claims::lexicon::Lexicon::parse(&text) {
                    Ok(l) if !l.groups.problems().is_empty() => {
                        for p in l.groups.problems() {
                            self.error("claims.lexicon", format!("{}: {p}", path.display()));
                        }
                        None
                    }
                    Ok(l) => Some(l),
                    Err(e) => {
                        self.error(
                            "claims.lexicon",
                            format!("{}: {}", path.display(), e.message().trim()),
                        );
                        None
                    }
                }
            });

        if feeds.is_empty() {
            self.warnings
                .push(format!("{}: feeds: no feeds configured", self.shown));
        }
        if email.to.is_empty() {
            self.warnings.push(format!(
                "{}: email.to: no recipients; only watchlists with their own recipients get a digest",
                self.shown
            ));
        }
        let metrics_listen = self
            .opt_string("metrics.listen", get("metrics.listen"))
            .filter(|l| !l.trim().is_empty())
            .and_then(|l| match l.trim().parse::<std::net::SocketAddr>() {
                Ok(a) => Some(a),
                Err(_) => {
                    self.error(
                        "metrics.listen",
                        format!("{l:?} is not an address:port such as \"127.0.0.1:9187\""),
                    );
                    None
                }
            });
        let retention_days = self.uint("retention.days", get("retention.days"), 365, 0, 36_500);
        let store = self.store(get, &base);
        let path = self.path.to_path_buf();
        let warnings = self.finish()?;
        let Some(schedule) = schedule else {
            // Not reached: a schedule is missing only after an error, and errors returned above.
            return Err(ConfigError::Invalid(vec![format!(
                "{}: config is incomplete",
                path.display()
            )]));
        };
        Ok(Config {
            path,
            state_dir,
            watchlists_dir,
            seeds_dir,
            schedule,
            fetch,
            email,
            feeds,
            webhooks,
            retention_days: u32::try_from(retention_days).unwrap_or(365),
            lexicon,
            metrics_listen,
            store,
            warnings,
        })
    }

    fn store(&mut self, get: &dyn Fn(&str) -> Option<Value>, base: &Path) -> StoreConfig {
        let url = self
            .opt_string("store.url", get("store.url"))
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty());
        if let Some(u) = &url {
            match url::Url::parse(u) {
                Ok(p) if matches!(p.scheme(), "postgres" | "postgresql") => {}
                Ok(p) => self.error(
                    "store.url",
                    format!(
                        "{}: only postgres:// (or postgresql://) URLs are known; leave it out for sled in state_dir",
                        p.scheme()
                    ),
                ),
                Err(e) => self.error(
                    "store.url",
                    format!("{:?} is not a URL: {e}", redact_url_password(u)),
                ),
            }
        }
        let password = self.secret("store.password", "store.password_file", get, base);
        let lease_secs = self.uint("store.lease_secs", get("store.lease_secs"), 600, 10, 86_400);
        StoreConfig {
            url,
            password,
            lease: std::time::Duration::from_secs(lease_secs),
        }
    }

    /// A password given inline (`inline_key`, usually from the environment) or in a file
    /// (`file_key`, relative to the config file); not both.
    fn secret(
        &mut self,
        inline_key: &str,
        file_key: &str,
        get: &dyn Fn(&str) -> Option<Value>,
        base: &Path,
    ) -> Option<String> {
        let inline = self
            .opt_string(inline_key, get(inline_key))
            .filter(|p| !p.is_empty());
        let file = self
            .opt_string(file_key, get(file_key))
            .filter(|p| !p.trim().is_empty());
        match (inline, file) {
            (Some(_), Some(_)) => {
                self.error(
                    file_key,
                    format!("set either {inline_key} or {file_key}, not both"),
                );
                None
            }
            (Some(p), None) => Some(p),
            (None, Some(f)) => {
                let file = resolve(base, &f);
                match std::fs::read_to_string(&file) {
                    // A trailing newline is an editor's, not the password's.
                    Ok(p) => Some(p.trim_end_matches(['\r', '\n']).to_string()),
                    Err(e) => {
                        self.error(file_key, format!("cannot read {}: {e}", file.display()));
                        None
                    }
                }
            }
            (None, None) => None,
        }
    }

    fn schedule(&mut self, get: &dyn Fn(&str) -> Option<Value>) -> Option<ScheduleConfig> {
        let cron = |this: &mut Self, key: &str, default: &str| {
            let expr = this.string(key, get(key), default);
            match CronSchedule::parse(&expr) {
                Ok(s) => Some(s),
                Err(e) => {
                    this.error(key, e);
                    None
                }
            }
        };
        let poll = cron(self, "schedule.poll", "*/15 * * * *");
        let digest = cron(self, "schedule.digest", "0 7 * * *");
        let tz_name = self.string("schedule.timezone", get("schedule.timezone"), "UTC");
        let timezone = match chrono_tz::Tz::from_str(tz_name.trim()) {
            Ok(tz) => Some(tz),
            Err(_) => {
                let hint = nearest(
                    tz_name.trim(),
                    chrono_tz::TZ_VARIANTS.iter().map(|t| t.name()),
                )
                .map(|n| format!(" (did you mean {n:?}?)"))
                .unwrap_or_else(|| " (an IANA name such as \"Europe/Paris\" or \"UTC\")".into());
                self.error(
                    "schedule.timezone",
                    format!("unknown time zone {tz_name:?}{hint}"),
                );
                None
            }
        };
        Some(ScheduleConfig {
            poll: poll?,
            digest: digest?,
            timezone: timezone?,
        })
    }

    fn fetch(&mut self, get: &dyn Fn(&str) -> Option<Value>) -> FetchConfig {
        let timeout = self.uint("fetch.timeout_secs", get("fetch.timeout_secs"), 20, 1, 3600);
        // Left unset, the connect timeout never exceeds a short total timeout.
        let connect = self.uint(
            "fetch.connect_timeout_secs",
            get("fetch.connect_timeout_secs"),
            10.min(timeout),
            1,
            600,
        );
        if connect > timeout {
            self.error(
                "fetch.connect_timeout_secs",
                format!("must not exceed fetch.timeout_secs ({timeout}), found {connect}"),
            );
        }
        let max_body_bytes = self.uint(
            "fetch.max_body_bytes",
            get("fetch.max_body_bytes"),
            5_000_000,
            1024,
            1 << 30,
        );
        let concurrency = self.uint("fetch.concurrency", get("fetch.concurrency"), 32, 1, 1024);
        let per_host = self.uint(
            "fetch.per_host_concurrency",
            get("fetch.per_host_concurrency"),
            2,
            1,
            64,
        );
        if per_host > concurrency {
            self.error(
                "fetch.per_host_concurrency",
                format!("must not exceed fetch.concurrency ({concurrency}), found {per_host}"),
            );
        }
        let full_text = self.choice(
            "fetch.full_text",
            get("fetch.full_text"),
            FullText::Auto,
            FULL_TEXT,
        );
        let backfill_days = self.uint(
            "fetch.backfill_days",
            get("fetch.backfill_days"),
            3,
            0,
            3650,
        );
        let retry_min = self.uint(
            "fetch.retry_min_secs",
            get("fetch.retry_min_secs"),
            300,
            1,
            86_400,
        );
        let retry_max = self.uint(
            "fetch.retry_max_secs",
            get("fetch.retry_max_secs"),
            (6 * 3600).max(retry_min),
            1,
            7 * 86_400,
        );
        if retry_max < retry_min {
            self.error(
                "fetch.retry_max_secs",
                format!("must not be less than fetch.retry_min_secs ({retry_min})"),
            );
        }
        let max_hint = self.uint(
            "fetch.max_check_interval_secs",
            get("fetch.max_check_interval_secs"),
            86_400,
            60,
            7 * 86_400,
        );
        let silent_after_hours = self.uint(
            "fetch.silent_after_hours",
            get("fetch.silent_after_hours"),
            72,
            1,
            8760,
        );
        let max_items = self.uint(
            "fetch.max_items_per_feed",
            get("fetch.max_items_per_feed"),
            500,
            1,
            1_000_000,
        );
        let user_agent = match self.opt_string("fetch.user_agent", get("fetch.user_agent")) {
            Some(ua) if ua.trim().is_empty() || ua.chars().any(char::is_control) => {
                self.error("fetch.user_agent", "must be non-empty text on one line");
                default_user_agent()
            }
            Some(ua) => ua,
            None => default_user_agent(),
        };
        let internal_networks = match get("fetch.internal_networks") {
            None => crate::fetch::InternalNetworks::default(),
            Some(v) => {
                let mut nets = Vec::new();
                for (i, text) in self
                    .string_list("fetch.internal_networks", Some(v))
                    .into_iter()
                    .enumerate()
                {
                    // A bare address is a network of one.
                    let parsed = text
                        .parse::<ipnet::IpNet>()
                        .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from));
                    match parsed {
                        Ok(net) => nets.push(net),
                        Err(_) => self.error(
                            &format!("fetch.internal_networks[{i}]"),
                            format!(
                                "{text:?} is not an address or a network such as \"10.0.0.0/8\""
                            ),
                        ),
                    }
                }
                crate::fetch::InternalNetworks::new(nets)
            }
        };
        FetchConfig {
            settings: FetchSettings {
                internal_networks,
                timeout: Duration::from_secs(timeout),
                connect_timeout: Duration::from_secs(connect),
                max_body_bytes,
                concurrency: usize::try_from(concurrency).unwrap_or(32),
                per_host_concurrency: usize::try_from(per_host).unwrap_or(2),
                user_agent,
            },
            full_text,
            backfill_days: u32::try_from(backfill_days).unwrap_or(3),
            retry: crate::pipeline::schedule_state::FeedRetry {
                min_secs: retry_min,
                max_secs: retry_max.max(retry_min),
                max_hint_secs: max_hint,
            },
            silent_after_hours: u32::try_from(silent_after_hours).unwrap_or(72),
            max_items_per_feed: usize::try_from(max_items).unwrap_or(500),
        }
    }

    fn email(&mut self, get: &dyn Fn(&str) -> Option<Value>, base: &Path) -> EmailConfig {
        let from = self.string(
            "email.from",
            get("email.from"),
            "newswatch <newswatch@localhost>",
        );
        if lettre::message::Mailbox::from_str(&from).is_err() {
            self.error(
                "email.from",
                format!("invalid email address {from:?}{ADDRESS_HINT}"),
            );
        }
        let to = self.string_list("email.to", get("email.to"));
        for (i, addr) in to.iter().enumerate() {
            if lettre::message::Mailbox::from_str(addr).is_err() {
                self.error(
                    &format!("email.to[{i}]"),
                    format!("invalid email address {addr:?}{ADDRESS_HINT}"),
                );
            }
        }
        let subject_prefix = self.string(
            "email.subject_prefix",
            get("email.subject_prefix"),
            "[newswatch]",
        );
        if subject_prefix.chars().any(char::is_control) {
            self.error("email.subject_prefix", "must be on one line");
        }
        let transport = self.choice(
            "email.transport",
            get("email.transport"),
            Transport::File,
            &[
                ("file", Transport::File),
                ("smtp", Transport::Smtp),
                ("sendmail", Transport::Sendmail),
            ],
        );
        let outbox_dir = self.path(
            "email.outbox_dir",
            get("email.outbox_dir"),
            "../var/outbox",
            base,
        );
        if transport == Transport::File && outbox_dir.exists() && !outbox_dir.is_dir() {
            self.error(
                "email.outbox_dir",
                format!("{} is not a directory", outbox_dir.display()),
            );
        }
        let sendmail_command = self.string(
            "email.sendmail_command",
            get("email.sendmail_command"),
            "sendmail",
        );
        if transport == Transport::Sendmail && sendmail_command.trim().is_empty() {
            self.error(
                "email.sendmail_command",
                "must not be empty with transport = \"sendmail\"",
            );
        }

        let host = self.string("email.smtp.host", get("email.smtp.host"), "127.0.0.1");
        if transport == Transport::Smtp && host.trim().is_empty() {
            self.error(
                "email.smtp.host",
                "must not be empty with transport = \"smtp\"",
            );
        }
        let port = self.uint("email.smtp.port", get("email.smtp.port"), 25, 1, 65535);
        let security_set = get("email.smtp.security").is_some();
        let security = self.choice(
            "email.smtp.security",
            get("email.smtp.security"),
            SmtpSecurity::None,
            &[
                ("none", SmtpSecurity::None),
                ("starttls", SmtpSecurity::Starttls),
                ("tls", SmtpSecurity::Tls),
            ],
        );
        let ca_file = self
            .opt_string("email.smtp.ca_file", get("email.smtp.ca_file"))
            .filter(|p| !p.trim().is_empty())
            .map(|p| resolve(base, &p));
        if let Some(f) = &ca_file {
            match std::fs::read(f) {
                Ok(pem)
                    if !String::from_utf8_lossy(&pem).contains("-----BEGIN CERTIFICATE-----") =>
                {
                    self.error(
                        "email.smtp.ca_file",
                        format!("{} holds no PEM certificate", f.display()),
                    );
                }
                Ok(_) => {}
                Err(e) => self.error(
                    "email.smtp.ca_file",
                    format!("cannot read {}: {e}", f.display()),
                ),
            }
        }
        let username = self.string("email.smtp.username", get("email.smtp.username"), "");
        let timeout_secs = self.uint(
            "email.smtp.timeout_secs",
            get("email.smtp.timeout_secs"),
            30,
            1,
            3600,
        );
        let password = self.secret("email.smtp.password", "email.smtp.password_file", get, base);
        let retry_min_secs = self.uint(
            "email.retry_min_secs",
            get("email.retry_min_secs"),
            60,
            1,
            86_400,
        );
        let retry_max_secs = self.uint(
            "email.retry_max_secs",
            get("email.retry_max_secs"),
            3600.max(retry_min_secs),
            1,
            7 * 86_400,
        );
        if retry_max_secs < retry_min_secs {
            self.error(
                "email.retry_max_secs",
                format!("must not be less than email.retry_min_secs ({retry_min_secs})"),
            );
        }
        let park_after = self.uint("email.park_after", get("email.park_after"), 5, 1, 1000);
        let max_stories = self.uint(
            "email.max_stories_per_digest",
            get("email.max_stories_per_digest"),
            200,
            1,
            100_000,
        );
        if transport == Transport::Smtp && !username.is_empty() && password.is_none() {
            self.error(
                "email.smtp.username",
                "is set but there is no password (email.smtp.password_file or NEWSWATCH__EMAIL__SMTP__PASSWORD)",
            );
        }
        // A password goes over TLS only, unless the config says plain text on purpose.
        if transport == Transport::Smtp
            && !username.is_empty()
            && password.is_some()
            && security == SmtpSecurity::None
        {
            if security_set {
                self.warnings.push(format!(
                    "{}: email.smtp.security = \"none\" with a username: the password is sent in plain text to {host}:{port}",
                    self.shown
                ));
            } else {
                self.error(
                    "email.smtp.security",
                    "a username is set: choose \"starttls\" or \"tls\" so the password is never sent in plain text (or \"none\" explicitly to accept that)",
                );
            }
        }
        EmailConfig {
            from,
            to,
            subject_prefix,
            transport,
            outbox_dir,
            smtp: SmtpConfig {
                host,
                port: u16::try_from(port).unwrap_or(25),
                security,
                username,
                password,
                timeout_secs,
                ca_file,
            },
            sendmail_command,
            retry: crate::sinks::queue::RetryPolicy {
                min_secs: retry_min_secs,
                max_secs: retry_max_secs.max(retry_min_secs),
                park_after: u32::try_from(park_after).unwrap_or(5),
            },
            max_stories_per_digest: usize::try_from(max_stories).unwrap_or(200),
        }
    }

    fn webhooks(&mut self, get: &dyn Fn(&str) -> Option<Value>, base: &Path) -> Vec<WebhookConfig> {
        let Some(ValueKind::Array(items)) = get("webhooks").map(|v| v.kind) else {
            return Vec::new(); // none, or reported by the walk over the file
        };
        let mut out = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            let ikey = format!("webhooks[{i}]");
            let ValueKind::Table(mut t) = item.kind else {
                continue; // reported by the walk
            };
            let url_key = format!("{ikey}.url");
            let url = match self.opt_string(&url_key, t.remove("url")) {
                None => {
                    self.error(&ikey, "missing key `url`");
                    continue;
                }
                Some(u) => match url::Url::parse(u.trim()) {
                    Ok(p) if matches!(p.scheme(), "http" | "https") && p.host_str().is_some() => {
                        p.to_string()
                    }
                    Ok(p) => {
                        self.error(
                            &url_key,
                            format!("invalid URL {u:?}: a webhook is http:// or https:// with a host, not {}://", p.scheme()),
                        );
                        continue;
                    }
                    Err(e) => {
                        self.error(&url_key, format!("invalid URL {u:?}: {e}"));
                        continue;
                    }
                },
            };
            let events_key = format!("{ikey}.events");
            let events = match t.remove("events") {
                None => vec![WebhookEvent::Digest, WebhookEvent::Alert],
                Some(v) => {
                    let mut events = Vec::new();
                    for (n, name) in self.string_list(&events_key, Some(v)).iter().enumerate() {
                        match name.trim().to_ascii_lowercase().as_str() {
                            "digest" => events.push(WebhookEvent::Digest),
                            "alert" => events.push(WebhookEvent::Alert),
                            other => self.error(
                                &format!("{events_key}[{n}]"),
                                format!("invalid value {other:?}: expected one of digest, alert"),
                            ),
                        }
                    }
                    events.dedup();
                    events
                }
            };
            let header = self.string(
                &format!("{ikey}.header"),
                t.remove("header"),
                "Authorization",
            );
            let inline = self
                .opt_string(&format!("{ikey}.token"), t.remove("token"))
                .filter(|p| !p.is_empty());
            let file = self
                .opt_string(&format!("{ikey}.token_file"), t.remove("token_file"))
                .filter(|p| !p.trim().is_empty());
            let env = self
                .opt_string(&format!("{ikey}.token_env"), t.remove("token_env"))
                .filter(|p| !p.trim().is_empty());
            let token = match (inline, file, env) {
                (Some(t), None, None) => Some(t),
                (None, Some(f), None) => {
                    let file = resolve(base, &f);
                    match std::fs::read_to_string(&file) {
                        Ok(p) => Some(p.trim_end_matches(['\r', '\n']).to_string()),
                        Err(e) => {
                            self.error(
                                &format!("{ikey}.token_file"),
                                format!("cannot read {}: {e}", file.display()),
                            );
                            None
                        }
                    }
                }
                (None, None, Some(name)) => match std::env::var(name.trim()) {
                    Ok(v) if !v.is_empty() => Some(v),
                    _ => {
                        self.error(
                            &format!("{ikey}.token_env"),
                            format!("the environment variable {} is not set", name.trim()),
                        );
                        None
                    }
                },
                (None, None, None) => None,
                _ => {
                    self.error(
                        &ikey,
                        "set one of token, token_file and token_env, not several",
                    );
                    None
                }
            };
            if header.trim().is_empty()
                || reqwest::header::HeaderName::from_bytes(header.trim().as_bytes()).is_err()
            {
                self.error(
                    &format!("{ikey}.header"),
                    format!("invalid header name {header:?}"),
                );
            }
            out.push(WebhookConfig {
                url,
                events,
                header: header.trim().to_string(),
                token,
            });
        }
        out
    }

    fn feeds(&mut self, get: &dyn Fn(&str) -> Option<Value>, base: &Path) -> Vec<FeedConfig> {
        let items = match get("feeds").map(|v| v.kind) {
            None => return Vec::new(),
            Some(ValueKind::Array(items)) => items,
            // Already reported by the walk over the file (or the environment check).
            Some(_) => return Vec::new(),
        };
        let mut feeds: Vec<FeedConfig> = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, item) in items.into_iter().enumerate() {
            let ikey = format!("feeds[{i}]");
            let ValueKind::Table(mut t) = item.kind else {
                continue; // reported by the walk
            };
            let mut take = |k: &str| t.remove(k);
            let (url_v, name_v, kind_v) = (take("url"), take("name"), take("kind"));
            let sels: Vec<(String, Option<Value>)> = [
                "item_selector",
                "link_selector",
                "title_selector",
                "summary_selector",
                "date_selector",
            ]
            .iter()
            .map(|k| (k.to_string(), take(k)))
            .collect();
            let full_text_v = take("full_text");

            let url_key = format!("{ikey}.url");
            let url = match self.opt_string(&url_key, url_v) {
                None => {
                    self.error(&ikey, "missing key `url`");
                    continue;
                }
                Some(u) => match feed_url(&u, base) {
                    Ok(u) => u,
                    Err(e) => {
                        self.error(&url_key, e);
                        continue;
                    }
                },
            };
            if let Some(first) = seen.get(&url) {
                self.error(&url_key, format!("{url} is already feeds[{first}]"));
            } else {
                seen.insert(url.clone(), i);
            }
            let name_key = format!("{ikey}.name");
            let name = self.opt_string(&name_key, name_v);
            if name.as_deref().is_some_and(|n| n.trim().is_empty()) {
                self.error(
                    &name_key,
                    "must not be empty (leave it out to use the feed's title)",
                );
            }
            let kind = self.choice(
                &format!("{ikey}.kind"),
                kind_v,
                FeedKind::Feed,
                &[("feed", FeedKind::Feed), ("html", FeedKind::Html)],
            );
            let mut selectors: HashMap<String, String> = HashMap::new();
            let mut has_item_selector = false;
            for (k, v) in sels {
                let key = format!("{ikey}.{k}");
                let Some(sel) = self.opt_string(&key, v) else {
                    continue;
                };
                has_item_selector |= k == "item_selector";
                if kind != FeedKind::Html {
                    self.error(&key, "is only used with kind = \"html\"");
                    continue;
                }
                if let Err(e) = scraper::Selector::parse(&sel) {
                    self.error(&key, format!("invalid CSS selector {sel:?}: {e}"));
                    continue;
                }
                selectors.insert(k, sel);
            }
            // Without any selector a list page is read with the default heuristic
            // (article-looking links); link/title/summary/date selectors only make sense
            // inside the elements an item selector picks.
            if kind == FeedKind::Html && !has_item_selector && !selectors.is_empty() {
                self.error(
                    &ikey,
                    "link/title/summary/date selectors need `item_selector` (or remove them all to use the default article-link heuristic)",
                );
            }
            let full_text = self.opt_choice(&format!("{ikey}.full_text"), full_text_v, FULL_TEXT);
            feeds.push(FeedConfig {
                url,
                name: name.map(|n| n.trim().to_string()),
                kind,
                item_selector: selectors.remove("item_selector"),
                link_selector: selectors.remove("link_selector"),
                title_selector: selectors.remove("title_selector"),
                summary_selector: selectors.remove("summary_selector"),
                date_selector: selectors.remove("date_selector"),
                full_text,
            });
        }
        feeds
    }
}

/// lettre's parse errors say only "invalid input"; say what is expected instead.
const ADDRESS_HINT: &str = " (expected user@domain or \"Name <user@domain>\")";

const FULL_TEXT: &[(&str, FullText)] = &[
    ("auto", FullText::Auto),
    ("always", FullText::Always),
    ("never", FullText::Never),
];

/// A feed URL: http(s) with a host, or file. A plain relative path is taken as a file
/// beside the config (handy for local fixtures) and becomes a file:// URL.
fn feed_url(raw: &str, base: &Path) -> Result<String, String> {
    let raw = raw.trim();
    match url::Url::parse(raw) {
        Ok(u) => match u.scheme() {
            "http" | "https" if u.host_str().is_some_and(|h| !h.is_empty()) => Ok(u.to_string()),
            "http" | "https" => Err(format!("invalid URL {raw:?}: no host")),
            "file"
                if u.host_str()
                    .is_none_or(|h| h.is_empty() || h == "localhost") =>
            {
                Ok(u.to_string())
            }
            // `file://feeds/x.xml` reads as host `feeds`: almost surely meant as a path.
            "file" => Err(format!(
                "invalid URL {raw:?}: a file URL takes an absolute path (file:///...); \
                 for a file beside the config write its relative path without file://"
            )),
            other => Err(format!(
                "invalid URL {raw:?}: scheme {other:?} is not http, https or file"
            )),
        },
        Err(url::ParseError::RelativeUrlWithoutBase) if !raw.is_empty() => {
            let path = resolve(base, raw);
            url::Url::from_file_path(&path)
                .map(|u| u.to_string())
                .map_err(|()| format!("invalid URL {raw:?}: not a file path"))
        }
        Err(e) => Err(format!("invalid URL {raw:?}: {e}")),
    }
}

/// The directory holding the config file, made absolute.
fn config_dir(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    abs.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// `rel` against `base` (unless absolute), with `.` and `..` folded away lexically so that
/// logs show `/srv/newswatch/var/state`, not `/srv/newswatch/config/../var/state`.
fn resolve(base: &Path, rel: &str) -> PathBuf {
    let joined = base.join(rel.trim());
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests;
