//! `run`: the daemon. Polls on `schedule.poll`, sends the digest on `schedule.digest`,
//! reloads the config and the watchlists on SIGHUP and the watchlists on any change in
//! their folder (keeping the running ones when an edit is invalid), answers
//! `claims`/`feeds`/`status` over the control socket, serves metrics when asked, speaks the
//! systemd notify protocol (the watchdog fed only while jobs make progress), and stops
//! within 10 s of SIGTERM/SIGINT with the store flushed.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use anyhow::{Context as _, Result};
use chrono::Utc;
use notify_debouncer_full::{new_debouncer, notify::RecursiveMode};
use sd_notify::NotifyState;
use tokio::signal::unix::{signal, SignalKind};
use tokio::task::JoinHandle;
use tracing::{error, info, warn};

use crate::config::{Config, ConfigError};
use crate::pipeline::{self, Context};
use crate::status::{DaemonState, Live};
use crate::store::StoreBackend;
use crate::watchlist::WatchSet;

/// How long a running cycle may take to finish after SIGTERM before it is abandoned
/// (each feed's results are stored atomically, so an abandoned cycle loses no stored data).
const STOP_GRACE: Duration = Duration::from_secs(7);

/// A job running longer than this (or two poll periods, if longer) is taken as hung: the
/// systemd watchdog is no longer fed, so the service is restarted.
const HUNG_AFTER_MIN: Duration = Duration::from_secs(600);

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

async fn poll_job(ctx: Arc<Context>, watch: Arc<WatchSet>, state: Arc<DaemonState>) {
    let started = std::time::Instant::now();
    // Only the feeds whose next check has come (backoff, freshness hints, Retry-After).
    match pipeline::poll_due(&ctx, watch.clone()).await {
        Ok(r) => {
            // Queued only: the sending task mails them, so a slow server never holds a poll.
            if let Err(e) = pipeline::queue_alerts(&ctx, &watch, &r) {
                error!(error = %format!("{e:#}"), "urgent alerts failed");
            }
            state.metrics.record_cycle(&r, started.elapsed());
            state.update(|l| {
                l.last_poll_finished = Some(Utc::now());
                l.last_poll_error = None;
            });
            observe(&ctx, &state).await;
        }
        Err(e) => {
            error!(error = %format!("{e:#}"), "poll cycle failed");
            state.update(|l| l.last_poll_error = Some(format!("{e:#}")));
            if crate::store::is_damage_error(&e) {
                notify(&[NotifyState::Status(
                    "the store failed: cycles stop at the damage (see the log: recover \
                     with export/import)",
                )]);
            } else {
                observe(&ctx, &state).await;
            }
        }
    }
}

/// What a sending task leaves for the next one.
#[derive(Debug, Default)]
struct SendDone {
    /// When the queue next wants a retry.
    next_retry: Option<chrono::DateTime<Utc>>,
    /// Digest ticks another instance sharing the store took and has not finished yet: asked
    /// again by the next sending task (taken over if that instance died).
    waiting_ticks: Vec<chrono::DateTime<Utc>>,
}

/// The sending task: the digest of each due schedule tick (`ticks`: the one just reached
/// and those another instance took and has not finished), and every queued digest, alert
/// and webhook message whose backoff has run out. Runs beside the polls, never in their
/// way.
async fn send_job(
    ctx: Arc<Context>,
    watch: Arc<WatchSet>,
    ticks: Vec<chrono::DateTime<Utc>>,
    state: Arc<DaemonState>,
) -> SendDone {
    let due = pipeline::outbox::Due::Backoff;
    let mut waiting_ticks = Vec::new();
    let mut built = false;
    for tick in ticks {
        match pipeline::digest_tick(&ctx, &watch, tick, due).await {
            Ok(pipeline::TickOutcome::Built(parts)) => {
                built = true;
                state.metrics.record_sends(&parts);
                for p in parts {
                    info!(status = %p.status, items = p.items, claims = p.claims, "digest");
                }
                state.update(|l| l.last_digest_finished = Some(Utc::now()));
            }
            Ok(pipeline::TickOutcome::Elsewhere) => {
                info!(tick = %tick.to_rfc3339(), "another instance builds this digest");
                waiting_ticks.push(tick);
            }
            Ok(pipeline::TickOutcome::Finished) => {}
            Err(e) => {
                error!(error = %format!("{e:#}"), "digest failed");
                state.update(|l| l.last_digest_finished = Some(Utc::now()));
            }
        }
    }
    if built {
        // The digest's send round above also tried the queued digests.
    } else if let Err(e) =
        pipeline::outbox::send_queued(&ctx, crate::store::DigestKind::Digest, due).await
    {
        error!(error = %format!("{e:#}"), "digest retry failed");
    }
    if let Err(e) = pipeline::send_queued_alerts(&ctx, due).await {
        error!(error = %format!("{e:#}"), "urgent alerts failed");
    }
    observe(&ctx, &state).await;
    let next_retry = match pipeline::outbox::next_retry(&*ctx.store) {
        Ok(at) => at,
        Err(e) => {
            error!(error = %format!("{e:#}"), "reading the mail queue failed");
            None
        }
    };
    SendDone {
        next_retry,
        waiting_ticks,
    }
}

