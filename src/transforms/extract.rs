//! HTML page → its main article (title, byline, date, language, body).
//!
//! Small page furniture (captions, credits, share bars, prompts) is marked in the parsed page
//! first; the main-content block is then chosen by dom_smoothie (a port of Mozilla's
//! readability), checked against a second, independent choice by text and link density, and
//! rendered to text here with a boilerplate filter that readability lacks: share bars,
//! related-story lists ("More on this topic"), newsletter and subscription prompts, tag lists,
//! captions and trailing author boxes are dropped. When readability finds nothing, the
//! page's own paragraphs outside navigation are used. Never panics on bad HTML.
//! See docs/extraction.md for the method and its measurements.
//! OWNER: sources helper. Interface (keep): `extract_article`.
use std::collections::HashSet;
use std::sync::OnceLock;

use dom_smoothie::{Config, Readability};
use regex::Regex;
use scraper::{ElementRef, Html, Node};

use crate::model::Article;
use crate::sources::charset::{collapse_whitespace, is_block, is_hidden};

/// Extract the main article of a decoded HTML page. `url` helps resolve and judge links.
pub fn extract_article(html: &str, url: Option<&str>) -> Article {
    // dom_smoothie is not known to panic, but one bad page must never take the caller down.
    std::panic::catch_unwind(|| extract_inner(html, url)).unwrap_or_default()
}

