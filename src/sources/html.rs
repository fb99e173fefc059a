//! Pages with no feed: list pages scraped with CSS selectors into items.
//! OWNER: sources helper. Interface (keep): `ListSelectors`, `parse_list_page`.
use super::feed::SourceError;
use crate::model::ParsedFeed;

#[derive(Debug, Clone, Default)]
pub struct ListSelectors {
    pub item: Option<String>,
    pub link: Option<String>,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub date: Option<String>,
}

/// Scrape `page_url`'s HTML into items; links resolved against the page URL.
pub fn parse_list_page(
    bytes: &[u8],
    content_type: Option<&str>,
    page_url: &str,
    selectors: &ListSelectors,
) -> Result<ParsedFeed, SourceError> {
    let _ = (bytes, content_type, page_url, selectors);
    Err(SourceError::Page("not written yet".into()))
}
