//! One watchlist file's text → a `Watchlist`, or every problem in it as a `Diagnostic`.
//!
//! Pure: the caller reads the file. The text is parsed with `toml`'s spanned document
//! (`DeTable`), so that every problem points at `line:col` of the key or value at fault,
//! and validation goes on after a problem so that one typo never hides another.
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::{AlertRule, Diagnostic, Entity, Watchlist, DEFAULT_NEAR_WORDS, KINDS};
use crate::transforms::normalize::normalize_phrase;

const TOP_KEYS: &[&str] = &["name", "recipients", "entity", "alert", "alert_now"];
/// What `alert_now` may ask for: the claim statuses mailed at once.
pub const ALERT_NOW_STATUSES: &[&str] = &["contradicts", "updates", "corroborates", "new"];
const ENTITY_KEYS: &[&str] = &[
    "id",
    "label",
    "kind",
    "aliases",
    "transliterate",
    "near",
    "near_words",
    "exclude",
];
const ALERT_KEYS: &[&str] = &["any", "all", "none"];

/// Byte offsets → 1-based line and column (column in characters).
pub struct LineIndex<'a> {
    src: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(src: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { src, line_starts }
    }

    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.src.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let col = self
            .src
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line, col + 1)
    }
}

struct Ctx<'a> {
    path: &'a Path,
    lines: LineIndex<'a>,
    diags: Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn at(&mut self, span: std::ops::Range<usize>, message: impl Into<String>) {
        let (line, col) = self.lines.line_col(span.start);
        self.diags.push(Diagnostic {
            path: self.path.to_path_buf(),
            line,
            col,
            message: message.into(),
        });
    }

    fn unknown_key(&mut self, key: &Spanned<Cow<'_, str>>, known: &[&str], place: &str) {
        let name = key.get_ref();
        let message = match nearest(name, known) {
            Some(near) => format!("unknown key `{name}`{place}; did you mean `{near}`?"),
            None => format!(
                "unknown key `{name}`{place}; expected one of: {}",
                known.join(", ")
            ),
        };
        self.at(key.span(), message);
    }

    fn string(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Option<String> {
        match value.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            other => {
                self.at(
                    value.span(),
                    format!(
                        "`{key}` must be a string, not {}; write it in double quotes: {key} = \"…\"",
                        other.type_str()
                    ),
                );
                None
            }
        }
    }

    fn strings(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Option<Vec<Spanned<String>>> {
        let DeValue::Array(items) = value.get_ref() else {
            self.at(
                value.span(),
                format!(
                    "`{key}` must be an array of strings, not {}; write it in brackets: {key} = [\"…\", \"…\"]",
                    value.get_ref().type_str()
                ),
            );
            return None;
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push(Spanned::new(item.span(), s.to_string())),
                other => self.at(
                    item.span(),
                    format!(
                        "`{key}` must contain only strings; found {}: put it in double quotes",
                        other.type_str()
                    ),
                ),
            }
        }
        Some(out)
    }
}

