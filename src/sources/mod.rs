//! Bytes → items. Pure: no I/O.
pub mod charset;
pub mod feed;
pub mod html;
