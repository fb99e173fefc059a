//! Test support: servers on 127.0.0.1 and a command builder around the binary.
pub mod http;
pub mod smtp;
pub mod cli;
