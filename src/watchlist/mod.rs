//! Watchlist files → entities and alert rules → one compiled matcher; every error collected.
//! OWNER: watchlist helper. Interface (keep): `Diagnostic`, `WatchSet::{load_dir, find,
//! alerting, entity, explain}`.
//!
//! `parse` reads one file's text into a `Watchlist` (or diagnostics), `matcher` compiles
//! every alias of every watchlist into one automaton, `translit` adds Cyrillic ↔ Latin
//! variants, `suggest` drafts entries from a corpus (`seed DIR --suggest`). This module
//! ties them together and applies the `near`, `exclude` and `[alert]`
//! rules. Only `load_dir`/`check_dir` touch the file system.
mod matcher;
mod parse;
pub mod suggest;
pub(crate) mod translit;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::model::EntityMatch;
use crate::transforms::normalize::{is_word_char, normalize, normalize_phrase, Normalized};
use matcher::{Hit, Matcher, MatcherBuilder, Phrase, Role, Target};

pub use parse::LineIndex;

/// The entity kinds a watchlist may use.
pub const KINDS: &[&str] = &["person", "place", "org", "group", "document", "topic"];
/// How many words may separate an entity from its `near` context when `near_words` is unset.
pub const DEFAULT_NEAR_WORDS: usize = 12;

/// One problem in a user file: `path:line:col: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.col,
            self.message
        )
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entity {
    pub id: String,
    pub label: String,
    pub kind: String,
    pub aliases: Vec<String>,
    /// Also match Cyrillic ↔ Latin transliterations of the aliases.
    pub transliterate: bool,
    /// Context terms: when not empty, a match counts only with one of them nearby.
    pub near: Vec<String>,
    /// How many words may separate the match from a `near` term.
    pub near_words: usize,
    /// Phrases that contain an alias but are not this entity ("Battle of Kursk").
    pub exclude: Vec<String>,
}

/// `[alert]`: which matches make a watchlist alert. All empty: any entity alerts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AlertRule {
    pub any: Vec<String>,
    pub all: Vec<String>,
    pub none: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Watchlist {
    /// The file stem.
    pub id: String,
    pub name: String,
    pub recipients: Option<Vec<String>>,
    /// Claim statuses mailed at once at the end of the poll cycle (`alert_now`), lower
    /// case: "contradicts", "updates", "corroborates", "new".
    pub alert_now: Vec<String>,
    pub entities: Vec<Entity>,
    pub alert: AlertRule,
}

/// Every watchlist of a folder, compiled into one matcher.
#[derive(Debug, Clone, Default)]
pub struct WatchSet {
    pub lists: Vec<Watchlist>,
    matcher: Matcher,
}

/// What `explain` found in a text: for `newswatch match`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MatchReport {
    /// The matches that count, in text order.
    pub matches: Vec<MatchDetail>,
    /// Occurrences that were found but did not count, with the reason.
    pub near_misses: Vec<NearMiss>,
    /// Every watchlist and whether its alert rule holds.
    pub watchlists: Vec<ListOutcome>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatchDetail {
    pub watchlist: String,
    pub entity: String,
    pub label: String,
    /// The alias as written in the watchlist.
    pub alias: String,
    /// The form found in the text.
    pub found: String,
    /// True when the form found is a transliteration of `alias`.
    pub transliterated: bool,
    pub start: usize,
    pub end: usize,
    /// 1-based line and column (in characters) of the form found.
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NearMiss {
    pub watchlist: String,
    pub entity: String,
    pub alias: String,
    pub found: String,
    pub line: usize,
    pub col: usize,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListOutcome {
    pub id: String,
    pub name: String,
    pub alerts: bool,
    /// Why it alerts or not, in a sentence.
    pub reason: String,
}

impl std::fmt::Display for MatchReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.matches.is_empty() {
            writeln!(f, "no matches")?;
        }
        for m in &self.matches {
            let via = if m.transliterated {
                " (transliterated)"
            } else {
                ""
            };
            writeln!(
                f,
                "{}:{}  {}/{}  \"{}\"  alias \"{}\"{via}",
                m.line, m.col, m.watchlist, m.entity, m.found, m.alias
            )?;
        }
        if !self.near_misses.is_empty() {
            writeln!(f, "\nnot counted:")?;
            for n in &self.near_misses {
                writeln!(
                    f,
                    "{}:{}  {}/{}  {}",
                    n.line, n.col, n.watchlist, n.entity, n.reason
                )?;
            }
        }
        writeln!(f, "\nwatchlists:")?;
        for l in &self.watchlists {
            let verdict = if l.alerts { "ALERT" } else { "quiet" };
            writeln!(f, "{verdict:5}  {}  {}", l.id, l.reason)?;
        }
        Ok(())
    }
}

