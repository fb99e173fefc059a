//! Test support: servers on 127.0.0.1 and a command builder around the binary.
pub mod cli;
pub mod http;
pub mod postgres;
pub mod process;
pub mod smtp;
