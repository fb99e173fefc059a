//! `seed [DIR]`: record a corpus of known reporting as the baseline. With DIR, its
//! documents are read (claims extracted by the code); without, the project's
//! `seeds/baseline.json` — what the code derived from the seed corpus — is loaded.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{load_watchlists, open_store, print_json, project_seeds_dir};
use crate::config::Config;
use crate::model::Claim;
use crate::pipeline::{self, SeedDoc};
use crate::report::ClaimReport;
use crate::store::{StoreBackend, StoredItem};
use crate::watchlist::WatchSet;

/// `seeds/manifest.toml`: what is known of each seed document.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    #[serde(default)]
    document: Vec<ManifestDoc>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestDoc {
    file: String,
    outlet: String,
    #[serde(default)]
    author: Option<String>,
    /// YYYY-MM-DD
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    lang: Option<String>,
}

/// `seeds/baseline.json`: the claims the code read from the seed corpus.
#[derive(Debug, Serialize, Deserialize)]
pub struct Baseline {
    pub generated_by: String,
    pub documents: Vec<BaselineDoc>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct BaselineDoc {
    pub name: String,
    pub source: String,
    pub title: String,
    pub url: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub lang: Option<String>,
    #[serde(default)]
    pub author: Option<String>,
    pub entities: Vec<String>,
    pub claims: Vec<Claim>,
    /// For each claim, the entities its own sentence names (`claims --entity`).
    #[serde(default)]
    pub claim_entities: Vec<Vec<String>>,
}

#[derive(Serialize)]
struct SeedReport {
    documents: Vec<DocReport>,
    claims: Vec<ClaimReport>,
}

#[derive(Serialize)]
struct DocReport {
    name: String,
    source: String,
    /// False when this document was already recorded (seeding twice changes nothing).
    recorded: bool,
    claims: usize,
}

fn read_manifest(path: &Path) -> Result<Manifest> {
    if !path.exists() {
        return Ok(Manifest::default());
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    toml::from_str(&text).map_err(|e| {
        super::UsageError::Usage(format!("{}: {}", path.display(), e.to_string().trim())).into()
    })
}

fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .map(|d| d.and_utc())
        .or_else(|| {
            DateTime::parse_from_rfc3339(s)
                .ok()
                .map(|d| d.with_timezone(&Utc))
        })
}

/// Read a corpus folder into documents (sorted by file name).
fn read_corpus(dir: &Path, manifest: &Manifest) -> Result<Vec<SeedDoc>> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && matches!(
                    p.extension()
                        .and_then(|e| e.to_str())
                        .map(str::to_ascii_lowercase)
                        .as_deref(),
                    Some("txt" | "md" | "html" | "htm")
                )
        })
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(super::UsageError::Usage(format!(
            "{}: no .txt, .md or .html documents",
            dir.display()
        ))
        .into());
    }
    let mut docs = Vec::new();
    for p in paths {
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let bytes = std::fs::read(&p).with_context(|| format!("reading {}", p.display()))?;
        let is_html = name.ends_with(".html") || name.ends_with(".htm");
        let (page_title, text) = if is_html {
            let html = crate::sources::charset::decode_html(&bytes, None);
            let a = crate::transforms::extract::extract_article(&html, None);
            (a.title, a.body)
        } else {
            (None, String::from_utf8_lossy(&bytes).into_owned())
        };
        let m = manifest.document.iter().find(|d| d.file == name);
        // Without a manifest entry, the document says who published it and when (a
        // source line, a byline, a dateline); failing an outlet, its headline names it.
        // Never the file name, never the time it was seeded: undated stays undated.
        let meta = crate::transforms::docmeta::document_meta(&text);
        let first_line = text
            .lines()
            .map(str::trim)
            .find(|l| l.len() > 20)
            .unwrap_or(&name)
            .to_string();
        let headline = page_title
            .clone()
            .or_else(|| meta.headline.clone())
            .unwrap_or(first_line);
        docs.push(SeedDoc {
            source: m
                .map(|m| m.outlet.clone())
                .or_else(|| meta.outlet.clone())
                .unwrap_or_else(|| headline.clone()),
            title: m.and_then(|m| m.title.clone()).unwrap_or(headline),
            url: m.and_then(|m| m.url.clone()),
            published: m
                .and_then(|m| m.date.as_deref())
                .and_then(parse_date)
                .or(meta.published),
            lang: m.and_then(|m| m.lang.clone()),
            author: m.and_then(|m| m.author.clone()),
            name,
            text,
        });
    }
    Ok(docs)
}

