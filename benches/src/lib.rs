//! Benchmarks for notaverify live in `benches/`; this library target is intentionally empty.
//!
//! Run them with `cargo bench -p notaverify-benches --bench envelope`, or check they work with
//! `cargo bench -p notaverify-benches -- --test`.
