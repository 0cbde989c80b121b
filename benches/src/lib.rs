//! Benchmarks for notaverify live in `benches/`; this library target is intentionally empty.
//! See `benches/README.md` for the ratio benches (`verify`, `scale`, `batch`) and their results.
//!
//! Run them with `cargo bench -p notaverify-benches --bench envelope`, or check they work with
//! `cargo bench -p notaverify-benches -- --test`.
