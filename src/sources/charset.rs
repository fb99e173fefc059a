//! Bytes in any charset → UTF-8 text (BOM, HTTP header, <meta>/XML prolog, detection),
//! and HTML fragments → plain text.
//!
//! OWNER: sources helper. Interface (keep): `decode_html`.
//! Added: `to_utf8_xml`, `html_to_text`, `decode_entities`, `charset_from_content_type`.
use std::borrow::Cow;
use std::sync::OnceLock;

use encoding_rs::{Encoding, UTF_8};
use regex::bytes::Regex as BytesRegex;
use scraper::{Html, Node};

/// How far into a document a `<meta charset>` or an XML declaration is looked for.
const PRESCAN_BYTES: usize = 2048;

/// Decode an HTML page to a String: BOM, then the HTTP charset, then <meta>, else detected.
pub fn decode_html(bytes: &[u8], content_type: Option<&str>) -> String {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return decode_with(enc, &bytes[bom_len..]);
    }
    let declared = prefer_declaration(
        content_type.and_then(charset_from_content_type),
        bytes,
        meta_charset,
    )
    // A page cannot really be UTF-16 without a BOM: HTML says to read that label as UTF-8.
    .map(|enc| {
        if enc.is_single_byte() || enc == UTF_8 {
            enc
        } else {
            non_ascii_compatible(enc)
        }
    });
    decode_declared_or_detect(bytes, declared)
}

/// Transcode a feed document to UTF-8 for the XML parser: BOM (UTF-8/16/32), BOM-less UTF-16/32
/// sniffing, the HTTP charset, the XML declaration, detection. The declaration's `encoding` is
/// rewritten to `utf-8` so the parser does not decode a second time.
pub fn to_utf8_xml(bytes: &[u8], content_type: Option<&str>) -> Vec<u8> {
    let text = if let Some(text) = decode_utf32(bytes) {
        text
    } else if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        decode_with(enc, &bytes[bom_len..])
    } else if let Some(enc) = sniff_utf16(bytes) {
        decode_with(enc, bytes)
    } else {
        let declared = prefer_declaration(
            content_type.and_then(charset_from_content_type),
            bytes,
            xml_declared_encoding,
        )
        .map(non_ascii_compatible);
        decode_declared_or_detect(bytes, declared)
    };
    rewrite_xml_declaration(&text).into_owned().into_bytes()
}

/// The encoding named by a `Content-Type` header's `charset` parameter, if it names one.
pub fn charset_from_content_type(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        Encoding::for_label(
            value
                .trim()
                .trim_matches(|c| c == '"' || c == '\'')
                .as_bytes(),
        )
    })
}

/// The HTTP charset wins, except a UTF-8 header on bytes that are not UTF-8 (servers often
/// send a default charset): then the document's own declaration is asked.
fn prefer_declaration(
    http: Option<&'static Encoding>,
    bytes: &[u8],
    in_document: fn(&[u8]) -> Option<&'static Encoding>,
) -> Option<&'static Encoding> {
    match http {
        Some(enc) if enc == UTF_8 && std::str::from_utf8(bytes).is_err() => {
            in_document(bytes).or(Some(enc))
        }
        Some(enc) => Some(enc),
        None => in_document(bytes),
    }
}

/// UTF-16 labels on a document that has no BOM are nearly always wrong (the bytes are
/// ASCII-compatible since the label itself was readable): treat them as UTF-8.
fn non_ascii_compatible(enc: &'static Encoding) -> &'static Encoding {
    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        UTF_8
    } else {
        enc
    }
}

fn decode_with(enc: &'static Encoding, bytes: &[u8]) -> String {
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

/// Use the declared encoding, except when it claims UTF-8 for bytes that are mostly not
/// UTF-8 (a common server misconfiguration): then detect.
fn decode_declared_or_detect(bytes: &[u8], declared: Option<&'static Encoding>) -> String {
    match declared {
        Some(enc) if enc != UTF_8 => decode_with(enc, bytes),
        _ => {
            if std::str::from_utf8(bytes).is_ok() || mostly_utf8(bytes) {
                return String::from_utf8_lossy(bytes).into_owned();
            }
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(bytes, true);
            decode_with(detector.guess(None, true), bytes)
        }
    }
}

/// True when invalid sequences are rare next to valid multi-byte ones: a UTF-8 document with a
/// few stray bytes should stay UTF-8 rather than turn wholly into mojibake.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    let bad = text
        .chars()
        .filter(|&c| c == char::REPLACEMENT_CHARACTER)
        .count();
    let good = text
        .chars()
        .filter(|&c| !c.is_ascii() && c != char::REPLACEMENT_CHARACTER)
        .count();
    good >= 20 && bad * 20 <= good
}

fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    static RE: OnceLock<Option<BytesRegex>> = OnceLock::new();
    // Covers `<meta charset="x">` and `<meta http-equiv="Content-Type" content="text/html; charset=x">`.
    let re = RE
        .get_or_init(|| {
            BytesRegex::new(r#"(?i)<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"#).ok()
        })
        .as_ref()?;
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    let caps = re.captures(head)?;
    Encoding::for_label(caps.get(1)?.as_bytes())
}

