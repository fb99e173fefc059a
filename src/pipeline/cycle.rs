//! The poll cycle: a task per feed (fetch → parse → full text → match → claims), one
//! consumer that dedups and stores in order, and the cycle report.

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::Result;
use chrono::{DateTime, Duration, Utc};
use tracing::{debug, error, info, warn};

use super::claims::{
    claim_entities, claim_report, decide_claim, distinct_claims, relate_by_yardstick, StoryClaims,
};
use super::Context;
use crate::config::{FeedConfig, FeedKind, FullText};
use crate::fetch::{FetchError, FetchOutcome, Fetched, Fetcher, Reach};
use crate::model::{Claim, EntityMatch, Item, ParsedFeed};
use crate::report::{CycleReport, FeedReport, FeedStatus, ItemReport};
use crate::sources::feed::SourceError;
use crate::sources::html::ListSelectors;
use crate::store::{
    feed_lease, ClaimLock, Committed, FeedState, FingerprintEntry, SeenSet, StoreBackend,
    StoreFailure, StoredItem, StoryLookup, StoryQuery, StoryWrite, TitleRecord, RECOVERY_HINT,
};
use crate::transforms::fingerprint::{self, Fingerprint};
use crate::transforms::{claims, dedup, dedup::ItemKeys};
use crate::watchlist::WatchSet;

use super::schedule_state::{self, Hints};

/// Below this many characters of summary/content, `full_text = auto` fetches the article.
const ARTICLE_LENGTH: usize = 600;

/// A feed's row in the report until its outcome is stored.
const NOT_FINISHED: &str = "the feed's work did not finish (see the log)";

/// One new entry of a feed, read and matched by its feed task.
struct Entry {
    /// The key under which its feed knows it (guid, else canonical URL, else title).
    entry_key: String,
    keys: ItemKeys,
    item: Item,
    matches: Vec<EntityMatch>,
    watchlists: Vec<String>,
    claims: Vec<Claim>,
    /// The fingerprint of the body the matcher read (title excluded), when long enough.
    fingerprint: Option<Fingerprint>,
    /// Older than the backfill window on the feed's first poll: mark seen only.
    backfill_only: bool,
}

/// What one feed task hands to the consumer.
struct FeedOutcome {
    config_name: Option<String>,
    url: String,
    feed_title: Option<String>,
    result: Result<Option<Vec<Entry>>, String>,
    items_total: usize,
    validators: Option<crate::fetch::Validators>,
    /// The feed an HTML page announced, when the configured URL was a page.
    discovered_url: Option<String>,
    /// Released when the consumer drops the outcome (see `poll`).
    permit: Option<tokio::sync::OwnedSemaphorePermit>,
    /// The store failed while the feed task read it: the cycle stops (never the feed's
    /// error).
    store_error: Option<String>,
    /// What the document or the error said about when to come back.
    hints: Hints,
    /// What kind of failure `result` is, for the backoff.
    failure: Option<FailureClass>,
    /// New entries left for the next cycle by `fetch.max_items_per_feed`.
    held_back: usize,
    /// The feed's seen set as the task read it: the consumer marks the entries in it and
    /// writes it back, so it is read once per feed and cycle.
    seen: Option<SeenSet>,
    /// Not fetched: another instance sharing the store polled it since this cycle began.
    not_due: bool,
}

/// A feed's failure as the next-check rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FailureClass {
    /// Could not resolve or connect: maybe the machine's network, not the feed.
    Connect,
    /// 429/503: the host asks to be left alone (for this long, if it said).
    Throttled(Option<u64>),
    Other,
}

impl FailureClass {
    fn of(e: &FetchError) -> FailureClass {
        match e {
            FetchError::Dns(_)
            | FetchError::Refused(_)
            | FetchError::Connect(_)
            | FetchError::ConnectTimeout(_) => FailureClass::Connect,
            FetchError::Throttled(_, retry_after) => FailureClass::Throttled(*retry_after),
            _ => FailureClass::Other,
        }
    }
}

impl FeedOutcome {
    /// A feed's outcome before anything happened: nothing fetched, nothing failed.
    fn for_feed(feed: &FeedConfig) -> FeedOutcome {
        FeedOutcome {
            config_name: feed.name.clone(),
            url: feed.url.clone(),
            feed_title: None,
            result: Ok(None),
            items_total: 0,
            validators: None,
            discovered_url: None,
            permit: None,
            store_error: None,
            hints: Hints::default(),
            failure: None,
            held_back: 0,
            seen: None,
            not_due: false,
        }
    }
}

fn source_name(name: Option<&str>, feed_title: Option<&str>, url: &str) -> String {
    name.or(feed_title)
        .map(str::to_string)
        .or_else(|| {
            url::Url::parse(url)
                .ok()
                .and_then(|u| u.host_str().map(str::to_string))
        })
        .unwrap_or_else(|| url.to_string())
}

/// The entry key a feed knows an item by.
fn entry_key(item: &Item, keys: &ItemKeys) -> String {
    if let Some(g) = &keys.guid {
        format!("g:{g}")
    } else if let Some(u) = &keys.url {
        format!("u:{u}")
    } else {
        format!("t:{}", crate::transforms::dedup::title_key(&item.title))
    }
}

/// The text the watchlists are run over: title, summary or content, and the article.
pub fn item_text(item: &Item, article: Option<&str>) -> String {
    let mut text = item.title.clone();
    let body = match (&item.content, &item.summary) {
        (Some(c), Some(s)) if s.len() > c.len() => s,
        (Some(c), _) => c,
        (None, Some(s)) => s,
        (None, None) => "",
    };
    for part in [body, article.unwrap_or("")] {
        if !part.trim().is_empty() && !text.contains(part.trim()) {
            text.push_str("\n\n");
            text.push_str(part.trim());
        }
    }
    text
}

/// The fingerprint of the text the matcher saw, without its title: a copy under another
/// headline has the same body. `article`: the article page fetched for it, part of `text`,
/// whose lead is the story's too (see `fingerprint_with_article`). None when the body is
/// too short to fingerprint.
pub fn body_fingerprint(item: &Item, text: &str, article: Option<&str>) -> Option<Fingerprint> {
    let body = text.strip_prefix(item.title.as_str()).unwrap_or(text);
    fingerprint::fingerprint_with_article(body, article)
}

