//! newswatch: watches feeds for what watchlists name, reads the claims in each story and
//! mails a digest that says which claims are new and which contradict what was stored.
//!
//! Data flows sources → transforms → store → sinks; see ARCHITECTURE.md.
pub mod cli;
pub mod cmd;
pub mod config;
pub mod control;
pub mod daemon;
pub mod fetch;
pub mod logging;
pub mod metrics;
pub mod model;
pub mod pipeline;
pub mod report;
pub mod sinks;
pub mod sources;
pub mod status;
pub mod store;
pub mod transforms;
pub mod views;
pub mod watchlist;