/// After a job: the status read again for systemd's one-line STATUS= and the metrics
/// that come from the store (queue length, size).
async fn observe(ctx: &Arc<Context>, state: &Arc<DaemonState>) {
    let (store, config, live) = (ctx.store.clone(), state.config(), state.live());
    let gathered = tokio::task::spawn_blocking(move || {
        crate::status::gather(&*store, &config, Some(&live), Utc::now())
    })
    .await;
    match gathered {
        Ok(Ok(s)) => {
            state
                .metrics
                .record_store(s.digest_queue.queued, s.store.size_bytes);
            notify(&[NotifyState::Status(&crate::status::one_line(&s))]);
        }
        Ok(Err(e)) => warn!(error = %format!("{e:#}"), "reading the status failed"),
        Err(e) => warn!(error = %e, "reading the status stopped"),
    }
}

/// Read the config file again for SIGHUP. A valid one replaces the running config (a new
/// HTTP client, schedules, email, feeds); an invalid one is logged line by line and the
/// running one stays. What only a restart can change is said so and kept.
fn reload_config(ctx: &Arc<Context>) -> Option<Context> {
    let path = &ctx.config.path;
    let mut new = match Config::load(path) {
        Ok(c) => c,
        Err(ConfigError::Invalid(lines)) => {
            for l in &lines {
                error!(diagnostic = %l, "invalid config edit");
            }
            warn!(
                problems = lines.len(),
                "config NOT reloaded: the running config stays in force"
            );
            return None;
        }
        Err(e) => {
            error!(error = %format!("{e:#}"), "config NOT reloaded: the running config stays in force");
            return None;
        }
    };
    for w in &new.warnings {
        warn!("{w}");
    }
    if new.state_dir != ctx.config.state_dir {
        warn!(
            state_dir = %new.state_dir.display(),
            "state_dir changed: it takes effect at the next start; the running store stays"
        );
        new.state_dir = ctx.config.state_dir.clone();
    }
    if new.metrics_listen != ctx.config.metrics_listen {
        warn!("metrics.listen changed: it takes effect at the next start");
    }
    if new.lexicon.is_some() {
        info!("claims.lexicon: the lexicon in use stays until the next start");
    }
    let fetcher = match crate::fetch::Fetcher::new(&new.fetch.settings) {
        Ok(f) => f,
        Err(e) => {
            error!(error = %format!("{e:#}"), "config NOT reloaded: cannot build the HTTP client");
            return None;
        }
    };
    info!(
        feeds = new.feeds.len(),
        poll = %new.schedule.poll.expr,
        digest = %new.schedule.digest.expr,
        "config reloaded"
    );
    Some(Context {
        config: new,
        store: ctx.store.clone(),
        fetcher: Arc::new(fetcher),
    })
}