/// A verified alias occurrence before the context rules, in both offset systems.
struct Found<'a> {
    target: &'a Target,
    nstart: usize,
    nend: usize,
    start: usize,
    end: usize,
}

/// The result of running every rule over one text.
struct Evaluation<'a> {
    counted: Vec<Found<'a>>,
    missed: Vec<(Found<'a>, String)>,
}

impl WatchSet {
    /// Load and compile every `*.toml` in `dir`; all problems of all files, or the set.
    pub fn load_dir(dir: &Path) -> Result<WatchSet, Vec<Diagnostic>> {
        match WatchSet::check_dir(dir) {
            (Some(set), diags) if diags.is_empty() => Ok(set),
            (_, diags) => Err(diags),
        }
    }

    /// Like `load_dir`, but returns the diagnostics alongside: the set is `Some` only when
    /// there are none.
    pub fn check_dir(dir: &Path) -> (Option<WatchSet>, Vec<Diagnostic>) {
        let folder_problem = |message: String| {
            (
                None,
                vec![Diagnostic {
                    path: dir.to_path_buf(),
                    line: 1,
                    col: 1,
                    message,
                }],
            )
        };
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                return folder_problem(format!(
                    "cannot read the watchlists folder: {e}; check watchlists_dir in the config"
                ))
            }
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
            // Editors keep hidden temporary copies (`.name.toml~`, `.#name.toml`) beside
            // the file being edited: they are not watchlists.
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| !n.to_string_lossy().starts_with('.'))
            })
            .collect();
        paths.sort();
        if paths.is_empty() {
            return folder_problem(
                "no watchlist files (*.toml) in this folder; add one, see docs/watchlists.md"
                    .to_string(),
            );
        }
        let mut sources = Vec::new();
        let mut diags = Vec::new();
        for path in paths {
            match std::fs::read_to_string(&path) {
                Ok(text) => sources.push((path, text)),
                Err(e) => diags.push(Diagnostic {
                    path,
                    line: 1,
                    col: 1,
                    message: format!(
                        "cannot read the file: {e}; check that it exists and is readable"
                    ),
                }),
            }
        }
        let (set, mut more) = WatchSet::from_sources(&sources);
        diags.append(&mut more);
        if diags.is_empty() {
            (set, diags)
        } else {
            (None, diags)
        }
    }

    /// Parse and compile watchlists from `(path, text)` pairs (pure: no file access).
    pub fn from_sources(sources: &[(PathBuf, String)]) -> (Option<WatchSet>, Vec<Diagnostic>) {
        let mut lists = Vec::new();
        let mut diags = Vec::new();
        for (path, text) in sources {
            let id = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let (list, mut d) = parse::parse_watchlist(path, &id, text);
            diags.append(&mut d);
            lists.extend(list);
        }
        if !diags.is_empty() {
            return (None, diags);
        }
        match WatchSet::compile(lists) {
            Ok(set) => (Some(set), diags),
            Err(message) => {
                let path = sources.first().map(|(p, _)| p.clone()).unwrap_or_default();
                diags.push(Diagnostic {
                    path,
                    line: 1,
                    col: 1,
                    message,
                });
                (None, diags)
            }
        }
    }

    /// Compile already-validated watchlists into one matcher.
    pub fn compile(lists: Vec<Watchlist>) -> Result<WatchSet, String> {
        let mut b = MatcherBuilder::default();
        for (li, list) in lists.iter().enumerate() {
            for (ei, e) in list.entities.iter().enumerate() {
                // A transliteration that is itself one of the entity's aliases ("Шойгу"
                // beside "Shoigu") is that alias, not a guess.
                let own: std::collections::HashSet<String> =
                    e.aliases.iter().map(|a| normalize_phrase(a)).collect();
                let mut add = |written: &str, role: Role, variants: bool| {
                    let target = |transliterated| Target {
                        list: li,
                        entity: ei,
                        role,
                        written: written.to_string(),
                        transliterated,
                    };
                    if let Some(p) = Phrase::compile(written, true) {
                        b.add(p, target(false));
                    }
                    if variants {
                        for v in translit::variants(&normalize_phrase(written)) {
                            if own.contains(&v) {
                                continue;
                            }
                            // A Cyrillic guess declines like any Russian word; a Latin
                            // romanisation is a name and takes no plural ("poutines" is
                            // the dish, not "Poutin").
                            let inflect = v.chars().any(translit::is_cyrillic);
                            if let Some(p) = Phrase::compile(&v, inflect) {
                                b.add(p, target(true));
                            }
                        }
                    }
                };
                for a in &e.aliases {
                    add(a, Role::Alias, e.transliterate);
                }
                for n in &e.near {
                    add(n, Role::Near, false);
                }
                for x in &e.exclude {
                    add(x, Role::Exclude, false);
                }
            }
        }
        let matcher = b
            .build()
            .map_err(|e| format!("cannot compile the aliases: {e}"))?;
        Ok(WatchSet { lists, matcher })
    }

    /// Every entity occurrence in `text` that counts (its `near` context present, not
    /// inside an `exclude` phrase), in text order. Offsets are into `text`.
    pub fn find(&self, text: &str) -> Vec<EntityMatch> {
        let norm = normalize(text);
        self.evaluate(&norm, text)
            .counted
            .iter()
            .map(|f| self.entity_match(f, text))
            .collect()
    }

    /// The ids of the watchlists whose alert rule holds for these matches.
    pub fn alerting(&self, matches: &[EntityMatch]) -> Vec<String> {
        self.lists
            .iter()
            .filter(|l| rule_outcome(l, matches).0)
            .map(|l| l.id.clone())
            .collect()
    }

    pub fn entity(&self, watchlist: &str, id: &str) -> Option<&Entity> {
        self.lists
            .iter()
            .find(|l| l.id == watchlist)
            .and_then(|l| l.entities.iter().find(|e| e.id == id))
    }

    /// The label of an entity, for digests and reports.
    pub fn entity_label(&self, watchlist: &str, id: &str) -> Option<&str> {
        self.entity(watchlist, id).map(|e| e.label.as_str())
    }

    /// The watchlist with this id.
    pub fn list(&self, id: &str) -> Option<&Watchlist> {
        self.lists.iter().find(|l| l.id == id)
    }

    /// What matches in `text` and why, including what was found but did not count.
    pub fn explain(&self, text: &str) -> MatchReport {
        let norm = normalize(text);
        let eval = self.evaluate(&norm, text);
        let lines = LineIndex::new(text);
        let mut report = MatchReport::default();
        for f in &eval.counted {
            let (line, col) = lines.line_col(f.start);
            let (list, entity) = self.names(f.target);
            report.matches.push(MatchDetail {
                watchlist: list.id.clone(),
                entity: entity.id.clone(),
                label: entity.label.clone(),
                alias: f.target.written.clone(),
                found: text[f.start..f.end].to_string(),
                transliterated: f.target.transliterated,
                start: f.start,
                end: f.end,
                line,
                col,
            });
        }
        for (f, reason) in &eval.missed {
            let (line, col) = lines.line_col(f.start);
            let (list, entity) = self.names(f.target);
            report.near_misses.push(NearMiss {
                watchlist: list.id.clone(),
                entity: entity.id.clone(),
                alias: f.target.written.clone(),
                found: text[f.start..f.end].to_string(),
                line,
                col,
                reason: reason.clone(),
            });
        }
        let matches: Vec<EntityMatch> = eval
            .counted
            .iter()
            .map(|f| self.entity_match(f, text))
            .collect();
        for l in &self.lists {
            let (alerts, reason) = rule_outcome(l, &matches);
            report.watchlists.push(ListOutcome {
                id: l.id.clone(),
                name: l.name.clone(),
                alerts,
                reason,
            });
        }
        report
    }

    fn names(&self, t: &Target) -> (&Watchlist, &Entity) {
        let list = &self.lists[t.list];
        (list, &list.entities[t.entity])
    }

    fn entity_match(&self, f: &Found<'_>, text: &str) -> EntityMatch {
        let (list, entity) = self.names(f.target);
        EntityMatch {
            watchlist: list.id.clone(),
            entity: entity.id.clone(),
            alias: f.target.written.clone(),
            found: text[f.start..f.end].to_string(),
            start: f.start,
            end: f.end,
            kind: entity.kind.clone(),
        }
    }

    fn evaluate<'a>(&'a self, norm: &Normalized, text: &str) -> Evaluation<'a> {
        let hits = self.matcher.hits(norm, text);
        let found = |h: &Hit| -> Option<Found<'a>> {
            let target = self.matcher.target(h.candidate)?;
            let (start, end) = norm.original_range(h.start, h.end);
            Some(Found {
                target,
                nstart: h.start,
                nend: h.end,
                start,
                end,
            })
        };
        let mut aliases: Vec<Found<'a>> = Vec::new();
        // (list, entity) → occurrences of its context terms / exclusions.
        let mut context: HashMap<(usize, usize), Vec<Found<'a>>> = HashMap::new();
        let mut excluded: HashMap<(usize, usize), Vec<Found<'a>>> = HashMap::new();
        for f in hits.iter().filter_map(found) {
            let key = (f.target.list, f.target.entity);
            match f.target.role {
                Role::Alias => aliases.push(f),
                Role::Near => context.entry(key).or_default().push(f),
                Role::Exclude => excluded.entry(key).or_default().push(f),
            }
        }
        // Leftmost-longest within each watchlist: "North Korean troops" wins over
        // "North Korea" at the same place; two watchlists may both claim a span.
        aliases.sort_by_key(|f| (f.target.list, f.nstart, std::cmp::Reverse(f.nend)));
        let mut kept: Vec<Found<'a>> = Vec::new();
        for f in aliases {
            if let Some(prev) = kept.last() {
                if prev.target.list == f.target.list && f.nstart < prev.nend {
                    continue;
                }
            }
            kept.push(f);
        }
        let mut longest_exclusion: HashMap<(usize, usize), usize> = HashMap::new();
        for (key, xs) in excluded.iter_mut() {
            xs.sort_by_key(|x| x.nstart);
            let longest = xs.iter().map(|x| x.nend - x.nstart).max().unwrap_or(0);
            longest_exclusion.insert(*key, longest);
        }
        let words = WordIndex::new(&norm.text);
        let near_spans: HashMap<(usize, usize), ContextSpans> = context
            .iter()
            .map(|(key, cs)| {
                let spans = cs.iter().map(|c| words.span(c.nstart, c.nend)).collect();
                (*key, ContextSpans::new(spans))
            })
            .collect();
        let mut eval = Evaluation {
            counted: Vec::new(),
            missed: Vec::new(),
        };
        for f in kept {
            let key = (f.target.list, f.target.entity);
            let entity = &self.lists[f.target.list].entities[f.target.entity];
            let found_text = &text[f.start..f.end];
            let longest = longest_exclusion.get(&key).copied().unwrap_or(0);
            if let Some(x) = excluded
                .get(&key)
                .and_then(|xs| overlapping(xs, longest, &f))
            {
                let reason = format!(
                    "{found_text}: found, but inside the excluded phrase \"{}\"",
                    &text[x.start..x.end]
                );
                eval.missed.push((f, reason));
                continue;
            }
            if !entity.near.is_empty() {
                let close = near_spans
                    .get(&key)
                    .is_some_and(|c| c.any_within(words.span(f.nstart, f.nend), entity.near_words));
                if !close {
                    let reason = format!(
                        "{found_text}: found, but no context word ({}) within {} words",
                        entity.near.join(", "),
                        entity.near_words
                    );
                    eval.missed.push((f, reason));
                    continue;
                }
            }
            eval.counted.push(f);
        }
        eval.counted.sort_by_key(|f| (f.start, f.target.list));
        eval.missed.sort_by_key(|(f, _)| (f.start, f.target.list));
        eval
    }
}

