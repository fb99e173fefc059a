//! One poll cycle: fetch → sources → transforms → store → cycle report; and the digest:
//! pending stories → rendered digest → written to the store → sent.
//!
//! Feeds are processed concurrently (bounded by the fetcher); each feed task does its own
//! fetching, parsing, extraction, matching and claim reading, then hands small results to
//! one consumer that does dedup and store writes in order, so "earlier in this cycle" is
//! well defined. No task keeps a page after it has been read.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use anyhow::{Context as _, Result};
use chrono::{DateTime, Duration, Utc};
use tracing::{debug, info, warn};

use crate::config::{Config, FeedConfig, FeedKind, FullText};
use crate::fetch::{FetchOutcome, Fetched, Fetcher};
use crate::model::{Claim, ClaimStatus, EntityMatch, Item, ParsedFeed, StoredClaim};
use crate::report::{
    ClaimReport, CycleReport, DigestReport, FeedReport, ItemReport, RelatedReport,
};
use crate::sinks::digest::{self as digest_sink, Digest, DigestClaim, DigestGroup, DigestStory};
use crate::sinks::mail::{Envelope, Mailer};
use crate::sources::feed::SourceError;
use crate::sources::html::ListSelectors;
use crate::store::{
    ClaimRecord, DigestRecord, DigestState, FeedState, Store, StoredItem, TitleRecord,
};
use crate::transforms::fingerprint::{self, Fingerprint};
use crate::transforms::{claims, dedup, dedup::ItemKeys};
use crate::watchlist::WatchSet;

/// Below this many characters of summary/content, `full_text = auto` fetches the article.
const ARTICLE_LENGTH: usize = 600;

/// How many stored claims of one key (the newest) a new claim is compared with.
const COMPARE_WITH: usize = 64;

/// How many related claims a stored claim keeps links to.
const MAX_RELATED_STORED: usize = 12;

/// Stored claims shown beside a digest claim; the rest are counted.
const MAX_RELATED_SHOWN: usize = 4;

/// What a cycle needs from the outside world.
pub struct Context {
    pub config: Config,
    pub store: Arc<Store>,
    pub fetcher: Arc<Fetcher>,
}

