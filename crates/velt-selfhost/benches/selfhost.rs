//! `cargo xtask bench selfhost` (work in progress).

fn main() {}