fn xml_declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    static RE: OnceLock<Option<BytesRegex>> = OnceLock::new();
    let re = RE
        .get_or_init(|| {
            BytesRegex::new(r#"^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']"#).ok()
        })
        .as_ref()?;
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    let caps = re.captures(head)?;
    Encoding::for_label(caps.get(1)?.as_bytes())
}

/// UTF-32 (with a BOM, or an XML document starting `<` in UTF-32): encoding_rs has no UTF-32.
fn decode_utf32(bytes: &[u8]) -> Option<String> {
    let (big_endian, skip) = match bytes {
        [0x00, 0x00, 0xFE, 0xFF, ..] => (true, 4),
        [0xFF, 0xFE, 0x00, 0x00, ..] => (false, 4),
        [0x00, 0x00, 0x00, 0x3C, ..] => (true, 0),
        [0x3C, 0x00, 0x00, 0x00, ..] => (false, 0),
        _ => return None,
    };
    let text = bytes[skip..]
        .chunks(4)
        .map(|c| {
            let mut word = [0u8; 4];
            word[..c.len()].copy_from_slice(c);
            let n = if big_endian {
                u32::from_be_bytes(word)
            } else {
                u32::from_le_bytes(word)
            };
            char::from_u32(n).unwrap_or(char::REPLACEMENT_CHARACTER)
        })
        .collect();
    Some(text)
}

/// An XML document without a BOM that starts `<?` in UTF-16.
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    match bytes {
        [0x3C, 0x00, 0x3F, 0x00, ..] => Some(encoding_rs::UTF_16LE),
        [0x00, 0x3C, 0x00, 0x3F, ..] => Some(encoding_rs::UTF_16BE),
        _ => None,
    }
}

fn rewrite_xml_declaration(text: &str) -> Cow<'_, str> {
    static RE: OnceLock<Option<regex::Regex>> = OnceLock::new();
    let Some(re) = RE
        .get_or_init(|| {
            regex::Regex::new(r#"^(\s*<\?xml\b[^>]*?\bencoding\s*=\s*)["'][^"']*["']"#).ok()
        })
        .as_ref()
    else {
        return Cow::Borrowed(text);
    };
    re.replace(text, r#"${1}"utf-8""#)
}

/// Elements whose text is never shown to a reader.
const HIDDEN: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "head", "title",
    "select", "button",
];

/// Elements that start a new paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "nav",
    "main",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "figure",
    "figcaption",
    "form",
    "fieldset",
    "address",
    "hr",
    "details",
    "summary",
    "body",
    "html",
];

pub(crate) fn is_block(name: &str) -> bool {
    BLOCKS.contains(&name)
}

pub(crate) fn is_hidden(name: &str) -> bool {
    HIDDEN.contains(&name)
}

/// An HTML fragment (a feed summary or content) → plain text: block elements become paragraph
/// breaks (a blank line), `<br>` a line break, script/style dropped, entities decoded,
/// whitespace collapsed.
pub fn html_to_text(fragment: &str) -> String {
    // Plain text with no markup and no entity: only whitespace to collapse.
    if !fragment.contains(['<', '&']) {
        let paragraphs = fragment
            .replace("\r\n", "\n")
            .split("\n\n")
            .map(|p| p.replace('\n', " "))
            .collect();
        return collapse_paragraphs(paragraphs);
    }
    let doc = Html::parse_fragment(fragment);
    let mut out = TextSink::default();
    out.walk(doc.tree.root());
    out.finish()
}

/// Collects text as paragraphs of lines of words.
#[derive(Default)]
pub(crate) struct TextSink {
    paragraphs: Vec<String>,
    current: String,
}

impl TextSink {
    pub(crate) fn walk(&mut self, node: ego_tree::NodeRef<'_, Node>) {
        match node.value() {
            // A newline in the source is only whitespace; `<br>` alone makes a line break.
            Node::Text(text) => {
                self.current
                    .extend(text.chars().map(|c| if c == '\n' { ' ' } else { c }))
            }
            Node::Element(el) => {
                let name = el.name();
                if is_hidden(name) {
                    return;
                }
                if name == "br" {
                    self.current.push('\n');
                    return;
                }
                let block = is_block(name);
                if block {
                    self.break_paragraph();
                }
                for child in node.children() {
                    self.walk(child);
                }
                if block {
                    self.break_paragraph();
                } else if matches!(name, "td" | "th") {
                    self.current.push(' ');
                }
            }
            _ => {
                for child in node.children() {
                    self.walk(child);
                }
            }
        }
    }

    pub(crate) fn break_paragraph(&mut self) {
        if !self.current.trim().is_empty() {
            self.paragraphs.push(std::mem::take(&mut self.current));
        } else {
            self.current.clear();
        }
    }

