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
use serde::Serialize;

#[derive(Debug, Clone, Serialize, Default)]
pub struct Digest {
    /// A heading for the body; empty means "newswatch digest".
    pub subject: String,
    /// RFC 3339.
    pub generated_at: String,
    pub groups: Vec<DigestGroup>,
    pub failing_feeds: Vec<FailingFeed>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct DigestGroup {
    pub watchlist_id: String,
    pub watchlist_name: String,
    pub stories: Vec<DigestStory>,
}

#[derive(Debug, Clone, Serialize, Default)]
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

#[derive(Debug, Clone, Serialize, Default)]
pub struct AlsoReported {
    pub source: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize, Default)]
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

#[derive(Debug, Clone, Serialize, Default)]
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

#[derive(Debug, Clone, Serialize, Default)]
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
         <title>{}</title>\n<style>\n{}</style>\n</head>\n<body>\n{}\n</body>\n</html>\n",
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
    let mut builder = ammonia::Builder::empty();
    builder
        .tags(tags)
        .add_tag_attributes("a", ["href"])
        .add_generic_attributes(["class"])
        .url_schemes(["http", "https"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true);
    builder.clean(fragment).to_string()
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
    groups: Vec<GroupView>,
    failing_feeds: Vec<FeedView>,
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
        View {
            title_rule: "=".repeat(title.chars().count().min(TEXT_WIDTH)),
            title,
            generated: display_date(&d.generated_at),
            summary,
            groups: group_views(&d.groups),
            failing_feeds: d.failing_feeds.iter().map(FeedView::from_feed).collect(),
        }
    }
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
        .map(|(_, name, stories)| GroupView {
            name: clean_line(&name, MAX_FIELD_CHARS),
            stories: stories.iter().map(StoryView::from_story).collect(),
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
            claims: s.claims.iter().map(ClaimView::from_claim).collect(),
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
        ClaimView {
            status,
            class,
            relation,
            label,
            value: clean_line(&c.value, MAX_FIELD_CHARS),
            attributed_to: clean_opt(&c.attributed_to, MAX_FIELD_CHARS),
            quote: clean_line(&c.quote, MAX_QUOTE_CHARS),
            related_more: c.related_more,
            related: c
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
                .collect(),
        }
    }
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
        for out in [&r.text, &r.html] {
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
        assert!(text.contains("contradicts: 1,000 — Seoul Herald, 2026-11-20 09:30 UTC"));
        assert!(
            text.contains("agrees with: 600 — Kyiv Courier"),
            "{}",
            r.text
        );
        assert!(text.contains("earlier value: about 600 — Old Gazette"));
        assert!(text.contains("according to South Korean intelligence"));
        // HTML: the contradiction side by side, both values and both sources in one table.
        let table_start = r.html.find("<table").unwrap_or(0);
        let table_end = r.html[table_start..].find("</table>").unwrap_or(0) + table_start;
        let table = &r.html[table_start..table_end];
        for needle in [
            "about 600",
            "1,000",
            "Example Wire",
            "Seoul Herald",
            "2026-11-20",
        ] {
            assert!(table.contains(needle), "{needle} missing in {table}");
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