impl Context {
    pub fn new(config: Config, store: Store) -> Result<Context> {
        let fetcher = Fetcher::new(&config.fetch.settings).context("building the HTTP client")?;
        Ok(Context {
            config,
            store: Arc::new(store),
            fetcher: Arc::new(fetcher),
        })
    }
}

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
/// headline has the same body. None when the body is too short to fingerprint.
pub fn body_fingerprint(item: &Item, text: &str) -> Option<Fingerprint> {
    let body = text.strip_prefix(item.title.as_str()).unwrap_or(text);
    fingerprint::fingerprint(body)
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

/// Follow the feed links an HTML page announced: the first that parses wins.
async fn discover(
    ctx: &Context,
    feed: &FeedConfig,
    links: &[String],
) -> Option<(String, ParsedFeed, crate::fetch::Validators)> {
    for link in links.iter().take(3) {
        match ctx.fetcher.fetch(link, None).await {
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
            Err(e) => debug!(feed = %feed.url, link, error = %e, "announced feed unreachable"),
        }
    }
    None
}

/// Fetch an article page and extract its text; None (logged) when anything fails.
async fn fetch_article(fetcher: &Fetcher, url: &str) -> Option<String> {
    match fetcher.fetch(url, None).await {
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
    let mut out = FeedOutcome {
        config_name: feed.name.clone(),
        url: feed.url.clone(),
        feed_title: None,
        result: Ok(None),
        items_total: 0,
        validators: None,
        discovered_url: None,
        permit: None,
    };
    // A feed URL that answered with an HTML page announcing a feed is polled at the feed
    // it announced from then on (kept in the feed's state, shown by `feeds`).
    let fetch_url = state
        .as_ref()
        .and_then(|s| s.discovered_url.clone())
        .filter(|_| feed.kind == FeedKind::Feed)
        .unwrap_or_else(|| feed.url.clone());
    let validators = state.as_ref().map(|s| s.validators.clone());
    let fetched = match ctx.fetcher.fetch(&fetch_url, validators.as_ref()).await {
        Ok(FetchOutcome::NotModified) => return out,
        Ok(FetchOutcome::Fetched(f)) => f,
        Err(e) => {
            out.result = Err(e.to_string());
            return out;
        }
    };
    out.validators = Some(fetched.validators.clone());
    let parsed = match parse_in_worker(&feed, fetched).await {
        Ok(p) => p,
        Err(ParseFailure::NotAFeed {
            message,
            discovered,
        }) => match discover(&ctx, &feed, &discovered).await {
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
    let first_poll = state.as_ref().is_none_or(|s| s.last_success.is_none());
    let backfill_cutoff = now - Duration::days(i64::from(ctx.config.fetch.backfill_days));
    let full_text = feed.full_text.unwrap_or(ctx.config.fetch.full_text);

    let mut entries = Vec::new();
    for mut item in parsed.items {
        if item.feed_url.is_empty() {
            item.feed_url = feed.url.clone();
        }
        if item.lang.is_none() {
            item.lang = parsed.lang.clone();
        }
        let keys = ItemKeys::new(item.url.as_deref(), item.guid.as_deref());
        let key = entry_key(&item, &keys);
        match ctx.store.feed_has_seen(&feed.url, &key) {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => {
                warn!(feed = %feed.url, error = %format!("{e:#}"), "store read failed");
                continue;
            }
        }
        let backfill_only = first_poll && item.published.is_some_and(|p| p < backfill_cutoff);
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
                    fetch_article(&ctx.fetcher, u).await
                }
                _ => None,
            };
            let text = item_text(&entry.item, article.as_deref());
            let (m, w, c) = analyse(&watch, &entry.item, &text);
            entry.matches = m;
            entry.watchlists = w;
            entry.claims = c;
            // Only stories that matched enter the title and fingerprint tiers: they are the
            // ones a digest would show twice. Fingerprinting every story (~3 KB each in the
            // store) would cost a first cycle of 300,000 items a gigabyte for nothing.
            if !entry.watchlists.is_empty() {
                entry.fingerprint = body_fingerprint(&entry.item, &text);
            }
        }
        // The consumer needs the item's identity, not its text: drop the text now.
        entry.item.summary = None;
        entry.item.content = None;
        entries.push(entry);
    }
    out.result = Ok(Some(entries));
    out
}

/// Run one poll cycle over every configured feed.
pub async fn poll(ctx: &Arc<Context>, watch: Arc<WatchSet>) -> Result<CycleReport> {
    let started = Utc::now();
    let mut report = CycleReport {
        started_at: started.to_rfc3339(),
        ..Default::default()
    };
    let (tx, mut rx) = tokio::sync::mpsc::channel::<FeedOutcome>(64);
    // At most this many feeds are between "started" and "stored": a feed's permit travels
    // with its outcome and is released once the consumer has stored it, so fast fetchers
    // never pile up parsed feeds in memory behind the store.
    let inflight = Arc::new(tokio::sync::Semaphore::new(
        ctx.config.fetch.settings.concurrency.max(1) * 2,
    ));
    let spawner = {
        let (ctx, watch) = (ctx.clone(), watch.clone());
        tokio::spawn(async move {
            let mut tasks = tokio::task::JoinSet::new();
            for feed in ctx.config.feeds.clone() {
                let Ok(permit) = inflight.clone().acquire_owned().await else {
                    break;
                };
                let (ctx, watch, tx) = (ctx.clone(), watch.clone(), tx.clone());
                tasks.spawn(async move {
                    let state = ctx.store.feed_state(&feed.url).unwrap_or_else(|e| {
                        warn!(feed = %feed.url, error = %format!("{e:#}"), "feed state unreadable; polling as new");
                        None
                    });
                    let mut outcome = process_feed(ctx, watch, feed, state, started).await;
                    outcome.permit = Some(permit);
                    let _ = tx.send(outcome).await;
                });
                while let Some(joined) = tasks.try_join_next() {
                    if let Err(e) = joined {
                        warn!(error = %e, "a feed task failed");
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
    let mut feed_reports = BTreeMap::new();
    let mut seen_this_cycle = HashSet::new();
    while let Some(outcome) = rx.recv().await {
        let url = outcome.url.clone();
        match consume(ctx, &watch, outcome, &mut report, &mut seen_this_cycle) {
            Ok(fr) => {
                feed_reports.insert(url, fr);
            }
            Err(e) => {
                warn!(feed = %url, error = %format!("{e:#}"), "storing the feed's items failed");
                feed_reports.insert(
                    url.clone(),
                    FeedReport {
                        url,
                        status: "error".into(),
                        error: Some(format!("store: {e:#}")),
                        ..Default::default()
                    },
                );
            }
        }
    }
    if let Err(e) = spawner.await {
        warn!(error = %e, "the feed spawner failed");
    }
    // Report feeds in config order.
    for feed in &ctx.config.feeds {
        if let Some(fr) = feed_reports.remove(&feed.url) {
            report.feeds.push(fr);
        }
    }
    ctx.store.flush()?;
    report.finished_at = Utc::now().to_rfc3339();
    let failing = report.feeds.iter().filter(|f| f.status == "error").count();
    info!(
        feeds = report.feeds.len(),
        failing,
        items = report.items.len(),
        claims = report.claims.len(),
        "poll cycle done"
    );
    Ok(report)
}

/// Store one feed's outcome (sequential: dedup sees every earlier entry of the cycle).
fn consume(
    ctx: &Context,
    watch: &WatchSet,
    outcome: FeedOutcome,
    report: &mut CycleReport,
    _seen: &mut HashSet<String>,
) -> Result<FeedReport> {
    let store = &ctx.store;
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
            fr.status = "error".into();
            fr.error = Some(e);
            return Ok(fr);
        }
        Ok(None) => {
            fr.status = "not_modified".into();
            state.last_success = Some(now);
            state.consecutive_failures = 0;
            state.failing_since = None;
            state.last_error = None;
            store.put_feed_state(&state)?;
            return Ok(fr);
        }
        Ok(Some(entries)) => entries,
    };
    fr.status = "ok".into();
    if let Some(v) = outcome.validators {
        state.validators = v;
    }
    if let Some(d) = outcome.discovered_url {
        state.discovered_url = Some(d);
    }
    for entry in entries {
        state.items_seen += 1;
        let (feed_url, key) = (outcome.url.clone(), entry.entry_key.clone());
        if entry.backfill_only {
            fr.items_backfilled += 1;
            // Known from now on, so a later copy elsewhere is a duplicate, not news.
            if let Some(id) = entry.keys.id() {
                store.index_story(&index_keys(&entry.keys), &id)?;
            }
        } else {
            fr.items_new += 1;
            store_entry(ctx, watch, &source, entry, now, report)?;
        }
        // Marked seen only once stored: a stop between the two re-reads it, never loses it.
        store.mark_feed_seen(&feed_url, &key, now)?;
    }
    state.last_success = Some(now);
    state.consecutive_failures = 0;
    state.failing_since = None;
    state.last_error = None;
    store.put_feed_state(&state)?;
    Ok(fr)
}

fn index_keys(keys: &ItemKeys) -> Vec<String> {
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
fn first_copy(
    store: &Store,
    ikeys: &[String],
    id: &str,
    title_key: Option<&str>,
    appeared: DateTime<Utc>,
    entry: &Entry,
) -> Result<Option<FirstCopy>> {
    if let Some(first) = store.story_for(ikeys)? {
        return Ok(Some(FirstCopy {
            id: first,
            url: None,
            tier: "url",
        }));
    }
    if let Some(tk) = title_key {
        if let Some(rec) = store.title_story(tk)? {
            let disagree = match (&entry.fingerprint, store.fingerprint_of(&rec.id)?) {
                (Some(a), Some((_, b))) => a.similarity(&b).contradicts_title(),
                _ => false,
            };
            if rec.id != id && dedup::within_title_window(rec.at, appeared) && !disagree {
                return Ok(Some(FirstCopy {
                    id: rec.id,
                    url: Some(rec.url),
                    tier: "title",
                }));
            }
        }
    }
    if let Some(fp) = &entry.fingerprint {
        let best = store
            .fingerprint_candidates(fp)?
            .into_iter()
            .filter(|hit| hit.id != id)
            .map(|hit| (fp.similarity(&hit.fingerprint), hit))
            .filter(|(s, _)| s.is_duplicate())
            .max_by(|(a, _), (b, _)| a.jaccard.total_cmp(&b.jaccard));
        if let Some((_, hit)) = best {
            return Ok(Some(FirstCopy {
                id: hit.id,
                url: Some(hit.url),
                tier: "fingerprint",
            }));
        }
    }
    Ok(None)
}

/// Dedup one new entry against every story known, store it if it matched, read its claims.
fn store_entry(
    ctx: &Context,
    watch: &WatchSet,
    source: &str,
    entry: Entry,
    now: DateTime<Utc>,
    report: &mut CycleReport,
) -> Result<()> {
    let store = &ctx.store;
    let ikeys = index_keys(&entry.keys);
    let Some(id) = entry.keys.id().or_else(|| {
        Some(crate::transforms::dedup::stable_id(&format!(
            "{}|{}",
            entry.item.feed_url, entry.entry_key
        )))
    }) else {
        return Ok(());
    };
    let url = entry.item.url.clone().unwrap_or_default();
    let mut entities: Vec<String> = entry.matches.iter().map(|m| m.entity.clone()).collect();
    entities.sort();
    entities.dedup();

    let title_key = dedup::title_tier_key(&entry.item.title);
    let appeared = entry.item.published.unwrap_or(now);
    if let Some(first) = first_copy(store, &ikeys, &id, title_key.as_deref(), appeared, &entry)? {
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
                store.put_item(&first_item)?;
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
        store.index_story(&ikeys, &first.id)?;
        // A changed headline names the story too: a third copy under it is found by title.
        if let Some(tk) = &title_key {
            let free = store
                .title_story(tk)?
                .is_none_or(|r| !dedup::within_title_window(r.at, appeared));
            if free {
                store.index_title(
                    tk,
                    &TitleRecord {
                        id: first.id.clone(),
                        url: first_url,
                        at: appeared,
                    },
                )?;
                // Pruned with the copy's time, like every title entry.
                store.mark_dedup_time(&id, Some(tk), now)?;
            }
        }
        // The copy's claims are not stored: a syndicated copy never corroborates itself.
        return Ok(());
    }
    store.index_story(&ikeys, &id)?;
    if entry.watchlists.is_empty() {
        // Known by URL and guid only: see where the fingerprint is computed.
        return Ok(());
    }
    // A matched story enters the title and fingerprint tiers, so a later copy under another
    // URL is recognised.
    if let Some(tk) = &title_key {
        store.index_title(
            tk,
            &TitleRecord {
                id: id.clone(),
                url: url.clone(),
                at: appeared,
            },
        )?;
    }
    match &entry.fingerprint {
        Some(fp) => store.index_fingerprint(&id, &url, fp, title_key.as_deref(), now)?,
        None if title_key.is_some() => store.mark_dedup_time(&id, title_key.as_deref(), now)?,
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
    for claim in distinct_claims(entry.claims) {
        let named = claim_entities(&claim, &entry.matches);
        let (key, rec) = record_claim(store, claim, &stored, &named, now)?;
        report.claims.push(claim_report(store, &rec, &stored.url)?);
        stored.claim_keys.push(key);
    }
    store.put_item(&stored)?;
    store.add_pending(&id)?;
    let _ = watch;
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
    Ok(())
}

/// How a stored claim of the same key relates to a new one, for the digest's labels.
fn relation(new: &Claim, old: &Claim) -> &'static str {
    let (a, b) = (claims::interval(new), claims::interval(old));
    if a.0 <= b.1 && b.0 <= a.1 {
        "agrees with"
    } else if new.running_total && new.value > old.value {
        "earlier value"
    } else {
        "contradicts"
    }
}

/// One claim per figure of a story: a headline and its body often state the same figure;
/// the attributed, fuller statement is kept.
fn distinct_claims(claims_read: Vec<Claim>) -> Vec<Claim> {
    let mut out: Vec<Claim> = Vec::new();
    for c in claims_read {
        let same = out.iter_mut().find(|o| {
            o.key() == c.key()
                && o.value == c.value
                && o.value_max == c.value_max
                && o.increment == c.increment
        });
        match same {
            // An attributed statement beats an unattributed one; then the fuller sentence
            // (a body sentence over its headline).
            Some(o)
                if (o.attributed_to.is_none() && c.attributed_to.is_some())
                    || (o.attributed_to.is_some() == c.attributed_to.is_some()
                        && c.quote.len() > o.quote.len()) =>
            {
                *o = c
            }
            Some(_) => {}
            None => out.push(c),
        }
    }
    out
}

/// The entities a claim's own sentence names (what `claims --entity` finds it by, beside
/// its subject).
pub fn claim_entities(claim: &Claim, matches: &[EntityMatch]) -> Vec<String> {
    let mut ids: Vec<String> = matches
        .iter()
        .filter(|m| m.start >= claim.quote_start && m.end <= claim.quote_end)
        .map(|m| m.entity.clone())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// Compare a new claim with the stored ones of its key and store it with its status.
pub fn record_claim(
    store: &Store,
    claim: Claim,
    item: &StoredItem,
    entities: &[String],
    now: DateTime<Utc>,
) -> Result<(Vec<u8>, ClaimRecord)> {
    // Within one story, only statements attributed to different sources are compared (a
    // story quoting two sources is a real conflict; its headline restating its body is not).
    let comparable = |r: &ClaimRecord| {
        r.stored.item_id != item.id
            || matches!((&r.stored.claim.attributed_to, &claim.attributed_to), (Some(a), Some(b)) if a != b)
    };
    let existing: Vec<_> = store
        .recent_claims_for_key(&claim.key(), COMPARE_WITH)?
        .into_iter()
        .filter(|(_, r)| comparable(r))
        .collect();
    let stored_claims: Vec<StoredClaim> = existing.iter().map(|(_, r)| r.stored.clone()).collect();
    let mut cmp = claims::compare(&claim, &item.source, &stored_claims);
    let mut related: Vec<Vec<u8>> = cmp
        .related
        .iter()
        .filter_map(|&i| existing.get(i).map(|(k, _)| k.clone()))
        .collect();
    // Across measures: a death toll above a casualty toll of the same subject contradicts.
    let mut other = Vec::new();
    for key in claims::related_keys(&claim) {
        other.extend(
            store
                .recent_claims_for_key(&key, COMPARE_WITH)?
                .into_iter()
                .filter(|(_, r)| comparable(r)),
        );
    }
    if !other.is_empty() {
        let other_claims: Vec<StoredClaim> = other.iter().map(|(_, r)| r.stored.clone()).collect();
        let cross = claims::cross_check(&claim, &item.source, &other_claims);
        if cross.status == ClaimStatus::Contradicts {
            let mut keys: Vec<Vec<u8>> = cross
                .related
                .iter()
                .filter_map(|&i| other.get(i).map(|(k, _)| k.clone()))
                .collect();
            if cmp.status != ClaimStatus::Contradicts {
                // The cross-measure conflict is the reason: show it first.
                keys.append(&mut related);
                related = keys;
            } else {
                related.append(&mut keys);
            }
            cmp.status = ClaimStatus::Contradicts;
        }
    }
    // Keep the most telling few (compare lists disagreements first): a figure repeated by
    // a thousand stories must not make each new record a thousand keys long.
    related.truncate(MAX_RELATED_STORED);
    let relations = related
        .iter()
        .map(|k| match existing.iter().find(|(ek, _)| ek == k) {
            Some((_, r)) => relation(&claim, &r.stored.claim).to_string(),
            // Related across measures only when it conflicts (cross_check).
            None => "contradicts".to_string(),
        })
        .collect();
    let record = ClaimRecord {
        stored: StoredClaim {
            claim,
            item_id: item.id.clone(),
            item_url: item.url.clone(),
            source: item.source.clone(),
            published: item.published,
            first_seen: now,
            status: cmp.status,
        },
        entities: entities.to_vec(),
        related,
        relations,
    };
    let key = store.put_claim(&record)?;
    Ok((key, record))
}

pub fn claim_report(store: &Store, rec: &ClaimRecord, item_url: &str) -> Result<ClaimReport> {
    let c = &rec.stored.claim;
    let mut related = Vec::new();
    for k in &rec.related {
        if let Some(r) = store.claim(k)? {
            related.push(RelatedReport {
                item_url: r.stored.item_url.clone(),
                source: r.stored.source.clone(),
                value: r.stored.claim.value,
                value_max: r.stored.claim.value_max,
                quote: r.stored.claim.quote.clone(),
                first_seen: r.stored.first_seen.to_rfc3339(),
                attributed_to: r.stored.claim.attributed_to.clone(),
            });
        }
    }
    Ok(ClaimReport {
        item_url: item_url.to_string(),
        quote: c.quote.clone(),
        subject: c.subject.clone(),
        measure: c.measure.clone(),
        value: c.value,
        value_max: c.value_max,
        approx: c.approx,
        unit: c.unit.clone(),
        attributed_to: c.attributed_to.clone(),
        status: rec.stored.status,
        related,
    })
}

// ---------------------------------------------------------------------------------------
// The digest.

/// How a digest run should end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestMode {
    /// Write to the store, send, and clear the pending items once accepted.
    Send,
    /// Render only: print, keep everything pending, write nothing.
    DryRun,
}

/// A rendered digest for one recipient set, before it is stored or sent.
pub struct BuiltDigest {
    pub recipients: Vec<String>,
    pub item_ids: Vec<String>,
    pub claims: usize,
    pub subject: String,
    pub text: String,
    pub html: String,
}

fn display_status(s: ClaimStatus) -> String {
    s.as_str().to_uppercase()
}

fn date_str(d: Option<DateTime<Utc>>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string())
}

/// Build the digests of the pending items that no queued digest holds yet.
pub fn build_digests(
    ctx: &Context,
    watch: &WatchSet,
    now: DateTime<Utc>,
) -> Result<Vec<BuiltDigest>> {
    let store = &ctx.store;
    let held: HashSet<String> = store
        .queued_digests()?
        .into_iter()
        .flat_map(|d| d.item_ids)
        .collect();
    let mut items = Vec::new();
    for id in store.pending_ids()? {
        if held.contains(&id) {
            continue;
        }
        match store.item(&id)? {
            Some(item) => items.push(item),
            None => warn!(item = %id, "pending item missing from the store; skipped"),
        }
    }
    if items.is_empty() {
        return Ok(Vec::new());
    }
    items.sort_by_key(|i| std::cmp::Reverse(i.published.unwrap_or(i.first_seen)));

    // Recipient sets: a watchlist's own recipients, else email.to.
    let recipients_of = |wl: &str| -> Vec<String> {
        let mut r = watch
            .lists
            .iter()
            .find(|l| l.id == wl)
            .and_then(|l| l.recipients.clone())
            .unwrap_or_else(|| ctx.config.email.to.clone());
        r.sort();
        r.dedup();
        r
    };
    let mut sets: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
    let mut all_lists: Vec<String> = items.iter().flat_map(|i| i.watchlists.clone()).collect();
    all_lists.sort();
    all_lists.dedup();
    for wl in all_lists {
        sets.entry(recipients_of(&wl)).or_default().push(wl);
    }

    let failing_feeds: Vec<digest_sink::FailingFeed> = store
        .all_feed_states()?
        .into_iter()
        .filter(|s| s.consecutive_failures > 0)
        .map(|s| digest_sink::FailingFeed {
            name: s.name.clone().unwrap_or_else(|| s.url.clone()),
            url: s.url.clone(),
            error: s.last_error.clone().unwrap_or_default(),
            consecutive_failures: s.consecutive_failures,
            since: date_str(s.failing_since),
        })
        .collect();

    let mut out = Vec::new();
    for (recipients, lists) in sets {
        let mut digest = Digest {
            generated_at: now.to_rfc3339(),
            failing_feeds: failing_feeds.clone(),
            ..Default::default()
        };
        let mut item_ids = Vec::new();
        let mut claim_count = 0;
        for wl in &lists {
            let name = watch
                .lists
                .iter()
                .find(|l| &l.id == wl)
                .map(|l| l.name.clone())
                .unwrap_or_else(|| wl.clone());
            let mut group = DigestGroup {
                watchlist_id: wl.clone(),
                watchlist_name: name,
                stories: Vec::new(),
            };
            for item in items.iter().filter(|i| i.watchlists.contains(wl)) {
                // A story in two watchlists of one digest appears under the first only.
                if item_ids.contains(&item.id) {
                    continue;
                }
                item_ids.push(item.id.clone());
                let story = digest_story(store, watch, item)?;
                claim_count += story.claims.len();
                group.stories.push(story);
            }
            if !group.stories.is_empty() {
                digest.groups.push(group);
            }
        }
        digest.subject = digest_sink::subject_line(&ctx.config.email.subject_prefix, &digest);
        let rendered = digest_sink::render(&digest)?;
        out.push(BuiltDigest {
            recipients,
            item_ids,
            claims: claim_count,
            subject: digest.subject.clone(),
            text: rendered.text,
            html: rendered.html,
        });
    }
    Ok(out)
}

fn digest_story(store: &Store, watch: &WatchSet, item: &StoredItem) -> Result<DigestStory> {
    let mut entities = Vec::new();
    for e in &item.entities {
        let label = item
            .watchlists
            .iter()
            .find_map(|wl| watch.entity(wl, e))
            .or_else(|| {
                watch
                    .lists
                    .iter()
                    .find_map(|l| l.entities.iter().find(|x| &x.id == e))
            })
            .map(|x| x.label.clone())
            .unwrap_or_else(|| e.clone());
        entities.push(label);
    }
    let mut claims_out = Vec::new();
    for key in &item.claim_keys {
        let Some(rec) = store.claim(key)? else {
            continue;
        };
        let mut related = Vec::new();
        for (n, rk) in rec.related.iter().enumerate() {
            if let Some(r) = store.claim(rk)? {
                related.push(digest_sink::RelatedClaim {
                    relation: rec.relations.get(n).cloned().unwrap_or_default(),
                    // A figure of another measure (casualties beside a death toll) says so.
                    value: if r.stored.claim.measure == rec.stored.claim.measure {
                        claims::format_value(&r.stored.claim)
                    } else {
                        format!(
                            "{} ({})",
                            claims::format_value(&r.stored.claim),
                            r.stored.claim.measure
                        )
                    },
                    source: r.stored.source.clone(),
                    url: r.stored.item_url.clone(),
                    date: date_str(r.stored.published.or(Some(r.stored.first_seen))),
                    quote: r.stored.claim.quote.clone(),
                    attributed_to: r.stored.claim.attributed_to.clone(),
                });
            }
        }
        // The most telling first (contradictions), then the newest; a few, not all.
        related.sort_by_key(|r| {
            (
                r.relation != "contradicts",
                std::cmp::Reverse(r.date.clone()),
            )
        });
        let related_more = related.len().saturating_sub(MAX_RELATED_SHOWN);
        related.truncate(MAX_RELATED_SHOWN);
        let c = &rec.stored.claim;
        claims_out.push(DigestClaim {
            status: display_status(rec.stored.status),
            subject: c.subject.clone(),
            measure: c.measure.clone(),
            value: claims::format_value(c),
            attributed_to: c.attributed_to.clone(),
            quote: c.quote.clone(),
            related,
            related_more,
        });
    }
    Ok(DigestStory {
        title: item.title.clone(),
        url: item.url.clone(),
        source: item.source.clone(),
        published: date_str(item.published),
        entities,
        also_reported_by: item
            .also_reported_by
            .iter()
            .map(|(s, u)| digest_sink::AlsoReported {
                source: s.clone(),
                url: u.clone(),
            })
            .collect(),
        claims: claims_out,
    })
}

/// Send queued digests again, then build, store and send the new ones.
pub async fn digest(
    ctx: &Arc<Context>,
    watch: &WatchSet,
    mode: DigestMode,
) -> Result<(Vec<DigestReport>, Vec<BuiltDigest>)> {
    let now = Utc::now();
    let built = build_digests(ctx, watch, now)?;
    if mode == DigestMode::DryRun {
        let reports = built
            .iter()
            .map(|b| DigestReport {
                status: "not_sent".into(),
                recipients: b.recipients.clone(),
                message_id: None,
                items: b.item_ids.len(),
                claims: b.claims,
                error: None,
            })
            .collect();
        return Ok((reports, built));
    }
    let mailer = Mailer::from_config(&ctx.config.email)?;
    let mut reports = Vec::new();
    // Retries first: a digest keeps its Message-ID and content across attempts.
    let mut queue = ctx.store.queued_digests()?;
    for (n, b) in built.iter().enumerate() {
        let id = format!("{}-{}", now.format("%Y%m%dT%H%M%SZ"), n + 1);
        let hash = crate::transforms::dedup::stable_id(&format!("{id}|{}", b.item_ids.join(",")));
        let record = DigestRecord {
            message_id: crate::sinks::mail::message_id_for(
                &format!("{id}-{}", &hash[..8]),
                &crate::sinks::mail::domain_of(&ctx.config.email.from).unwrap_or_default(),
            ),
            id,
            created_at: now,
            recipients: b.recipients.clone(),
            subject: b.subject.clone(),
            text: b.text.clone(),
            html: b.html.clone(),
            item_ids: b.item_ids.clone(),
            claims: b.claims,
            state: DigestState::Queued,
            attempts: 0,
            last_error: None,
            sent_at: None,
        };
        // Written before it is sent: a crash mid-send resends it, never loses it.
        ctx.store.put_digest(&record)?;
        queue.push(record);
    }
    ctx.store.flush()?;
    for mut record in queue {
        let envelope = Envelope {
            from: ctx.config.email.from.clone(),
            to: record.recipients.clone(),
            subject: record.subject.clone(),
            message_id: record.message_id.clone(),
            date: record.created_at,
            text: record.text.clone(),
            html: record.html.clone(),
        };
        record.attempts += 1;
        let result = mailer.send(&envelope).await;
        let mut rep = DigestReport {
            status: String::new(),
            recipients: record.recipients.clone(),
            message_id: Some(record.message_id.clone()),
            items: record.item_ids.len(),
            claims: record.claims,
            error: None,
        };
        match result {
            Ok(()) => {
                record.state = DigestState::Sent;
                record.sent_at = Some(Utc::now());
                record.last_error = None;
                ctx.store.put_digest(&record)?;
                ctx.store.remove_pending(&record.item_ids)?;
                info!(message_id = %record.message_id, items = record.item_ids.len(), "digest sent");
                rep.status = "sent".into();
            }
            Err(e) => {
                let msg = format!("{e:#}");
                warn!(message_id = %record.message_id, error = %msg, "digest not sent; it stays queued for the next digest time");
                record.last_error = Some(msg.clone());
                ctx.store.put_digest(&record)?;
                rep.status = "queued".into();
                rep.error = Some(msg);
            }
        }
        reports.push(rep);
    }
    ctx.store.flush()?;
    Ok((reports, built))
}

/// Record a corpus document as baseline: its claims stored, nothing pending, nothing sent.
pub fn seed_document(
    store: &Store,
    watch: &WatchSet,
    doc: &SeedDoc,
    now: DateTime<Utc>,
) -> Result<Option<Vec<ClaimReport>>> {
    let key = format!("seed:{}", crate::transforms::dedup::stable_id(&doc.text));
    if store.seed_doc_recorded(&key)? {
        return Ok(None);
    }
    let item = Item {
        feed_url: "seed".into(),
        url: doc.url.clone(),
        title: doc.title.clone(),
        content: Some(doc.text.clone()),
        published: doc.published,
        lang: doc.lang.clone(),
        ..Default::default()
    };
    let matches = watch.find(&doc.text);
    let mut entities: Vec<String> = matches.iter().map(|m| m.entity.clone()).collect();
    entities.sort();
    entities.dedup();
    let claims_read =
        claims::extract_claims(&doc.text, &matches, doc.lang.as_deref(), doc.published);
    let url = doc
        .url
        .clone()
        .unwrap_or_else(|| format!("seed:{}", doc.name));
    let keys = ItemKeys::new(doc.url.as_deref(), Some(&key));
    let id = keys
        .id()
        .unwrap_or_else(|| crate::transforms::dedup::stable_id(&key));
    store.index_story(&index_keys(&keys), &id)?;
    let mut stored = StoredItem {
        id,
        url: url.clone(),
        title: item.title.clone(),
        feed_url: "seed".into(),
        source: doc.source.clone(),
        published: doc.published,
        first_seen: now,
        watchlists: watch.alerting(&matches),
        entities: entities.clone(),
        claim_keys: Vec::new(),
        also_reported_by: Vec::new(),
    };
    let mut reports = Vec::new();
    for c in claims_read {
        let named = claim_entities(&c, &matches);
        let (k, rec) = record_claim(store, c, &stored, &named, now)?;
        reports.push(claim_report(store, &rec, &url)?);
        stored.claim_keys.push(k);
    }
    store.put_item(&stored)?;
    store.mark_seed_doc(&key)?;
    Ok(Some(reports))
}

/// A document of a seed corpus, with what its manifest says of it.
#[derive(Debug, Clone)]
pub struct SeedDoc {
    pub name: String,
    pub source: String,
    pub title: String,
    pub url: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub lang: Option<String>,
    pub author: Option<String>,
    pub text: String,
}
