//! Pending stories and claims → the digest's plain text and HTML. Pure; feed text escaped.
//! OWNER: sinks helper. Interface (keep): the Digest* types and `render`.
//!
//! Feed text is hostile input. Every string that came from a feed is cleaned of control
//! characters (an ESC in a title must not drive the reader's terminal) and length-capped
//! before it reaches a template; the HTML template auto-escapes everything; a link becomes
//! an `href` only when it parses as an absolute http(s) URL; and the rendered HTML body is
//! run through ammonia with a small allow-list, so a mistake in the template cannot turn
//! into script. The document skeleton (head, style) is added after sanitising because
//! ammonia cleans fragments and would strip it; nothing feed-derived goes into it unescaped.
use std::collections::HashSet;

use anyhow::Context as _;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Digest {
    /// A heading for the body; empty means "newswatch digest".
    pub subject: String,
    /// RFC 3339.
    pub generated_at: String,
    pub groups: Vec<DigestGroup>,
    pub failing_feeds: Vec<FailingFeed>,
    /// Pending stories left out by `email.max_stories_per_digest`: they come in the next
    /// digest.
    pub held_back: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct DigestGroup {
    pub watchlist_id: String,
    pub watchlist_name: String,
    pub stories: Vec<DigestStory>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct DigestStory {
    pub title: String,
    pub url: String,
    pub source: String,
    pub published: Option<String>,
    /// Entity labels.
    pub entities: Vec<String>,
    pub also_reported_by: Vec<AlsoReported>,
    pub claims: Vec<DigestClaim>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct AlsoReported {
    pub source: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct DigestClaim {
    /// NEW | CONTRADICTS | CORROBORATES | UPDATES (any case is accepted).
    pub status: String,
    pub subject: String,
    pub measure: String,
    /// Human text of the value: "about 600", "3,000–4,000".
    pub value: String,
    pub attributed_to: Option<String>,
    pub quote: String,
    pub related: Vec<RelatedClaim>,
    /// Stored claims compared but not listed (the digest shows the most relevant few).
    pub related_more: usize,
    /// Independent sources among the stored claims that agree with this one: each source
    /// once, and one wire text (the same sentence under several sources: syndicated
    /// copies) once. A syndicated copy is not corroboration.
    pub independent_sources: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct RelatedClaim {
    /// How this stored claim relates to the new one: "contradicts", "agrees with",
    /// "earlier value"; empty = derived from the new claim's status.
    pub relation: String,
    pub value: String,
    pub source: String,
    pub url: String,
    pub date: Option<String>,
    pub quote: String,
    pub attributed_to: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct FailingFeed {
    pub name: String,
    pub url: String,
    pub error: String,
    pub consecutive_failures: u32,
    pub since: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Rendered {
    pub text: String,
    pub html: String,
}

const TEXT_TEMPLATE: &str = include_str!("templates/digest.txt.j2");
const HTML_TEMPLATE: &str = include_str!("templates/digest.html.j2");
/// The fixed document around the sanitised body; see the module comment.
const HTML_STYLE: &str = include_str!("templates/digest.css");

/// Plain-text lines are wrapped here (a terminal mail reader shows 80 columns).
const TEXT_WIDTH: usize = 78;
const MAX_TITLE_CHARS: usize = 300;
const MAX_QUOTE_CHARS: usize = 1200;
const MAX_FIELD_CHARS: usize = 200;
const MAX_URL_CHARS: usize = 2000;

/// Render the digest as plain text and HTML.
pub fn render(digest: &Digest) -> anyhow::Result<Rendered> {
    let view = View::from_digest(digest);
    let env = environment()?;
    let text = env
        .get_template("digest.txt.j2")
        .and_then(|t| t.render(&view))
        .context("rendering the plain-text digest")?;
    let body = env
        .get_template("digest.html.j2")
        .and_then(|t| t.render(&view))
        .context("rendering the HTML digest")?;
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{}</style>\n</head>\n\
         <body style=\"margin:0;padding:0;background-color:#ffffff;\">\n{}\n</body>\n</html>\n",
        html_escape::encode_text(&view.title),
        HTML_STYLE,
        sanitize_html(&body)
    );
    Ok(Rendered { text, html })
}

/// The email subject: `"[newswatch] 3 stories, 2 contradictions — Russia–DPRK military
/// cooperation"`. Counts each story once even when two watchlists share it.
pub fn subject_line(prefix: &str, digest: &Digest) -> String {
    let counts = Counts::of(digest);
    let mut parts = vec![plural(counts.stories, "story", "stories")];
    if counts.contradictions > 0 {
        parts.push(plural(
            counts.contradictions,
            "contradiction",
            "contradictions",
        ));
    }
    if counts.stories == 0 {
        parts = vec!["no new stories".to_string()];
    }
    let names: Vec<String> = digest
        .groups
        .iter()
        .filter(|g| !g.stories.is_empty())
        .map(|g| clean_line(group_name(g), MAX_FIELD_CHARS))
        .fold(Vec::new(), |mut acc, n| {
            if !acc.contains(&n) {
                acc.push(n);
            }
            acc
        });
    let topic = match names.len() {
        0 => String::new(),
        1 | 2 => names.join(", "),
        n => format!("{}, {} +{} more", names[0], names[1], n - 2),
    };
    let mut subject = String::new();
    let prefix = clean_line(prefix, MAX_FIELD_CHARS);
    if !prefix.is_empty() {
        subject.push_str(&prefix);
        subject.push(' ');
    }
    subject.push_str(&parts.join(", "));
    if !topic.is_empty() {
        subject.push_str(" — ");
        subject.push_str(&topic);
    }
    subject
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn group_name(g: &DigestGroup) -> &str {
    if g.watchlist_name.trim().is_empty() {
        &g.watchlist_id
    } else {
        &g.watchlist_name
    }
}

fn environment() -> anyhow::Result<Environment<'static>> {
    let mut env = Environment::new();
    // Explicit rather than by file extension, so renaming a template can never turn
    // escaping off for the HTML one.
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html.j2") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    // A typo in a template field is an error in tests, not a silently empty line.
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    env.add_filter("wrap", wrap_filter);
    env.add_template("digest.txt.j2", TEXT_TEMPLATE)
        .context("loading the plain-text digest template")?;
    env.add_template("digest.html.j2", HTML_TEMPLATE)
        .context("loading the HTML digest template")?;
    Ok(env)
}

/// `{{ text | wrap(indent, hang) }}`: word-wrap to `TEXT_WIDTH` columns; the first line
/// indented by `indent`, the others by `hang` (default: `indent`).
fn wrap_filter(text: String, indent: usize, hang: Option<usize>) -> String {
    wrap_hanging(&text, TEXT_WIDTH, indent, hang.unwrap_or(indent))
}

#[cfg(test)]
fn wrap(text: &str, width: usize, indent: usize) -> String {
    wrap_hanging(text, width, indent, indent)
}

/// Greedy word wrap; a word longer than the line (a URL) gets a line of its own.
fn wrap_hanging(text: &str, width: usize, indent: usize, hang: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    let room_for = |lines: &Vec<String>| {
        let pad = if lines.is_empty() { indent } else { hang };
        width.saturating_sub(pad).max(20)
    };
    let mut line = String::new();
    let mut line_len = 0;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if line_len > 0 && line_len + 1 + len > room_for(&lines) {
            lines.push(std::mem::take(&mut line));
            line_len = 0;
        }
        if line_len > 0 {
            line.push(' ');
            line_len += 1;
        }
        line.push_str(word);
        line_len += len;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let pad = if i == 0 { indent } else { hang };
            format!("{}{l}", " ".repeat(pad))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The second line of defence: only the tags and attributes the template uses survive,
/// and links only with http(s) targets.
fn sanitize_html(fragment: &str) -> String {
    let tags: HashSet<&str> = [
        "a",
        "blockquote",
        "br",
        "code",
        "div",
        "em",
        "h1",
        "h2",
        "h3",
        "li",
        "p",
        "small",
        "span",
        "strong",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    ]
    .into_iter()
    .collect();
    // The inline styles the template writes; any other property (a `url(…)` background,
    // a `position`) is dropped.
    let style_properties: HashSet<&str> = [
        "background-color",
        "border",
        "border-bottom",
        "border-collapse",
        "border-left",
        "border-radius",
        "color",
        "display",
        "font-family",
        "font-size",
        "font-style",
        "font-weight",
        "letter-spacing",
        "line-height",
        "margin",
        "max-width",
        "overflow-wrap",
        "padding",
        "table-layout",
        "text-align",
        "text-decoration",
        "text-transform",
        "width",
        "word-break",
        "word-wrap",
    ]
    .into_iter()
    .collect();
    let mut builder = ammonia::Builder::empty();
    builder
        .tags(tags)
        .add_tag_attributes("a", ["href"])
        .add_tag_attributes(
            "table",
            ["width", "cellpadding", "cellspacing", "border", "role"],
        )
        .add_tag_attributes("td", ["align"])
        .add_generic_attributes(["class", "style", "id"])
        .filter_style_properties(style_properties)
        .url_schemes(["http", "https"].into_iter().collect())
        // Absolute http(s) links, and the digest's own `#nw-c1` anchors; nothing relative.
        .url_relative(ammonia::UrlRelative::Custom(Box::new(own_anchor)))
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true);
    builder.clean(fragment).to_string()
}

/// A relative link survives only as one of the digest's own anchors (`#nw-c1`, `#nw-u2`).
fn own_anchor(url: &str) -> Option<std::borrow::Cow<'_, str>> {
    let rest = url.strip_prefix("#nw-")?;
    let ok = !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    ok.then_some(std::borrow::Cow::Borrowed(url))
}

/// Single-line text for display: control and bidi-override characters removed (they can
/// drive a terminal or disguise text), whitespace collapsed, length capped.
fn clean_line(s: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max_chars * 4));
    let mut count = 0;
    let mut pending_space = false;
    for c in s.chars() {
        let c = if c.is_control() { ' ' } else { c };
        if is_format_trap(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = count > 0;
            continue;
        }
        if count >= max_chars {
            out.push('…');
            return out;
        }
        if pending_space {
            out.push(' ');
            count += 1;
            pending_space = false;
        }
        out.push(c);
        count += 1;
    }
    out
}

/// Bidirectional overrides/isolates and zero-width characters: invisible, and able to make
/// displayed text differ from what it says.
fn is_format_trap(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

fn clean_opt(s: &Option<String>, max_chars: usize) -> Option<String> {
    s.as_deref()
        .map(|s| clean_line(s, max_chars))
        .filter(|s| !s.is_empty())
}

/// The URL as an href, only if it is an absolute http(s) URL with a host.
fn safe_href(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    let ok = matches!(parsed.scheme(), "http" | "https") && parsed.host_str().is_some();
    ok.then(|| parsed.to_string())
        .filter(|s| s.len() <= MAX_URL_CHARS)
}

/// "2026-11-29 07:00 UTC" from RFC 3339; anything else is shown as given (cleaned).
fn display_date(s: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(s.trim()) {
        Ok(dt) => dt
            .with_timezone(&chrono::Utc)
            .format("%Y-%m-%d %H:%M UTC")
            .to_string(),
        Err(_) => clean_line(s, MAX_FIELD_CHARS),
    }
}

fn display_date_opt(s: &Option<String>) -> Option<String> {
    s.as_deref().map(display_date).filter(|s| !s.is_empty())
}

#[derive(Debug, Default)]
struct Counts {
    stories: usize,
    claims: usize,
    contradictions: usize,
}

impl Counts {
    fn of(digest: &Digest) -> Counts {
        let mut seen = HashSet::new();
        let mut counts = Counts::default();
        for story in digest.groups.iter().flat_map(|g| &g.stories) {
            // The same story under two watchlists is one story (and its claims count once).
            let key = if story.url.is_empty() {
                story.title.as_str()
            } else {
                story.url.as_str()
            };
            if !seen.insert(key) {
                continue;
            }
            counts.stories += 1;
            counts.claims += story.claims.len();
            counts.contradictions += story
                .claims
                .iter()
                .filter(|c| c.status.eq_ignore_ascii_case("contradicts"))
                .count();
        }
        counts
    }
}

// ---- the view the templates see: cleaned, display-ready, nothing else ----

#[derive(Serialize)]
struct View {
    title: String,
    title_rule: String,
    generated: String,
    summary: String,
    /// "What changed", at most three lines: new stories per watchlist, contradictions,
    /// updates (each a link to its claim below).
    changes: Vec<ChangeLine>,
    groups: Vec<GroupView>,
    failing_feeds: Vec<FeedView>,
}

#[derive(Serialize)]
struct ChangeLine {
    /// "20 new stories: Russia–DPRK 15, UN sanctions 5" or "1 contradiction:".
    text: String,
    links: Vec<AnchorLink>,
    /// Claims of this kind not listed on the line.
    more: usize,
    /// The whole line for the text part, the links as "(C1) …".
    plain: String,
}

#[derive(Serialize)]
struct AnchorLink {
    /// "nw-c1": made here from a counter, never from feed text.
    anchor: String,
    /// "C1", the marker the text part uses for the same claim.
    marker: String,
    text: String,
}

#[derive(Serialize)]
struct GroupView {
    name: String,
    stories: Vec<StoryView>,
}

#[derive(Serialize)]
struct StoryView {
    title: String,
    url: String,
    href: Option<String>,
    source: String,
    date: Option<String>,
    entities: Vec<String>,
    also: Vec<LinkView>,
    claims: Vec<ClaimView>,
}

#[derive(Serialize)]
struct LinkView {
    text: String,
    url: String,
    href: Option<String>,
}

#[derive(Serialize)]
struct ClaimView {
    status: String,
    /// 0: contradicts or updates, 1: new (or unknown), 2: corroborates; shown in that order.
    rank: u8,
    /// How it is laid out: "side" (this figure beside the stored ones grouped by value,
    /// for contradictions and updates), "agree" (one line), "list".
    kind: &'static str,
    /// "nw-c1" / "nw-u1" for contradictions and updates, the target of the top lines.
    anchor: String,
    /// "C1" / "U1".
    marker: String,
    /// The stored claims grouped by value ("side").
    groups: Vec<ValueGroupView>,
    /// "agrees with 5 earlier reports: A, B, C and 2 more; first 18 June 2025".
    agree: String,
    /// A CSS class from a fixed set, never feed text.
    class: &'static str,
    /// How the related claims relate: "contradicts", "agrees with", "earlier value".
    relation: &'static str,
    label: String,
    value: String,
    attributed_to: Option<String>,
    quote: String,
    related: Vec<RelatedView>,
    related_more: usize,
}

#[derive(Serialize)]
struct ValueGroupView {
    relation: String,
    value: String,
    /// "3 sources".
    sources: String,
    /// The earliest report of this value.
    first: RelatedView,
}

#[derive(Serialize, Clone)]
struct RelatedView {
    relation: String,
    value: String,
    source: String,
    url: String,
    href: Option<String>,
    date: Option<String>,
    attributed_to: Option<String>,
    quote: String,
}

#[derive(Serialize)]
struct FeedView {
    name: String,
    url: String,
    href: Option<String>,
    error: String,
    failures: u32,
    since: Option<String>,
}

impl View {
    fn from_digest(d: &Digest) -> View {
        let title = match clean_line(&d.subject, MAX_TITLE_CHARS) {
            t if t.is_empty() => "newswatch digest".to_string(),
            t => t,
        };
        let counts = Counts::of(d);
        let mut summary = format!(
            "{}, {}",
            plural(counts.stories, "story", "stories"),
            plural(counts.claims, "claim", "claims")
        );
        if counts.contradictions > 0 {
            summary.push_str(&format!(
                " ({})",
                plural(counts.contradictions, "contradiction", "contradictions")
            ));
        }
        if !d.failing_feeds.is_empty() {
            summary.push_str(&format!(
                "; {}",
                plural(d.failing_feeds.len(), "failing feed", "failing feeds")
            ));
        }
        summary.push('.');
        if d.held_back > 0 {
            summary.push_str(&format!(
                " {} held back for the next digest (email.max_stories_per_digest).",
                plural(d.held_back, "more story", "more stories")
            ));
        }
        let mut groups = group_views(&d.groups);
        let changes = changes(&mut groups);
        View {
            title_rule: "=".repeat(title.chars().count().min(TEXT_WIDTH)),
            title,
            generated: display_date(&d.generated_at),
            summary,
            changes,
            groups,
            failing_feeds: d.failing_feeds.iter().map(FeedView::from_feed).collect(),
        }
    }
}

/// Links listed on one "what changed" line; the rest are counted.
const MAX_CHANGE_LINKS: usize = 3;

/// Number the contradictions and updates in the order they are shown and make the top
/// lines: new stories per watchlist, then contradictions, then updates.
fn changes(groups: &mut [GroupView]) -> Vec<ChangeLine> {
    let mut lines = Vec::new();
    let total: usize = groups.iter().map(|g| g.stories.len()).sum();
    if total > 0 {
        let per_list: Vec<String> = groups
            .iter()
            .map(|g| format!("{} {}", g.name, g.stories.len()))
            .collect();
        let text = if groups.len() == 1 {
            format!(
                "{}: {}",
                plural(total, "new story", "new stories"),
                groups[0].name
            )
        } else {
            format!(
                "{}: {}",
                plural(total, "new story", "new stories"),
                per_list.join(", ")
            )
        };
        lines.push(ChangeLine {
            plain: text.clone(),
            text,
            links: Vec::new(),
            more: 0,
        });
    }
    for (status, letter, one, many) in [
        ("CONTRADICTS", 'c', "contradiction", "contradictions"),
        ("UPDATES", 'u', "update", "updates"),
    ] {
        let mut links = Vec::new();
        for c in groups
            .iter_mut()
            .flat_map(|g| g.stories.iter_mut())
            .flat_map(|s| s.claims.iter_mut())
            .filter(|c| c.status == status)
        {
            let n = links.len() + 1;
            c.anchor = format!("nw-{letter}{n}");
            c.marker = format!("{}{n}", letter.to_ascii_uppercase());
            let others: Vec<&str> = c.groups.iter().map(|g| g.value.as_str()).collect();
            let word = if status == "UPDATES" { "was" } else { "vs" };
            let mut text = if c.label.is_empty() {
                c.value.clone()
            } else {
                format!("{}: {}", c.label, c.value)
            };
            if !others.is_empty() {
                text.push_str(&format!(" {word} {}", others.join(", ")));
            }
            links.push(AnchorLink {
                anchor: c.anchor.clone(),
                marker: c.marker.clone(),
                text,
            });
        }
        if !links.is_empty() {
            let more = links.len().saturating_sub(MAX_CHANGE_LINKS);
            let text = format!("{}:", plural(links.len(), one, many));
            links.truncate(MAX_CHANGE_LINKS);
            let mut plain = text.clone();
            for (i, l) in links.iter().enumerate() {
                let sep = if i == 0 { " " } else { "; " };
                plain.push_str(&format!("{sep}({}) {}", l.marker, l.text));
            }
            if more > 0 {
                plain.push_str(&format!(" and {more} more"));
            }
            lines.push(ChangeLine {
                text,
                links,
                more,
                plain,
            });
        }
    }
    lines
}

/// Groups in first-appearance order, one per watchlist (groups with the same id merged);
/// within a group each story once (the same URL twice merged: its "also reported by" and
/// claims joined); empty groups dropped.
fn group_views(groups: &[DigestGroup]) -> Vec<GroupView> {
    let mut merged: Vec<(String, String, Vec<DigestStory>)> = Vec::new();
    for g in groups {
        let pos = merged.iter().position(|(id, _, _)| *id == g.watchlist_id);
        let stories = match pos {
            Some(i) => &mut merged[i].2,
            None => {
                merged.push((
                    g.watchlist_id.clone(),
                    group_name(g).to_string(),
                    Vec::new(),
                ));
                let last = merged.len() - 1;
                &mut merged[last].2
            }
        };
        for s in &g.stories {
            let same = stories
                .iter_mut()
                .find(|o| !s.url.is_empty() && o.url.trim() == s.url.trim());
            match same {
                Some(o) => {
                    for a in &s.also_reported_by {
                        if !o.also_reported_by.iter().any(|x| x.url == a.url) {
                            o.also_reported_by.push(a.clone());
                        }
                    }
                    for e in &s.entities {
                        if !o.entities.contains(e) {
                            o.entities.push(e.clone());
                        }
                    }
                    o.claims.extend(s.claims.iter().cloned());
                }
                None => stories.push(s.clone()),
            }
        }
    }
    merged
        .into_iter()
        .filter(|(_, _, stories)| !stories.is_empty())
        .map(|(_, name, stories)| {
            let mut stories: Vec<StoryView> = stories.iter().map(StoryView::from_story).collect();
            // What matters first: contradictions and updates, then new claims, then the
            // rest; otherwise in the order given (newest first).
            stories.sort_by_key(|s| s.claims.iter().map(|c| c.rank).min().unwrap_or(2));
            GroupView {
                name: clean_line(&name, MAX_FIELD_CHARS),
                stories,
            }
        })
        .collect()
}

impl StoryView {
    fn from_story(s: &DigestStory) -> StoryView {
        let url = clean_line(&s.url, MAX_URL_CHARS);
        let title = match clean_line(&s.title, MAX_TITLE_CHARS) {
            t if t.is_empty() => "(untitled)".to_string(),
            t => t,
        };
        StoryView {
            title,
            href: safe_href(&s.url),
            url,
            source: clean_line(&s.source, MAX_FIELD_CHARS),
            date: display_date_opt(&s.published),
            entities: s
                .entities
                .iter()
                .map(|e| clean_line(e, MAX_FIELD_CHARS))
                .filter(|e| !e.is_empty())
                .collect(),
            also: s
                .also_reported_by
                .iter()
                .map(|a| LinkView {
                    text: match clean_line(&a.source, MAX_FIELD_CHARS) {
                        t if t.is_empty() => clean_line(&a.url, MAX_URL_CHARS),
                        t => t,
                    },
                    url: clean_line(&a.url, MAX_URL_CHARS),
                    href: safe_href(&a.url),
                })
                .collect(),
            claims: {
                let mut claims: Vec<ClaimView> =
                    s.claims.iter().map(ClaimView::from_claim).collect();
                claims.sort_by_key(|c| c.rank);
                claims
            },
        }
    }
}

impl ClaimView {
    fn from_claim(c: &DigestClaim) -> ClaimView {
        let status = clean_line(&c.status, 20).to_uppercase();
        let (class, relation) = match status.as_str() {
            "NEW" => ("new", "compared with"),
            "CONTRADICTS" => ("contradicts", "contradicts"),
            "CORROBORATES" => ("corroborates", "agrees with"),
            "UPDATES" => ("updates", "earlier value"),
            _ => ("other", "compared with"),
        };
        let subject = clean_line(&c.subject, MAX_FIELD_CHARS);
        let measure = clean_line(&c.measure, MAX_FIELD_CHARS);
        let label = match (subject.is_empty(), measure.is_empty()) {
            (false, false) => format!("{subject} — {measure}"),
            (false, true) => subject,
            (true, false) => measure,
            (true, true) => String::new(),
        };
        let related: Vec<RelatedView> = c
            .related
            .iter()
            .map(|r| RelatedView {
                relation: match clean_line(&r.relation, 40) {
                    rel if rel.is_empty() => relation.to_string(),
                    rel => rel,
                },
                value: clean_line(&r.value, MAX_FIELD_CHARS),
                source: clean_line(&r.source, MAX_FIELD_CHARS),
                url: clean_line(&r.url, MAX_URL_CHARS),
                href: safe_href(&r.url),
                date: display_date_opt(&r.date),
                attributed_to: clean_opt(&r.attributed_to, MAX_FIELD_CHARS),
                quote: clean_line(&r.quote, MAX_QUOTE_CHARS),
            })
            .collect();
        let (rank, kind) = match class {
            "contradicts" | "updates" => (0, "side"),
            "corroborates" => (2, "agree"),
            _ => (1, "list"),
        };
        let first_dates: Vec<(SortDate, &RelatedClaim)> =
            c.related.iter().map(|r| (sort_date(&r.date), r)).collect();
        let agree = if kind == "agree" {
            agree_line(
                relation,
                &first_dates,
                c.related_more,
                c.independent_sources,
            )
        } else {
            String::new()
        };
        ClaimView {
            status,
            rank,
            kind,
            anchor: String::new(),
            marker: String::new(),
            groups: if kind == "side" {
                value_groups(&related, &c.related)
            } else {
                Vec::new()
            },
            agree,
            class,
            relation,
            label,
            value: clean_line(&c.value, MAX_FIELD_CHARS),
            attributed_to: clean_opt(&c.attributed_to, MAX_FIELD_CHARS),
            quote: clean_line(&c.quote, MAX_QUOTE_CHARS),
            related_more: c.related_more,
            related,
        }
    }
}

/// A stored date for ordering: parsed ones by instant, then anything unparsed ("undated").
type SortDate = (u8, String);

fn sort_date(s: &Option<String>) -> SortDate {
    let Some(s) = s.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
        return (2, String::new());
    };
    match parse_date(s) {
        Some(d) => (0, d.format("%Y-%m-%dT%H:%M").to_string()),
        None => (1, clean_line(s, MAX_FIELD_CHARS)),
    }
}

/// RFC 3339, "2025-06-18 12:00 UTC" or "2025-06-18".
fn parse_date(s: &str) -> Option<chrono::NaiveDateTime> {
    let s = s.trim();
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&chrono::Utc).naive_utc());
    }
    if let Ok(d) = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M UTC") {
        return Some(d);
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
}