fn extract_inner(html: &str, url: Option<&str>) -> Article {
    let config = Config {
        // Class names are what the boilerplate filter below reads.
        keep_classes: true,
        ..Config::default()
    };
    let Ok(mut readability) = Readability::new(html, url, Some(config)) else {
        return fallback_article(html);
    };
    let extra = PageMeta::read(&readability.doc);
    let furniture_texts = mark_small_boilerplate(&readability.doc);
    // The second opinion is taken before readability rewrites the document.
    let density = DensityBlock::find(&readability.doc);
    let parsed = readability.parse();
    let mut article = match parsed {
        Ok(found) => {
            let base = url
                .or(extra.canonical.as_deref())
                .and_then(|u| url::Url::parse(u).ok());
            let mut body =
                render_body(&found.content, &found.title, base.clone(), &furniture_texts);
            if let Some(block) = density.filter(|d| d.disagrees_with(&body)) {
                let other = render_body(&block.html, &found.title, base, &furniture_texts);
                // JSON-LD articleBody (often truncated) breaks the tie when the page has one;
                // else the longer text wins.
                let better = match json_ld_article_body(&extra.json_ld) {
                    Some(reference) => overlap(&other, &reference) > overlap(&body, &reference),
                    None => word_count(&other) > word_count(&body),
                };
                if better {
                    body = other;
                }
            }
            Article {
                title: non_empty(found.title.trim()),
                byline: found
                    .byline
                    .as_deref()
                    .map(collapse_whitespace)
                    .and_then(|b| non_empty(&b)),
                published: found.published_time.as_deref().and_then(normalise_date),
                lang: found.lang.as_deref().and_then(|l| non_empty(l.trim())),
                body,
            }
        }
        Err(_) => fallback_article(html),
    };
    if article.body.split_whitespace().count() < 30 {
        // Readability sometimes settles on a teaser box; the page's paragraphs do better then.
        let fallback = fallback_article(html);
        if fallback.body.len() > article.body.len() * 2 {
            article.body = fallback.body;
        }
    }
    article.title = article.title.or(extra.title);
    article.byline = article.byline.or(extra.byline);
    article.published = article.published.or(extra.published);
    article.lang = article.lang.or(extra.lang);
    article
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

/// Metadata read from the original document, before readability rewrites it.
#[derive(Default)]
struct PageMeta {
    title: Option<String>,
    byline: Option<String>,
    published: Option<String>,
    lang: Option<String>,
    canonical: Option<String>,
    /// JSON-LD blocks that mention `articleBody`, unparsed (parsed only when needed).
    json_ld: Vec<String>,
}

impl PageMeta {
    fn read(doc: &dom_query::Document) -> PageMeta {
        let attr = |sel: &str, name: &str| -> Option<String> {
            doc.try_select(sel)?
                .iter()
                .filter_map(|s| s.attr(name))
                .map(|v| v.trim().to_owned())
                .find(|v| !v.is_empty())
        };
        let text = |sel: &str| -> Option<String> {
            let t = collapse_whitespace(&doc.try_select(sel)?.first().text());
            non_empty(&t)
        };
        let published = [
            attr("meta[property='article:published_time']", "content"),
            attr("meta[itemprop='datePublished']", "content"),
            attr("meta[name='pubdate'], meta[name='publishdate'], meta[name='date'], meta[name='dc.date'], meta[name='DC.date.issued']", "content"),
            attr("[itemprop='datePublished']", "datetime"),
            attr("time[datetime]", "datetime"),
        ]
        .into_iter()
        .flatten()
        .find_map(|d| normalise_date(&d));
        let json_ld = doc
            .try_select("script[type='application/ld+json']")
            .map(|s| {
                s.iter()
                    .map(|n| n.text().to_string())
                    .filter(|t| t.contains("articleBody"))
                    .collect()
            })
            .unwrap_or_default();
        PageMeta {
            json_ld,
            title: attr("meta[property='og:title']", "content")
                .or_else(|| text("h1"))
                .or_else(|| text("title")),
            byline: attr("meta[name='author']", "content")
                .or_else(|| text("[rel='author'], [itemprop='author'] [itemprop='name'], .byline"))
                .map(|b| collapse_whitespace(&b)),
            published,
            canonical: attr("link[rel='canonical']", "href")
                .or_else(|| attr("meta[property='og:url']", "content")),
            lang: attr("html", "lang")
                .or_else(|| attr("meta[http-equiv='content-language' i]", "content"))
                .or_else(|| {
                    attr("meta[property='og:locale']", "content").map(|l| l.replace('_', "-"))
                }),
        }
    }
}

/// Marks small page-furniture elements (by class/id words) and everything inside them with
/// the class [`MARK`] before readability runs. Readability unwraps a `<div class="caption">`
/// holding one `<p>` into that bare `<p>`, which loses the class the renderer reads; the mark
/// on the `<p>` survives. Large blocks are left alone (a `tag-…` class on the article element
/// must not condemn the article); readability keeps their classes, so the renderer still sees
/// them.
///
/// Returns the texts of the small caption/credit/prompt elements (strong class words, share
/// bars excepted: they may quote the article): readability sometimes rebuilds such an element
/// as a new `<p>` without the mark, and a paragraph with exactly that text is dropped then.
fn mark_small_boilerplate(doc: &dom_query::Document) -> HashSet<String> {
    let mut texts = HashSet::new();
    let Some(candidates) = doc.try_select("[class], [id]") else {
        return texts;
    };
    for node in candidates.nodes() {
        let class = node.attr("class").unwrap_or_default();
        let id = node.attr("id").unwrap_or_default();
        let verdict = furniture_class(&class, &id);
        if verdict == ClassVerdict::None {
            continue;
        }
        let name = node.node_name().unwrap_or_default();
        if matches!(&*name, "html" | "body" | "main" | "article") || is_inline_in_text(&name) {
            continue;
        }
        let text = node.text();
        let chars = text.trim().len();
        let words = text.split_whitespace().count();
        // Captions, credits, share bars and author boxes are short; a block of 25+ words whose
        // class happens to hold "ad" or "more" is more likely text.
        if chars > MARK_MAX_CHARS || (verdict == ClassVerdict::Weak && words > 25) {
            continue;
        }
        node.add_class(MARK);
        if verdict == ClassVerdict::Strong
            && words >= 3
            && !class_words(&class)
                .chain(class_words(&id))
                .any(|w| in_list(&["share", "sharing", "social"], w))
        {
            texts.insert(collapse_whitespace(&text));
        }
        // Collected first: dom_query holds the tree borrowed while its iterator lives.
        for d in node.descendants().into_iter().filter(|d| d.is_element()) {
            d.add_class(MARK);
        }
    }
    texts
}

/// A second, independent choice of the main block: the element whose child paragraphs hold
/// the most text outside links (text density with a link-density penalty, half credit to the
/// grandparent), as in boilerplate-removal scorers. Readability's choice is kept unless the
/// two disagree badly: readability's body holding under half the words of this block's
/// paragraphs (readability settled on a teaser or a fragment).
struct DensityBlock {
    html: String,
    /// Words in the block's scored paragraphs.
    words: usize,
    /// A sample of those paragraphs' texts, to check that readability's body holds them.
    texts: Vec<String>,
}

impl DensityBlock {
    fn find(doc: &dom_query::Document) -> Option<DensityBlock> {
        let paragraphs = doc.try_select("p")?;
        let mut scores: std::collections::HashMap<dom_query::NodeId, f64> =
            std::collections::HashMap::new();
        let mut scored = Vec::new();
        for p in paragraphs.nodes() {
            if p.has_class(MARK) || in_furniture(p) {
                continue;
            }
            let text = p.text();
            let words = word_count(&text);
            if words < 8 {
                continue;
            }
            let total = text.trim().len().max(1);
            let linked: usize = p
                .descendants()
                .into_iter()
                .filter(|d| d.node_name().is_some_and(|n| &*n == "a"))
                .map(|a| a.text().trim().len())
                .sum();
            let link_density = linked as f64 / total as f64;
            if link_density > 0.5 {
                continue;
            }
            let score = words as f64 * (1.0 - link_density);
            let Some(parent) = p.parent() else { continue };
            *scores.entry(parent.id).or_default() += score;
            if let Some(grand) = parent.parent() {
                *scores.entry(grand.id).or_default() += score / 2.0;
            }
            scored.push((
                parent.id,
                parent.parent().map(|g| g.id),
                collapse_whitespace(&text),
                words,
            ));
        }
        let (best, _) = scores
            .iter()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(id, s)| (*id, *s))?;
        let node = dom_query::NodeRef::new(best, &doc.tree);
        let mine: Vec<&(dom_query::NodeId, Option<dom_query::NodeId>, String, usize)> = scored
            .iter()
            .filter(|(parent, grand, _, _)| *parent == best || *grand == Some(best))
            .collect();
        Some(DensityBlock {
            html: node.html().to_string(),
            words: mine.iter().map(|m| m.3).sum(),
            texts: mine.iter().map(|m| m.2.clone()).collect(),
        })
    }

    fn disagrees_with(&self, body: &str) -> bool {
        // A substantial readability body is trusted: the density block may be a long comment
        // thread or a listing that escaped the class filter.
        if self.words < 80 || word_count(body) >= 250 {
            return false;
        }
        let held: usize = self
            .texts
            .iter()
            .filter(|t| body.contains(t.as_str()))
            .map(|t| word_count(t))
            .sum();
        held * 2 < self.words
    }
}

