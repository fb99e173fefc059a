//! RSS 0.9x/1.0/2.0, Atom and JSON Feed documents → items, through feed-rs with repairs.
//!
//! feed-rs is strict; real-world feeds are not. The document is transcoded to UTF-8 first,
//! parsed, and when the parse fails (or silently finds no entries where there are some) the
//! known quirks are repaired and the parse retried. A panic inside the parser becomes this
//! feed's error. OWNER: sources helper. Interface (keep): `parse_feed`, `SourceError`.
//! Added: `SourceError::NotAFeed`, `discover_feed_links`.
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

use regex::Regex;
use url::Url;

use super::charset::{collapse_whitespace, decode_entities, html_to_text, to_utf8_xml};
use crate::model::{Item, ParsedFeed};

#[derive(Debug, Clone, thiserror::Error)]
pub enum SourceError {
    #[error("malformed feed: {0}")]
    Malformed(String),
    #[error("malformed page: {0}")]
    Page(String),
    /// The document is something else (an HTML page, an image…): a wrong URL, not a bad feed.
    #[error("not a feed: {0}")]
    NotAFeed(String),
}

/// How many words of the summary make a title for an entry that has none.
const TITLE_WORDS: usize = 12;

/// Drop every XML declaration but a well-formed one at the very start, each replaced by the
/// line breaks it held (error lines stay right). The document is UTF-8 by now, so a
/// declaration says nothing the parser needs,
/// and quick-xml 0.42 panics when feed-rs asks it to switch encoding at a declaration it
/// has read past its start buffer: a second declaration, or a first one whose `?>` comes
/// late (both found by fuzzing: see docs/reliability.md). `<?xml-stylesheet` and other
/// instructions are kept.
fn drop_declarations(doc: &str) -> std::borrow::Cow<'_, str> {
    fn next_decl(s: &str) -> Option<usize> {
        s.match_indices("<?xml").map(|(i, _)| i).find(|&i| {
            s[i + 5..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_whitespace() || c == '?')
        })
    }
    let first_end = doc.find("?>").map_or(0, |j| j + 2);
    let first_ok = next_decl(doc) == Some(0) && !doc[1..first_end.max(3) - 2].contains(['<', '>']);
    if next_decl(&doc[if first_ok { first_end } else { 0 }..]).is_none() {
        return std::borrow::Cow::Borrowed(doc);
    }
    let mut out = String::with_capacity(doc.len());
    let mut rest = doc;
    while let Some(i) = next_decl(rest) {
        out.push_str(&rest[..i]);
        let end = rest[i..].find("?>").map_or(rest.len(), |j| i + j + 2);
        let decl = &rest[i..end];
        if out.is_empty()
            && i == 0
            && decl.ends_with("?>")
            && !decl[1..decl.len() - 2].contains(['<', '>'])
        {
            // The first bytes, well formed: kept (charset.rs already made it say UTF-8).
            out.push_str(decl);
        } else {
            out.extend(decl.chars().filter(|&c| c == '\n'));
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Parse a feed document. `content_type` is the HTTP header (for its charset).
pub fn parse_feed(
    bytes: &[u8],
    content_type: Option<&str>,
    feed_url: &str,
) -> Result<ParsedFeed, SourceError> {
    let utf8 = to_utf8_xml(bytes, content_type);
    let text = String::from_utf8_lossy(&utf8);
    let doc = text.trim_start_matches('\u{feff}').trim_start();
    let doc = &*drop_declarations(doc);
    let doc = doc.trim_start();
    if doc.is_empty() {
        return Err(SourceError::Malformed("empty document".into()));
    }
    if doc.starts_with('{') {
        let feed = run_parser(doc)?;
        return Ok(convert(feed, feed_url));
    }
    if looks_like_html(doc) {
        return Err(SourceError::NotAFeed("got an HTML page".into()));
    }
    if !doc.starts_with('<') {
        return Err(SourceError::NotAFeed(
            "the document is neither XML nor JSON".into(),
        ));
    }

    let first = run_parser(doc);
    // feed-rs can succeed yet drop entries (Atom 0.3, RSS 1.0 items without <link>): compare
    // with the number of entry tags in the document, not only the success.
    let expected = count_entry_tags(doc);
    if let Ok(feed) = &first {
        if feed.entries.len() >= expected {
            return first.map(|feed| convert(feed, feed_url));
        }
    }
    // Each repair only touches documents that show its quirk, so they can be chained.
    let repaired = repair_truncation(&escape_stray_ampersands(&repair_rss1_links(
        &repair_atom_types(&repair_atom03(&repair_rss_root(doc))),
    )));
    if repaired != doc {
        if let Ok(feed) = run_parser(&repaired) {
            let better = match &first {
                Ok(f) => feed.entries.len() > f.entries.len(),
                Err(_) => true,
            };
            if better {
                return Ok(convert(feed, feed_url));
            }
        }
    }
    match first {
        Ok(feed) => Ok(convert(feed, feed_url)),
        Err(e) => Err(describe_failure(doc, e)),
    }
}

/// Run feed-rs on a UTF-8 document where a panic cannot escape.
fn run_parser(doc: &str) -> Result<feed_rs::model::Feed, SourceError> {
    let result = catch_unwind(AssertUnwindSafe(|| {
        // An empty generated id marks an entry that had no guid/id of its own.
        feed_rs::parser::Builder::new()
            .id_generator(|_, _, _| String::new())
            .build()
            .parse(doc.as_bytes())
    }));
    match result {
        Ok(Ok(feed)) => Ok(feed),
        Ok(Err(e)) => Err(SourceError::Malformed(e.to_string())),
        Err(_) => Err(SourceError::Malformed(
            "the feed parser crashed on this document".into(),
        )),
    }
}

/// After every repair failed: say what is wrong in terms a feed's owner can act on.
fn describe_failure(doc: &str, parser_error: SourceError) -> SourceError {
    if let Some(xml_error) = xml_well_formedness_error(doc) {
        return SourceError::Malformed(xml_error);
    }
    let root = root_element_name(doc).unwrap_or_default();
    if !matches!(root.as_str(), "rss" | "feed" | "RDF" | "rdf:RDF") {
        return SourceError::NotAFeed(format!("the XML root element is <{root}>"));
    }
    parser_error
}

/// The first well-formedness error with its line, as quick-xml reports it.
fn xml_well_formedness_error(doc: &str) -> Option<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(doc);
    let config = reader.config_mut();
    config.check_end_names = true;
    let mut depth: usize = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Start(_)) => depth += 1,
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(Event::Eof) => {
                if depth > 0 {
                    let line = line_of(doc, doc.len());
                    return Some(format!(
                        "XML error at line {line}: the document ends early ({depth} element(s) left open; truncated download?)"
                    ));
                }
                return None;
            }
            Ok(_) => {}
            Err(e) => {
                let pos = usize::try_from(reader.error_position()).unwrap_or(0);
                return Some(format!("XML error at line {}: {e}", line_of(doc, pos)));
            }
        }
    }
}

