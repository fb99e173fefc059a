//! One function per command; glue between the CLI, the config, the store and the pipeline.
//! Errors carry context; `exit_code_for` maps them to the contract's exit codes.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result};

use crate::cli::{Cli, Command};
use crate::config::{Config, ConfigError};
use crate::store::{OpenError, StoreBackend};
use crate::watchlist::{Diagnostic, WatchSet};

mod cycle;
mod query;
mod queue;
mod seed;
mod store;
mod tools;

pub use crate::views::count;
pub use queue::{render_digests, render_requeued};

/// `once`, `digest` and `resend` when a digest was not sent (the server did not accept it:
/// it stays queued for a retry, or was parked). Everything else was done.
pub const EXIT_NOT_SENT: u8 = 3;

/// Bad usage, an invalid config or an invalid watchlist: exit 2, nothing done.
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    #[error("{0}")]
    Usage(String),
    #[error("{} problem(s) in the watchlists", .0.len())]
    Watchlists(Vec<Diagnostic>),
}

/// The contract's exit code for an error: 2 for usage/config/watchlist, else 1.
pub fn exit_code_for(e: &anyhow::Error) -> u8 {
    if e.downcast_ref::<UsageError>().is_some() || e.downcast_ref::<ConfigError>().is_some() {
        2
    } else {
        1
    }
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    let config_path = crate::config::default_config_path(cli.config.as_deref());
    match cli.command {
        Command::Extract { format, inputs } => tools::extract(format, &inputs),
        Command::Check => tools::check(&config_path),
        Command::Match { json, file } => {
            let config = load_config(&config_path)?;
            let watch = load_watchlists(&config.watchlists_dir)?;
            tools::match_file(&watch, &file, json)
        }
        Command::Claims { entity, json } => {
            let config = load_config(&config_path)?;
            query::claims(&config, entity.as_deref(), json)
        }
        Command::Feeds { json } => {
            let config = load_config(&config_path)?;
            query::feeds(&config, json)
        }
        Command::Status { json } => {
            let config = load_config(&config_path)?;
            query::status(&config, json)
        }
        Command::Completions { shell } => tools::completions(shell),
        Command::Man => tools::man(),
        Command::Export { output } => {
            let config = load_config(&config_path)?;
            store::export(&config, output.as_deref())
        }
        Command::Import { file } => {
            let config = load_config(&config_path)?;
            store::import(&config, &file)
        }
        Command::Seed {
            dir,
            json,
            export,
            suggest,
        } => {
            let config = load_config(&config_path)?;
            match (suggest, dir.as_deref()) {
                (true, Some(dir)) => seed::suggest(&config, dir),
                _ => seed::seed(&config, dir.as_deref(), json, export.as_deref()),
            }
        }
        Command::Once { json, no_send } => cycle::once(&config_path, json, no_send),
        Command::Poll { json } => cycle::poll(&config_path, json),
        Command::Digest { dry_run, json } => cycle::digest(&config_path, dry_run, json),
        Command::Digests { json } => {
            let config = load_config(&config_path)?;
            queue::digests(&config, json)
        }
        Command::Resend { id } => queue::resend(&config_path, &id),
        Command::Prune { json } => {
            let config = load_config(&config_path)?;
            store::prune(&config, json)
        }
        Command::Run => {
            let config = load_config(&config_path)?;
            let watch = load_watchlists(&config.watchlists_dir)?;
            let store = open_store(&config)?;
            let rt = runtime()?;
            let result = rt.block_on(crate::daemon::run(config, store, watch));
            // The store is flushed by now; do not wait on stragglers past the 10 s promise.
            rt.shutdown_timeout(std::time::Duration::from_secs(1));
            result?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Load and validate the config; each problem is printed on its own line by the caller.
pub fn load_config(path: &Path) -> Result<Config> {
    let config = Config::load(path).map_err(anyhow::Error::from)?;
    for w in &config.warnings {
        tracing::warn!("{w}");
    }
    if let Some(lex) = &config.lexicon {
        if !crate::transforms::claims::lexicon::install(lex.clone()) {
            tracing::warn!("claims.lexicon: a lexicon is already in use; restart to change it");
        }
    }
    Ok(config)
}

/// Load the watchlists; on problems print each `path:line:col: message` and fail with exit 2.
pub fn load_watchlists(dir: &Path) -> Result<WatchSet> {
    match WatchSet::load_dir(dir) {
        Ok(w) => Ok(w),
        Err(diags) => {
            for d in &diags {
                eprintln!("{d}");
            }
            Err(UsageError::Watchlists(diags).into())
        }
    }
}

/// Open the store; a store held by another process is a one-line refusal (exit 1).
pub fn open_store(config: &Config) -> Result<Box<dyn StoreBackend>> {
    match crate::store::open_for(config) {
        Ok(s) => Ok(s),
        Err(OpenError::Locked(p)) => Err(anyhow::anyhow!(
            "another newswatch process (the service?) is using the store at {}; stop it first \
             (`newswatch feeds` and `newswatch claims` still answer while it runs)",
            p.display()
        )),
        Err(e) => Err(e.into()),
    }
}

pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Parsing and extraction are CPU work on 2 cores: a few blocking threads keep the
        // cores busy; hundreds (tokio's default ceiling) would only add stacks and arenas.
        .max_blocking_threads(4)
        .thread_name("newswatch")
        .build()
        .context("starting the async runtime")
}

pub(crate) fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    let s = serde_json::to_string_pretty(value).context("encoding JSON")?;
    println!("{s}");
    Ok(())
}

/// The project's seeds/ folder (`seeds_dir`, by default `<config dir>/../seeds`).
pub fn project_seeds_dir(config: &Config) -> PathBuf {
    config.seeds_dir.clone()
}