/// "18 June 2025"; anything unparsed as given (cleaned).
fn day_date(s: &str) -> String {
    match parse_date(s) {
        Some(d) => d.format("%-d %B %Y").to_string(),
        None => clean_line(s, MAX_FIELD_CHARS),
    }
}

/// Distinct sources (by name, else URL), in the order given.
fn distinct_sources<'a>(rs: impl Iterator<Item = &'a RelatedClaim>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in rs {
        let name = match clean_line(&r.source, MAX_FIELD_CHARS) {
            n if n.is_empty() => clean_line(&r.url, MAX_URL_CHARS),
            n => n,
        };
        if !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// Names shown in a corroboration's one line; the rest are counted.
const MAX_AGREE_NAMES: usize = 3;

/// "agrees with 5 earlier reports: A, B, C and 2 more; first 18 June 2025".
/// When syndicated copies are among the reports, says how many independent sources they
/// come from ("agrees with 5 earlier reports from 2 independent sources: …"): a copy is no
/// corroboration.
fn agree_line(
    relation: &str,
    related: &[(SortDate, &RelatedClaim)],
    more: usize,
    independent: usize,
) -> String {
    let mut by_date: Vec<&(SortDate, &RelatedClaim)> = related.iter().collect();
    by_date.sort_by(|a, b| a.0.cmp(&b.0));
    let total = related.len() + more;
    if total == 0 {
        return String::new();
    }
    let names = distinct_sources(by_date.iter().map(|(_, r)| *r));
    let shown: Vec<&str> = names
        .iter()
        .take(MAX_AGREE_NAMES)
        .map(String::as_str)
        .collect();
    let rest = total.saturating_sub(shown.len());
    let mut line = format!(
        "{relation} {}",
        plural(total, "earlier report", "earlier reports")
    );
    if independent > 0 && independent < total {
        line.push_str(&format!(
            " from {}",
            plural(independent, "independent source", "independent sources")
        ));
    }
    if !shown.is_empty() {
        line.push_str(": ");
        line.push_str(&shown.join(", "));
        if rest > 0 {
            line.push_str(&format!(" and {rest} more"));
        }
    }
    if let Some(first) = by_date
        .first()
        .and_then(|(_, r)| r.date.as_deref())
        .filter(|d| !d.trim().is_empty())
    {
        line.push_str("; first ");
        line.push_str(&day_date(first));
    }
    line
}

/// The stored claims grouped by value: how many sources said it, the earliest of them with
/// its date and quote. Most sources first, then earliest first.
fn value_groups(views: &[RelatedView], raw: &[RelatedClaim]) -> Vec<ValueGroupView> {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, v) in views.iter().enumerate() {
        let key = format!("{}\u{0}{}", v.relation, v.value.to_lowercase());
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(i),
            None => groups.push((key, vec![i])),
        }
    }
    let mut out: Vec<(usize, SortDate, ValueGroupView)> = groups
        .into_iter()
        .filter_map(|(_, mut members)| {
            members.sort_by_key(|&i| sort_date(&raw[i].date));
            let first = *members.first()?;
            let n = distinct_sources(members.iter().map(|&i| &raw[i]))
                .len()
                .max(1);
            Some((
                n,
                sort_date(&raw[first].date),
                ValueGroupView {
                    relation: views[first].relation.clone(),
                    value: views[first].value.clone(),
                    sources: plural(n, "source", "sources"),
                    first: views[first].clone(),
                },
            ))
        })
        .collect();
    out.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    out.into_iter().map(|(_, _, g)| g).collect()
}