/// Whether a paragraph sits in comments, a sidebar or other furniture (by tag or class words).
fn in_furniture(p: &dom_query::NodeRef<'_>) -> bool {
    p.ancestors_it(Some(12)).any(|a| {
        let name = a.node_name().unwrap_or_default();
        if matches!(&*name, "nav" | "aside" | "footer" | "header" | "form") {
            return true;
        }
        if matches!(&*name, "html" | "body" | "main" | "article") {
            return false;
        }
        let class = a.attr("class").unwrap_or_default();
        let id = a.attr("id").unwrap_or_default();
        furniture_class(&class, &id) != ClassVerdict::None
    })
}

/// The class [`mark_small_boilerplate`] adds; [`is_boilerplate`] trusts it.
const MARK: &str = "nwboilerplate";
/// Text size up to which a furniture-classed element is marked before readability.
const MARK_MAX_CHARS: usize = 400;

/// The first `articleBody` of 30+ words in the page's JSON-LD blocks.
fn json_ld_article_body(blocks: &[String]) -> Option<String> {
    fn find(v: &serde_json::Value) -> Option<String> {
        match v {
            serde_json::Value::Object(map) => map
                .get("articleBody")
                .and_then(|b| b.as_str())
                .filter(|b| word_count(b) >= 30)
                .map(str::to_owned)
                .or_else(|| map.values().find_map(find)),
            serde_json::Value::Array(items) => items.iter().find_map(find),
            _ => None,
        }
    }
    blocks
        .iter()
        .filter_map(|b| serde_json::from_str::<serde_json::Value>(b).ok())
        .find_map(|v| find(&v))
}

