//! End-to-end tests: the newswatch binary against real servers on 127.0.0.1.
mod claims_seeds;
mod cycle;
mod daemon;
mod dedup;
mod discovery;
mod fetch;
mod mail;
mod seed;
mod support;
mod tools;
mod watchlist;