/// Match and read one item's text (pure).
pub fn analyse(
    watch: &WatchSet,
    item: &Item,
    text: &str,
) -> (Vec<EntityMatch>, Vec<String>, Vec<Claim>) {
    let matches = watch.find(text);
    let watchlists = watch.alerting(&matches);
    let claims = if watchlists.is_empty() {
        Vec::new()
    } else {
        claims::extract_claims(text, &matches, item.lang.as_deref(), item.published)
    };
    (matches, watchlists, claims)
}

fn parse_source(
    feed: &FeedConfig,
    body: &[u8],
    content_type: Option<&str>,
    url: &str,
) -> Result<ParsedFeed, SourceError> {
    match feed.kind {
        FeedKind::Feed => crate::sources::feed::parse_feed(body, content_type, url),
        FeedKind::Html => {
            let selectors = ListSelectors {
                item: feed.item_selector.clone(),
                link: feed.link_selector.clone(),
                title: feed.title_selector.clone(),
                summary: feed.summary_selector.clone(),
                date: feed.date_selector.clone(),
            };
            crate::sources::html::parse_list_page(body, content_type, url, &selectors)
        }
    }
}

/// Why a fetched document gave no items.
enum ParseFailure {
    /// An HTML page where a feed was expected, with the feed links it announces.
    NotAFeed {
        message: String,
        discovered: Vec<String>,
    },
    Other(String),
}

/// Parse on the blocking pool; a panic inside a parser is this feed's error, never the
/// cycle's.
async fn parse_in_worker(feed: &FeedConfig, fetched: Fetched) -> Result<ParsedFeed, ParseFailure> {
    let feed = feed.clone();
    tokio::task::spawn_blocking(move || {
        let parsed = std::panic::catch_unwind(|| {
            parse_source(
                &feed,
                &fetched.body,
                fetched.content_type.as_deref(),
                &fetched.final_url,
            )
        });
        match parsed {
            Ok(Ok(p)) => Ok(p),
            Ok(Err(SourceError::NotAFeed(m))) => {
                let html = crate::sources::charset::decode_html(
                    &fetched.body,
                    fetched.content_type.as_deref(),
                );
                Err(ParseFailure::NotAFeed {
                    message: SourceError::NotAFeed(m).to_string(),
                    discovered: crate::sources::feed::discover_feed_links(
                        &html,
                        &fetched.final_url,
                    ),
                })
            }
            Ok(Err(e)) => Err(ParseFailure::Other(e.to_string())),
            Err(_) => Err(ParseFailure::Other(
                "the parser failed on this document".to_string(),
            )),
        }
    })
    .await
    .unwrap_or_else(|e| Err(ParseFailure::Other(format!("parser task failed: {e}"))))
}

/// The CPU work on one entry (pure): its text, the watchlists' matches, its claims and, when
/// it matched, its body's fingerprint.
fn read_entry(watch: &WatchSet, mut entry: Entry, article: Option<&str>) -> Entry {
    fault::panic_if_asked(&entry.item.title);
    let text = item_text(&entry.item, article);
    let (m, w, c) = analyse(watch, &entry.item, &text);
    entry.matches = m;
    entry.watchlists = w;
    entry.claims = c;
    // Only stories that matched enter the title and fingerprint tiers: they are the
    // ones a digest would show twice. Fingerprinting every story (~3 KB each in the
    // store) would cost a first cycle of 300,000 items a gigabyte for nothing.
    if !entry.watchlists.is_empty() {
        entry.fingerprint = body_fingerprint(&entry.item, &text, article);
    }
    entry
}

/// [`read_entry`] on the blocking pool (it is CPU work: it must not hold up the runtime's
/// threads), with a panic inside it caught: it becomes this feed's error, never the cycle's,
/// and the feed keeps its row in the report. Parsing is contained the same way
/// ([`parse_in_worker`]); the article fetches between the two are I/O.
async fn read_in_worker(
    watch: Arc<WatchSet>,
    entry: Entry,
    article: Option<String>,
) -> Result<Entry, String> {
    let title = entry.item.title.clone();
    tokio::task::spawn_blocking(move || {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            read_entry(&watch, entry, article.as_deref())
        }))
        .map_err(|panic| {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic".to_string());
            error!(entry = %title, panic = %why, "reading an entry failed (a bug: please report it with the feed)");
            format!("reading the entry {title:?} failed inside newswatch ({why})")
        })
    })
    .await
    .unwrap_or_else(|e| Err(format!("the entry reader stopped: {e}")))
}

/// Fault injection for the tests that prove a panic in an entry's reading stays that feed's
/// error: in debug builds only, an entry whose title contains the text of the environment
/// variable `NEWSWATCH_TEST_PANIC_ON_TITLE` panics. Release builds compile it out.
mod fault {
    #[cfg(debug_assertions)]
    pub fn panic_if_asked(title: &str) {
        static NEEDLE: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
        let needle = NEEDLE.get_or_init(|| {
            std::env::var("NEWSWATCH_TEST_PANIC_ON_TITLE")
                .ok()
                .filter(|s| !s.is_empty())
        });
        if let Some(n) = needle {
            if title.contains(n.as_str()) {
                panic!("fault injected for a test (NEWSWATCH_TEST_PANIC_ON_TITLE)");
            }
        }
    }

    #[cfg(not(debug_assertions))]
    pub fn panic_if_asked(_title: &str) {}
}

/// Follow the feed links an HTML page announced: the first that parses wins. They are
/// what a page says, so they reach only what the feed may (`reach`).
async fn discover(
    ctx: &Context,
    feed: &FeedConfig,
    links: &[String],
    reach: Reach,
) -> Option<(String, ParsedFeed, crate::fetch::Validators)> {
    for link in links.iter().take(3) {
        match ctx.fetcher.fetch(link, None, reach).await {
            Ok(FetchOutcome::Fetched(f)) => {
                let validators = f.validators.clone();
                match parse_in_worker(feed, f).await {
                    Ok(parsed) => return Some((link.clone(), parsed, validators)),
                    Err(ParseFailure::NotAFeed { message, .. } | ParseFailure::Other(message)) => {
                        debug!(feed = %feed.url, link, error = %message, "announced feed unreadable");
                    }
                }
            }
            Ok(FetchOutcome::NotModified) => {}
            Err(e @ FetchError::Forbidden(_)) => {
                warn!(feed = %feed.url, link, error = %e, "announced feed refused");
            }
            Err(e) => debug!(feed = %feed.url, link, error = %e, "announced feed unreachable"),
        }
    }
    None
}

