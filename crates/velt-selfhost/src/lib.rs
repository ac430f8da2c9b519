//! Velt self-hosting data providers over pluggable stores (work in progress).

pub mod attachments;
pub mod backends;
pub mod store;
