//! Integration tests of velt-rest against real HTTP servers (httpmock, and
//! small hand-written TCP servers where a mock cannot do it).

// Helpers outside #[test] functions panic on broken fixtures, like the tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod body;
mod common;
mod config;
mod endpoints;
mod errors;
mod filter;
mod pagination;
mod retries;
mod secrets;
mod token;