/// Parse and validate one watchlist. `id` is the file stem. The watchlist is returned only
/// when there are no diagnostics.
pub fn parse_watchlist(path: &Path, id: &str, src: &str) -> (Option<Watchlist>, Vec<Diagnostic>) {
    let mut cx = Ctx {
        path,
        lines: LineIndex::new(src),
        diags: Vec::new(),
    };
    let (doc, errors) = DeTable::parse_recoverable(src);
    if !errors.is_empty() {
        for e in errors {
            let span = e.span().unwrap_or(0..0);
            let message = e.message().lines().next().unwrap_or("invalid TOML").trim();
            cx.at(
                span,
                format!("TOML syntax error: {message}; {}", syntax_hint(message)),
            );
        }
        return (None, finish(cx.diags));
    }
    let mut list = Watchlist {
        id: id.to_string(),
        name: id.to_string(),
        ..Watchlist::default()
    };
    // Alert rules are checked once every entity id is known.
    let mut alert_refs: Vec<(&'static str, Spanned<String>)> = Vec::new();
    // Normalised alias → (entity id, where it was first claimed).
    let mut claimed: HashMap<String, String> = HashMap::new();
    let mut ids: Vec<String> = Vec::new();
    let mut first_lines: HashMap<String, usize> = HashMap::new();
    for (key, value) in doc.get_ref().iter() {
        match key.get_ref().as_ref() {
            "name" => {
                if let Some(name) = cx.string("name", value) {
                    list.name = name;
                }
            }
            "recipients" => {
                if let Some(r) = cx.strings("recipients", value) {
                    list.recipients = Some(r.into_iter().map(Spanned::into_inner).collect());
                }
            }
            "alert_now" => {
                if let Some(statuses) = cx.strings("alert_now", value) {
                    for st in statuses {
                        let name = st.get_ref().trim().to_lowercase();
                        if ALERT_NOW_STATUSES.contains(&name.as_str()) {
                            if !list.alert_now.contains(&name) {
                                list.alert_now.push(name);
                            }
                            continue;
                        }
                        let hint = match nearest(&name, ALERT_NOW_STATUSES) {
                            Some(near) => format!("did you mean `{near}`?"),
                            None => format!("expected one of: {}", ALERT_NOW_STATUSES.join(", ")),
                        };
                        cx.at(
                            st.span(),
                            format!(
                                "`alert_now` names unknown claim status `{}`; {hint}",
                                st.get_ref()
                            ),
                        );
                    }
                }
            }
            "entity" => {
                let DeValue::Array(items) = value.get_ref() else {
                    cx.at(
                        key.span(),
                        "`entity` must be an array of tables: write each one as `[[entity]]`",
                    );
                    continue;
                };
                for item in items.iter() {
                    let DeValue::Table(table) = item.get_ref() else {
                        cx.at(item.span(), "each `entity` must be a table (`[[entity]]`)");
                        continue;
                    };
                    // Checked on the raw table, so that an entity with another problem
                    // still counts for duplicate ids and for the alert rules.
                    if let Some(id) = table.get("id") {
                        if let DeValue::String(s) = id.get_ref() {
                            if let Some(line) = first_lines.get(s.as_ref()) {
                                cx.at(
                                    id.span(),
                                    format!(
                                        "duplicate entity id `{s}` (first on line {line}); rename one, or merge their aliases into one entity"
                                    ),
                                );
                            } else {
                                ids.push(s.to_string());
                                first_lines
                                    .insert(s.to_string(), cx.lines.line_col(id.span().start).0);
                            }
                        }
                    }
                    if let Some(entity) = parse_entity(&mut cx, item.span(), table, &mut claimed) {
                        if !list.entities.iter().any(|e| e.id == entity.id) {
                            list.entities.push(entity);
                        }
                    }
                }
            }
            "alert" => {
                let DeValue::Table(table) = value.get_ref() else {
                    cx.at(value.span(), "`alert` must be a table (`[alert]`)");
                    continue;
                };
                for (k, v) in table.iter() {
                    let slot: &'static str = match k.get_ref().as_ref() {
                        "any" => "any",
                        "all" => "all",
                        "none" => "none",
                        _ => {
                            cx.unknown_key(k, ALERT_KEYS, " in [alert]");
                            continue;
                        }
                    };
                    if let Some(refs) = cx.strings(slot, v) {
                        alert_refs.extend(refs.into_iter().map(|id| (slot, id)));
                    }
                }
            }
            _ => cx.unknown_key(key, TOP_KEYS, ""),
        }
    }
    let mut rule = AlertRule::default();
    for (slot, id) in alert_refs {
        if !ids.iter().any(|e| e == id.get_ref()) {
            let known: Vec<&str> = ids.iter().map(String::as_str).collect();
            let hint = match nearest(id.get_ref(), &known) {
                Some(near) => format!("; did you mean `{near}`?"),
                None if known.is_empty() => {
                    "; define it first with an [[entity]] of that id".to_string()
                }
                None => format!("; the entities of this file are: {}", known.join(", ")),
            };
            cx.at(
                id.span(),
                format!(
                    "[alert] {slot} names unknown entity `{}`{hint}",
                    id.get_ref()
                ),
            );
            continue;
        }
        let target = match slot {
            "any" => &mut rule.any,
            "all" => &mut rule.all,
            _ => &mut rule.none,
        };
        target.push(id.into_inner());
    }
    list.alert = rule;
    if list.entities.is_empty() && cx.diags.is_empty() {
        cx.at(
            0..0,
            "watchlist has no entities; add at least one `[[entity]]`",
        );
    }
    let diags = finish(cx.diags);
    if diags.is_empty() {
        (Some(list), diags)
    } else {
        (None, diags)
    }
}