fn line_of(doc: &str, byte_pos: usize) -> usize {
    let end = byte_pos.min(doc.len());
    doc.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn root_element_name(doc: &str) -> Option<String> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let re = RE
        .get_or_init(|| Regex::new(r"<([A-Za-z][A-Za-z0-9_:.-]*)").ok())
        .as_ref()?;
    // Skip the prolog, comments and the doctype: the first real start tag.
    let mut rest = doc;
    loop {
        let idx = rest.find('<')?;
        let after = &rest[idx..];
        if after.starts_with("<?") || after.starts_with("<!") {
            let end = if after.starts_with("<!--") {
                after.find("-->")? + 3
            } else {
                after.find('>')? + 1
            };
            rest = &after[end..];
            continue;
        }
        return re
            .captures(after)
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().to_owned());
    }
}

fn looks_like_html(doc: &str) -> bool {
    let head: String = doc
        .chars()
        .take(1024)
        .collect::<String>()
        .to_ascii_lowercase();
    let root = root_element_name(doc)
        .unwrap_or_default()
        .to_ascii_lowercase();
    root == "html"
        || (head.contains("<!doctype html") && !matches!(root.as_str(), "rss" | "feed" | "rdf:rdf"))
}

fn count_entry_tags(doc: &str) -> usize {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"<(?:[A-Za-z0-9]+:)?(?:item|entry)[\s>/]").ok())
        .as_ref()
        .map_or(0, |re| re.find_iter(doc).count())
}