pub async fn run(config: Config, store: Box<dyn StoreBackend>, watch: WatchSet) -> Result<()> {
    let state = Arc::new(DaemonState::new(
        config.clone(),
        Live {
            pid: std::process::id(),
            started_at: Some(Utc::now()),
            config_loaded_at: Some(Utc::now()),
            ..Live::default()
        },
    ));
    let mut ctx = Arc::new(Context::new(config, store)?);
    let watch: SharedWatch = Arc::new(RwLock::new(Arc::new(watch)));
    let mut tz = ctx.config.schedule.timezone;

    // One daemon per state_dir: its control socket and outbox are one instance's. sled's own
    // lock already says so; with a shared store nothing else would.
    let _instance_lock = lock_state_dir(&ctx.config.state_dir)?;
    let listener = crate::control::bind(&ctx.config.state_dir)?;
    // `newswatch resend` through the control socket wakes the sending task.
    let wake = Arc::new(tokio::sync::Notify::new());
    let control = tokio::spawn(crate::control::serve(
        listener,
        ctx.store.clone(),
        state.clone(),
        wake.clone(),
    ));
    let metrics = match ctx.config.metrics_listen {
        Some(addr) => {
            let listener = crate::metrics::bind(&addr.to_string()).await?;
            info!(listen = %addr, "serving /metrics and /healthz");
            Some(tokio::spawn(crate::metrics::serve(listener, state.clone())))
        }
        None => None,
    };
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
    let mut poll: Option<JoinHandle<()>> = Some(tokio::spawn(poll_job(
        ctx.clone(),
        current(&watch),
        state.clone(),
    )));
    let mut poll_started = std::time::Instant::now();
    let mut send: Option<JoinHandle<SendDone>> = None;
    let mut send_started = std::time::Instant::now();
    let mut said_hung = false;
    // Schedule ticks whose digest this instance has yet to ask for (see `send_job`).
    let mut digest_ticks: Vec<chrono::DateTime<Utc>> = Vec::new();
    // Ticks another instance took: asked again with the next sending task (which runs after
    // every poll), never a reason to start one.
    let mut waiting_ticks: Vec<chrono::DateTime<Utc>> = Vec::new();
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
        if !send_running && (!digest_ticks.is_empty() || send_wanted) {
            if let Some(done) = send.take() {
                let done = done.await.unwrap_or_default();
                next_retry = done.next_retry;
                waiting_ticks.extend(done.waiting_ticks);
            }
            let mut ticks = std::mem::take(&mut waiting_ticks);
            ticks.append(&mut digest_ticks);
            send = Some(tokio::spawn(send_job(
                ctx.clone(),
                current(&watch),
                ticks,
                state.clone(),
            )));
            send_started = std::time::Instant::now();
            send_running = true;
            send_wanted = false;
        }
        state.update(|l| {
            l.next_poll = next_poll;
            l.next_digest = next_digest;
            let (job, since) = if poll_running {
                (Some("poll"), Some(poll_started))
            } else if send_running {
                (Some("sending"), Some(send_started))
            } else {
                (None, None)
            };
            l.job = job.map(str::to_string);
            l.job_started = since
                .map(|s| Utc::now() - chrono::Duration::from_std(s.elapsed()).unwrap_or_default());
        });
        tokio::select! {
            _ = tokio::time::sleep_until(sleep_until(next_poll)) => {
                next_poll = ctx.config.schedule.poll.next_after(after_firing(next_poll), tz);
                if poll.as_ref().is_some_and(|j| !j.is_finished()) {
                    warn!("poll time reached while the previous cycle still runs; skipped");
                } else {
                    poll = Some(tokio::spawn(poll_job(ctx.clone(), current(&watch), state.clone())));
                    poll_started = std::time::Instant::now();
                    said_hung = false;
                }
            }
            _ = tokio::time::sleep_until(sleep_until(next_digest)) => {
                if let Some(tick) = next_digest {
                    digest_ticks.push(tick);
                }
                next_digest = ctx.config.schedule.digest.next_after(after_firing(next_digest), tz);
            }
            _ = tokio::time::sleep_until(sleep_until(next_retry)), if next_retry.is_some() && !send_running => {
                next_retry = None;
                send_wanted = true;
            }
            _ = wake.notified() => send_wanted = true,
            _ = prune_tick.tick() => { tokio::task::spawn_blocking({ let ctx = ctx.clone(); move || prune(&ctx) }); }
            _ = hup.recv() => {
                if let Some(new) = reload_config(&ctx) {
                    if new.config.watchlists_dir != ctx.config.watchlists_dir {
                        let _ = debouncer.unwatch(&ctx.config.watchlists_dir);
                        if let Err(e) = debouncer.watch(&new.config.watchlists_dir, RecursiveMode::NonRecursive) {
                            warn!(error = %e, dir = %new.config.watchlists_dir.display(), "cannot watch the new watchlists folder; SIGHUP still reloads it");
                        }
                    }
                    ctx = Arc::new(new);
                    tz = ctx.config.schedule.timezone;
                    next_poll = ctx.config.schedule.poll.next_after(Utc::now(), tz);
                    next_digest = ctx.config.schedule.digest.next_after(Utc::now(), tz);
                    state.set_config(Arc::new(ctx.config.clone()));
                    state.update(|l| l.config_loaded_at = Some(Utc::now()));
                }
                reload(&ctx.config, &watch, "SIGHUP");
            }
            Some(()) = reload_rx.recv() => reload(&ctx.config, &watch, "watchlists folder changed"),
            _ = watchdog_tick.tick(), if watchdog.is_some() => {
                // Fed only while the scheduler makes progress: this loop runs, and neither
                // the poll nor the sending has been running past its limit (hung).
                let limit = hung_limit(crate::status::poll_period(&ctx.config, Utc::now()));
                let hung = (poll_running && poll_started.elapsed() > limit)
                    || (send_running && send_started.elapsed() > limit);
                if hung {
                    if !said_hung {
                        error!(
                            "a job has been running past its limit: the watchdog is no longer fed, systemd will restart the service"
                        );
                        said_hung = true;
                    }
                } else {
                    notify(&[NotifyState::Watchdog]);
                }
            }
            _ = term.recv() => { info!("SIGTERM: stopping"); break; }
            _ = int.recv() => { info!("SIGINT: stopping"); break; }
            // A poll that ended may have queued alerts: the sending task mails them.
            _ = async { if let Some(j) = poll.as_mut() { let _ = j.await; } }, if poll_running => {
                poll = None;
                send_wanted = true;
            }
            // Wake up when sending ends so a due digest starts and the next retry is known.
            r = async { match send.as_mut() { Some(j) => j.await.unwrap_or_default(), None => SendDone::default() } }, if send_running => {
                send = None;
                next_retry = r.next_retry;
                // Asked again after the next poll: the instance building them may die.
                waiting_ticks.extend(r.waiting_ticks);
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
    if let Some(m) = metrics {
        m.abort();
    }
    drop(debouncer);
    let _ = std::fs::remove_file(crate::control::socket_path(&ctx.config.state_dir));
    ctx.store.flush()?;
    info!("stopped; store flushed");
    Ok(())
}

/// Hold `state_dir/newswatch-run.lock` for the daemon's life (an advisory lock the kernel
/// drops with the process, however it ends).
fn lock_state_dir(state_dir: &std::path::Path) -> Result<std::fs::File> {
    std::fs::create_dir_all(state_dir)
        .with_context(|| format!("creating {}", state_dir.display()))?;
    let path = state_dir.join("newswatch-run.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("opening {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
            "another `newswatch run` uses {}: give each instance its own state_dir",
            state_dir.display()
        ),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("locking {}", path.display()))
        }
    }
}

