//! `run`: the daemon. Polls on `schedule.poll`, sends the digest on `schedule.digest`,
//! reloads the watchlists on SIGHUP or any change in their folder (keeping the last good
//! set when an edit is invalid), answers `claims`/`feeds` over the control socket, speaks
//! the systemd notify protocol, and stops within 10 s of SIGTERM/SIGINT with the store
//! flushed.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use anyhow::{Context as _, Result};
use chrono::Utc;
use notify_debouncer_full::{new_debouncer, notify::RecursiveMode};
use sd_notify::NotifyState;
use tokio::signal::unix::{signal, SignalKind};
use tokio::task::JoinHandle;
use tracing::{error, info, warn};

use crate::config::Config;
use crate::pipeline::{self, Context, DigestMode};
use crate::store::Store;
use crate::watchlist::WatchSet;

/// How long a running cycle may take to finish after SIGTERM before it is abandoned
/// (each feed's results are stored atomically, so an abandoned cycle loses no stored data).
const STOP_GRACE: Duration = Duration::from_secs(7);

fn notify(states: &[NotifyState]) {
    if std::env::var_os("NOTIFY_SOCKET").is_some() {
        if let Err(e) = sd_notify::notify(states) {
            warn!(error = %e, "systemd notify failed");
        }
    }
}

/// The watchlists in force; replaced whole on a valid reload.
type SharedWatch = Arc<RwLock<Arc<WatchSet>>>;

fn current(watch: &SharedWatch) -> Arc<WatchSet> {
    match watch.read() {
        Ok(g) => g.clone(),
        Err(poisoned) => poisoned.into_inner().clone(),
    }
}

/// Reload the watchlists; on problems log each `path:line:col` and keep the last good set.
fn reload(config: &Config, watch: &SharedWatch, why: &str) {
    match WatchSet::load_dir(&config.watchlists_dir) {
        Ok(new) => {
            let n = new.lists.len();
            match watch.write() {
                Ok(mut g) => *g = Arc::new(new),
                Err(poisoned) => *poisoned.into_inner() = Arc::new(new),
            }
            info!(watchlists = n, reason = why, "watchlists reloaded");
        }
        Err(diags) => {
            for d in &diags {
                error!(diagnostic = %d, "invalid watchlist edit");
            }
            warn!(
                problems = diags.len(),
                reason = why,
                "watchlists NOT reloaded: the last good watchlists stay in force"
            );
        }
    }
}

async fn poll_job(ctx: Arc<Context>, watch: Arc<WatchSet>) {
    // Only the feeds whose next check has come (backoff, freshness hints, Retry-After).
    match pipeline::poll_due(&ctx, watch.clone()).await {
        Ok(r) => {
            // Queued only: the sending task mails them, so a slow server never holds a poll.
            if let Err(e) = pipeline::queue_alerts(&ctx, &watch, &r) {
                error!(error = %format!("{e:#}"), "urgent alerts failed");
            }
            let failing = r
                .feeds
                .iter()
                .filter(|f| f.status == crate::report::FeedStatus::Error)
                .count();
            notify(&[NotifyState::Status(&format!(
                "last poll {}: {} feeds ({} failing), {} new stories",
                Utc::now().format("%H:%M:%S"),
                r.feeds.len(),
                failing,
                r.items.iter().filter(|i| i.duplicate_of.is_none()).count()
            ))]);
        }
        Err(e) => {
            error!(error = %format!("{e:#}"), "poll cycle failed");
            if crate::store::is_damage_error(&e) {
                notify(&[NotifyState::Status(
                    "the store failed: cycles stop at the damage (see the log: recover \
                     with export/import)",
                )]);
            }
        }
    }
}

/// The sending task: the digest when it is due (`build`), and every queued digest, alert
/// and webhook message whose backoff has run out. Runs beside the polls, never in their
/// way. Returns when the queue next wants a retry.
async fn send_job(
    ctx: Arc<Context>,
    watch: Arc<WatchSet>,
    build: bool,
) -> Option<chrono::DateTime<Utc>> {
    let due = pipeline::outbox::Due::Backoff;
    if build {
        match pipeline::digest_due(&ctx, &watch, DigestMode::Send, due).await {
            Ok((parts, _)) => {
                for p in parts {
                    info!(status = %p.status, items = p.items, claims = p.claims, "digest");
                }
            }
            Err(e) => error!(error = %format!("{e:#}"), "digest failed"),
        }
    } else if let Err(e) =
        pipeline::outbox::send_queued(&ctx, crate::store::DigestKind::Digest, due).await
    {
        error!(error = %format!("{e:#}"), "digest retry failed");
    }
    if let Err(e) = pipeline::send_queued_alerts(&ctx, due).await {
        error!(error = %format!("{e:#}"), "urgent alerts failed");
    }
    match pipeline::outbox::next_retry(&ctx.store) {
        Ok(at) => at,
        Err(e) => {
            error!(error = %format!("{e:#}"), "reading the mail queue failed");
            None
        }
    }
}