/// Fetch an article page and extract its text; None (logged) when anything fails. The link
/// is what a feed said: it reaches only what `reach` allows.
async fn fetch_article(fetcher: &Fetcher, url: &str, reach: Reach) -> Option<String> {
    match fetcher.fetch(url, None, reach).await {
        Ok(FetchOutcome::Fetched(page)) => {
            let body = tokio::task::spawn_blocking(move || {
                let html =
                    crate::sources::charset::decode_html(&page.body, page.content_type.as_deref());
                crate::transforms::extract::extract_article(&html, Some(&page.final_url)).body
            })
            .await
            .ok()?;
            (!body.trim().is_empty()).then_some(body)
        }
        Ok(FetchOutcome::NotModified) => None,
        Err(e @ FetchError::Forbidden(_)) => {
            warn!(url, error = %e, "article link refused");
            None
        }
        Err(e) => {
            debug!(url, error = %e, "article fetch failed");
            None
        }
    }
}

async fn process_feed(
    ctx: Arc<Context>,
    watch: Arc<WatchSet>,
    feed: FeedConfig,
    state: Option<FeedState>,
    now: DateTime<Utc>,
) -> FeedOutcome {
    let mut out = FeedOutcome::for_feed(&feed);
    // A feed URL that answered with an HTML page announcing a feed is polled at the feed
    // it announced from then on (kept in the feed's state, shown by `feeds`).
    let fetch_url = state
        .as_ref()
        .and_then(|s| s.discovered_url.clone())
        .filter(|_| feed.kind == FeedKind::Feed)
        .unwrap_or_else(|| feed.url.clone());
    let validators = state.as_ref().map(|s| s.validators.clone());
    // What the feed says may reach inside only if the configured URL is inside; a feed
    // URL the page announced is something the feed said, not the config.
    let internal = ctx.fetcher.feed_is_internal(&feed.url).await;
    let reach = if fetch_url == feed.url {
        Reach::configured_feed(internal)
    } else {
        Reach::said_by_feed(internal)
    };
    let said = Reach::said_by_feed(internal);
    let fetched = match ctx
        .fetcher
        .fetch(&fetch_url, validators.as_ref(), reach)
        .await
    {
        Ok(FetchOutcome::NotModified) => return out,
        Ok(FetchOutcome::Fetched(f)) => f,
        Err(e) => {
            out.failure = Some(FailureClass::of(&e));
            if let FetchError::Throttled(_, retry_after) = e {
                out.hints.retry_after_secs = retry_after;
            }
            out.result = Err(e.to_string());
            return out;
        }
    };
    out.validators = Some(fetched.validators.clone());
    out.hints.fresh_secs = fetched.fresh_secs;
    let parsed = match parse_in_worker(&feed, fetched).await {
        Ok(p) => p,
        Err(ParseFailure::NotAFeed {
            message,
            discovered,
        }) => match discover(&ctx, &feed, &discovered, said).await {
            Some((url, parsed, validators)) => {
                info!(feed = %feed.url, discovered = %url, "feed discovered from the page");
                out.discovered_url = Some(url);
                out.validators = Some(validators);
                parsed
            }
            None => {
                out.result = Err(message);
                return out;
            }
        },
        Err(ParseFailure::Other(e)) => {
            out.result = Err(e);
            return out;
        }
    };
    out.feed_title = parsed.title.clone();
    out.items_total = parsed.items.len();
    out.hints.ttl_mins = parsed.ttl_mins;
    let first_poll = state.as_ref().is_none_or(|s| s.last_success.is_none());
    let backfill_cutoff = now - Duration::days(i64::from(ctx.config.fetch.backfill_days));
    let full_text = feed.full_text.unwrap_or(ctx.config.fetch.full_text);

    let seen = match crate::store::contain(|| ctx.store.seen_set(&feed.url)) {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => {
            out.store_error = Some(format!("reading the feed's seen entries: {e:#}"));
            return out;
        }
        Err(panic) => {
            out.store_error = Some(format!("reading the feed's seen entries: {panic}"));
            return out;
        }
    };
    let mut this_doc = std::collections::HashSet::new();
    let mut entries = Vec::new();
    let mut read = 0usize;
    for mut item in parsed.items {
        if item.feed_url.is_empty() {
            item.feed_url = feed.url.clone();
        }
        if item.lang.is_none() {
            item.lang = parsed.lang.clone();
        }
        let keys = ItemKeys::new(item.url.as_deref(), item.guid.as_deref());
        let key = entry_key(&item, &keys);
        // Carried before, or twice in this very document: not new.
        if seen.contains(&key) || !this_doc.insert(key.clone()) {
            continue;
        }
        let backfill_only = first_poll && item.published.is_some_and(|p| p < backfill_cutoff);
        // At most `max_items_per_feed` entries are read per cycle: the others are neither
        // read nor marked seen, so the next cycles read them.
        if !backfill_only && read >= ctx.config.fetch.max_items_per_feed {
            out.held_back += 1;
            continue;
        }
        if !backfill_only {
            read += 1;
        }
        let mut entry = Entry {
            entry_key: key,
            keys,
            item,
            matches: Vec::new(),
            watchlists: Vec::new(),
            claims: Vec::new(),
            fingerprint: None,
            backfill_only,
        };
        if !backfill_only {
            let have = entry
                .item
                .content
                .as_deref()
                .map_or(0, str::len)
                .max(entry.item.summary.as_deref().map_or(0, str::len));
            let want_article = match full_text {
                FullText::Always => true,
                FullText::Never => false,
                FullText::Auto => have < ARTICLE_LENGTH,
            };
            let article = match (&entry.item.url, want_article) {
                (Some(u), true) if u.starts_with("http") || u.starts_with("file:") => {
                    fetch_article(&ctx.fetcher, u, said).await
                }
                _ => None,
            };
            entry = match read_in_worker(watch.clone(), entry, article).await {
                Ok(entry) => entry,
                Err(e) => {
                    // Nothing of this feed is stored (nor marked seen): the next cycle
                    // reads its entries again.
                    out.result = Err(e);
                    return out;
                }
            };
        }
        // The consumer needs the item's identity, not its text: drop the text now.
        entry.item.summary = None;
        entry.item.content = None;
        entries.push(entry);
    }
    if out.held_back > 0 {
        warn!(
            feed = %feed.url,
            read,
            held_back = out.held_back,
            "more new entries than fetch.max_items_per_feed; the rest are read at the next cycles"
        );
    }
    out.result = Ok(Some(entries));
    out.seen = Some(seen);
    out
}

