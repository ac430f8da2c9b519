//! Parts of the contract suite (`tests/contract.rs`).

pub mod capture;
mod cors;