pub async fn run(config: Config, store: Store, watch: WatchSet) -> Result<()> {
    let config_arc = Arc::new(config.clone());
    let ctx = Arc::new(Context::new(config, store)?);
    let watch: SharedWatch = Arc::new(RwLock::new(Arc::new(watch)));
    let tz = ctx.config.schedule.timezone;

    let listener = crate::control::bind(&ctx.config.state_dir)?;
    // `newswatch resend` through the control socket wakes the sending task.
    let wake = Arc::new(tokio::sync::Notify::new());
    let control = tokio::spawn(crate::control::serve(
        listener,
        ctx.store.clone(),
        config_arc,
        wake.clone(),
    ));

    // Any change in the watchlists folder (editors save by rename) → a debounced reload.
    let (reload_tx, mut reload_rx) = tokio::sync::mpsc::channel::<()>(4);
    let mut debouncer = new_debouncer(Duration::from_millis(400), None, move |res| {
        if let Ok(events) = res {
            let events: Vec<notify_debouncer_full::DebouncedEvent> = events;
            if events.iter().any(|e| !e.kind.is_access()) {
                let _ = reload_tx.try_send(());
            }
        }
    })
    .context("starting the watchlists folder watcher")?;
    debouncer
        .watch(&ctx.config.watchlists_dir, RecursiveMode::NonRecursive)
        .with_context(|| format!("watching {}", ctx.config.watchlists_dir.display()))?;

    let mut term = signal(SignalKind::terminate()).context("installing the SIGTERM handler")?;
    let mut int = signal(SignalKind::interrupt()).context("installing the SIGINT handler")?;
    let mut hup = signal(SignalKind::hangup()).context("installing the SIGHUP handler")?;

    // Retention once a day (the first tick at start): old stories and sent digests go.
    let mut prune_tick = tokio::time::interval(Duration::from_secs(86_400));
    let watchdog = sd_notify::watchdog_enabled().map(|d| d / 2);
    let mut watchdog_tick = tokio::time::interval(watchdog.unwrap_or(Duration::from_secs(3600)));

    notify(&[
        NotifyState::Ready,
        NotifyState::Status("started; first poll running"),
    ]);
    info!(
        feeds = ctx.config.feeds.len(),
        poll = %ctx.config.schedule.poll.expr,
        digest = %ctx.config.schedule.digest.expr,
        timezone = %tz,
        "newswatch running"
    );

    // Polls and sending are two tasks: a mail server that stalls delays only the mail.
    let mut poll: Option<JoinHandle<()>> =
        Some(tokio::spawn(poll_job(ctx.clone(), current(&watch))));
    let mut send: Option<JoinHandle<Option<chrono::DateTime<Utc>>>> = None;
    let mut digest_due = false;
    // Something may wait in the queue from before a restart.
    let mut send_wanted = true;
    let mut next_retry: Option<chrono::DateTime<Utc>> = None;
    let sleep_until = |at: Option<chrono::DateTime<Utc>>| {
        let secs = at
            .map(|t| (t - Utc::now()).num_milliseconds().max(0) as u64)
            .unwrap_or(u64::MAX / 4);
        tokio::time::Instant::now() + Duration::from_millis(secs.min(86_400_000 * 366))
    };
    let mut next_poll = ctx.config.schedule.poll.next_after(Utc::now(), tz);
    let mut next_digest = ctx.config.schedule.digest.next_after(Utc::now(), tz);

    loop {
        if poll.as_ref().is_some_and(JoinHandle::is_finished) {
            // Ended between two turns: its alerts still want sending.
            poll = None;
            send_wanted = true;
        }
        let poll_running = poll.is_some();
        let mut send_running = send.as_ref().is_some_and(|j| !j.is_finished());
        if !send_running && (digest_due || send_wanted) {
            if let Some(done) = send.take() {
                next_retry = done.await.ok().flatten();
            }
            send = Some(tokio::spawn(send_job(
                ctx.clone(),
                current(&watch),
                digest_due,
            )));
            send_running = true;
            digest_due = false;
            send_wanted = false;
        }
        tokio::select! {
            _ = tokio::time::sleep_until(sleep_until(next_poll)) => {
                next_poll = ctx.config.schedule.poll.next_after(after_firing(next_poll), tz);
                if poll.as_ref().is_some_and(|j| !j.is_finished()) {
                    warn!("poll time reached while the previous cycle still runs; skipped");
                } else {
                    poll = Some(tokio::spawn(poll_job(ctx.clone(), current(&watch))));
                }
            }
            _ = tokio::time::sleep_until(sleep_until(next_digest)) => {
                next_digest = ctx.config.schedule.digest.next_after(after_firing(next_digest), tz);
                digest_due = true;
            }
            _ = tokio::time::sleep_until(sleep_until(next_retry)), if next_retry.is_some() && !send_running => {
                next_retry = None;
                send_wanted = true;
            }
            _ = wake.notified() => send_wanted = true,
            _ = prune_tick.tick() => { tokio::task::spawn_blocking({ let ctx = ctx.clone(); move || prune(&ctx) }); }
            _ = hup.recv() => reload(&ctx.config, &watch, "SIGHUP"),
            Some(()) = reload_rx.recv() => reload(&ctx.config, &watch, "watchlists folder changed"),
            _ = watchdog_tick.tick(), if watchdog.is_some() => notify(&[NotifyState::Watchdog]),
            _ = term.recv() => { info!("SIGTERM: stopping"); break; }
            _ = int.recv() => { info!("SIGINT: stopping"); break; }
            // A poll that ended may have queued alerts: the sending task mails them.
            _ = async { if let Some(j) = poll.as_mut() { let _ = j.await; } }, if poll_running => {
                poll = None;
                send_wanted = true;
            }
            // Wake up when sending ends so a due digest starts and the next retry is known.
            r = async { match send.as_mut() { Some(j) => j.await.ok().flatten(), None => None } }, if send_running => {
                send = None;
                next_retry = r;
            }
        }
    }

    notify(&[NotifyState::Stopping]);
    let deadline = tokio::time::Instant::now() + STOP_GRACE;
    if let Some(j) = poll.take() {
        finish_or_abandon(j, "the running cycle", deadline).await;
    }
    if let Some(j) = send.take() {
        finish_or_abandon(j, "the mail being sent", deadline).await;
    }
    control.abort();
    drop(debouncer);
    let _ = std::fs::remove_file(crate::control::socket_path(&ctx.config.state_dir));
    ctx.store.flush()?;
    info!("stopped; store flushed");
    Ok(())
}