fn finish(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags.sort_by_key(|d| (d.line, d.col));
    diags
}

fn parse_entity(
    cx: &mut Ctx<'_>,
    header: std::ops::Range<usize>,
    table: &DeTable<'_>,
    claimed: &mut HashMap<String, String>,
) -> Option<Entity> {
    let before = cx.diags.len();
    let mut entity = Entity {
        near_words: DEFAULT_NEAR_WORDS,
        ..Entity::default()
    };
    let mut aliases: Option<Vec<Spanned<String>>> = None;
    let mut id_seen = false;
    for (key, value) in table.iter() {
        match key.get_ref().as_ref() {
            "id" => {
                if let Some(id) = cx.string("id", value) {
                    id_seen = true;
                    if !valid_id(&id) {
                        cx.at(
                            value.span(),
                            format!(
                                "entity id `{id}` must be lower-case letters, digits, `-` or `_`; did you mean `{}`?",
                                id_like(&id)
                            ),
                        );
                    }
                    entity.id = id;
                } else {
                    id_seen = true;
                }
            }
            "label" => entity.label = cx.string("label", value).unwrap_or_default(),
            "kind" => {
                if let Some(kind) = cx.string("kind", value) {
                    if !KINDS.contains(&kind.as_str()) {
                        let hint = match nearest(&kind, KINDS) {
                            Some(near) => format!("did you mean `{near}`?"),
                            None => format!("expected one of: {}", KINDS.join(", ")),
                        };
                        cx.at(value.span(), format!("unknown kind `{kind}`; {hint}"));
                    }
                    entity.kind = kind;
                }
            }
            "aliases" => aliases = cx.strings("aliases", value),
            "transliterate" => match value.get_ref() {
                DeValue::Boolean(b) => entity.transliterate = *b,
                other => cx.at(
                    value.span(),
                    format!(
                        "`transliterate` must be true or false, not {}; write it without quotes",
                        other.type_str()
                    ),
                ),
            },
            "near" => entity.near = terms(cx, "near", value),
            "exclude" => entity.exclude = terms(cx, "exclude", value),
            "near_words" => match value.get_ref() {
                DeValue::Integer(i) => match i.as_str().parse::<usize>() {
                    Ok(n) if i.radix() == 10 && (1..=1000).contains(&n) => entity.near_words = n,
                    _ => cx.at(
                        value.span(),
                        "`near_words` must be a whole number from 1 to 1000; the default is 12",
                    ),
                },
                other => cx.at(
                    value.span(),
                    format!(
                        "`near_words` must be a whole number, not {}; write it without quotes, e.g. near_words = 12",
                        other.type_str()
                    ),
                ),
            },
            _ => cx.unknown_key(key, ENTITY_KEYS, " in [[entity]]"),
        }
    }
    if !id_seen {
        cx.at(
            header.clone(),
            "entity is missing required key `id`; add a line such as id = \"kursk\" (lower-case letters, digits, - or _)",
        );
    }
    let Some(aliases) = aliases else {
        if !table.contains_key("aliases") {
            let who = if entity.id.is_empty() {
                String::new()
            } else {
                format!(" `{}`", entity.id)
            };
            cx.at(
                header,
                format!("entity{who} is missing required key `aliases`; list the names it goes by"),
            );
        }
        return None;
    };
    if aliases.is_empty() {
        cx.at(
            table.get("aliases").map_or(header, |v| v.span()),
            format!(
                "entity `{}` has no aliases; it could never match: list the names it goes by",
                entity.id
            ),
        );
    }
    for alias in &aliases {
        let norm = normalize_phrase(alias.get_ref());
        let alnum = norm.chars().filter(|c| c.is_alphanumeric()).count();
        if alnum == 0 {
            cx.at(alias.span(), "empty alias; write the name to look for");
            continue;
        }
        if alnum == 1 {
            cx.at(
                alias.span(),
                format!(
                    "alias `{}` is a single letter; it would match every lone `{}` in a text: write the full name",
                    alias.get_ref(),
                    norm
                ),
            );
            continue;
        }
        match claimed.get(&norm) {
            Some(owner) if *owner != entity.id => cx.at(
                alias.span(),
                format!(
                    "alias `{}` is already claimed by entity `{owner}`; an alias must name one entity: remove it from one of them",
                    alias.get_ref()
                ),
            ),
            Some(_) => {}
            None => {
                claimed.insert(norm, entity.id.clone());
            }
        }
    }
    if entity.label.is_empty() {
        entity.label = entity.id.clone();
    }
    if entity.kind.is_empty() {
        entity.kind = "topic".to_string();
    }
    entity.aliases = aliases.into_iter().map(Spanned::into_inner).collect();
    if cx.diags.len() > before {
        None
    } else {
        Some(entity)
    }
}

