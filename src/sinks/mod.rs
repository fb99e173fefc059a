//! Where results go: the digest (rendered, escaped) and the mail transports.
pub mod digest;
pub mod mail;