/// `<rss>` with no version or an odd one (0.93, 0.94, 2.01) → 2.0; `<rss>` with items but no
/// `<channel>` → wrap them in one.
fn repair_rss_root(doc: &str) -> String {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(re) = RE
        .get_or_init(|| Regex::new(r"<rss\b([^>]*)>").ok())
        .as_ref()
    else {
        return doc.to_owned();
    };
    let Some(caps) = re.captures(doc) else {
        return doc.to_owned();
    };
    let (Some(whole), Some(attrs)) = (caps.get(0), caps.get(1)) else {
        return doc.to_owned();
    };
    static VERSION: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(version_re) = VERSION
        .get_or_init(|| Regex::new(r#"\s+version\s*=\s*["'][^"']*["']"#).ok())
        .as_ref()
    else {
        return doc.to_owned();
    };
    let version = version_re
        .find(attrs.as_str())
        .map(|m| m.as_str().to_owned());
    let good = version.as_deref().is_some_and(|v| {
        v.contains("\"2.0\"") || v.contains("'2.0'") || v.contains("0.91") || v.contains("0.92")
    });
    let mut new_tag = whole.as_str().to_owned();
    if !good {
        let other_attrs = version_re.replace(attrs.as_str(), "");
        new_tag = format!("<rss version=\"2.0\"{other_attrs}>");
    }
    let has_channel = doc.contains("<channel");
    if !has_channel {
        new_tag.push_str("<channel>");
    }
    let mut out = format!(
        "{}{}{}",
        &doc[..whole.start()],
        new_tag,
        &doc[whole.end()..]
    );
    if !has_channel {
        match out.rfind("</rss>") {
            Some(i) => out.insert_str(i, "</channel>"),
            None => out.push_str("</channel>"),
        }
    }
    out
}

/// Atom 0.3: feed-rs parses it with zero entries. Move it to the Atom 1.0 namespace and
/// rename the 0.3 date elements.
fn repair_atom03(doc: &str) -> String {
    if !doc.contains("http://purl.org/atom/ns#") {
        return doc.to_owned();
    }
    doc.replace("http://purl.org/atom/ns#", "http://www.w3.org/2005/Atom")
        .replace("<issued>", "<published>")
        .replace("</issued>", "</published>")
        .replace("<modified>", "<updated>")
        .replace("</modified>", "</updated>")
        .replace("<tagline", "<subtitle")
        .replace("</tagline>", "</subtitle>")
        .replace(" mode=\"escaped\"", "")
        .replace(" mode=\"xml\"", "")
}

/// Atom text constructs with a `type` feed-rs does not know (`application/xhtml+xml`,
/// `text/plain`, empty) → `text`, `html` or `xhtml`.
fn repair_atom_types(doc: &str) -> String {
    if !doc.contains("<feed") {
        return doc.to_owned();
    }
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(re) = RE
        .get_or_init(|| {
            Regex::new(
                r#"(<(?:[A-Za-z0-9]+:)?(?:title|subtitle|summary|content|rights)\b[^>]*?\btype\s*=\s*)(["'])([^"']*)["']"#,
            )
            .ok()
        })
        .as_ref()
    else {
        return doc.to_owned();
    };
    re.replace_all(doc, |caps: &regex::Captures<'_>| {
        let value = caps
            .get(3)
            .map_or("", |m| m.as_str())
            .trim()
            .to_ascii_lowercase();
        let mapped = match value.as_str() {
            "text" | "html" | "xhtml" => value.as_str(),
            "text/plain" => "text",
            v if v.contains("xhtml") => "xhtml",
            _ => "html",
        };
        format!("{}\"{}\"", &caps[1], mapped)
    })
    .into_owned()
}

/// RSS 1.0 items without `<link>` are dropped by feed-rs: give them their `rdf:about`.
fn repair_rss1_links(doc: &str) -> String {
    if !doc.contains("rdf:about") {
        return doc.to_owned();
    }
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(re) = RE
        .get_or_init(|| {
            Regex::new(r#"(?s)(<item\b[^>]*?rdf:about\s*=\s*["']([^"']+)["'][^>]*>)(.*?)</item>"#)
                .ok()
        })
        .as_ref()
    else {
        return doc.to_owned();
    };
    re.replace_all(doc, |caps: &regex::Captures<'_>| {
        let body = caps.get(3).map_or("", |m| m.as_str());
        if body.contains("<link") {
            caps[0].to_owned()
        } else {
            format!("{}<link>{}</link>{}</item>", &caps[1], &caps[2], body)
        }
    })
    .into_owned()
}

/// A bare `&` that starts no entity reference ("Q&A", "AT&T") → `&amp;`. CDATA is left alone.
fn escape_stray_ampersands(doc: &str) -> String {
    let mut out = String::with_capacity(doc.len() + 16);
    let mut rest = doc;
    while let Some(i) = rest.find(['&', '<']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("<![CDATA[") {
            let end = tail.find("]]>").map_or(tail.len(), |e| e + 3);
            out.push_str(&tail[..end]);
            rest = &tail[end..];
        } else if let Some(after) = tail.strip_prefix('<') {
            out.push('<');
            rest = after;
        } else {
            let after = &tail[1..];
            out.push_str(if is_entity_reference(after) {
                "&"
            } else {
                "&amp;"
            });
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn is_entity_reference(after_amp: &str) -> bool {
    let Some(end) = after_amp.find(';') else {
        return false;
    };
    let name = &after_amp[..end];
    if end == 0 || end > 32 {
        return false;
    }
    if let Some(num) = name.strip_prefix('#') {
        return match num.strip_prefix(['x', 'X']) {
            Some(hex) => !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()),
            None => !num.is_empty() && num.chars().all(|c| c.is_ascii_digit()),
        };
    }
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

/// A document cut off mid-way: keep the complete entries and close the root.
fn repair_truncation(doc: &str) -> String {
    let trimmed = doc.trim_end();
    for (root_close, entry_close, tail) in [
        ("</rss>", "</item>", "</channel></rss>"),
        ("</rdf:RDF>", "</item>", "</rdf:RDF>"),
        ("</feed>", "</entry>", "</feed>"),
    ] {
        let opens_root = match root_close {
            "</rss>" => doc.contains("<rss"),
            "</rdf:RDF>" => doc.contains("<rdf:RDF"),
            _ => doc.contains("<feed"),
        };
        if !opens_root || trimmed.ends_with(root_close) {
            continue;
        }
        if let Some(i) = doc.rfind(entry_close) {
            let tail = if root_close == "</rss>" && !doc.contains("<channel") {
                "</rss>"
            } else {
                tail
            };
            return format!("{}{}", &doc[..i + entry_close.len()], tail);
        }
    }
    doc.to_owned()
}

/// feed-rs's model → ours: plain text, absolute links, dates.
fn convert(feed: feed_rs::model::Feed, feed_url: &str) -> ParsedFeed {
    let base = Url::parse(feed_url).ok();
    let feed_lang = feed.language.clone().filter(|l| !l.trim().is_empty());
    let items = feed
        .entries
        .into_iter()
        .map(|entry| {
            let summary = entry
                .summary
                .as_ref()
                .map(|t| html_to_text(&t.content))
                .filter(|s| !s.is_empty());
            let content = entry
                .content
                .as_ref()
                .and_then(|c| c.body.as_deref())
                .map(html_to_text)
                .filter(|s| !s.is_empty());
            let guid = Some(entry.id.trim().to_owned()).filter(|g| !g.is_empty());
            let link = entry
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .or_else(|| entry.links.first())
                .map(|l| l.href.trim().to_owned())
                .filter(|h| !h.is_empty());
            // An RSS guid that is a web address is the permalink when there is no <link>.
            let link = link.or_else(|| {
                guid.clone()
                    .filter(|g| g.starts_with("http://") || g.starts_with("https://"))
            });
            let url = link.and_then(|href| absolute_url(base.as_ref(), &href));
            let mut title = entry
                .title
                .as_ref()
                .map(|t| clean_title(&t.content))
                .unwrap_or_default();
            if title.is_empty() {
                title = summary
                    .as_deref()
                    .or(content.as_deref())
                    .map(first_words)
                    .unwrap_or_default();
            }
            let author = entry
                .authors
                .iter()
                .filter_map(|p| p.name.as_deref().or(p.email.as_deref()).map(clean_title))
                .find(|n| !n.is_empty());
            Item {
                feed_url: feed_url.to_owned(),
                guid,
                url,
                title,
                summary,
                content,
                published: entry.published.or(entry.updated),
                author,
                lang: entry
                    .language
                    .clone()
                    .filter(|l| !l.trim().is_empty())
                    .or_else(|| feed_lang.clone()),
            }
        })
        .collect();
    ParsedFeed {
        title: feed
            .title
            .as_ref()
            .map(|t| clean_title(&t.content))
            .filter(|t| !t.is_empty()),
        lang: feed_lang,
        items,
        ttl_mins: feed.ttl.filter(|t| *t > 0),
    }
}

/// A title as one line of plain text: entities decoded, simple inline formatting tags
/// (`<b>`, `<em>`, `<span>`…) dropped. Any other markup — a `<script>` above all — stays as
/// literal text: a title is text, so the digest shows (escaped) what the feed carried
/// instead of running it or silently hiding it.
fn clean_title(raw: &str) -> String {
    static INLINE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    let inline = INLINE.get_or_init(|| {
        regex::Regex::new(
            r"(?i)</?(?:b|i|em|strong|u|span|font|small|big|sup|sub|mark|abbr|cite|q|code|a|nobr|wbr)(?:\s[^<>]*)?/?>|<br\s*/?>",
        )
        .ok()
    });
    let stripped = match inline {
        Some(re) if raw.contains('<') => re.replace_all(raw, " ").into_owned(),
        _ => raw.to_string(),
    };
    let decoded = decode_entities(&stripped);
    // Entities may have encoded inline tags (`&lt;b&gt;`): one more pass after decoding.
    let text = match inline {
        Some(re) if decoded.contains('<') => re.replace_all(&decoded, " ").into_owned(),
        _ => decoded,
    };
    collapse_whitespace(&text)
}

fn first_words(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= TITLE_WORDS {
        words.join(" ")
    } else {
        format!("{}…", words[..TITLE_WORDS].join(" "))
    }
}

/// Resolve `href` against the base; an unparsable link is dropped rather than kept relative.
pub(crate) fn absolute_url(base: Option<&Url>, href: &str) -> Option<String> {
    match Url::parse(href) {
        Ok(u) => Some(u.to_string()),
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            base.and_then(|b| b.join(href).ok()).map(|u| u.to_string())
        }
        Err(_) => None,
    }
}

/// Feed links an HTML page announces (`<link rel="alternate" type="application/rss+xml">`,
/// Atom, JSON Feed), absolute, in page order, without duplicates.
pub fn discover_feed_links(html: &str, base_url: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let Ok(sel) = scraper::Selector::parse("link[href]") else {
        return Vec::new();
    };
    let base = Url::parse(base_url).ok();
    let mut out: Vec<String> = Vec::new();
    for el in doc.select(&sel) {
        let v = el.value();
        let rel = v.attr("rel").unwrap_or("").to_ascii_lowercase();
        let ty = v.attr("type").unwrap_or("").trim().to_ascii_lowercase();
        let is_feed = matches!(
            ty.as_str(),
            "application/rss+xml"
                | "application/atom+xml"
                | "application/feed+json"
                | "application/json+feed"
        );
        if !is_feed || !rel.split_whitespace().any(|r| r == "alternate") {
            continue;
        }
        if let Some(url) = v
            .attr("href")
            .and_then(|h| absolute_url(base.as_ref(), h.trim()))
        {
            if !out.contains(&url) {
                out.push(url);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by fuzzing (fuzz/run.sh, target `feed`): a second `<?xml … encoding=…?>`, or
    /// a first one whose `?>` comes late, made quick-xml panic inside feed-rs. The panic was
    /// caught, but the feed was lost.
    #[test]
    fn xml_declarations_are_dropped_not_a_parser_panic() {
        let doc = concat!(
            r#"<?xml version="1.0" encoding="utf-8"?>"#,
            "\n<rss version=\"2.0\"><channel><title>T</title>",
            r#"<?xml version="1.0" encoding="windows-1251"?>"#,
            "<item><title>Shoigu in Pyongyang</title><link>https://example.com/a</link></item>",
            "</channel></rss>"
        );
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let parsed =
            std::panic::catch_unwind(|| parse_feed(doc.as_bytes(), None, "https://example.com/f"));
        std::panic::set_hook(hook);
        let feed = parsed.expect("no panic").expect("parsed");
        assert_eq!(feed.items.len(), 1);
        assert_eq!(feed.items[0].title, "Shoigu in Pyongyang");
        let styled = "<?xml version=\"1.0\"?><?xml-stylesheet href=\"a.xsl\"?><rss/>";
        assert_eq!(drop_declarations(styled), styled);
        assert_eq!(
            drop_declarations("<a/><?xml version='1.0'?><b/>"),
            "<a/><b/>"
        );
        // The second crash: a first declaration whose `?>` comes late, with an encoding.
        let long = "<?xml version=\"</language>\n<item><title>x</title></item>\n encoding=\"windows-1251\"?>\n<rss version=\"2.0\"><channel><item><title>Лента</title></item></channel></rss>";
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let parsed =
            std::panic::catch_unwind(|| parse_feed(long.as_bytes(), None, "https://example.com/f"));
        std::panic::set_hook(hook);
        assert_eq!(parsed.expect("no panic").expect("parsed").items.len(), 1);
        assert_eq!(
            drop_declarations(long).lines().count(),
            long.lines().count()
        );
    }

    #[test]
    fn stray_ampersands_are_escaped_but_entities_and_cdata_kept() {
        let cases = [
            ("Q&A", "Q&amp;A"),
            (
                "AT&T &amp; co &#233; &#x41; &nbsp;",
                "AT&amp;T &amp; co &#233; &#x41; &nbsp;",
            ),
            ("<![CDATA[a & b]]> & c", "<![CDATA[a & b]]> &amp; c"),
            ("trailing &", "trailing &amp;"),
        ];
        for (input, want) in cases {
            assert_eq!(escape_stray_ampersands(input), want);
        }
    }

    #[test]
    fn rss_root_repairs() {
        assert_eq!(
            repair_rss_root("<rss><item/></rss>"),
            "<rss version=\"2.0\"><channel><item/></channel></rss>"
        );
        assert_eq!(
            repair_rss_root("<rss version=\"0.94\" xmlns:dc=\"x\"><channel/></rss>"),
            "<rss version=\"2.0\" xmlns:dc=\"x\"><channel/></rss>"
        );
        let ok = "<rss version=\"2.0\"><channel/></rss>";
        assert_eq!(repair_rss_root(ok), ok);
    }

    #[test]
    fn first_words_shortens_long_summaries() {
        assert_eq!(first_words("short one"), "short one");
        let long = "one two three four five six seven eight nine ten eleven twelve thirteen";
        assert_eq!(
            first_words(long),
            "one two three four five six seven eight nine ten eleven twelve…"
        );
    }
    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/tests/fixtures/feeds/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn parse(name: &str) -> ParsedFeed {
        parse_feed(
            &fixture(name),
            None,
            "https://feeds.example.com/dir/feed.xml",
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn titles(feed: &ParsedFeed) -> Vec<&str> {
        feed.items.iter().map(|i| i.title.as_str()).collect()
    }

    fn urls(feed: &ParsedFeed) -> Vec<Option<&str>> {
        feed.items.iter().map(|i| i.url.as_deref()).collect()
    }

    fn date(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
        Some(
            chrono::DateTime::parse_from_rfc3339(s)
                .unwrap()
                .with_timezone(&chrono::Utc),
        )
    }

    #[test]
    fn rss2_items_text_links_and_dates() {
        let feed = parse("rss2_basic.xml");
        assert_eq!(feed.title.as_deref(), Some("Eastern Desk"));
        assert_eq!(feed.lang.as_deref(), Some("en-gb"));
        assert_eq!(
            titles(&feed),
            [
                "Engineers from Pyongyang reach the Kursk border area",
                "Seoul revises its estimate of troop numbers",
                "An item without any title still carries a summary that says what…",
            ]
        );
        // Relative links resolve against the feed URL; a URL guid stands in for a missing link.
        assert_eq!(
            urls(&feed),
            [
                Some("https://feeds.example.com/2025/06/18/engineers-kursk"),
                Some("https://news.example.org/2025/06/19/seoul-estimate"),
                Some("https://news.example.org/2025/06/20/overnight"),
            ]
        );
        let first = &feed.items[0];
        assert_eq!(first.guid.as_deref(), Some("desk-1001"));
        assert_eq!(
            first.summary.as_deref(),
            Some("Officials said roughly 1,000 mine clearers would arrive.\n\nMore later.")
        );
        assert_eq!(
            first.content.as_deref(),
            Some("The first group crossed on Tuesday.\n\nTwo brigades are expected.")
        );
        assert_eq!(first.author.as_deref(), Some("Maria Lind"));
        assert_eq!(first.lang.as_deref(), Some("en-gb"));
        assert_eq!(first.feed_url, "https://feeds.example.com/dir/feed.xml");
        assert_eq!(first.published, date("2025-06-18T09:30:00Z"));
        assert_eq!(feed.items[1].published, date("2025-06-19T12:05:00Z"));
    }

    #[test]
    fn rss1_items_without_link_are_kept() {
        let feed = parse("rss1_rdf.xml");
        assert_eq!(
            titles(&feed),
            [
                "Accord de défense signé à Pyongyang",
                "Une dépêche sans lien"
            ]
        );
        assert_eq!(
            urls(&feed),
            [
                Some("https://rdf.example.net/a/1"),
                Some("https://rdf.example.net/a/2")
            ]
        );
        assert_eq!(feed.items[1].published, date("2025-06-18T10:15:00Z"));
    }

    #[test]
    fn atom_entries_and_updated_as_published() {
        let feed = parse("atom.xml");
        assert_eq!(
            titles(&feed),
            ["Deminers arrive in the region", "Only updated is set here"]
        );
        assert_eq!(
            urls(&feed)[0],
            Some("https://feeds.example.com/dir/posts/deminers")
        );
        let first = &feed.items[0];
        assert_eq!(first.published, date("2025-06-18T07:00:00Z"));
        assert_eq!(first.author.as_deref(), Some("Ana Ruiz"));
        assert_eq!(
            first.content.as_deref(),
            Some("They will clear fields.\n\nWork starts in July.")
        );
        assert_eq!(feed.items[1].published, date("2025-06-19T13:45:00Z"));
    }

    #[test]
    fn json_feed_items() {
        let feed = parse("json_feed.json");
        assert_eq!(feed.title.as_deref(), Some("JSON Dispatch"));
        assert_eq!(
            titles(&feed),
            [
                "Workers head to the reconstruction sites",
                "A note with no title and no link at all."
            ]
        );
        assert_eq!(
            urls(&feed),
            [Some("https://json.example.org/items/1"), None]
        );
        assert_eq!(feed.items[1].guid.as_deref(), Some("jf-2"));
        assert_eq!(feed.items[0].published, date("2025-06-21T06:30:00Z"));
        assert_eq!(
            feed.items[0].content.as_deref(),
            Some("Several thousand builders are on their way.")
        );
    }

    #[test]
    fn cp1251_feed_is_read_from_its_declaration_and_from_the_header() {
        for content_type in [
            None,
            Some("application/rss+xml; charset=windows-1251"),
            Some("text/xml"),
        ] {
            let feed = parse_feed(
                &fixture("rss_cp1251.xml"),
                content_type,
                "https://ru.example.ru/rss",
            )
            .unwrap();
            assert_eq!(feed.title.as_deref(), Some("Лента новостей"));
            assert_eq!(titles(&feed), ["Сапёры из КНДР прибыли в Курскую область"]);
            assert_eq!(feed.items[0].lang.as_deref(), Some("ru"));
            assert_eq!(feed.items[0].published, date("2025-06-17T09:00:00Z"));
        }
    }

    #[test]
    fn named_entities_decoded_and_scripts_kept_as_text_in_titles() {
        let feed = parse("entities_and_script_in_title.xml");
        assert_eq!(feed.title.as_deref(), Some("Entity Test"));
        assert_eq!(
            titles(&feed),
            [
                "Kim Jong Un meets Shoigu — café talks",
                "Visit ends <script>alert(\"x\")</script>without a statement"
            ]
        );
    }

    #[test]
    fn quirky_documents_are_repaired() {
        let cases: &[(&str, &[&str])] = &[
            ("rss_no_version.xml", &["First headline"]),
            (
                "rss_no_channel.xml",
                &["Item straight under rss", "Second & last"],
            ),
            ("atom03.xml", &["An entry in Atom 0.3"]),
            ("atom_odd_types.xml", &["Plain typed title"]),
            ("truncated.xml", &["Complete item one", "Complete item two"]),
        ];
        for (name, want) in cases {
            assert_eq!(titles(&parse(name)), *want, "{name}");
        }
        let old = parse("atom03.xml");
        assert_eq!(old.items[0].published, date("2025-06-10T09:00:00Z"));
        assert_eq!(old.items[0].content.as_deref(), Some("Body text."));
        assert_eq!(
            parse("atom_odd_types.xml").items[0].content.as_deref(),
            Some("Escaped body")
        );
    }

    #[test]
    fn broken_documents_give_clear_errors() {
        let err = parse_feed(&fixture("malformed.xml"), None, "https://x.example/").unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with("malformed feed: XML error at line 3:"),
            "{msg}"
        );
        let err = parse_feed(
            &fixture("html_page.html"),
            Some("text/html"),
            "https://x.example/",
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "not a feed: got an HTML page");
        let err = parse_feed(b"", None, "https://x.example/").unwrap_err();
        assert_eq!(err.to_string(), "malformed feed: empty document");
        let err = parse_feed(
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>",
            None,
            "https://x.example/",
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "not a feed: the XML root element is <svg>");
    }

    #[test]
    fn utf16_feed_with_bom_does_not_panic() {
        let doc = String::from_utf8(fixture("atom.xml"))
            .unwrap()
            .replace("encoding=\"utf-8\"", "encoding=\"UTF-16\"");
        let mut be = vec![0xFE, 0xFF];
        be.extend(doc.encode_utf16().flat_map(|u| u.to_be_bytes()));
        let feed = parse_feed(&be, None, "https://atom.example.com/feed").unwrap();
        assert_eq!(feed.items.len(), 2);
    }

    #[test]
    fn discovers_feed_links_in_html() {
        let html = String::from_utf8(fixture("html_page.html")).unwrap();
        assert_eq!(
            discover_feed_links(&html, "https://site.example.com/news/"),
            [
                "https://site.example.com/feed.xml",
                "https://other.example.com/atom"
            ]
        );
    }
}