/// Run one poll cycle over every configured feed (`once`, `poll`: a manual run fetches
/// every feed, whatever its next check).
pub async fn poll(ctx: &Arc<Context>, watch: Arc<WatchSet>) -> Result<CycleReport> {
    poll_feeds(ctx, watch, false).await
}

/// The daemon's poll: only the feeds whose next check has come (backoff after failures,
/// freshness hints, a host's `Retry-After`).
pub async fn poll_due(ctx: &Arc<Context>, watch: Arc<WatchSet>) -> Result<CycleReport> {
    poll_feeds(ctx, watch, true).await
}

async fn poll_feeds(
    ctx: &Arc<Context>,
    watch: Arc<WatchSet>,
    only_due: bool,
) -> Result<CycleReport> {
    let started = Utc::now();
    let due = if only_due {
        Some(crate::store::contain(|| due_feeds(ctx, started)).map_err(anyhow::Error::msg)??)
    } else {
        None
    };
    let wanted: Vec<FeedConfig> = ctx
        .config
        .feeds
        .iter()
        .filter(|f| due.as_ref().is_none_or(|d| d.contains(&f.url)))
        .cloned()
        .collect();
    if let Some(d) = &due {
        if d.len() < ctx.config.feeds.len() {
            debug!(
                due = d.len(),
                feeds = ctx.config.feeds.len(),
                "feeds not due yet are left for later"
            );
        }
    }
    let mut leased: Vec<String> = Vec::new();
    let result = poll_leasing(ctx, watch, &wanted, only_due, started, &mut leased).await;
    // Given back once the feeds' states are written (their next check is in them); a
    // failed release only makes another instance wait for the leases to run out.
    if let Err(e) = crate::store::contain(|| ctx.store.release_leases(&leased))
        .map_err(anyhow::Error::msg)
        .and_then(|r| r)
    {
        warn!(error = %format!("{e:#}"), "could not give back the feeds' leases");
    }
    result
}

/// What the feed spawner tells the consumer.
enum FromFeeds {
    /// These feeds are this instance's to poll in this cycle (their leases are taken).
    Leased(Vec<FeedConfig>),
    /// One feed's work.
    Outcome(Box<FeedOutcome>),
    /// The store failed while leasing: the cycle stops.
    StoreFailed(String),
}

/// Poll `wanted`, leasing the feeds a batch at a time as the fetchers get to them: with
/// several instances on one store, each feed is polled by the instance that took its lease
/// (`SKIP LOCKED`: one never waits for another), so instances share a large cycle batch by
/// batch. A feed another instance polled since this one read its state is given back
/// unfetched (the daemon's poll). `leased` gets every lease taken, for the caller to give
/// back.
async fn poll_leasing(
    ctx: &Arc<Context>,
    watch: Arc<WatchSet>,
    wanted: &[FeedConfig],
    only_due: bool,
    started: DateTime<Utc>,
    leased: &mut Vec<String>,
) -> Result<CycleReport> {
    let mut report = CycleReport {
        started_at: started.to_rfc3339(),
        ..Default::default()
    };
    let (tx, mut rx) = tokio::sync::mpsc::channel::<FromFeeds>(64);
    // At most this many feeds are between "started" and "stored": a feed's permit travels
    // with its outcome and is released once the consumer has stored it, so fast fetchers
    // never pile up parsed feeds in memory behind the store.
    let window = ctx.config.fetch.settings.concurrency.max(1) * 2;
    let inflight = Arc::new(tokio::sync::Semaphore::new(window));
    let spawner = {
        let (ctx, watch) = (ctx.clone(), watch.clone());
        let wanted = wanted.to_vec();
        tokio::spawn(async move {
            let mut tasks = tokio::task::JoinSet::new();
            'batches: for batch in wanted.chunks(window) {
                let names: Vec<String> = batch.iter().map(|f| feed_lease(&f.url)).collect();
                let lease = ctx.config.store.lease;
                let taken = match crate::store::contain(|| ctx.store.take_leases(&names, lease))
                    .map_err(anyhow::Error::msg)
                    .and_then(|r| r)
                {
                    Ok(t) => t,
                    Err(e) => {
                        let _ = tx
                            .send(FromFeeds::StoreFailed(format!("leasing feeds: {e:#}")))
                            .await;
                        break;
                    }
                };
                let taken: std::collections::HashSet<String> = taken.into_iter().collect();
                let mine: Vec<FeedConfig> = batch
                    .iter()
                    .filter(|f| taken.contains(&feed_lease(&f.url)))
                    .cloned()
                    .collect();
                if mine.len() < batch.len() {
                    debug!(
                        leased = mine.len(),
                        batch = batch.len(),
                        "feeds another instance is polling are left to it"
                    );
                }
                if tx.send(FromFeeds::Leased(mine.clone())).await.is_err() {
                    break;
                }
                for feed in mine {
                    let Ok(permit) = inflight.clone().acquire_owned().await else {
                        break 'batches;
                    };
                    let (ctx, watch, tx) = (ctx.clone(), watch.clone(), tx.clone());
                    tasks.spawn(async move {
                        let state = crate::store::contain(|| ctx.store.feed_state(&feed.url))
                            .map_err(anyhow::Error::msg)
                            .and_then(|r| r);
                        let mut outcome = match state {
                            // Polled by another instance since this one read the states.
                            Ok(Some(s))
                                if only_due && s.next_check.is_some_and(|t| t > started) =>
                            {
                                FeedOutcome {
                                    not_due: true,
                                    ..FeedOutcome::for_feed(&feed)
                                }
                            }
                            Ok(state) => process_feed(ctx, watch, feed, state, started).await,
                            // A store that cannot be read is the cycle's failure, not the
                            // feed's.
                            Err(e) => FeedOutcome {
                                store_error: Some(format!("reading the feed's state: {e:#}")),
                                ..FeedOutcome::for_feed(&feed)
                            },
                        };
                        outcome.permit = Some(permit);
                        let _ = tx.send(FromFeeds::Outcome(Box::new(outcome))).await;
                    });
                    while let Some(joined) = tasks.try_join_next() {
                        if let Err(e) = joined {
                            warn!(error = %e, "a feed task failed");
                        }
                    }
                }
            }
            while let Some(joined) = tasks.join_next().await {
                if let Err(e) = joined {
                    warn!(error = %e, "a feed task failed");
                }
            }
        })
    };
    // One row per leased feed from the moment it is leased: a feed whose work never reached
    // the consumer (its task died) is still in the report, as an error.
    let mut tally = Tally::default();
    let mut failure = None;
    let hold_all = wanted.len() <= window;
    let mut held: Vec<FeedOutcome> = Vec::new();
    while let Some(message) = rx.recv().await {
        let outcome = match message {
            FromFeeds::Leased(feeds) => {
                tally.polled += feeds.len();
                for f in feeds {
                    leased.push(feed_lease(&f.url));
                    let row = FeedReport {
                        url: f.url.clone(),
                        name: source_name(f.name.as_deref(), None, &f.url),
                        status: FeedStatus::Error,
                        error: Some(NOT_FINISHED.to_string()),
                        ..Default::default()
                    };
                    tally.feed_reports.insert(f.url, row);
                }
                continue;
            }
            FromFeeds::StoreFailed(message) => {
                error!(error = %message, "the store failed; the cycle stops");
                ctx.store.mark_failed();
                failure = Some(StoreFailure { message });
                break;
            }
            FromFeeds::Outcome(outcome) => *outcome,
        };
        // A cycle whose feeds all fit in the window is stored once every feed is in, its
        // feeds in the order of their earliest story: stories from several feeds are then
        // compared in the order they were published (within a feed, see `consume`), not
        // in the order the fetches happened to finish. A larger cycle is stored as it
        // comes, holding no more than the window.
        if hold_all {
            held.push(outcome);
            continue;
        }
        if let Err(f) = store_outcome(ctx, outcome, &mut report, &mut tally) {
            failure = Some(f);
            break;
        }
    }
    if failure.is_none() {
        held.sort_by_key(earliest_story);
        for outcome in held {
            if let Err(f) = store_outcome(ctx, outcome, &mut report, &mut tally) {
                failure = Some(f);
                break;
            }
        }
    }
    let Tally {
        mut feed_reports,
        polled,
        failed,
    } = tally;
    if let Some(failure) = failure {
        rx.close();
        spawner.abort();
        let _ = spawner.await;
        return Err(failure.into());
    }
    if let Err(e) = spawner.await {
        warn!(error = %e, "the feed spawner failed");
    }
    crate::store::contain(|| schedule_failures(ctx, polled, &failed, started))
        .map_err(anyhow::Error::msg)??;
    // Report feeds in config order; one row each, whatever happened to its task.
    for feed in wanted {
        if let Some(fr) = feed_reports.remove(&feed.url) {
            if fr.error.as_deref() == Some(NOT_FINISHED) {
                warn!(feed = %fr.url, "feed failed: its work did not finish");
            }
            report.feeds.push(fr);
        }
    }
    ctx.store.flush()?;
    report.finished_at = Utc::now().to_rfc3339();
    let failing = report
        .feeds
        .iter()
        .filter(|f| f.status == FeedStatus::Error)
        .count();
    info!(
        feeds = report.feeds.len(),
        failing,
        items = report.items.len(),
        claims = report.claims.len(),
        "poll cycle done"
    );
    Ok(report)
}