/// An exclusion (sorted by start) that overlaps `f`: only those starting in a window
/// before `f` are looked at, so many exclusions in a long text stay cheap.
fn overlapping<'x, 'a>(
    xs: &'x [Found<'a>],
    longest: usize,
    f: &Found<'_>,
) -> Option<&'x Found<'a>> {
    let end = xs.partition_point(|x| x.nstart < f.nend);
    xs[..end]
        .iter()
        .rev()
        .take_while(|x| x.nstart + longest >= f.nstart)
        .find(|x| f.nstart < x.nend)
}

/// Word positions of a normalised text, to measure how far apart two spans are.
struct WordIndex {
    starts: Vec<usize>,
}

impl WordIndex {
    fn new(text: &str) -> Self {
        let mut starts = Vec::new();
        let mut in_word = false;
        for (i, c) in text.char_indices() {
            let w = is_word_char(c);
            if w && !in_word {
                starts.push(i);
            }
            in_word = w;
        }
        WordIndex { starts }
    }

    /// The index of the word at or before byte `pos`.
    fn word_at(&self, pos: usize) -> usize {
        self.starts.partition_point(|&s| s <= pos).saturating_sub(1)
    }

    /// The first and last word index of a byte span.
    fn span(&self, start: usize, end: usize) -> (usize, usize) {
        (self.word_at(start), self.word_at(end.saturating_sub(1)))
    }
}