    pub(crate) fn finish(mut self) -> String {
        self.break_paragraph();
        collapse_paragraphs(self.paragraphs)
    }
}

/// Collapse the whitespace inside each paragraph (keeping single line breaks) and join the
/// non-empty paragraphs with blank lines.
fn collapse_paragraphs(paragraphs: Vec<String>) -> String {
    let mut out = String::new();
    for para in paragraphs {
        let lines: Vec<String> = para
            .split('\n')
            .map(collapse_whitespace)
            .filter(|l| !l.is_empty())
            .collect();
        if lines.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&lines.join("\n"));
    }
    out
}

/// Runs of whitespace (no-break spaces included) → one space, trimmed.
pub fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{200b}') {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Decode HTML entities (named, decimal, hex) in a text that is otherwise plain, such as a feed
/// title where feed-rs left `&nbsp;` or `&eacute;` raw.
pub fn decode_entities(text: &str) -> String {
    html_escape::decode_html_entities(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_to_text_makes_paragraphs_and_drops_scripts() {
        let cases = [
            (
                "<p>One&nbsp;two</p><p>Three &mdash; four</p>",
                "One two\n\nThree — four",
            ),
            (
                "Caf&eacute; <b>opens</b><script>alert(1)</script>",
                "Café opens",
            ),
            (
                "<div>a<br>b</div><style>p{}</style><ul><li>x</li><li>y</li></ul>",
                "a\nb\n\nx\n\ny",
            ),
            ("  plain   text\n with  spaces ", "plain text with spaces"),
            ("AT&amp;T &lt;b&gt;", "AT&T <b>"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(html_to_text(input), want, "input: {input:?}");
        }
    }

    #[test]
    fn decode_entities_decodes_named_and_numeric() {
        assert_eq!(
            decode_entities("Kyiv&nbsp;&mdash; &eacute;t&#233; &#x41;"),
            "Kyiv\u{a0}— été A"
        );
        assert_eq!(decode_entities("no entities"), "no entities");
    }

    #[test]
    fn decode_html_follows_bom_header_meta_then_detection() {
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode("Новости о войне и мире сегодня");
        // HTTP charset.
        assert_eq!(
            decode_html(&cp1251, Some("text/html; charset=windows-1251")),
            "Новости о войне и мире сегодня"
        );
        // <meta charset> with no header.
        let mut page = b"<html><head><meta charset=\"windows-1251\"></head><body>".to_vec();
        page.extend_from_slice(&cp1251);
        assert!(decode_html(&page, None).contains("Новости о войне"));
        // <meta http-equiv>.
        let mut page =
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\">".to_vec();
        page.extend_from_slice(&encoding_rs::KOI8_R.encode("Доклад о потерях").0);
        assert!(decode_html(&page, None).contains("Доклад о потерях"));
        // Detection, and a header that wrongly claims UTF-8.
        let text = "Украинские войска продолжают наступление под Курском, сообщают источники.";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(text);
        assert_eq!(decode_html(&bytes, None), text);
        assert_eq!(decode_html(&bytes, Some("text/html; charset=utf-8")), text);
        // A UTF-8 BOM beats a wrong header.
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("déjà vu".as_bytes());
        assert_eq!(
            decode_html(&bom, Some("text/html; charset=iso-8859-1")),
            "déjà vu"
        );
        // Plain UTF-8 with nothing declared.
        assert_eq!(decode_html("Été à Paris".as_bytes(), None), "Été à Paris");
    }

    #[test]
    fn to_utf8_xml_rewrites_the_declaration() {
        let doc =
            "<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss><title>Курск</title></rss>";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(doc);
        let out = String::from_utf8(to_utf8_xml(&bytes, None)).unwrap();
        assert_eq!(out, doc.replace("windows-1251", "utf-8"));
    }

    #[test]
    fn to_utf8_xml_reads_utf16_and_utf32() {
        let doc = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><feed><title>Genève</title></feed>";
        let want = doc.replace("UTF-16", "utf-8");
        let mut be = vec![0xFE, 0xFF];
        be.extend(doc.encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(String::from_utf8(to_utf8_xml(&be, None)).unwrap(), want);
        let le: Vec<u8> = doc.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(String::from_utf8(to_utf8_xml(&le, None)).unwrap(), want);
        let mut utf32 = vec![0x00, 0x00, 0xFE, 0xFF];
        utf32.extend(doc.chars().flat_map(|c| (c as u32).to_be_bytes()));
        let want32 = doc.replace("UTF-16", "utf-8");
        assert_eq!(
            String::from_utf8(to_utf8_xml(&utf32, None)).unwrap(),
            want32
        );
    }

    #[test]
    fn charset_from_content_type_reads_the_parameter() {
        assert_eq!(
            charset_from_content_type("text/xml; charset=\"KOI8-R\""),
            Some(encoding_rs::KOI8_R)
        );
        assert_eq!(charset_from_content_type("text/xml"), None);
        assert_eq!(charset_from_content_type("text/xml; charset=bogus"), None);
    }
}
