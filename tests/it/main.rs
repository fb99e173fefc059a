//! End-to-end tests: the newswatch binary against real servers on 127.0.0.1.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test and bench code may panic on a broken setup
mod alerts;
mod caps;
mod claims_corpus;
mod claims_seeds;
mod clusters;
mod containment;
mod cycle;
mod daemon;
mod dedup;
mod digest_render;
mod discovery;
mod feed_schedule;
mod fetch;
mod kills;
mod mail;
mod mail_queue;
mod operations;
mod retention;
mod security;
mod seed;
mod slicing_props;
mod store;
mod store_damage;
mod support;
mod tools;
mod watchlist;