/// The word spans of one entity's context terms, sorted, so that "is one within N words"
/// looks only at the terms in a window instead of at every term of the text.
struct ContextSpans {
    spans: Vec<(usize, usize)>,
    longest: usize,
}

impl ContextSpans {
    fn new(mut spans: Vec<(usize, usize)>) -> Self {
        spans.sort_unstable();
        let longest = spans.iter().map(|(a, b)| b - a).max().unwrap_or(0);
        ContextSpans { spans, longest }
    }

    /// Whether a term lies at most `n` words away from `(a0, a1)` (0 when they overlap).
    fn any_within(&self, (a0, a1): (usize, usize), n: usize) -> bool {
        let lo = a0.saturating_sub(n + 1 + self.longest);
        let first = self.spans.partition_point(|&(b0, _)| b0 < lo);
        self.spans[first..]
            .iter()
            .take_while(|&&(b0, _)| b0 <= a1 + n + 1)
            .any(|&(b0, b1)| gap((a0, a1), (b0, b1)) <= n)
    }
}

/// How many words lie strictly between two word spans (0 when they touch or overlap).
fn gap((a0, a1): (usize, usize), (b0, b1): (usize, usize)) -> usize {
    if b0 > a1 {
        b0 - a1 - 1
    } else if a0 > b1 {
        a0 - b1 - 1
    } else {
        0
    }
}

