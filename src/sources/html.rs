//! Pages with no feed: list pages scraped with CSS selectors into items.
//!
//! With an `item` selector each matching element is one item. Without one, article-looking
//! links are picked out of the page by shape (same site, a dated or long path, a headline-like
//! anchor text, outside navigation). scraper's `Html` is `!Send`: everything here is sync.
//! OWNER: sources helper. Interface (keep): `ListSelectors`, `parse_list_page`.
use scraper::{ElementRef, Html, Selector};
use url::Url;

use super::charset::{collapse_whitespace, decode_html};
use super::feed::{absolute_url, SourceError};
use crate::model::{Item, ParsedFeed};

#[derive(Debug, Clone, Default)]
pub struct ListSelectors {
    pub item: Option<String>,
    pub link: Option<String>,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub date: Option<String>,
}

/// Fewest words an anchor text needs to read as a headline in the default mode.
const MIN_HEADLINE_WORDS: usize = 4;

/// Scrape `page_url`'s HTML into items; links resolved against the page URL.
pub fn parse_list_page(
    bytes: &[u8],
    content_type: Option<&str>,
    page_url: &str,
    selectors: &ListSelectors,
) -> Result<ParsedFeed, SourceError> {
    let html = decode_html(bytes, content_type);
    let doc = Html::parse_document(&html);
    let base = Url::parse(page_url).ok();
    let title = select_one(&doc, "title")
        .map(|t| text_of(&t))
        .filter(|t| !t.is_empty());
    let lang = select_one(&doc, "html")
        .and_then(|h| h.value().attr("lang").map(str::trim).map(str::to_owned))
        .filter(|l| !l.is_empty());

    let mut items = match &selectors.item {
        Some(item_sel) => with_selectors(&doc, base.as_ref(), item_sel, selectors)?,
        None => default_links(&doc, base.as_ref()),
    };
    let mut seen = std::collections::HashSet::new();
    items.retain(|i| i.url.as_ref().is_some_and(|u| seen.insert(u.clone())));
    for item in &mut items {
        item.feed_url = page_url.to_owned();
        item.lang = lang.clone();
    }
    Ok(ParsedFeed {
        title,
        lang,
        items,
        ttl_mins: None,
    })
}

fn parse_selector(kind: &str, sel: &str) -> Result<Selector, SourceError> {
    Selector::parse(sel)
        .map_err(|e| SourceError::Page(format!("invalid CSS selector for {kind} {sel:?}: {e}")))
}

fn select_one<'a>(doc: &'a Html, sel: &str) -> Option<ElementRef<'a>> {
    let sel = Selector::parse(sel).ok()?;
    doc.select(&sel).next()
}

fn text_of(el: &ElementRef<'_>) -> String {
    collapse_whitespace(&el.text().collect::<String>())
}

fn with_selectors(
    doc: &Html,
    base: Option<&Url>,
    item_sel: &str,
    selectors: &ListSelectors,
) -> Result<Vec<Item>, SourceError> {
    let item = parse_selector("item", item_sel)?;
    let link = parse_selector("link", selectors.link.as_deref().unwrap_or("a[href]"))?;
    let title = selectors
        .title
        .as_deref()
        .map(|s| parse_selector("title", s))
        .transpose()?;
    let summary = selectors
        .summary
        .as_deref()
        .map(|s| parse_selector("summary", s))
        .transpose()?;
    let date = selectors
        .date
        .as_deref()
        .map(|s| parse_selector("date", s))
        .transpose()?;

    let mut items = Vec::new();
    for el in doc.select(&item) {
        // The item element may itself be the link (`item = "a.headline"`).
        let link_el = if el.value().name() == "a" && el.value().attr("href").is_some() {
            Some(el)
        } else {
            el.select(&link).next()
        };
        let Some(link_el) = link_el else { continue };
        let Some(url) = link_el
            .value()
            .attr("href")
            .and_then(|h| resolve_link(base, h))
        else {
            continue;
        };
        let title_text = title
            .as_ref()
            .and_then(|s| el.select(s).next())
            .map(|t| text_of(&t))
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| text_of(&link_el));
        let summary_text = summary
            .as_ref()
            .and_then(|s| el.select(s).next())
            .map(|t| text_of(&t))
            .filter(|t| !t.is_empty());
        let published = date
            .as_ref()
            .and_then(|s| el.select(s).next())
            .and_then(|d| {
                let raw = d
                    .value()
                    .attr("datetime")
                    .map(str::to_owned)
                    .unwrap_or_else(|| text_of(&d));
                parse_date(&raw)
            });
        items.push(Item {
            url: Some(url),
            title: title_text,
            summary: summary_text,
            published,
            ..Item::default()
        });
    }
    Ok(items)
}

