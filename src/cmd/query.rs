//! `claims`, `feeds` and `status`: read the store, or ask the running daemon when it holds the store.

use std::process::ExitCode;

use anyhow::Result;

use crate::config::Config;
use crate::control::{self, Request};
use crate::store::{OpenError, StoreBackend};
use crate::views::{render_claims, render_feeds, render_status};

/// Run `f` on the store, or forward `req` to the daemon that holds it.
fn with_store_or_daemon(
    config: &Config,
    req: Request,
    f: impl FnOnce(&dyn StoreBackend) -> Result<String>,
) -> Result<ExitCode> {
    with_store_or_daemon_checked(config, req, |_| true, f)
}

pub fn claims(config: &Config, entity: Option<&str>, json: bool) -> Result<ExitCode> {
    // An id no watchlist names is probably a typo: say so (a claim subject such as
    // `dprk-troops` is accepted when claims are stored under it).
    let unknown = match entity {
        Some(id) => {
            let watch = super::load_watchlists(&config.watchlists_dir)?;
            let known: Vec<&str> = watch
                .lists
                .iter()
                .flat_map(|l| {
                    std::iter::once(l.id.as_str()).chain(l.entities.iter().map(|e| e.id.as_str()))
                })
                .collect();
            (!known.contains(&id)).then(|| {
                let mut ids: Vec<&str> = known;
                ids.sort_unstable();
                ids.dedup();
                (id.to_string(), ids.join(", "))
            })
        }
        None => None,
    };
    let req = Request::Claims {
        entity: entity.map(str::to_string),
        json,
    };
    let mut empty = false;
    let code = with_store_or_daemon_checked(
        config,
        req,
        |out| {
            empty = out.starts_with("no claims stored") || out.trim() == "[]";
            unknown.is_none() || !empty
        },
        |s| render_claims(s, entity, json),
    )?;
    if let (Some((id, ids)), true) = (unknown, empty) {
        return Err(super::UsageError::Usage(format!(
            "claims --entity {id}: no watchlist names this id and no claim is stored under it (entity ids: {ids})"
        ))
        .into());
    }
    Ok(code)
}

/// `with_store_or_daemon`, printing the answer only when `print_if` accepts it.
fn with_store_or_daemon_checked(
    config: &Config,
    req: Request,
    mut print_if: impl FnMut(&str) -> bool,
    f: impl FnOnce(&dyn StoreBackend) -> Result<String>,
) -> Result<ExitCode> {
    let out = match crate::store::open_for(config) {
        Ok(store) => f(&*store)?,
        Err(OpenError::Locked(p)) => control::ask(&config.state_dir, &req).map_err(|e| {
            anyhow::anyhow!(
                "the store at {} is held by another newswatch process and its control socket did not answer: {e:#}",
                p.display()
            )
        })?,
        Err(e) => return Err(e.into()),
    };
    if print_if(&out) {
        print!("{out}");
    }
    Ok(ExitCode::SUCCESS)
}

pub fn feeds(config: &Config, json: bool) -> Result<ExitCode> {
    with_store_or_daemon(config, Request::Feeds { json }, |s| {
        render_feeds(s, config, json)
    })
}

pub fn status(config: &Config, json: bool) -> Result<ExitCode> {
    // A shared (PostgreSQL) store is never locked: ask this host's daemon first, which
    // adds what only it knows (its schedules, its health); without one, read the database.
    if config.store.url.is_some() {
        if let Ok(out) = control::ask(&config.state_dir, &Request::Status { json }) {
            print!("{out}");
            return Ok(ExitCode::SUCCESS);
        }
    }
    with_store_or_daemon(config, Request::Status { json }, |s| {
        render_status(s, config, None, json)
    })
}
