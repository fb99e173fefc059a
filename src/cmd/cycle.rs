//! `once`, `poll` and `digest`: one cycle, run in the foreground.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Result;

use super::{load_config, load_watchlists, open_store, print_json, runtime};
use crate::pipeline::{self, Context, DigestMode};
use crate::report::{CycleReport, DigestReport};

fn setup(config_path: &Path) -> Result<(Arc<Context>, Arc<crate::watchlist::WatchSet>)> {
    let config = load_config(config_path)?;
    let watch = load_watchlists(&config.watchlists_dir)?;
    let store = open_store(&config)?;
    Ok((Arc::new(Context::new(config, store)?), Arc::new(watch)))
}

pub fn once(config_path: &Path, json: bool, no_send: bool) -> Result<ExitCode> {
    let (ctx, watch) = setup(config_path)?;
    let rt = runtime()?;
    let report = rt.block_on(async {
        let mut report = pipeline::poll(&ctx, watch.clone()).await?;
        if !no_send {
            (report.alerts, report.webhooks) = pipeline::send_alerts(&ctx, &watch, &report).await?;
        }
        let mode = if no_send {
            DigestMode::DryRun
        } else {
            DigestMode::Send
        };
        let (parts, built) = pipeline::digest(&ctx, &watch, mode).await?;
        if no_send && !json {
            print_digests(&built);
        }
        report.digest = Some(DigestReport::combine(&parts));
        if parts.len() > 1 {
            report.digests = parts;
        }
        report.finished_at = chrono::Utc::now().to_rfc3339();
        anyhow::Ok(report)
    })?;
    ctx.store.flush()?;
    let code = finish(&report, json)?;
    if !no_send && report.digest.as_ref().is_some_and(|d| !delivered(d)) {
        return Ok(not_sent());
    }
    Ok(code)
}

/// Whether a digest run of `Send` mode ended with every digest accepted (or none to send).
fn delivered(d: &DigestReport) -> bool {
    d.status == "sent" || d.status == "empty"
}

/// The exit code of a run whose digest the server did not accept.
fn not_sent() -> ExitCode {
    ExitCode::from(super::EXIT_NOT_SENT)
}

pub fn poll(config_path: &Path, json: bool) -> Result<ExitCode> {
    let (ctx, watch) = setup(config_path)?;
    let report = runtime()?.block_on(async {
        let mut report = pipeline::poll(&ctx, watch.clone()).await?;
        (report.alerts, report.webhooks) = pipeline::send_alerts(&ctx, &watch, &report).await?;
        anyhow::Ok(report)
    })?;
    finish(&report, json)
}

pub fn digest(config_path: &Path, dry_run: bool, json: bool) -> Result<ExitCode> {
    let (ctx, watch) = setup(config_path)?;
    let mode = if dry_run {
        DigestMode::DryRun
    } else {
        DigestMode::Send
    };
    let (parts, built) = runtime()?.block_on(pipeline::digest(&ctx, &watch, mode))?;
    let combined = DigestReport::combine(&parts);
    let unsent = !dry_run && parts.iter().any(|p| !delivered(p));
    if json {
        print_json(&serde_json::json!({ "digest": combined, "digests": parts }))?;
    } else if dry_run {
        if built.is_empty() {
            eprintln!("nothing pending: no digest");
        }
        print_digests(&built);
    } else {
        eprintln!(
            "digest: {} ({}, {}){}",
            combined.status,
            super::count(combined.items, "story", "stories"),
            super::count(combined.claims, "claim", "claims"),
            combined
                .error
                .as_deref()
                .map(|e| format!(": {e}"))
                .unwrap_or_default()
        );
    }
    if !dry_run && !json {
        // A parked digest is no longer tried: say so at each run until someone acts.
        let parked = ctx
            .store
            .unsent_digests()?
            .iter()
            .filter(|d| d.state == crate::store::DigestState::Parked)
            .count();
        if parked > 0 {
            eprintln!(
                "{} refused for good by the mail server: see `newswatch digests`, then `newswatch resend ID`",
                super::count(parked, "message is parked,", "messages are parked,")
            );
        }
    }
    if unsent {
        return Ok(not_sent());
    }
    Ok(ExitCode::SUCCESS)
}

fn finish(report: &CycleReport, json: bool) -> Result<ExitCode> {
    if json {
        print_json(report)?;
    } else {
        // A failing feed was already logged (WARN, with its reason) when it failed: the
        // summary counts it instead of saying it a second time.
        let failing = report.feeds.iter().filter(|f| f.error.is_some()).count();
        for f in &report.feeds {
            match &f.error {
                Some(_) => {}
                None => eprintln!(
                    "feed {}: {} ({}, {} new)",
                    f.name,
                    f.status,
                    super::count(f.items_total, "item", "items"),
                    f.items_new
                ),
            }
        }
        for i in &report.items {
            match &i.duplicate_of {
                Some(d) => eprintln!("  copy of {d}: {}", i.title),
                None => eprintln!("  [{}] {} <{}>", i.watchlists.join(","), i.title, i.url),
            }
        }
        if failing > 0 {
            eprintln!(
                "{} failing (the reasons are logged above; `newswatch feeds` keeps them)",
                super::count(failing, "feed", "feeds")
            );
        }
        if let Some(d) = &report.digest {
            eprintln!(
                "digest: {} ({}, {})",
                d.status,
                super::count(d.items, "story", "stories"),
                super::count(d.claims, "claim", "claims")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A digest as text on stdout, for `--no-send` and `--dry-run`.
fn print_digests(built: &[pipeline::BuiltDigest]) {
    for b in built {
        println!(
            "Subject: {}\nTo: {}\n\n{}",
            b.subject,
            b.recipients.join(", "),
            b.text
        );
    }
}