/// Share of the reference's distinct lower-cased words that the text also has.
fn overlap(text: &str, reference: &str) -> f64 {
    let words = |t: &str| -> HashSet<String> {
        t.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let reference = words(reference);
    if reference.is_empty() {
        return 0.0;
    }
    let text = words(text);
    reference.intersection(&text).count() as f64 / reference.len() as f64
}

/// A date as pages state it → RFC 3339 when it can be read, else as stated.
fn normalise_date(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match crate::sources::html::parse_date(raw) {
        Some(d) => Some(d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        None => Some(raw.to_owned()),
    }
}

/// The chosen content (HTML) → paragraphs of plain text, boilerplate dropped.
fn render_body(
    content_html: &str,
    title: &str,
    base: Option<url::Url>,
    furniture_texts: &HashSet<String>,
) -> String {
    let doc = Html::parse_fragment(content_html);
    let total_chars = doc.root_element().text().map(|t| t.trim().len()).sum();
    let mut r = Renderer {
        total_chars,
        base,
        ..Renderer::default()
    };
    r.walk(doc.tree.root());
    r.break_paragraph();
    let paragraphs = r
        .paragraphs
        .into_iter()
        .filter(|p| !furniture_texts.contains(p))
        .collect();
    finish_paragraphs(paragraphs, title)
}

#[derive(Default)]
struct Renderer {
    paragraphs: Vec<String>,
    current: String,
    /// Characters of text in the whole content: a block holding most of it is the article
    /// itself, whatever its class names say (`tag-…` and `…-hidden` classes are common there).
    total_chars: usize,
    /// The page's address (given, or its canonical link): tells links to its own site.
    base: Option<url::Url>,
}

fn strip_www(host: &str) -> &str {
    host.strip_prefix("www.").unwrap_or(host)
}

impl Renderer {
    fn break_paragraph(&mut self) {
        let text = collapse_lines(&self.current);
        if !text.is_empty() {
            self.paragraphs.push(text);
        }
        self.current.clear();
    }

    fn walk(&mut self, node: ego_tree::NodeRef<'_, Node>) {
        let mut skip_link_lists = false;
        for child in node.children() {
            match child.value() {
                Node::Text(t) => {
                    self.current
                        .extend(t.chars().map(|c| if c == '\n' { ' ' } else { c }))
                }
                Node::Element(_) => {
                    let Some(el) = ElementRef::wrap(child) else {
                        continue;
                    };
                    let name = el.value().name();
                    if skip_link_lists {
                        // After a "More on this topic" heading: its link list and link blocks.
                        if matches!(name, "ul" | "ol") || link_density(&el) > 0.5 {
                            continue;
                        }
                        skip_link_lists = false;
                    }
                    if is_boilerplate(&el) && !self.holds_most_text(&el) {
                        continue;
                    }
                    if heading_like(&el) && is_related_heading(&text_of(&el)) {
                        skip_link_lists = true;
                        continue;
                    }
                    self.element(el);
                }
                _ => {}
            }
        }
    }

    fn links_to_own_story(&self, el: &ElementRef<'_>) -> bool {
        let Some(a) = selector(&LINK_HREF, "a[href]") else {
            return false;
        };
        el.select(a)
            .filter_map(|l| l.value().attr("href"))
            .any(|href| {
                let joined = match &self.base {
                    Some(base) => base.join(href).ok(),
                    None => url::Url::parse(href).ok(),
                };
                match joined {
                    Some(u) => {
                        let same_site = match (&self.base, u.host_str()) {
                            (Some(b), Some(h)) => b.host_str().map(strip_www) == Some(strip_www(h)),
                            // No page address known: a relative link stays on the site.
                            (None, _) => false,
                            (Some(_), None) => false,
                        };
                        same_site && crate::sources::html::article_like_path(u.path())
                    }
                    None => {
                        !href.contains(':')
                            && crate::sources::html::article_like_path(
                                href.split(['?', '#']).next().unwrap_or(""),
                            )
                    }
                }
            })
    }

    fn holds_most_text(&self, el: &ElementRef<'_>) -> bool {
        let chars: usize = el.text().map(|t| t.trim().len()).sum();
        chars * 5 > self.total_chars * 2 && link_density(el) < 0.3
    }

    fn element(&mut self, el: ElementRef<'_>) {
        let name = el.value().name();
        if name == "br" {
            self.current.push('\n');
            return;
        }
        let block = is_block(name) || matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
        // A short block that is all link to another story of the same site is a teaser
        // ("WATCH: …", a headline in capitals); links elsewhere (shops, sources) may be text.
        if block
            && name != "ul"
            && name != "ol"
            && link_density(&el) > 0.8
            && text_of(&el).split_whitespace().count() < 30
            && self.links_to_own_story(&el)
        {
            return;
        }
        if block {
            self.break_paragraph();
        }
        self.walk(*el);
        if block {
            self.break_paragraph();
        } else if matches!(name, "td" | "th") {
            self.current.push(' ');
        }
    }
}

/// A heading, or a short block standing as one ("More Great Stories" in a `<p>`).
fn heading_like(el: &ElementRef<'_>) -> bool {
    let name = el.value().name();
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
        || (matches!(name, "p" | "div") && text_of(el).split_whitespace().count() <= 8)
}

static LINK: OnceLock<Option<scraper::Selector>> = OnceLock::new();
static LINK_HREF: OnceLock<Option<scraper::Selector>> = OnceLock::new();

/// A selector parsed once: the renderer asks for link selectors on every block.
fn selector(
    cell: &'static OnceLock<Option<scraper::Selector>>,
    css: &str,
) -> Option<&'static scraper::Selector> {
    cell.get_or_init(|| scraper::Selector::parse(css).ok())
        .as_ref()
}

fn text_of(el: &ElementRef<'_>) -> String {
    collapse_whitespace(&el.text().collect::<String>())
}

/// Share of an element's text that sits inside links.
fn link_density(el: &ElementRef<'_>) -> f64 {
    let total: usize = el.text().map(|t| t.trim().len()).sum();
    if total == 0 {
        return 0.0;
    }
    let Some(a) = selector(&LINK, "a") else {
        return 0.0;
    };
    let linked: usize = el
        .select(a)
        .flat_map(|l| l.text())
        .map(|t| t.trim().len())
        .sum();
    linked as f64 / total as f64
}

/// Class/id words that mark page furniture rather than article text.
const BOILERPLATE_WORDS: &[&str] = &[
    "share",
    "sharing",
    "social",
    "related",
    "newsletter",
    "subscribe",
    "subscription",
    "signup",
    "promo",
    "ad",
    "ads",
    "advert",
    "advertisement",
    "sponsored",
    "comments",
    "comment",
    "tags",
    "taglist",
    "tag",
    "bio",
    "byline",
    "caption",
    "credit",
    "credits",
    "breadcrumb",
    "breadcrumbs",
    "cookie",
    "cookies",
    "consent",
    "paywall",
    "recommended",
    "recommendations",
    "outbrain",
    "taboola",
    "popular",
    "trending",
    "print",
    "rating",
    "widget",
    "sidebar",
    "nav",
    "menu",
    "more",
    "author",
    "authors",
    "meta",
    "timestamp",
    "disclaimer",
    "footer",
    "header",
    "gallery",
    "video",
    "embed",
    "follow",
    "tip",
];

/// The words of a class or id attribute, split at punctuation and at camelCase humps
/// (`newsCaption` → `news`, `Caption`; `tag-adam-neumann` → `tag`, `adam`, `neumann`).
/// Slices of the attribute, no allocation: this runs on every classed element of a page.
fn class_words(attr: &str) -> impl Iterator<Item = &str> + '_ {
    attr.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .flat_map(|w| {
            let bytes = w.as_bytes();
            let mut cuts = vec![0];
            for k in 1..bytes.len() {
                if bytes[k].is_ascii_uppercase() && !bytes[k - 1].is_ascii_uppercase() {
                    cuts.push(k);
                }
            }
            cuts.push(bytes.len());
            // All cuts sit before an ASCII byte, so they are char boundaries.
            (0..cuts.len() - 1).filter_map(move |k| w.get(cuts[k]..cuts[k + 1]))
        })
}

/// Whether `word` is in `list` (lower-case), ignoring ASCII case.
fn in_list(list: &[&str], word: &str) -> bool {
    list.iter().any(|l| l.eq_ignore_ascii_case(word))
}

fn is_boilerplate(el: &ElementRef<'_>) -> bool {
    let v = el.value();
    let name = v.name();
    if is_hidden(name)
        || matches!(
            name,
            "figure"
                | "figcaption"
                | "aside"
                | "nav"
                | "footer"
                | "header"
                | "form"
                | "button"
                | "input"
                | "label"
                | "img"
                | "picture"
                | "audio"
                | "video"
                | "canvas"
                | "map"
        )
    {
        return true;
    }
    if v.attr("hidden").is_some() || v.attr("aria-hidden") == Some("true") {
        return true;
    }
    if v.classes().any(|c| {
        matches!(
            c,
            "hidden" | "sr-only" | "visually-hidden" | "screen-reader-text"
        )
    }) {
        return true;
    }
    if matches!(
        v.attr("role"),
        Some("navigation" | "complementary" | "contentinfo" | "banner" | "dialog")
    ) {
        return true;
    }
    let class = v.attr("class").unwrap_or("");
    if class.split_whitespace().any(|c| c == MARK) {
        return true;
    }
    if is_inline_in_text(name) {
        // `<a class="textTag">` inside a sentence is part of the sentence.
        return false;
    }
    match furniture_class(class, v.attr("id").unwrap_or("")) {
        ClassVerdict::Strong => true,
        // An "ad" or "more" word on a paragraph of text with few links is more likely a false
        // match: keep text-heavy paragraphs.
        ClassVerdict::Weak => {
            !(name == "p" && link_density(el) < 0.3 && text_of(el).split_whitespace().count() > 25)
        }
        ClassVerdict::None => false,
    }
}