/// Whether `list`'s alert rule holds for `matches`, and why, in a sentence.
fn rule_outcome(list: &Watchlist, matches: &[EntityMatch]) -> (bool, String) {
    let present: BTreeSet<&str> = matches
        .iter()
        .filter(|m| m.watchlist == list.id)
        .map(|m| m.entity.as_str())
        .collect();
    let rule = &list.alert;
    let forbidden: Vec<&str> = rule
        .none
        .iter()
        .map(String::as_str)
        .filter(|id| present.contains(id))
        .collect();
    if !forbidden.is_empty() {
        return (
            false,
            format!("rule `none` is broken by {}", forbidden.join(", ")),
        );
    }
    let missing: Vec<&str> = rule
        .all
        .iter()
        .map(String::as_str)
        .filter(|id| !present.contains(id))
        .collect();
    if !missing.is_empty() {
        return (
            false,
            format!("rule `all` is not met: {} not found", missing.join(", ")),
        );
    }
    if !rule.any.is_empty() {
        let hit: Vec<&str> = rule
            .any
            .iter()
            .map(String::as_str)
            .filter(|id| present.contains(id))
            .collect();
        if hit.is_empty() {
            return (
                false,
                format!(
                    "rule `any` is not met: none of {} found",
                    rule.any.join(", ")
                ),
            );
        }
        return (true, format!("found {}", hit.join(", ")));
    }
    if !rule.all.is_empty() {
        return (true, format!("found all of {}", rule.all.join(", ")));
    }
    if present.is_empty() {
        (false, "no entity found".to_string())
    } else {
        let found: Vec<&str> = present.into_iter().collect();
        (true, format!("found {}", found.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(files: &[(&str, &str)]) -> WatchSet {
        let sources: Vec<(PathBuf, String)> = files
            .iter()
            .map(|(name, text)| (PathBuf::from(format!("{name}.toml")), text.to_string()))
            .collect();
        let (set, diags) = WatchSet::from_sources(&sources);
        assert!(diags.is_empty(), "{diags:?}");
        set.unwrap_or_default()
    }

    const ENTITIES: &str = r#"
[[entity]]
id = "a"
aliases = ["alpha"]
[[entity]]
id = "b"
aliases = ["bravo"]
[[entity]]
id = "c"
aliases = ["charlie"]
"#;

    #[test]
    fn alert_rules() {
        let rule = |alert: &str| format!("name = \"x\"\n{ENTITIES}\n[alert]\n{alert}\n");
        let cases: &[(&str, &str, bool)] = &[
            ("", "nothing here", false),
            ("", "charlie only", true),
            ("any = [\"a\", \"b\"]", "charlie only", false),
            ("any = [\"a\", \"b\"]", "bravo and charlie", true),
            ("all = [\"a\", \"b\"]", "alpha alone", false),
            ("all = [\"a\", \"b\"]", "alpha with bravo", true),
            ("any = [\"c\"]\nall = [\"a\"]", "charlie alone", false),
            ("any = [\"c\"]\nall = [\"a\"]", "charlie and alpha", true),
            ("none = [\"c\"]", "alpha", true),
            ("none = [\"c\"]", "alpha and charlie", false),
            ("none = [\"c\"]", "nothing", false),
        ];
        for (alert, text, want) in cases {
            let s = set(&[("x", &rule(alert))]);
            let got = s.alerting(&s.find(text)).contains(&"x".to_string());
            assert_eq!(got, *want, "rule {alert:?} on {text:?}");
        }
    }

    #[test]
    fn two_watchlists_may_claim_the_same_words() {
        let s = set(&[
            ("one", &format!("name = \"1\"\n{ENTITIES}")),
            ("two", &format!("name = \"2\"\n{ENTITIES}")),
        ]);
        let found = s.find("alpha");
        let lists: Vec<&str> = found.iter().map(|m| m.watchlist.as_str()).collect();
        assert_eq!(lists, ["one", "two"]);
    }

    #[test]
    fn the_longest_alias_wins_within_a_watchlist() {
        let s = set(&[(
            "x",
            "[[entity]]\nid = \"country\"\naliases = [\"North Korea\"]\n[[entity]]\nid = \"army\"\naliases = [\"North Korean army\"]\n",
        )]);
        let found: Vec<(String, String)> = s
            .find("the North Korean army and North Korea")
            .into_iter()
            .map(|m| (m.entity, m.found))
            .collect();
        assert_eq!(
            found,
            [
                ("army".to_string(), "North Korean army".to_string()),
                ("country".to_string(), "North Korea".to_string())
            ]
        );
    }

    #[test]
    fn near_counts_words_between() {
        let s = set(&[(
            "x",
            "[[entity]]\nid = \"s\"\naliases = [\"sapper\"]\nnear = [\"Korea\"]\nnear_words = 2\n",
        )]);
        assert_eq!(s.find("sappers from Korea").len(), 1);
        // At most `near_words` words between the two.
        assert_eq!(s.find("Korea sent two sappers").len(), 1);
        assert_eq!(s.find("Korea sent one two sappers").len(), 0);
        assert_eq!(s.find("sappers and then, later, Korea").len(), 0);
    }

    #[test]
    fn label_and_kind_default() {
        let s = set(&[("x", "[[entity]]\nid = \"k\"\naliases = [\"Kursk\"]\n")]);
        let e = s.entity("x", "k").cloned().unwrap_or_default();
        assert_eq!(
            (e.label.as_str(), e.kind.as_str(), e.near_words),
            ("k", "topic", DEFAULT_NEAR_WORDS)
        );
        assert_eq!(s.list("x").map(|l| l.name.as_str()), Some("x"));
    }
}
