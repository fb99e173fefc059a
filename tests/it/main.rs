//! End-to-end tests: the newswatch binary against real servers on 127.0.0.1.
mod cycle;
mod daemon;
mod dedup;
mod fetch;
mod mail;
mod seed;
mod support;
mod watchlist;