/// Inline elements that sit inside running text; their class words are not trusted.
fn is_inline_in_text(name: &str) -> bool {
    matches!(
        name,
        "a" | "em" | "strong" | "b" | "i" | "u" | "abbr" | "cite" | "mark" | "q" | "time"
    )
}

/// How sure a class/id is of marking furniture.
#[derive(PartialEq)]
enum ClassVerdict {
    /// Words that name furniture and nothing else (caption, share, newsletter, cookie…).
    Strong,
    /// Words that usually do ("more", "meta", "author", "ad"…) but also occur on text.
    Weak,
    None,
}

fn furniture_class(class: &str, id: &str) -> ClassVerdict {
    let mut verdict = ClassVerdict::None;
    for w in class_words(class).chain(class_words(id)) {
        if in_list(STRONG_WORDS, w) {
            return ClassVerdict::Strong;
        }
        if in_list(BOILERPLATE_WORDS, w) {
            verdict = ClassVerdict::Weak;
        }
    }
    verdict
}

/// Class/id words that mark furniture however much text the element holds.
const STRONG_WORDS: &[&str] = &[
    "caption",
    "credit",
    "credits",
    "cookie",
    "cookies",
    "consent",
    "newsletter",
    "share",
    "sharing",
    "social",
    "subscribe",
    "subscription",
    "signup",
    "promo",
    "outbrain",
    "taboola",
    "paywall",
    "breadcrumb",
    "breadcrumbs",
];

fn related_heading_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)^(more on this|more from|more stories|related|read more|read also|see also|you may also|you might also|recommended|most (read|popular|viewed)|latest (news|stories)|top stories|further reading|à lire aussi|a lire aussi|lire aussi|sur le même sujet|dans la même rubrique|les plus lus|читайте также|по теме|еще по теме|ещё по теме|другие новости|самое читаемое|новости по теме|смотрите также)|(?i)^(more|other|related|similar|latest|top|popular|recommended|further)(?-u:\b).{0,40}(?-u:\b)(stories|articles|news|reads|reading|coverage|posts|videos)(?-u:\b)",
        )
        .ok()
    })
    .as_ref()
}

fn is_related_heading(text: &str) -> bool {
    related_heading_re().is_some_and(|re| re.is_match(text.trim()))
}

/// Paragraph openers that belong to page furniture wherever they stand.
fn furniture_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)^(read more|read also|see more|watch:|listen:|related articles|posted:|updated:|published:|last updated|(published|updated|posted|publié|mis à jour|опубликовано|обновлено)(?-u:\b).{0,40}\d{4}|\(?(image|photo|picture)s?( credit)?:|related:|related coverage|see also|more:|also read|subscribe|newsletter|follow us|follow @|share this|share on|click here|advertisement|advertising|copyright|©|all rights reserved|have a (news )?tip|got a (news )?tip|send (us )?(your )?(news )?tips|lire aussi|à lire aussi|(à )?voir (aussi|également)|abonnez-vous|inscrivez-vous|partager|suivez-nous|publicité|читайте также|смотрите также|нашли (ошибку|опечатку)|подписывайтесь|подпишитесь|поделиться|реклама)",
        )
        .ok()
    })
    .as_ref()
}

/// Trailing paragraphs that describe the author or invite to act, not the story.
fn trailing_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)((?-u:\b)is (a|an|the|our)(?-u:\b).{0,60}(?-u:\b)(reporter|correspondent|writer|editor|journalist|columnist|contributor|producer)s?(?-u:\b)|(?-u:\b)contributed (to )?(this )?report|(?-u:\b)contact (the )?(author|reporter|us)(?-u:\b)|(?-u:\b)email (the author|us)(?-u:\b)|(?-u:\b)twitter(?-u:\b).*@|(?-u:\b)photo:|(?-u:\b)image:|tous droits réservés|все права защищены)",
        )
        .ok()
    })
    .as_ref()
}

/// Image credits inside a short line: "(Image: …)", "(Photo credit: …)", "photos by …".
fn credit_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)\((image|photo|picture)s?( credit)?:|(?-u:\b)photos? by |crédits? photo")
            .ok()
    })
    .as_ref()
}

/// Calls to subscribe or sign up, wherever they stand in a short paragraph.
fn prompt_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)((?-u:\b)subscribe (now|today|to (our|the))|(?-u:\b)subscribers only|(?-u:\b)become a (member|subscriber)|(?-u:\b)sign up (for free|now|today|here)|ctrl\s*\+\s*enter|(?-u:\b)newsletter(?-u:\b).*(?-u:\b)inbox|abonnez-vous|réservé aux abonnés|cet article vous est offert|inscrivez-vous à (notre|la) newsletter|подпишитесь|подписывайтесь|оформите подписку)",
        )
        .ok()
    })
    .as_ref()
}

