//! Where results go: the digest (rendered, escaped), the mail transports, and the retry
//! policy of the mail queue.
pub mod digest;
pub mod mail;
pub mod queue;