/// The cycle's account of its feeds while their outcomes are stored.
#[derive(Default)]
struct Tally {
    /// One row per leased feed (`NOT_FINISHED` until its outcome is stored).
    feed_reports: BTreeMap<String, FeedReport>,
    polled: usize,
    failed: Vec<(String, FailureClass, Hints)>,
}

/// When a feed's earliest new story was published (an undated feed last).
fn earliest_story(outcome: &FeedOutcome) -> (bool, Option<DateTime<Utc>>) {
    let earliest = match &outcome.result {
        Ok(Some(entries)) => entries.iter().filter_map(|e| e.item.published).min(),
        _ => None,
    };
    (earliest.is_none(), earliest)
}

/// Store one feed's outcome; a store failure stops the cycle.
fn store_outcome(
    ctx: &Context,
    mut outcome: FeedOutcome,
    report: &mut CycleReport,
    tally: &mut Tally,
) -> std::result::Result<(), StoreFailure> {
    let url = outcome.url.clone();
    if outcome.not_due {
        debug!(feed = %url, "polled by another instance meanwhile; left to the next cycle");
        tally.feed_reports.remove(&url);
        tally.polled = tally.polled.saturating_sub(1);
        return Ok(());
    }
    if outcome.result.is_err() && outcome.store_error.is_none() {
        let class = outcome.failure.unwrap_or(FailureClass::Other);
        tally.failed.push((url.clone(), class, outcome.hints));
    }
    let stored = match outcome.store_error.take() {
        Some(e) => Err(anyhow::anyhow!(e)),
        // A panic inside the store is the store's failure too, never an abort.
        None => crate::store::contain(|| consume(ctx, outcome, report))
            .unwrap_or_else(|panic| Err(anyhow::anyhow!(panic))),
    };
    match stored {
        Ok(fr) => {
            tally.feed_reports.insert(url, fr);
            Ok(())
        }
        Err(e) => {
            // Every write from here on could land in a damaged store: the cycle
            // stops, and no feed is blamed for it.
            let message = format!("{e:#}")
                .replace(&format!("; {RECOVERY_HINT}"), "")
                .replace(" backtrace ()", "");
            error!(feed = %url, error = %message, "the store failed; the cycle stops");
            ctx.store.mark_failed();
            Err(StoreFailure {
                message: format!("while storing the items of {url}: {message}"),
            })
        }
    }
}

