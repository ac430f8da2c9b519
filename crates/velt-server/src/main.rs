//! velt-server binary.
fn main() {}