/// Retention: stories older than `[retention] days` (not pending) and old sent digests.
fn prune(ctx: &Context) {
    let Some(before) = pipeline::retention_cutoff(&ctx.config, Utc::now()) else {
        return;
    };
    match crate::store::contain(|| ctx.store.prune_old(before)) {
        Ok(Ok(s)) => info!(
            stories = s.items,
            digests = s.digests,
            "retention: old stories pruned"
        ),
        Ok(Err(e)) => error!(error = %format!("{e:#}"), "retention prune failed"),
        Err(panic) => error!(error = %panic, "retention prune failed"),
    }
}

/// Wait for a task that is stopping until `deadline`, then abandon it: each feed's results
/// are stored atomically and a message is marked sent only once accepted, so an abandoned
/// task loses nothing (an interrupted send is sent again, with the same Message-ID).
async fn finish_or_abandon<T>(j: JoinHandle<T>, what: &str, deadline: tokio::time::Instant) {
    if j.is_finished() {
        return;
    }
    info!("waiting for {what} to finish");
    let abort = j.abort_handle();
    if tokio::time::timeout_at(deadline, j).await.is_err() {
        warn!("{what} did not finish in time; abandoned (stored data is intact)");
        abort.abort();
    }
}

/// Where to look for the next firing once `fired` (the instant just due) woke the
/// scheduler: never before it. A timer can wake a hair early; asking for the next firing
/// after "now" would then give the same instant again and fire twice.
fn after_firing(fired: Option<chrono::DateTime<Utc>>) -> chrono::DateTime<Utc> {
    let now = Utc::now();
    fired.map_or(now, |f| f.max(now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::schedule::CronSchedule;

    #[test]
    fn a_timer_that_wakes_early_does_not_fire_the_same_instant_twice() {
        let every_second = CronSchedule::parse("* * * * * *").unwrap();
        // The scheduler woke 300 ms before the instant it was waiting for.
        let due = every_second
            .next_after(
                Utc::now() + chrono::Duration::milliseconds(300),
                chrono_tz::UTC,
            )
            .unwrap();
        let next = every_second
            .next_after(after_firing(Some(due)), chrono_tz::UTC)
            .unwrap();
        assert!(next > due, "{next} must come after {due}");
        // Asking from "now" instead gives the same instant again: the bug.
        let early = due - chrono::Duration::milliseconds(300);
        assert_eq!(every_second.next_after(early, chrono_tz::UTC), Some(due));
    }
}