/// Store one feed's outcome (sequential: dedup sees every earlier entry of the cycle).
fn consume(ctx: &Context, outcome: FeedOutcome, report: &mut CycleReport) -> Result<FeedReport> {
    let store = &*ctx.store;
    let now = Utc::now();
    // The title and fingerprint tiers forget stories older than their window.
    store.prune_dedup(now - Duration::days(crate::store::DEDUP_RETENTION_DAYS))?;
    let mut state = store
        .feed_state(&outcome.url)?
        .unwrap_or_else(|| FeedState {
            url: outcome.url.clone(),
            ..Default::default()
        });
    let source = source_name(
        outcome.config_name.as_deref(),
        outcome.feed_title.as_deref().or(state.name.as_deref()),
        &outcome.url,
    );
    state.name = Some(source.clone());
    state.last_attempt = Some(now);
    let mut fr = FeedReport {
        url: outcome.url.clone(),
        name: source.clone(),
        items_total: outcome.items_total,
        items_held_back: outcome.held_back,
        ..Default::default()
    };
    let entries = match outcome.result {
        Err(e) => {
            warn!(feed = %outcome.url, error = %e, "feed failed");
            state.consecutive_failures += 1;
            if state.failing_since.is_none() {
                state.failing_since = Some(now);
            }
            state.last_error = Some(e.clone());
            store.put_feed_state(&state)?;
            fr.status = FeedStatus::Error;
            fr.error = Some(e);
            return Ok(fr);
        }
        Ok(None) => {
            fr.status = FeedStatus::NotModified;
            state.last_success = Some(now);
            state.consecutive_failures = 0;
            state.failing_since = None;
            state.last_error = None;
            recovered(&mut state, outcome.hints, ctx, now, false);
            store.put_feed_state(&state)?;
            return Ok(fr);
        }
        Ok(Some(entries)) => entries,
    };
    // Stored (and their claims compared) oldest first, whatever order the feed lists them
    // in (most list the newest first): a later story's figure then updates or contradicts
    // the earlier one, and the first copy of a story is its earliest. Undated entries keep
    // their place among themselves, after the dated ones (taken to be later, as `compare`
    // takes a story without a date).
    let mut entries = entries;
    entries.sort_by_key(|e| (e.item.published.is_none(), e.item.published));
    fr.status = FeedStatus::Ok;
    if let Some(v) = outcome.validators {
        state.validators = v;
    }
    if let Some(d) = outcome.discovered_url {
        state.discovered_url = Some(d);
    }
    // Read by the feed task; read again only if it is somehow missing.
    let mut seen = match outcome.seen {
        Some(seen) => seen,
        None => store.seen_set(&outcome.url)?,
    };
    // One question for the lookups of the new entries no watchlist wants (most of a feed's:
    // they only look for a known story they copy), instead of a round trip each over a
    // network store. A matched entry asks its own, after the entries before it are
    // written, and once an entry has written to the dedup tiers the rest ask their own too.
    let mut prefetched: Vec<Option<StoryLookup>> = {
        let wanted: Vec<(usize, String, Vec<String>, Option<String>)> = entries
            .iter()
            .enumerate()
            .filter(|(_, e)| !e.backfill_only && e.watchlists.is_empty())
            .map(|(i, e)| {
                let keys = index_keys(&e.keys);
                (i, story_id(e), keys, dedup::title_tier_key(&e.item.title))
            })
            .collect();
        let queries: Vec<StoryQuery> = wanted
            .iter()
            .map(|(i, id, keys, title)| StoryQuery {
                id,
                index_keys: keys,
                title_key: title.as_deref(),
                fingerprint: entries.get(*i).and_then(|e| e.fingerprint.as_ref()),
            })
            .collect();
        let mut out: Vec<Option<StoryLookup>> = vec![None; entries.len()];
        for ((i, ..), found) in wanted.iter().zip(store.story_lookups(&queries)?) {
            if let Some(slot) = out.get_mut(*i) {
                *slot = Some(found);
            }
        }
        out
    };
    let mut tiers_written = false;
    for (i, entry) in entries.into_iter().enumerate() {
        state.items_seen += 1;
        let found = prefetched
            .get_mut(i)
            .and_then(Option::take)
            .filter(|_| !tiers_written);
        if entry.backfill_only {
            fr.items_backfilled += 1;
            // Known from now on, so a later copy elsewhere is a duplicate, not news.
            let write = StoryWrite {
                index: entry.keys.id().map(|id| (index_keys(&entry.keys), id)),
                entry_key: entry.entry_key,
                ..Default::default()
            };
            // A copy's index writes never lose a race (a key already taken keeps its story).
            store.commit_story(&write, &mut seen)?;
        } else {
            fr.items_new += 1;
            tiers_written |= store_entry(ctx, &source, entry, found, &mut seen, now, report)?;
        }
    }
    // Written once its entries are stored: a stop before this re-reads them next cycle,
    // where the URL/guid tier knows them (reported at worst as copies, never lost).
    store.put_seen_set(&outcome.url, &mut seen, outcome.items_total)?;
    state.last_success = Some(now);
    state.consecutive_failures = 0;
    state.failing_since = None;
    state.last_error = None;
    recovered(
        &mut state,
        outcome.hints,
        ctx,
        now,
        fr.items_new + fr.items_backfilled > 0,
    );
    store.put_feed_state(&state)?;
    Ok(fr)
}

/// A feed that answered: its backoff ends, its next check follows its freshness hints,
/// and it is no longer silent if it carried something new.
fn recovered(state: &mut FeedState, hints: Hints, ctx: &Context, now: DateTime<Utc>, new: bool) {
    state.backoff_failures = 0;
    state.host_hold_until = None;
    state.next_check = schedule_state::after_success(now, hints, ctx.config.fetch.retry);
    if new || state.last_new_entry.is_none() {
        state.last_new_entry = Some(now);
    }
}

/// After a cycle: the failed feeds' next checks. When every feed attempted failed to
/// connect, the network is down and no feed is penalised (checked again at the next poll).
fn schedule_failures(
    ctx: &Context,
    attempted: usize,
    failed: &[(String, FailureClass, Hints)],
    now: DateTime<Utc>,
) -> Result<()> {
    let connect = failed
        .iter()
        .filter(|(_, c, _)| *c == FailureClass::Connect)
        .count();
    let down = schedule_state::network_down(attempted, connect, failed.len());
    if down {
        warn!(
            feeds = attempted,
            "every feed failed to connect: the network looks down; no feed is backed off"
        );
    }
    for (url, class, hints) in failed {
        let Some(mut state) = ctx.store.feed_state(url)? else {
            continue;
        };
        if down {
            state.next_check = None;
        } else {
            state.backoff_failures = state.backoff_failures.saturating_add(1);
            let jitter = schedule_state::jitter_for(url, state.backoff_failures, now);
            let next = schedule_state::after_failure(
                now,
                state.backoff_failures,
                *hints,
                ctx.config.fetch.retry,
                jitter,
            );
            state.next_check = Some(next);
            if let FailureClass::Throttled(Some(_)) = class {
                state.host_hold_until = Some(next);
            }
            debug!(feed = %url, next_check = %next.to_rfc3339(), failures = state.backoff_failures, "feed backed off");
        }
        ctx.store.put_feed_state(&state)?;
    }
    Ok(())
}

