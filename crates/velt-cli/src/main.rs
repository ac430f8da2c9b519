//! velt CLI.
fn main() {}
