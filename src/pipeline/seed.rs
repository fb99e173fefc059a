//! Seeding: a corpus document recorded as baseline (its claims stored, nothing pending,
//! nothing sent).

use anyhow::Result;
use chrono::{DateTime, Utc};

use super::claims::{claim_entities, claim_report, record_claim};
use super::cycle::index_keys;
use crate::model::Item;
use crate::report::ClaimReport;
use crate::store::{StoreBackend, StoredItem};
use crate::transforms::claims;
use crate::transforms::dedup::ItemKeys;
use crate::watchlist::WatchSet;

/// Record a corpus document as baseline: its claims stored, nothing pending, nothing sent.
pub fn seed_document(
    store: &dyn StoreBackend,
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
    // Its own id (from the text), never the URL's: a story a feed already stored under the
    // same URL keeps its record; the URL still points at whichever came first.
    let id = crate::transforms::dedup::stable_id(&key);
    if store.item(&id)?.is_some() {
        // Stored (its item is written after its claims) by a run that stopped before the
        // document's marker: only the marker is missing.
        store.mark_seed_doc(&key)?;
        return Ok(None);
    }
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