/// Which configured feeds the daemon fetches at `now`: those whose next check has come,
/// on a host no 429/503 holds. Read by key, one record per feed.
fn due_feeds(ctx: &Context, now: DateTime<Utc>) -> Result<std::collections::HashSet<String>> {
    let host = |url: &str| {
        url::Url::parse(url).ok().map(|u| {
            format!(
                "{}:{}",
                u.host_str().unwrap_or(""),
                u.port_or_known_default().unwrap_or(0)
            )
        })
    };
    // One read of every state (one question for a network backend), not one per feed.
    let mut all: std::collections::HashMap<String, FeedState> = ctx
        .store
        .all_feed_states()?
        .into_iter()
        .map(|s| (s.url.clone(), s))
        .collect();
    let states: Vec<(String, Option<FeedState>)> = ctx
        .config
        .feeds
        .iter()
        .map(|f| (f.url.clone(), all.remove(&f.url)))
        .collect();
    let mut held: BTreeMap<String, DateTime<Utc>> = BTreeMap::new();
    for (url, s) in &states {
        if let (Some(h), Some(until)) = (host(url), s.as_ref().and_then(|s| s.host_hold_until)) {
            if until > now {
                let e = held.entry(h).or_insert(until);
                *e = (*e).max(until);
            }
        }
    }
    Ok(states
        .into_iter()
        .filter(|(url, s)| {
            let own = s
                .as_ref()
                .and_then(|s| s.next_check)
                .is_none_or(|t| t <= now);
            let host_free = host(url).is_none_or(|h| !held.contains_key(&h));
            own && host_free
        })
        .map(|(url, _)| url)
        .collect())
}

pub(super) fn index_keys(keys: &ItemKeys) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(u) = &keys.url {
        out.push(format!("u:{u}"));
    }
    if let Some(g) = &keys.guid {
        out.push(format!("g:{g}"));
    }
    out
}

/// The first copy of a story, as a dedup tier found it.
struct FirstCopy {
    id: String,
    /// Its URL, when the tier knows it (the title and fingerprint tiers do).
    url: Option<String>,
    tier: &'static str,
}

/// The dedup tiers, cheapest first: canonical URL or guid, the normalised title within its
/// window, the body fingerprint. Every read is by key.
/// `FirstCopy::tier` of a story this very feed entry already stored.
const ALREADY_STORED: &str = "already stored";

fn first_copy(
    found: &StoryLookup,
    id: &str,
    appeared: DateTime<Utc>,
    entry: &Entry,
) -> Option<FirstCopy> {
    if let Some(first) = &found.by_key {
        // Its own id: this story was indexed by a cycle that stopped before the feed's seen
        // set was written. It is a copy only of what another feed stored under that URL.
        let own = if first == id {
            found.own_item.as_ref()
        } else {
            None
        };
        match own {
            // Fully stored then (the item is written last): nothing to do again.
            Some(it) if it.feed_url == entry.item.feed_url => {
                return Some(FirstCopy {
                    id: first.clone(),
                    url: None,
                    tier: ALREADY_STORED,
                })
            }
            // Indexed but not stored before the stop: store it now.
            None if first == id => {}
            _ => {
                return Some(FirstCopy {
                    id: first.clone(),
                    url: None,
                    tier: "url",
                })
            }
        }
    }
    if let Some((rec, its_fingerprint)) = &found.by_title {
        // A headline alone never makes a copy: when both have bodies, the bodies must
        // agree too. A title-only item (no body to compare) still matches by title.
        let disagree = match (&entry.fingerprint, its_fingerprint) {
            (Some(a), Some(b)) => !a.similarity(b).confirms_title(),
            _ => false,
        };
        if rec.id != id && dedup::within_title_window(rec.at, appeared) && !disagree {
            return Some(FirstCopy {
                id: rec.id.clone(),
                url: Some(rec.url.clone()),
                tier: "title",
            });
        }
    }
    if let Some(fp) = &entry.fingerprint {
        let best = found
            .fingerprint_hits
            .iter()
            .filter(|hit| hit.id != id)
            .map(|hit| (fp.similarity(&hit.fingerprint), hit))
            .filter(|(s, _)| s.is_duplicate())
            .max_by(|(a, _), (b, _)| a.jaccard.total_cmp(&b.jaccard));
        if let Some((_, hit)) = best {
            return Some(FirstCopy {
                id: hit.id.clone(),
                url: Some(hit.url.clone()),
                tier: "fingerprint",
            });
        }
    }
    None
}

/// How many times a story that lost the race for its keys to another instance is looked
/// up again (the second lookup finds the winner: it is a copy then).
const STORE_ATTEMPTS: usize = 3;

/// Dedup one new entry against every story known, store it if it matched, read its claims:
/// one lookup for every dedup tier, then one unit of writes that also marks it in `seen`.
/// Returns whether it wrote to the dedup tiers (a later entry's lookup may see it).
/// `found`: its lookup, when the caller asked it already.
fn store_entry(
    ctx: &Context,
    source: &str,
    entry: Entry,
    mut found: Option<StoryLookup>,
    seen: &mut SeenSet,
    now: DateTime<Utc>,
    report: &mut CycleReport,
) -> Result<bool> {
    for attempt in 1..=STORE_ATTEMPTS {
        match store_entry_once(ctx, source, &entry, found.take(), seen, now, report)? {
            (Committed::Stored, tiers) => return Ok(tiers),
            (Committed::LostRace, _) => debug!(
                url = ?entry.item.url,
                attempt,
                "another instance stored this story first; looking it up again"
            ),
        }
    }
    // Not marked seen: the next cycle reads it again (a copy by then). Never the cycle's
    // failure: the store works, another instance is only busy with the same story.
    warn!(
        url = ?entry.item.url,
        attempts = STORE_ATTEMPTS,
        "another instance kept taking this story's keys; left for the next cycle"
    );
    Ok(false)
}

/// A story's id: its URL/guid id, else one from its feed and its key there.
fn story_id(entry: &Entry) -> String {
    entry.keys.id().unwrap_or_else(|| {
        crate::transforms::dedup::stable_id(&format!("{}|{}", entry.item.feed_url, entry.entry_key))
    })
}

/// `commit_story`, saying also whether the write touched the dedup tiers.
fn commit(
    store: &dyn StoreBackend,
    write: &StoryWrite,
    seen: &mut SeenSet,
) -> Result<(Committed, bool)> {
    let tiers = write.index.is_some() || write.title.is_some() || write.fingerprint.is_some();
    Ok((store.commit_story(write, seen)?, tiers))
}

