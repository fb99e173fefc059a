//! newswatch: watches feeds for what watchlists name, reads the claims in each story and
//! mails a digest that says which claims are new and which contradict what was stored.
//!
//! Data flows sources → transforms → store → sinks; see ARCHITECTURE.md.
pub mod config;
pub mod fetch;
pub mod model;
pub mod sinks;
pub mod sources;
pub mod transforms;
pub mod watchlist;