/// Words of a paragraph: whitespace tokens holding a letter or digit (so "Loading content
/// ..." counts two), and for scripts written without spaces (Chinese, Japanese) one word per
/// two such characters.
fn word_count(p: &str) -> usize {
    p.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| {
            let unspaced = w.chars().filter(|c| is_unspaced_script(*c)).count();
            (unspaced / 2).max(1)
        })
        .sum()
}

/// CJK ideographs and kana: scripts that do not put spaces between words.
fn is_unspaced_script(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{ac00}'..='\u{d7af}')
}

/// The start of a paragraph, enough for the anchored furniture patterns.
fn prefix(p: &str) -> &str {
    match p.char_indices().nth(120) {
        Some((i, _)) => &p[..i],
        None => p,
    }
}

/// Drop furniture paragraphs, the repeated title, and trailing author/credit lines.
fn finish_paragraphs(paragraphs: Vec<String>, title: &str) -> String {
    let title_norm = collapse_whitespace(title).to_lowercase();
    let mut kept: Vec<String> = paragraphs
        .into_iter()
        .filter(|p| {
            let lower = p.to_lowercase();
            let words = p.split_whitespace().count();
            // Word counts first: the regexes are the costly part of rendering.
            let furniture = words < 40 && furniture_re().is_some_and(|re| re.is_match(prefix(p)));
            let prompt = words < 50 && prompt_re().is_some_and(|re| re.is_match(p));
            // A short line with a copyright sign or an image credit is a photo credit.
            let credit =
                words < 25 && (p.contains('©') || credit_re().is_some_and(|re| re.is_match(p)));
            let repeats_title = lower == title_norm && !title_norm.is_empty();
            !(furniture || prompt || credit || repeats_title)
        })
        .collect();
    while let Some(last) = kept.last() {
        let words = word_count(last);
        let trailing = words < 60 && trailing_re().is_some_and(|re| re.is_match(last));
        if trailing || words < 3 {
            kept.pop();
        } else {
            break;
        }
    }
    trim_edges(&mut kept);
    kept.join("\n\n")
}

/// At most this many short non-sentence lines are cut at each edge of the body; a longer
/// run of them is a list that belongs to the text.
const EDGE_MAX_LINES: usize = 3;

/// The edges of the body, by position and shape rather than by phrase: after the last
/// sentence, short lines that are not sentences ("Related", "Filed under: …", a share
/// prompt, a contact address); before the first, short lines with a number that are not
/// sentences (datelines, timestamps). Never the whole body.
fn trim_edges(kept: &mut Vec<String>) {
    let trail = kept.iter().rev().take_while(|p| edge_furniture(p)).count();
    if trail <= EDGE_MAX_LINES && trail < kept.len() {
        kept.truncate(kept.len() - trail);
    }
    let lead = kept
        .iter()
        .take_while(|p| edge_furniture(p) && p.chars().any(|c| c.is_ascii_digit()))
        .count();
    if lead <= EDGE_MAX_LINES && lead < kept.len() {
        kept.drain(..lead);
    }
}

/// A line that is not a sentence: at most 8 words and no sentence-final punctuation, or at
/// most 15 words holding a mail or web address.
fn edge_furniture(p: &str) -> bool {
    let words = word_count(p);
    if words > 15 {
        return false;
    }
    let address = p.contains("http://")
        || p.contains("https://")
        || p.contains("www.")
        || p.split_whitespace()
            .any(|w| w.contains('@') && w.contains('.'));
    if address {
        return true;
    }
    let end = p.trim_end_matches(|c: char| {
        matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']') || c.is_whitespace()
    });
    let sentence = end.ends_with(['.', '!', '?', '…', '。', '！', '？']);
    words <= 8 && !sentence
}