pub fn seed(
    config: &Config,
    dir: Option<&Path>,
    json: bool,
    export: Option<&Path>,
) -> Result<ExitCode> {
    let watch = load_watchlists(&config.watchlists_dir)?;
    let seeds_dir = project_seeds_dir(config);
    let store = open_store(config)?;
    let now = Utc::now();
    let mut report = SeedReport {
        documents: Vec::new(),
        claims: Vec::new(),
    };
    match dir {
        Some(dir) => {
            // A manifest in DIR wins; else the project's, which describes the seed corpus.
            let manifest = match read_manifest(&dir.join("manifest.toml"))? {
                m if !m.document.is_empty() => m,
                _ => read_manifest(&seeds_dir.join("manifest.toml"))?,
            };
            let mut docs = read_corpus(dir, &manifest)?;
            // Oldest first: each document's claims are compared with what came before it.
            docs.sort_by(|a, b| {
                a.published
                    .cmp(&b.published)
                    .then_with(|| a.name.cmp(&b.name))
            });
            let mut baseline = Baseline {
                generated_by: format!("newswatch {} seed --export", env!("CARGO_PKG_VERSION")),
                documents: Vec::new(),
            };
            for doc in &docs {
                let recorded = pipeline::seed_document(&*store, &watch, doc, now)?;
                let n = recorded.as_ref().map_or(0, Vec::len);
                report.documents.push(DocReport {
                    name: doc.name.clone(),
                    source: doc.source.clone(),
                    recorded: recorded.is_some(),
                    claims: n,
                });
                report.claims.extend(recorded.unwrap_or_default());
                if export.is_some() {
                    let matches = watch.find(&doc.text);
                    let mut entities: Vec<String> =
                        matches.iter().map(|m| m.entity.clone()).collect();
                    entities.sort();
                    entities.dedup();
                    let claims = crate::transforms::claims::extract_claims(
                        &doc.text,
                        &matches,
                        doc.lang.as_deref(),
                        doc.published,
                    );
                    baseline.documents.push(BaselineDoc {
                        name: doc.name.clone(),
                        source: doc.source.clone(),
                        title: doc.title.clone(),
                        url: doc.url.clone(),
                        published: doc.published,
                        lang: doc.lang.clone(),
                        author: doc.author.clone(),
                        claim_entities: claims
                            .iter()
                            .map(|c| pipeline::claim_entities(c, &matches))
                            .collect(),
                        claims: claims
                            .into_iter()
                            .map(|mut c| {
                                // The corpus's sentences stay out of the project: the
                                // baseline points into the document instead of quoting it.
                                c.quote = format!(
                                    "(seed document {}, bytes {}–{})",
                                    doc.name, c.quote_start, c.quote_end
                                );
                                c
                            })
                            .collect(),
                        entities,
                    });
                }
            }
            if let Some(path) = export {
                let text = serde_json::to_string_pretty(&baseline)?;
                std::fs::write(path, text + "\n")
                    .with_context(|| format!("writing {}", path.display()))?;
            }
        }
        None => {
            let path = seeds_dir.join("baseline.json");
            let text = std::fs::read_to_string(&path).with_context(|| {
                format!("reading the project's seed baseline {} (give a corpus folder: `newswatch seed DIR`)", path.display())
            })?;
            let baseline: Baseline = serde_json::from_str(&text)
                .with_context(|| format!("parsing {}", path.display()))?;
            for doc in baseline.documents {
                let recorded = seed_baseline_doc(&*store, &doc, now)?;
                report.documents.push(DocReport {
                    name: doc.name.clone(),
                    source: doc.source.clone(),
                    recorded: recorded.is_some(),
                    claims: recorded.as_ref().map_or(0, Vec::len),
                });
                report.claims.extend(recorded.unwrap_or_default());
            }
        }
    }
    store.flush()?;
    if json {
        print_json(&report)?;
    } else {
        for d in &report.documents {
            if d.recorded {
                eprintln!(
                    "{} ({}): {} recorded",
                    d.name,
                    d.source,
                    super::count(d.claims, "claim", "claims")
                );
            } else {
                eprintln!("{} ({}): already recorded, unchanged", d.name, d.source);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `seed DIR --suggest`: print a watchlist draft of the names DIR mentions. Nothing is
/// recorded and the store is not opened; the current watchlists, when valid, mark what
/// they already find.
pub fn suggest(config: &Config, dir: &Path) -> Result<ExitCode> {
    let docs = read_corpus(dir, &Manifest::default())?;
    let known = WatchSet::load_dir(&config.watchlists_dir).ok();
    let texts: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
    let draft = crate::watchlist::suggest::suggest(
        &texts,
        known.as_ref(),
        crate::watchlist::suggest::DEFAULT_MIN_COUNT,
    );
    print!("{draft}");
    Ok(ExitCode::SUCCESS)
}

/// Record one document of the project's baseline (claims already read by the code).
fn seed_baseline_doc(
    store: &dyn StoreBackend,
    doc: &BaselineDoc,
    now: DateTime<Utc>,
) -> Result<Option<Vec<ClaimReport>>> {
    let key = format!(
        "baseline:{}",
        crate::transforms::dedup::stable_id(&format!(
            "{}|{}",
            doc.name,
            serde_json::to_string(&doc.claims)?
        ))
    );
    if store.seed_doc_recorded(&key)? {
        return Ok(None);
    }
    if store
        .item(&crate::transforms::dedup::stable_id(&key))?
        .is_some()
    {
        // Stored by a run that stopped before the marker (the item is written last).
        store.mark_seed_doc(&key)?;
        return Ok(None);
    }
    let url = doc
        .url
        .clone()
        .unwrap_or_else(|| format!("seed:{}", doc.name));
    let mut item = StoredItem {
        id: crate::transforms::dedup::stable_id(&key),
        url: url.clone(),
        title: doc.title.clone(),
        feed_url: "seed".into(),
        source: doc.source.clone(),
        published: doc.published,
        first_seen: now,
        entities: doc.entities.clone(),
        ..Default::default()
    };
    let mut out = Vec::new();
    for (i, c) in doc.claims.iter().enumerate() {
        let named = doc.claim_entities.get(i).unwrap_or(&doc.entities);
        let (k, rec) = pipeline::record_claim(store, c.clone(), &item, named, now)?;
        out.push(pipeline::claim_report(store, &rec, &url)?);
        item.claim_keys.push(k);
    }
    // Its URL, when the baseline knows one, makes a later feed copy a known story.
    let keys = crate::transforms::dedup::ItemKeys::new(doc.url.as_deref(), None);
    let url_keys: Vec<String> = keys.url.iter().map(|u| format!("u:{u}")).collect();
    store.index_story(&url_keys, &item.id)?;
    store.put_item(&item)?;
    store.mark_seed_doc(&key)?;
    Ok(Some(out))
}