/// The strings of a `near` or `exclude` list; an empty one is a diagnostic.
fn terms(cx: &mut Ctx<'_>, key: &str, value: &Spanned<DeValue<'_>>) -> Vec<String> {
    let mut out = Vec::new();
    for t in cx.strings(key, value).unwrap_or_default() {
        if !normalize_phrase(t.get_ref())
            .chars()
            .any(char::is_alphanumeric)
        {
            cx.at(
                t.span(),
                format!("empty `{key}` term; write a word or phrase, or remove it"),
            );
            continue;
        }
        out.push(t.into_inner());
    }
    out
}

/// What to look at for a TOML syntax error, in a sentence.
fn syntax_hint(message: &str) -> &'static str {
    if message.contains("string") {
        "close the text with the same quote that opens it, or escape a quote inside it as \\\""
    } else if message.contains("array") {
        "a list is [\"a\", \"b\"]: check the commas and the closing bracket"
    } else if message.contains("table") || message.contains("duplicate") {
        "each key may appear once per table; use [[entity]] for each entity"
    } else {
        "each line is key = value, with text in double quotes"
    }
}

/// An id close to `id` that follows the rules: lower case, other characters as `-`.
fn id_like(id: &str) -> String {
    let mut out = String::new();
    for c in id.to_lowercase().chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "entity-1".to_string()
    } else {
        out
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// The known word closest to `word`, if it is close enough to be a likely typo.
pub fn nearest<'k>(word: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (strsim::levenshtein(word, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.chars().count() / 3) && *d < k.chars().count())
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let idx = LineIndex::new("ab\nдва = 1\n");
        assert_eq!(idx.line_col(0), (1, 1));
        assert_eq!(idx.line_col(3), (2, 1));
        assert_eq!(idx.line_col(3 + "два ".len()), (2, 5));
    }

    #[test]
    fn nearest_key_suggestions() {
        assert_eq!(nearest("alias", ENTITY_KEYS), Some("aliases"));
        assert_eq!(nearest("lable", ENTITY_KEYS), Some("label"));
        assert_eq!(nearest("colour", ENTITY_KEYS), None);
        assert_eq!(nearest("persn", KINDS), Some("person"));
    }

    const ENTITY: &str = "[[entity]]\nid = \"shoigu\"\nlabel = \"Sergei Shoigu\"\nkind = \"person\"\naliases = [\"Shoigu\"]\n";

    #[test]
    fn alert_now_reads_claim_statuses() {
        let src = format!("name = \"W\"\nalert_now = [\"contradicts\", \"Updates\"]\n{ENTITY}");
        let (list, diags) = parse_watchlist(Path::new("w.toml"), "w", &src);
        assert!(diags.is_empty(), "{diags:?}");
        let list = list.unwrap();
        assert_eq!(list.alert_now, vec!["contradicts", "updates"]);
    }

    #[test]
    fn alert_now_names_a_bad_value_where_it_is() {
        let src = format!("name = \"W\"\nalert_now = [\"contradicts\", \"update\", 3]\n{ENTITY}");
        let (list, diags) = parse_watchlist(Path::new("w.toml"), "w", &src);
        assert!(list.is_none());
        let lines: Vec<String> = diags.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            vec![
                "w.toml:2:29: `alert_now` names unknown claim status `update`; did you mean `updates`?",
                "w.toml:2:39: `alert_now` must contain only strings; found integer: put it in double quotes",
            ],
            "{lines:?}"
        );
        let src = format!("alert_now = \"contradicts\"\n{ENTITY}");
        let (_, diags) = parse_watchlist(Path::new("w.toml"), "w", &src);
        assert_eq!(diags.len(), 1);
        assert_eq!((diags[0].line, diags[0].col), (1, 13));
    }
}