/// Absolute http(s) link, fragment removed; javascript:, mailto:, tel: and bare anchors dropped.
fn resolve_link(base: Option<&Url>, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') {
        return None;
    }
    let mut url = Url::parse(&absolute_url(base, href)?).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    url.set_fragment(None);
    Some(url.to_string())
}

/// A date as list pages write it: RFC 3339, RFC 2822, or a bare `YYYY-MM-DD`.
pub(crate) fn parse_date(raw: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
    let raw = raw.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(raw) {
        return Some(d.with_timezone(&Utc));
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(raw) {
        return Some(d.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(raw, fmt) {
            return Some(d.with_timezone(&Utc));
        }
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(raw, fmt) {
            return Some(d.and_utc());
        }
    }
    let day = raw.get(..10)?;
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
}

/// No item selector: links that look like articles, in page order.
fn default_links(doc: &Html, base: Option<&Url>) -> Vec<Item> {
    let Ok(anchors) = Selector::parse("a[href]") else {
        return Vec::new();
    };
    let host = base.and_then(|b| b.host_str()).map(strip_www);
    let mut items = Vec::new();
    for a in doc.select(&anchors) {
        if in_chrome(&a) {
            continue;
        }
        let Some(href) = a.value().attr("href") else {
            continue;
        };
        let Some(url) = resolve_link(base, href) else {
            continue;
        };
        let Ok(parsed) = Url::parse(&url) else {
            continue;
        };
        if let (Some(host), Some(link_host)) = (host, parsed.host_str()) {
            if strip_www(link_host) != host {
                continue;
            }
        }
        let mut title = text_of(&a);
        if title.split_whitespace().count() < MIN_HEADLINE_WORDS {
            // A card link wrapping an image: use its title or a heading inside.
            title = a
                .value()
                .attr("title")
                .map(collapse_whitespace)
                .unwrap_or(title);
        }
        if title.split_whitespace().count() < MIN_HEADLINE_WORDS
            || !article_like_path(parsed.path())
        {
            continue;
        }
        items.push(Item {
            url: Some(url),
            title,
            ..Item::default()
        });
    }
    items
}

fn strip_www(host: &str) -> &str {
    host.strip_prefix("www.").unwrap_or(host)
}

/// Inside navigation, header, footer or an aside (by tag, role, or class/id words).
fn in_chrome(el: &ElementRef<'_>) -> bool {
    el.ancestors().filter_map(ElementRef::wrap).any(|anc| {
        let v = anc.value();
        if matches!(v.name(), "nav" | "header" | "footer" | "aside") {
            return true;
        }
        if matches!(
            v.attr("role"),
            Some("navigation" | "banner" | "contentinfo")
        ) {
            return true;
        }
        let words = format!(
            "{} {}",
            v.attr("class").unwrap_or(""),
            v.attr("id").unwrap_or("")
        )
        .to_ascii_lowercase();
        [
            "menu",
            "navbar",
            "breadcrumb",
            "footer",
            "masthead",
            "site-header",
            "cookie",
        ]
        .iter()
        .any(|w| words.contains(w))
    })
}

/// A path that looks like one story: a date in it, a long slug, a numeric id, or several segments.
pub(crate) fn article_like_path(path: &str) -> bool {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let Some(last) = segments.last() else {
        return false;
    };
    let has_date = segments.windows(2).any(|w| {
        w[0].len() == 4
            && w[0].chars().all(|c| c.is_ascii_digit())
            && w[1].len() <= 2
            && w[1].chars().all(|c| c.is_ascii_digit())
    }) || segments.iter().any(|s| {
        let digits: String = s.chars().filter(char::is_ascii_digit).collect();
        digits.len() == 8 && digits.starts_with("20")
    });
    let slug_words = last.split(['-', '_']).filter(|w| !w.is_empty()).count();
    let long_slug = slug_words >= 4 || last.len() >= 30;
    let numeric_id = last
        .split(['-', '.', '_'])
        .any(|p| p.len() >= 5 && p.chars().all(|c| c.is_ascii_digit()));
    has_date || long_slug || numeric_id || (segments.len() >= 3 && slug_words >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html><html lang="fr"><head><title>Dernières nouvelles</title></head><body>
<header><nav><a href="/politique/">Politique de la semaine en bref</a><a href="/2025/06/01/menu-story-should-not-appear">Une histoire dans le menu principal</a></nav></header>
<main>
  <div class="teaser"><h2><a href="/2025/06/18/deminage-dans-la-region-frontaliere">Les démineurs arrivent dans la région frontalière</a></h2>
    <p class="lead">Un millier de spécialistes sont attendus.</p><time datetime="2025-06-18T08:00:00+02:00">18 juin</time></div>
  <div class="teaser"><h2><a href="https://www.site.example.fr/monde/asie/traite-de-defense-un-an-apres">Le traité de défense, un an après sa signature</a></h2>
    <p class="lead">Bilan d'une année.</p><time datetime="2025-06-17">17 juin</time></div>
  <div class="teaser"><h2><a href="/2025/06/18/deminage-dans-la-region-frontaliere#comments">Les démineurs arrivent dans la région frontalière</a></h2></div>
  <div class="teaser"><h2><a href="javascript:void(0)">Lien de script à ignorer complètement ici</a></h2></div>
  <div class="teaser"><h2><a href="mailto:redaction@site.example.fr">Écrivez à la rédaction du journal ici</a></h2></div>
  <a href="/contact">Contact</a>
  <a href="https://autre.example.com/2025/06/18/un-article-sur-un-autre-site">Un article sur un autre site web</a>
</main>
<footer><a href="/2025/01/01/mentions-legales-du-site-web">Mentions légales du site web complet</a></footer>
</body></html>"#;

    const URL: &str = "https://www.site.example.fr/actualites/";

    fn urls(feed: &ParsedFeed) -> Vec<&str> {
        feed.items.iter().filter_map(|i| i.url.as_deref()).collect()
    }

    #[test]
    fn selectors_give_links_titles_summaries_dates() {
        let sel = ListSelectors {
            item: Some("div.teaser".into()),
            summary: Some("p.lead".into()),
            date: Some("time".into()),
            ..ListSelectors::default()
        };
        let feed = parse_list_page(PAGE.as_bytes(), None, URL, &sel).unwrap();
        assert_eq!(feed.title.as_deref(), Some("Dernières nouvelles"));
        assert_eq!(
            urls(&feed),
            [
                "https://www.site.example.fr/2025/06/18/deminage-dans-la-region-frontaliere",
                "https://www.site.example.fr/monde/asie/traite-de-defense-un-an-apres",
            ]
        );
        let first = &feed.items[0];
        assert_eq!(
            first.title,
            "Les démineurs arrivent dans la région frontalière"
        );
        assert_eq!(
            first.summary.as_deref(),
            Some("Un millier de spécialistes sont attendus.")
        );
        assert_eq!(
            first.published.map(|d| d.to_rfc3339()),
            Some("2025-06-18T06:00:00+00:00".into())
        );
        assert_eq!(first.lang.as_deref(), Some("fr"));
        assert_eq!(first.feed_url, URL);
        assert_eq!(
            feed.items[1].published.map(|d| d.to_rfc3339()),
            Some("2025-06-17T00:00:00+00:00".into())
        );
    }

    #[test]
    fn title_selector_overrides_link_text() {
        let sel = ListSelectors {
            item: Some("div.teaser".into()),
            title: Some("p.lead".into()),
            ..ListSelectors::default()
        };
        let feed = parse_list_page(PAGE.as_bytes(), None, URL, &sel).unwrap();
        assert_eq!(feed.items[1].title, "Bilan d'une année.");
    }

    #[test]
    fn without_selectors_article_links_are_found() {
        let feed = parse_list_page(PAGE.as_bytes(), None, URL, &ListSelectors::default()).unwrap();
        assert_eq!(
            urls(&feed),
            [
                "https://www.site.example.fr/2025/06/18/deminage-dans-la-region-frontaliere",
                "https://www.site.example.fr/monde/asie/traite-de-defense-un-an-apres",
            ]
        );
    }

    #[test]
    fn invalid_selector_is_named_in_the_error() {
        let sel = ListSelectors {
            item: Some("div..teaser".into()),
            ..ListSelectors::default()
        };
        let err = parse_list_page(PAGE.as_bytes(), None, URL, &sel)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("malformed page: invalid CSS selector for item \"div..teaser\""),
            "{err}"
        );
    }

    #[test]
    fn article_paths() {
        let cases = [
            ("/2025/06/18/story", true),
            ("/news/world-asia-12345678", true),
            ("/world/asia/korea/treaty-anniversary", true),
            ("/a-very-long-slug-about-the-treaty", true),
            ("/politique/", false),
            ("/contact", false),
            ("/", false),
        ];
        for (path, want) in cases {
            assert_eq!(article_like_path(path), want, "{path}");
        }
    }
}
