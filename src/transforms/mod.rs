//! Pure transforms over plain data: never tokio, reqwest, sled, lettre or std::fs;
//! the time comes in as an argument.
pub mod claims;
pub mod dedup;
pub mod docmeta;
pub mod extract;
pub mod fingerprint;
pub mod normalize;