impl FeedView {
    fn from_feed(f: &FailingFeed) -> FeedView {
        let url = clean_line(&f.url, MAX_URL_CHARS);
        FeedView {
            name: match clean_line(&f.name, MAX_FIELD_CHARS) {
                n if n.is_empty() => url.clone(),
                n => n,
            },
            href: safe_href(&f.url),
            url,
            error: clean_line(&f.error, MAX_QUOTE_CHARS),
            failures: f.consecutive_failures,
            since: display_date_opt(&f.since),
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn syndicated_copies_are_not_counted_as_independent_agreement() {
        let r = |source: &str| RelatedClaim {
            relation: "agrees with".into(),
            value: "about 600".into(),
            source: source.into(),
            url: String::new(),
            date: Some("2025-06-18".into()),
            quote: String::new(),
            attributed_to: None,
        };
        let claims = [r("Wire A"), r("Paper B"), r("Paper C")];
        let dated: Vec<(SortDate, &RelatedClaim)> =
            claims.iter().map(|c| (sort_date(&c.date), c)).collect();
        // Three reports, two of them the same wire text: two independent sources.
        let line = agree_line("agrees with", &dated, 0, 2);
        assert!(
            line.starts_with("agrees with 3 earlier reports from 2 independent sources:"),
            "{line}"
        );
        // All independent: no need to say it.
        let line = agree_line("agrees with", &dated, 0, 3);
        assert!(line.starts_with("agrees with 3 earlier reports:"), "{line}");
    }
    use super::*;

    fn claim(status: &str, value: &str, related: Vec<RelatedClaim>) -> DigestClaim {
        DigestClaim {
            status: status.into(),
            subject: "North Korean troops in Kursk".into(),
            measure: "killed".into(),
            value: value.into(),
            attributed_to: Some("a Ukrainian army spokesman".into()),
            quote: "The spokesman put the number of dead soldiers at roughly six hundred.".into(),
            related,
            related_more: 0,
            independent_sources: 0,
        }
    }

    fn stored(value: &str, source: &str) -> RelatedClaim {
        RelatedClaim {
            relation: String::new(),
            value: value.into(),
            source: source.into(),
            url: "https://wire.example.org/a/1".into(),
            date: Some("2026-11-20T09:30:00Z".into()),
            quote: "Intelligence officials said a thousand had been killed.".into(),
            attributed_to: Some("South Korean intelligence".into()),
        }
    }

    fn story(title: &str, url: &str) -> DigestStory {
        DigestStory {
            title: title.into(),
            url: url.into(),
            source: "Example Wire".into(),
            published: Some("2026-11-29T06:15:00+01:00".into()),
            entities: vec!["Kursk".into(), "Sergei Shoigu".into()],
            also_reported_by: vec![],
            claims: vec![],
        }
    }

    fn digest(groups: Vec<DigestGroup>) -> Digest {
        Digest {
            subject: String::new(),
            generated_at: "2026-11-29T07:00:00Z".into(),
            groups,
            failing_feeds: vec![],
            held_back: 0,
        }
    }

    fn group(id: &str, name: &str, stories: Vec<DigestStory>) -> DigestGroup {
        DigestGroup {
            watchlist_id: id.into(),
            watchlist_name: name.into(),
            stories,
        }
    }

    /// The text with line breaks and indentation folded, for phrases that may wrap.
    fn flat(text: &str) -> String {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn render_one(s: DigestStory) -> Rendered {
        match render(&digest(vec![group("dprk", "DPRK", vec![s])])) {
            Ok(r) => r,
            Err(e) => panic!("render failed: {e:#}"),
        }
    }

    const TWENTY: &str = include_str!("../../tests/fixtures/digest/twenty.json");
    const DOCS_TEXT_HEAD: &str =
        "# The digest's text part for tests/fixtures/digest/twenty.json (20 stories,\n\
        # 18 claims: one contradiction and one update that matter). Generated by the\n\
        # golden test in src/sinks/digest.rs: NEWSWATCH_BLESS=1 cargo test golden\n\
        # (docs/digest-example.html is its HTML part).\n\n";

    fn twenty() -> Rendered {
        let d: Digest = match serde_json::from_str(TWENTY) {
            Ok(d) => d,
            Err(e) => panic!("twenty.json: {e}"),
        };
        match render(&d) {
            Ok(r) => r,
            Err(e) => panic!("render failed: {e:#}"),
        }
    }

    /// The ~20-story digest against its reviewed text (tests/fixtures/digest/twenty.txt)
    /// and the two examples in docs/. `NEWSWATCH_BLESS=1` rewrites all three.
    #[test]
    fn golden_text_digest_and_the_docs_examples() {
        let r = twenty();
        let root = env!("CARGO_MANIFEST_DIR");
        let files = [
            (
                format!("{root}/tests/fixtures/digest/twenty.txt"),
                r.text.clone(),
            ),
            (
                format!("{root}/docs/digest-example.txt"),
                format!("{DOCS_TEXT_HEAD}{}", r.text),
            ),
            (format!("{root}/docs/digest-example.html"), r.html.clone()),
        ];
        for (path, now) in files {
            if std::env::var_os("NEWSWATCH_BLESS").is_some() {
                if let Err(e) = std::fs::write(&path, &now) {
                    panic!("{path}: {e}");
                }
            }
            let golden = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                golden == now,
                "{path} differs from the rendering; review the change, then \
                 NEWSWATCH_BLESS=1 cargo test golden"
            );
        }
    }

    #[test]
    fn text_part_lines_fit_78_columns_except_a_lone_url() {
        let r = twenty();
        for line in r.text.lines() {
            let lone_url = line.trim_start().starts_with("http") && !line.trim().contains(' ');
            assert!(
                line.chars().count() <= TEXT_WIDTH || lone_url,
                "too long: {line:?}"
            );
        }
        // The fixture has one URL longer than a line: it stands alone, whole.
        assert!(r.text.lines().any(|l| l.trim().len() > TEXT_WIDTH));
    }

    #[test]
    fn what_changed_comes_first_and_links_to_the_claims() {
        let r = twenty();
        let head: Vec<&str> = r
            .text
            .lines()
            .skip_while(|l| *l != "What changed:")
            .collect();
        assert_eq!(head.first(), Some(&"What changed:"), "{}", r.text);
        let flat_head = flat(
            &head[1..]
                .iter()
                .take_while(|l| !l.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join("\n"),
        );
        assert!(
            flat_head.starts_with(
                "20 new stories: Russia–DPRK military cooperation 15, UN sanctions on the DPRK 5"
            ),
            "{flat_head}"
        );
        assert!(
            flat_head
                .contains("1 contradiction: (C1) North Korean troops in Russia killed: 6,000 vs"),
            "{flat_head}"
        );
        assert!(
            flat_head.contains(
                "1 update: (U1) North Korean troops in Russia deployed: about 15,000 was"
            ),
            "{flat_head}"
        );
        // HTML: three lines at most, each claim a link to its anchor below.
        let box_start = r.html.find("class=\"changes\"").unwrap_or(0);
        let box_end = r.html[box_start..].find("</div>\n</div>").unwrap_or(0) + box_start;
        assert!(r.html[box_start..box_end].matches("<div").count() <= 3);
        for anchor in ["nw-c1", "nw-u1"] {
            let link = r
                .html
                .find(&format!("href=\"#{anchor}\""))
                .unwrap_or(usize::MAX);
            let target = r.html.find(&format!("id=\"{anchor}\"")).unwrap_or(0);
            assert!(link < target, "{anchor}");
        }
        // Contradictions and updates first, then stories with new claims, then the rest.
        let pos = |needle: &str| r.text.find(needle).unwrap_or(usize::MAX);
        assert!(pos("[CONTRADICTS]") < pos("[UPDATES]"));
        assert!(pos("[UPDATES]") < pos("[NEW]"));
        assert!(pos("Shoigu back in Pyongyang") < pos("Report 1:"));
        assert!(pos("Report 1:") < pos("Kim Jong Un inspects"));
        // A corroboration is one line, its reports counted and named.
        assert!(flat(&r.text).contains(
            "agrees with 7 earlier reports: Kyiv Courier, Baltic Wire, Tokyo Evening Post and 4 more; \
             first 18 June 2025"
        ), "{}", r.text);
    }

    #[test]
    fn stored_claims_with_the_same_value_are_one_group() {
        let r = twenty();
        let text = flat(&r.text);
        assert!(
            text.contains("contradicts: about 600 (3 sources) — first Seoul Ledger, 2025-06-18"),
            "{text}"
        );
        assert!(
            text.contains("contradicts: about 4,700 (casualties) (2 sources)"),
            "{text}"
        );
        assert!(text.contains("contradicts: 1,000 (1 source)"), "{text}");
        assert_eq!(r.html.matches("Stored: contradicts").count(), 3);
    }

    #[test]
    fn html_is_styled_inline_and_loads_nothing() {
        let r = twenty();
        let body = &r.html[r.html.find("<body").unwrap_or(0)..];
        for tag in ["<h1", "<h2", "<h3", "<p ", "<table", "<td", "<a "] {
            for (i, _) in body.match_indices(tag) {
                let end = body[i..].find('>').unwrap_or(0) + i;
                assert!(
                    body[i..end].contains("style=\""),
                    "{tag} without a style: {}",
                    &body[i..end]
                );
            }
        }
        assert!(r.html.contains("width=\"600\""));
        for remote in ["<img", "<link", "<script", "url(", "@import", "src="] {
            assert!(!r.html.contains(remote), "{remote}");
        }
        // Every link goes to an article or to the digest's own anchors.
        for (i, _) in r.html.match_indices("href=\"") {
            let target = &r.html[i + 6..];
            assert!(
                target.starts_with("https://") || target.starts_with("#nw-"),
                "{:.60}",
                target
            );
        }
    }

    #[test]
    fn sanitiser_keeps_only_known_styles_and_own_anchors() {
        let dirty = "<div style=\"color:#222;background:url(https://t.example/p.gif);position:fixed\">x</div>\
                     <a href=\"#nw-c1\">ok</a><a href=\"#evil\">no</a><a href=\"../x\">no</a>\
                     <td onclick=\"x()\" align=\"center\">y</td>";
        let clean = sanitize_html(dirty);
        assert!(clean.contains("color:#222"), "{clean}");
        assert!(!clean.contains("url("), "{clean}");
        assert!(!clean.contains("position"), "{clean}");
        assert!(clean.contains("href=\"#nw-c1\""), "{clean}");
        assert!(
            !clean.contains("#evil") && !clean.contains("../x"),
            "{clean}"
        );
        assert!(!clean.contains("onclick"), "{clean}");
    }

    #[test]
    fn hostile_titles_arrive_as_text() {
        let cases = [
            (
                "<script>alert(1)</script>",
                "&lt;script&gt;alert(1)&lt;/script&gt;",
            ),
            (
                "<img src=x onerror=alert(1)>",
                "&lt;img src=x onerror=alert(1)&gt;",
            ),
            ("Tom & Jerry \"quoted\"", "Tom &amp; Jerry"),
        ];
        for (title, expected) in cases {
            let r = render_one(story(title, "https://news.example.org/1"));
            assert!(r.html.contains(expected), "{title}: {}", r.html);
            assert!(!r.html.contains("<script"), "{title}");
            assert!(!r.html.contains("<img"), "{title}");
            // The plain text shows the title as written.
            assert!(r.text.contains(title), "{title}: {}", r.text);
        }
    }

    #[test]
    fn quotes_and_sources_are_escaped_too() {
        let mut s = story("Plain", "https://news.example.org/1");
        let mut c = claim(
            "CONTRADICTS",
            "<b>600</b>",
            vec![stored("1,000", "<i>Wire</i>")],
        );
        c.quote = "He said </blockquote><script>x()</script>".into();
        s.claims.push(c);
        s.source = "<a href=javascript:alert(1)>Src</a>".into();
        let r = render_one(s);
        assert!(!r.html.contains("<script"));
        assert!(!r.html.contains("<b>600"));
        assert!(!r.html.contains("<i>Wire"));
        // Shown as text, never as a link target.
        assert!(!r.html.contains("href=\"javascript"), "{}", r.html);
        assert!(r
            .html
            .contains("&lt;a href=javascript:alert(1)&gt;Src&lt;/a&gt;"));
        assert!(r.html.contains("&lt;b&gt;600&lt;/b&gt;"));
        assert!(r.html.contains("&lt;i&gt;Wire&lt;/i&gt;"));
    }

    #[test]
    fn only_http_links_become_hrefs() {
        let cases = [
            ("https://news.example.org/a?b=1&c=2", true),
            ("http://news.example.org/a", true),
            ("javascript:alert(1)", false),
            ("JaVaScRiPt:alert(1)", false),
            ("data:text/html,<script>alert(1)</script>", false),
            ("file:///etc/passwd", false),
            ("/relative/path", false),
            ("mailto:someone@example.org", false),
            ("vbscript:msgbox", false),
        ];
        for (url, linked) in cases {
            let r = render_one(story("Linked story", url));
            let has_href = r.html.contains("href=");
            assert_eq!(has_href, linked, "{url}: {}", r.html);
            if !linked {
                // Shown as text, so the reader still sees where it pointed.
                let shown = html_escape::encode_text(url).to_string();
                assert!(r.html.contains(&shown), "{url} not shown: {}", r.html);
            }
        }
    }

    #[test]
    fn safe_href_is_the_first_line_of_defence() {
        // Checked without ammonia behind it: only absolute http(s) URLs with a host.
        let table = [
            ("https://a.example/x y", Some("https://a.example/x%20y")),
            (" http://a.example/ ", Some("http://a.example/")),
            ("javascript:alert(1)", None),
            ("data:text/html,hi", None),
            ("http:/", None),
            ("//a.example/x", None),
            ("", None),
        ];
        for (url, expected) in table {
            assert_eq!(safe_href(url).as_deref(), expected, "{url}");
        }
    }

    #[test]
    fn control_characters_are_removed_from_text() {
        let r = render_one(story(
            "Red\u{1b}[31m alert\u{202E}txt.exe",
            "https://x.example/",
        ));
        assert!(!r.text.contains('\u{1b}'));
        assert!(!r.text.contains('\u{202E}'));
        assert!(r.text.contains("Red [31m alerttxt.exe"), "{}", r.text);
    }

    #[test]
    fn stories_are_grouped_by_watchlist_and_shown_once() {
        let mut a = story("Troops sent to Kursk", "https://a.example/1");
        a.also_reported_by.push(AlsoReported {
            source: "Mirror Daily".into(),
            url: "https://mirror.example/1".into(),
        });
        let mut a_again = story("Troops sent to Kursk", "https://a.example/1");
        a_again.also_reported_by.push(AlsoReported {
            source: "Echo Times".into(),
            url: "https://echo.example/1".into(),
        });
        let b = story("Sanctions panel report", "https://b.example/2");
        let d = digest(vec![
            group("dprk", "Russia–DPRK military cooperation", vec![a.clone()]),
            group("unsc", "UN sanctions", vec![b]),
            group("dprk", "Russia–DPRK military cooperation", vec![a_again]),
            group("empty", "Nothing here", vec![]),
        ]);
        let r = match render(&d) {
            Ok(r) => r,
            Err(e) => panic!("{e:#}"),
        };
        // The "what changed" lines name each watchlist once; the stories follow them.
        let text_body = &r.text[r.text.find("\n== ").unwrap_or(0)..];
        let html_body = &r.html[r.html.find("<h2").unwrap_or(0)..];
        assert_eq!(
            text_body
                .matches("== Russia–DPRK military cooperation ==")
                .count(),
            1
        );
        assert_eq!(
            html_body
                .matches(">Russia–DPRK military cooperation</h2>")
                .count(),
            1
        );
        for out in [text_body, html_body] {
            assert_eq!(out.matches("Troops sent to Kursk").count(), 1, "{out}");
            assert_eq!(out.matches("Russia–DPRK military cooperation").count(), 1);
            assert!(!out.contains("Nothing here"));
            let dprk = out.find("Russia–DPRK").unwrap_or(usize::MAX);
            let kursk = out.find("Troops sent to Kursk").unwrap_or(0);
            let unsc = out.find("UN sanctions").unwrap_or(0);
            let panel = out.find("Sanctions panel report").unwrap_or(0);
            assert!(dprk < kursk && kursk < unsc && unsc < panel, "{out}");
            assert!(out.contains("Mirror Daily") && out.contains("Echo Times"));
        }
        assert!(flat(&r.text).contains("Also reported by: Mirror Daily, Echo Times"));
        assert!(r.html.contains("href=\"https://mirror.example/1\""));
    }

    #[test]
    fn story_shows_link_source_date_and_entities() {
        let r = render_one(story("Visit to Pyongyang", "https://a.example/visit"));
        for out in [&r.text, &r.html] {
            assert!(out.contains("https://a.example/visit"));
            assert!(out.contains("Example Wire"));
            // 06:15 at +01:00 is 05:15 UTC.
            assert!(out.contains("2026-11-29 05:15 UTC"), "{out}");
            assert!(flat(out).contains("Kursk, Sergei Shoigu"), "{out}");
        }
    }

    #[test]
    fn every_claim_status_is_marked_with_what_it_relates_to() {
        let mut s = story("Casualty figures", "https://a.example/c");
        s.claims = vec![
            claim("new", "about 600", vec![]),
            claim(
                "CONTRADICTS",
                "about 600",
                vec![stored("1,000", "Seoul Herald")],
            ),
            claim(
                "CORROBORATES",
                "about 600",
                vec![stored("600", "Kyiv Courier")],
            ),
            claim(
                "UPDATES",
                "over 1,200",
                vec![stored("about 600", "Old Gazette")],
            ),
        ];
        let r = render_one(s);
        assert!(r.text.contains("[NEW]"), "{}", r.text);
        assert!(r.text.contains("[CONTRADICTS]"));
        assert!(r.text.contains("[CORROBORATES]"));
        assert!(r.text.contains("[UPDATES]"));
        let text = flat(&r.text);
        // Stored claims grouped by value: how many sources, the first with its date.
        assert!(
            text.contains(
                "contradicts: 1,000 (1 source) — first Seoul Herald, 2026-11-20 09:30 UTC"
            ),
            "{}",
            r.text
        );
        // A corroboration is one line.
        assert!(
            text.contains(
                "[CORROBORATES] North Korean troops in Kursk — killed: about 600, according \
                 to a Ukrainian army spokesman — agrees with 1 earlier report: Kyiv Courier; \
                 first 20 November 2026"
            ),
            "{}",
            r.text
        );
        assert!(text.contains("earlier value: about 600 (1 source) — first Old Gazette"));
        assert!(text.contains("according to South Korean intelligence"));
        // HTML: the contradiction's block holds this story's value, source and date beside
        // the stored value, its source and date.
        let start = r.html.find("class=\"claim contradicts\"").unwrap_or(0);
        let end = r.html[start + 1..]
            .find("class=\"claim ")
            .map_or(r.html.len(), |e| e + start + 1);
        let block = &r.html[start..end];
        for needle in [
            "about 600",
            "1,000",
            "Example Wire",
            "2026-11-29 05:15 UTC",
            "Seoul Herald",
            "2026-11-20",
            "This story",
            "Stored: contradicts",
        ] {
            assert!(block.contains(needle), "{needle} missing in {block}");
        }
        for class in ["new", "contradicts", "corroborates", "updates"] {
            assert!(r.html.contains(&format!("claim {class}")), "{class}");
        }
    }

    #[test]
    fn footer_lists_failing_feeds() {
        let mut d = digest(vec![group("dprk", "DPRK", vec![story("A", "https://a/")])]);
        d.failing_feeds = vec![FailingFeed {
            name: "Broken <Feed>".into(),
            url: "https://broken.example/rss".into(),
            error: "HTTP 500 from server".into(),
            consecutive_failures: 4,
            since: Some("2026-11-28T06:00:00Z".into()),
        }];
        let r = match render(&d) {
            Ok(r) => r,
            Err(e) => panic!("{e:#}"),
        };
        assert!(r.text.contains("Failing feeds"), "{}", r.text);
        assert!(flat(&r.text).contains(
            "- Broken <Feed> <https://broken.example/rss>: HTTP 500 from server \
             (4 failures in a row, since 2026-11-28 06:00 UTC)"
        ));
        assert!(r.html.contains("Broken &lt;Feed&gt;"));
        assert!(r.html.contains("HTTP 500 from server"));
        assert!(r.html.contains("4 failures in a row"));
        // No failing feeds: no footer.
        d.failing_feeds.clear();
        let r = match render(&d) {
            Ok(r) => r,
            Err(e) => panic!("{e:#}"),
        };
        assert!(!r.text.contains("Failing feeds"));
        assert!(!r.html.contains("Failing feeds"));
    }

    #[test]
    fn long_quotes_wrap_for_a_terminal() {
        let mut s = story("Long", "https://a.example/l");
        let mut c = claim("NEW", "5", vec![]);
        c.quote = "word ".repeat(60);
        s.claims.push(c);
        let r = render_one(s);
        for line in r.text.lines() {
            assert!(line.chars().count() <= TEXT_WIDTH, "too long: {line:?}");
        }
        assert!(r.text.matches("word").count() == 60);
    }

    #[test]
    fn wrap_keeps_long_words_whole() {
        let table = [
            ("a b c", 30, 2, "  a b c"),
            ("aaaa bbbb cccc", 31, 0, "aaaa bbbb cccc"),
            ("", 30, 4, ""),
        ];
        for (input, width, indent, expected) in table {
            assert_eq!(wrap(input, width, indent), expected);
        }
        let url = format!("https://{}", "x".repeat(100));
        assert_eq!(
            wrap(&format!("see {url} now"), 40, 0),
            format!("see\n{url}\nnow")
        );
    }

    #[test]
    fn subject_line_counts_stories_and_contradictions() {
        let mut s = story("A", "https://a/1");
        s.claims = vec![
            claim("CONTRADICTS", "1", vec![]),
            claim("contradicts", "2", vec![]),
            claim("NEW", "3", vec![]),
        ];
        let d = digest(vec![
            group(
                "dprk",
                "Russia–DPRK military cooperation",
                vec![
                    s.clone(),
                    story("B", "https://a/2"),
                    story("C", "https://a/3"),
                ],
            ),
            // The same story under a second watchlist is not counted twice.
            group("other", "Russia–DPRK military cooperation", vec![s]),
        ]);
        assert_eq!(
            subject_line("[newswatch]", &d),
            "[newswatch] 3 stories, 2 contradictions — Russia–DPRK military cooperation"
        );
        let one = digest(vec![group("x", "", vec![story("A", "https://a/1")])]);
        assert_eq!(subject_line("[nw]", &one), "[nw] 1 story — x");
        assert_eq!(subject_line("", &digest(vec![])), "no new stories");
        let many = digest(vec![
            group("a", "Alpha", vec![story("A", "https://a/1")]),
            group("b", "Beta", vec![story("B", "https://a/2")]),
            group("c", "Gamma\r\nBcc: x@y", vec![story("C", "https://a/3")]),
        ]);
        assert_eq!(
            subject_line("[nw]", &many),
            "[nw] 3 stories — Alpha, Beta +1 more"
        );
        let injected = digest(vec![group("c", "Gamma\r\nBcc: x@y", vec![story("C", "u")])]);
        assert!(!subject_line("[nw]", &injected).contains('\n'));
    }

    #[test]
    fn html_is_a_whole_document_with_the_heading() {
        let mut d = digest(vec![group("dprk", "DPRK", vec![story("A", "https://a/")])]);
        d.subject = "Morning digest <b>".into();
        let r = match render(&d) {
            Ok(r) => r,
            Err(e) => panic!("{e:#}"),
        };
        assert!(r.html.starts_with("<!DOCTYPE html>"));
        assert!(r.html.contains("<title>Morning digest &lt;b&gt;</title>"));
        assert!(r.html.contains("<meta charset=\"utf-8\">"));
        assert!(r.text.starts_with("Morning digest <b>\n"));
    }
}