/// Retention: stories older than `[retention] days` (not pending) and old sent digests.
fn prune(ctx: &Context) {
    let now = Utc::now();
    let Some(before) = pipeline::retention_cutoff(&ctx.config, now) else {
        return;
    };
    // Once a day for all the instances sharing a store: the one that takes the day's lease.
    let day = [format!("prune:{}", now.format("%Y-%m-%d"))];
    match crate::store::contain(|| ctx.store.take_leases(&day, ctx.config.store.lease)) {
        Ok(Ok(taken)) if taken.is_empty() => return,
        Ok(Ok(_)) => {}
        Ok(Err(e)) => return error!(error = %format!("{e:#}"), "retention prune failed"),
        Err(panic) => return error!(error = %panic, "retention prune failed"),
    }
    let pruned = crate::store::contain(|| ctx.store.prune_old(before));
    if matches!(pruned, Ok(Ok(_))) {
        if let Err(e) = ctx.store.finish_lease(&day[0]) {
            warn!(error = %format!("{e:#}"), "could not mark today's retention done");
        }
    }
    match pruned {
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

/// How long a job may run before the watchdog stops being fed: two poll periods, and
/// never less than `HUNG_AFTER_MIN` (a large cycle on a short schedule is slow, not hung).
fn hung_limit(poll_period: chrono::Duration) -> Duration {
    poll_period
        .to_std()
        .unwrap_or(HUNG_AFTER_MIN)
        .saturating_mul(2)
        .max(HUNG_AFTER_MIN)
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

    #[test]
    fn a_job_is_hung_after_two_poll_periods_and_never_before_ten_minutes() {
        let table = [
            (chrono::Duration::seconds(1), 600),
            (chrono::Duration::minutes(15), 1800),
            (chrono::Duration::hours(1), 7200),
        ];
        for (period, secs) in table {
            assert_eq!(hung_limit(period), Duration::from_secs(secs), "{period}");
        }
    }
}
