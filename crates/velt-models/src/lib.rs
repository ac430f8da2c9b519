//! Serde types for velt-rs, with no I/O.
//!
//! - [`rest`]: request types of every Velt REST method velt-py 0.1.10 has
//!   (`velt_models::rest::<service>::<Method>Request`, also re-exported flat
//!   from [`rest`]).
//! - [`selfhost`]: self-hosting records and resolver requests/responses.

pub mod rest;
pub mod selfhost;