fn store_entry_once(
    ctx: &Context,
    source: &str,
    entry: &Entry,
    found: Option<StoryLookup>,
    seen: &mut SeenSet,
    now: DateTime<Utc>,
    report: &mut CycleReport,
) -> Result<(Committed, bool)> {
    let store = &*ctx.store;
    let ikeys = index_keys(&entry.keys);
    let mut write = StoryWrite {
        entry_key: entry.entry_key.clone(),
        ..Default::default()
    };
    let id = story_id(entry);
    let url = entry.item.url.clone().unwrap_or_default();
    let mut entities: Vec<String> = entry.matches.iter().map(|m| m.entity.clone()).collect();
    entities.sort();
    entities.dedup();

    let title_key = dedup::title_tier_key(&entry.item.title);
    let appeared = entry.item.published.unwrap_or(now);
    let found = match found {
        Some(f) => f,
        None => store.story_lookup(&StoryQuery {
            id: &id,
            index_keys: &ikeys,
            title_key: title_key.as_deref(),
            fingerprint: entry.fingerprint.as_ref(),
        })?,
    };
    let first = first_copy(&found, &id, appeared, entry);
    if first.as_ref().is_some_and(|f| f.tier == ALREADY_STORED) {
        return commit(store, &write, seen);
    }
    if let Some(first) = first {
        // Another copy of a story already known.
        let first_item = store.item(&first.id)?;
        let first_url = first_item
            .as_ref()
            .map(|i| i.url.clone())
            .or(first.url)
            .unwrap_or_else(|| entry.keys.url.clone().unwrap_or_default());
        if let Some(mut first_item) = first_item.clone() {
            if first_item.url != url && !first_item.also_reported_by.iter().any(|(_, u)| u == &url)
            {
                first_item
                    .also_reported_by
                    .push((source.to_string(), url.clone()));
                write.item = Some(first_item);
            }
        }
        if first_item.is_some() || !entry.watchlists.is_empty() {
            debug!(url = %url, first = %first_url, tier = first.tier, "duplicate");
            report.items.push(ItemReport {
                id: id.clone(),
                url,
                title: entry.item.title.clone(),
                feed: entry.item.feed_url.clone(),
                published: entry.item.published.map(|p| p.to_rfc3339()),
                watchlists: entry.watchlists.clone(),
                entities,
                duplicate_of: Some(first_url.clone()),
            });
        }
        write.index = Some((ikeys, first.id.clone()));
        // A changed headline names the story too: a third copy under it is found by title.
        if let Some(tk) = &title_key {
            let free = found
                .by_title
                .as_ref()
                .is_none_or(|(r, _)| !dedup::within_title_window(r.at, appeared));
            if free {
                write.title = Some((
                    tk.clone(),
                    TitleRecord {
                        id: first.id.clone(),
                        url: first_url,
                        at: appeared,
                    },
                ));
                // Pruned with the copy's time, like every title entry.
                write.dedup_time = Some((id.clone(), Some(tk.clone()), now));
            }
        }
        // The copy's claims are not stored: a syndicated copy never corroborates itself.
        return commit(store, &write, seen);
    }
    if entry.watchlists.is_empty() {
        // A story no watchlist wants enters no dedup tier: its feed's seen set already keeps
        // it from being new again there, and indexing every story of every feed (two keys
        // each) would be most of a large cycle's store writes. A later copy that does match
        // is then a story of its own — the same trade as the fingerprint tier's.
        return commit(store, &write, seen);
    }
    // A matched story enters every dedup tier, so a later copy under the same URL or guid,
    // the same title or the same text is recognised.
    write.index = Some((ikeys, id.clone()));
    if let Some(tk) = &title_key {
        write.title = Some((
            tk.clone(),
            TitleRecord {
                id: id.clone(),
                url: url.clone(),
                at: appeared,
            },
        ));
    }
    match &entry.fingerprint {
        Some(fp) => {
            write.fingerprint = Some(FingerprintEntry {
                id: id.clone(),
                url: url.clone(),
                fingerprint: fp.clone(),
                title_key: title_key.clone(),
                at: now,
            })
        }
        None if title_key.is_some() => write.dedup_time = Some((id.clone(), title_key, now)),
        None => {}
    }

    let mut stored = StoredItem {
        id: id.clone(),
        url: url.clone(),
        title: entry.item.title.clone(),
        feed_url: entry.item.feed_url.clone(),
        source: source.to_string(),
        published: entry.item.published,
        first_seen: now,
        watchlists: entry.watchlists.clone(),
        entities: entities.clone(),
        claim_keys: Vec::new(),
        also_reported_by: Vec::new(),
    };
    // Each claim is compared with the stored ones and with this story's earlier ones, under
    // a lock on its subjects held until the story is written: another instance storing
    // claims about the same subject waits, then sees these.
    let claims = distinct_claims(entry.claims.clone());
    let mut subjects: Vec<String> = claims.iter().map(|c| c.subject.clone()).collect();
    subjects.sort();
    subjects.dedup();
    let _claims_lock = if subjects.is_empty() {
        ClaimLock::none()
    } else {
        store.lock_claim_subjects(&subjects)?
    };
    let mut claims_view = StoryClaims::new(store);
    for claim in claims {
        let named = claim_entities(&claim, &entry.matches);
        let (key, rec) = decide_claim(&claims_view, claim, &stored, &named, now)?;
        stored.claim_keys.push(key.clone());
        claims_view.decided.push((key, rec));
        relate_by_yardstick(&mut claims_view, &stored)?;
    }
    write.claims = claims_view.decided;
    // Pending before the item: a stop in between leaves a pending id without its item,
    // which the digest skips and the next cycle stores again; never an item nobody mails.
    write.pending = Some(id.clone());
    write.item = Some(stored);
    if store.commit_story(&write, seen)? == Committed::LostRace {
        return Ok((Committed::LostRace, false));
    }
    let Some(stored) = write.item else {
        return Ok((Committed::Stored, true));
    };
    for (_, rec) in &write.claims {
        report.claims.push(claim_report(store, rec, &stored.url)?);
    }
    report.items.push(ItemReport {
        id,
        url,
        title: stored.title.clone(),
        feed: stored.feed_url.clone(),
        published: stored.published.map(|p| p.to_rfc3339()),
        watchlists: stored.watchlists.clone(),
        entities,
        duplicate_of: None,
    });
    Ok((Committed::Stored, true))
}