/// Join the lines of a paragraph after collapsing each.
fn collapse_lines(text: &str) -> String {
    text.split('\n')
        .map(collapse_whitespace)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// No readable block found: the page's paragraphs outside page furniture.
fn fallback_article(html: &str) -> Article {
    let doc = Html::parse_document(html);
    let Ok(sel) = scraper::Selector::parse("p") else {
        return Article::default();
    };
    let paragraphs: Vec<String> = doc
        .select(&sel)
        .filter(|p| {
            !p.ancestors()
                .filter_map(ElementRef::wrap)
                .any(|a| is_boilerplate(&a))
        })
        .map(|p| text_of(&p))
        .filter(|t| t.split_whitespace().count() >= 8)
        .collect();
    let title = scraper::Selector::parse("title")
        .ok()
        .and_then(|s| doc.select(&s).next().map(|t| text_of(&t)))
        .filter(|t| !t.is_empty());
    Article {
        body: finish_paragraphs(paragraphs, title.as_deref().unwrap_or("")),
        title,
        ..Article::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_or_empty_html_gives_an_empty_article_without_panicking() {
        for html in [
            "",
            "<",
            "<html><body><p>Short.",
            "<<<>>>&&&",
            "<div><p>unclosed <b>tags <i>everywhere",
        ] {
            let a = extract_article(html, None);
            assert!(a.body.len() < 100, "{html:?}");
        }
    }

    #[test]
    fn related_headings_are_recognised() {
        for (text, want) in [
            ("More on this topic", true),
            ("Related stories", true),
            ("À lire aussi", true),
            ("Читайте также", true),
            ("What the treaty says", false),
        ] {
            assert_eq!(is_related_heading(text), want, "{text}");
        }
    }
    fn fixture_dir() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/html")
    }

    fn fixture(name: &str) -> Vec<u8> {
        let path = fixture_dir().join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// A line diff (longest common subsequence) of expected vs actual, for failure messages.
    fn line_diff(want: &str, got: &str) -> String {
        let a: Vec<&str> = want.lines().collect();
        let b: Vec<&str> = got.lines().collect();
        let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for i in (0..a.len()).rev() {
            for j in (0..b.len()).rev() {
                lcs[i][j] = if a[i] == b[j] {
                    lcs[i + 1][j + 1] + 1
                } else {
                    lcs[i + 1][j].max(lcs[i][j + 1])
                };
            }
        }
        let (mut i, mut j, mut out) = (0, 0, String::new());
        while i < a.len() || j < b.len() {
            if i < a.len() && j < b.len() && a[i] == b[j] {
                out += &format!("  {}\n", a[i]);
                i += 1;
                j += 1;
            } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
                out += &format!("+ {}\n", b[j]);
                j += 1;
            } else {
                out += &format!("- {}\n", a[i]);
                i += 1;
            }
        }
        out
    }

    /// Every `tests/fixtures/html/<name>.html` must give exactly `<name>.expected.txt` as its
    /// body (the page's charset is read from its bytes, as for a fetched page without a
    /// Content-Type charset). On failure, all differing pages are shown as line diffs
    /// (`-` expected, `+` extracted).
    #[test]
    fn golden_pages_match_their_expected_text() {
        let mut names: Vec<String> = std::fs::read_dir(fixture_dir())
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter_map(|n| n.strip_suffix(".html").map(str::to_owned))
            .collect();
        names.sort();
        assert!(names.len() >= 9, "only {} golden pages", names.len());
        let mut failures = String::new();
        for name in &names {
            let html =
                crate::sources::charset::decode_html(&fixture(&format!("{name}.html")), None);
            let want = String::from_utf8(fixture(&format!("{name}.expected.txt"))).unwrap();
            let got = extract_article(&html, None).body;
            if got != want.trim_end() {
                failures += &format!("--- {name}\n{}", line_diff(want.trim_end(), &got));
            }
        }
        assert!(failures.is_empty(), "golden pages differ:\n{failures}");
    }

    #[test]
    fn density_block_finds_the_article_and_flags_a_teaser_body() {
        let sentence = "The regional governor said that the engineers would clear the fields \
                        before the harvest and that the builders would start on the roads.";
        let article: String = (0..6).map(|_| format!("<p>{sentence}</p>")).collect();
        let comments: String = (0..3)
            .map(|_| format!("<div class=\"comment\"><p>{sentence} {sentence}</p></div>"))
            .collect();
        let html = format!(
            "<html><body><div class=\"teaser\"><p>A short teaser about the roads and the \
             fields near the border.</p></div><div id=\"story\">{article}</div>\
             <section class=\"comments-list\">{comments}</section></body></html>"
        );
        let doc = dom_query::Document::from(html.as_str());
        let block = DensityBlock::find(&doc).unwrap();
        // Six paragraphs of the story; the longer comments are furniture and not counted.
        assert!(
            block.html.starts_with("<div id=\"story\">"),
            "{}",
            block.html
        );
        assert_eq!(block.texts.len(), 6);
        assert!(
            block.disagrees_with("A short teaser about the roads and the fields near the border.")
        );
        let full = [sentence; 6].join("\n\n");
        assert!(!block.disagrees_with(&full));
    }

    #[test]
    fn json_ld_article_body_is_found_nested_and_scores_overlap() {
        let body = "Engineers from the north will clear fields and roads near the border \
                    this summer, the regional governor said on Monday after talks with \
                    officials, adding that builders would follow in the autumn months.";
        let blocks = vec![
            "not json".to_owned(),
            format!(
                r#"{{"@graph": [{{"@type": "WebPage"}}, {{"@type": "NewsArticle", "articleBody": "{body}"}}]}}"#
            ),
        ];
        assert_eq!(json_ld_article_body(&blocks).as_deref(), Some(body));
        assert_eq!(
            json_ld_article_body(&[r#"{"articleBody": "Too short."}"#.to_owned()]),
            None
        );
        assert!(overlap(body, body) > 0.99);
        assert!(overlap("Subscribe to our newsletter", body) < 0.1);
        let page = format!(
            r#"<html><head><script type="application/ld+json">{}</script></head><body></body></html>"#,
            blocks[1]
        );
        let meta = PageMeta::read(&dom_query::Document::from(page.as_str()));
        assert_eq!(json_ld_article_body(&meta.json_ld).as_deref(), Some(body));
    }

    #[test]
    fn class_words_split_punctuation_and_camel_case() {
        let words: Vec<&str> = class_words("InlineImage-imageEmbedCaption tag_x").collect();
        assert_eq!(
            words,
            ["Inline", "Image", "image", "Embed", "Caption", "tag", "x"]
        );
        assert!(furniture_class("newsCaption", "") == ClassVerdict::Strong);
        assert!(furniture_class("article-main__more", "") == ClassVerdict::Weak);
        assert!(furniture_class("story-body", "main") == ClassVerdict::None);
    }

    #[test]
    fn body_edges_lose_datelines_and_closing_furniture_but_keep_lists_and_sentences() {
        let story = "The council approved the budget on Tuesday after a long debate about \
                     the roads, the schools and the new bridge over the river.";
        let paragraphs = |lines: &[&str]| lines.iter().map(|l| l.to_string()).collect();
        // A dateline before the story, a contact line and a "Filed under" line after it.
        let body = finish_paragraphs(
            paragraphs(&[
                "Nov. 20, 2019, 9:28 AM UTC",
                story,
                story,
                "Write to Jane Roe at jane.roe@example.com",
                "Filed under: Politics |",
            ]),
            "",
        );
        assert_eq!(body, [story, story].join("\n\n"));
        // A closing list of short items is text: a run longer than three is kept, and so
        // is a short last line that is a sentence, and a leading line without a number.
        let list = [
            "Wales: second appearance",
            "Spain: eleventh appearance",
            "Italy: tenth appearance",
            "Poland: fourth appearance",
        ];
        let mut lines = vec!["Highlights of the week", story];
        lines.extend(list);
        let body = finish_paragraphs(paragraphs(&lines), "");
        assert!(body.starts_with("Highlights of the week"), "{body}");
        assert!(body.ends_with("Poland: fourth appearance"), "{body}");
        let body = finish_paragraphs(paragraphs(&[story, "He was later fired."]), "");
        assert!(body.ends_with("He was later fired."), "{body}");
        // Never the whole body.
        assert_eq!(
            finish_paragraphs(paragraphs(&["Nov. 20, 2019"]), ""),
            "Nov. 20, 2019"
        );
    }

    #[test]
    fn line_diff_marks_missing_and_extra_lines() {
        assert_eq!(line_diff("a\nb\nc", "a\nx\nc"), "  a\n+ x\n- b\n  c\n");
    }

    #[test]
    fn truncated_and_garbage_pages_never_panic() {
        // Prefixes (in steps) of every golden page, cut anywhere, also inside a multi-byte
        // character or a tag: decoding and extraction must return, and a page cut after its
        // first paragraphs still yields those paragraphs.
        for entry in std::fs::read_dir(fixture_dir()).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "html") {
                continue;
            }
            let page = std::fs::read(&path).unwrap();
            for cut in (0..page.len()).step_by(211) {
                let html = crate::sources::charset::decode_html(&page[..cut], None);
                let _ = extract_article(&html, Some("https://news.example.com/a/b"));
            }
        }
        let page = fixture("en_news_boilerplate.html");
        let text = String::from_utf8_lossy(&page);
        let cut = text.find("<figure>").unwrap();
        let body = extract_article(&text[..cut], None).body;
        assert!(body.starts_with("A first group of North Korean"), "{body}");
        let mut seed = 0x2545_f491_u32;
        for len in [1usize, 7, 64, 1000, 20_000] {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    // Mostly markup characters, so the parser sees tags, entities and quotes.
                    let alphabet = b"<>/&;=\"' apdiv\xff\xfe\x00\xd0";
                    alphabet[seed as usize % alphabet.len()]
                })
                .collect();
            let html =
                crate::sources::charset::decode_html(&bytes, Some("text/html; charset=bogus"));
            let a = extract_article(&html, None);
            // Sensible: never more text out than went in.
            assert!(a.body.chars().count() <= html.chars().count(), "{len}");
        }
    }

    /// Metadata of three golden pages, and phrases of their furniture that must not be in
    /// the body.
    #[test]
    fn golden_pages_metadata() {
        struct Case {
            name: &'static str,
            title: &'static str,
            byline: &'static str,
            published: &'static str,
            lang: &'static str,
            absent: &'static [&'static str],
        }
        let cases = [
            Case {
                name: "en_news_boilerplate",
                title: "Deminers from Pyongyang begin work near Kursk",
                byline: "Hannah Cole",
                published: "2025-06-19T07:15:00Z",
                lang: "en-GB",
                absent: &[
                    "More on this topic",
                    "Treaty anniversary",
                    "cookies",
                    "newsletter",
                    "Share on",
                    "Topics:",
                    "Riga",
                ],
            },
            Case {
                name: "fr_news_boilerplate",
                title: "Un an après, le traité entre Moscou et Pyongyang se concrétise",
                byline: "Claire Martin",
                published: "2025-06-20T08:30:00Z",
                lang: "fr",
                absent: &[
                    "À lire aussi",
                    "reconstruction commence",
                    "Abonnez-vous",
                    "Publicité",
                    "Partager",
                ],
            },
            Case {
                name: "ru_news_boilerplate",
                title: "В Курскую область прибыли сапёры из КНДР",
                byline: "Ольга Петрова",
                published: "2025-06-18T11:00:00Z",
                lang: "ru",
                absent: &[
                    "Читайте также",
                    "Годовщина договора",
                    "Подписывайтесь",
                    "ВКонтакте",
                    "комментарий",
                ],
            },
        ];
        for case in cases {
            let html = crate::sources::charset::decode_html(
                &fixture(&format!("{}.html", case.name)),
                None,
            );
            let article = extract_article(&html, None);
            for text in case.absent {
                assert!(
                    !article.body.contains(text),
                    "{}: {text:?} in body",
                    case.name
                );
            }
            assert_eq!(article.title.as_deref(), Some(case.title), "{}", case.name);
            assert_eq!(
                article.byline.as_deref(),
                Some(case.byline),
                "{}",
                case.name
            );
            assert_eq!(
                article.published.as_deref(),
                Some(case.published),
                "{}",
                case.name
            );
            assert_eq!(article.lang.as_deref(), Some(case.lang), "{}", case.name);
        }
    }
}
