//! [`Store`](crate::store::Store) backends: in-memory (always), MongoDB
//! (feature `mongodb`), embedded SQLite (feature `sqlite`) and PostgreSQL
//! (feature `postgres`).

pub mod memory;
#[cfg(feature = "sqlite")]
pub mod sqlite;

#[cfg(feature = "mongodb")]
pub mod mongodb;

#[cfg(feature = "postgres")]
pub mod postgres;

#[cfg(any(feature = "mongodb", feature = "postgres"))]
mod url;
