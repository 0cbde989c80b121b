//! Runs one operation of the `verify` bench `n` times, for instruction counts under callgrind,
//! which — unlike time — other processes on a shared machine do not disturb. `benches/instructions.sh`
//! runs it and prints the ratios.
//!
//! `instructions <key type> <jws|cose> <mode> <n>`, modes: `cold`, `warm` (whole verifications of
//! the three-certificate fixture), `floor_chain`, `floor`, `floor_prepared` (their public-key
//! floors, as in the `verify` bench), `parse` (`Envelope::parse` alone), `new_leaf` (caches
//! emptied, the fixture verified, then its renewal: a new leaf under the known CA),
//! `new_leaf_setup` (the same without the renewal: `new_leaf` minus this is the new leaf's cost)
//! and `floor_new_leaf` (the envelope signature and the new leaf's link).

#[path = "../benches/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [key_type, format, mode, n] = args.as_slice() else {
        eprintln!("usage: instructions <key type> <jws|cose> <mode> <n>");
        return ExitCode::from(2);
    };
    let Some(key_type) = common::KEY_TYPES.into_iter().find(|k| k == key_type) else {
        eprintln!("key type: one of {:?}", common::KEY_TYPES);
        return ExitCode::from(2);
    };
    let Some(format) = common::FORMATS.into_iter().find(|(f, _)| f == format) else {
        eprintln!("format: jws or cose");
        return ExitCode::from(2);
    };
    let Ok(n) = n.parse::<usize>() else {
        eprintln!("n: a count");
        return ExitCode::from(2);
    };
    let f = common::fixture(key_type, format, 3);
    let (reference, target, options) = (common::reference(), common::target(), common::options());
    let verifier = match mode.as_str() {
        "cold" => common::cold_verifier(),
        _ => common::verifier(),
    };
    let renewed = common::renewed_fixture(&f);
    let request = common::Request::new();
    let new_leaf_ops = common::pk_ops_new_leaf(&renewed);
    let chain_ops = common::pk_ops(&f, false);
    let envelope_op = &chain_ops[0];
    let prepared = common::PreparedPkOp::new(envelope_op);
    let verify = || assert!(verifier.verify(&reference, &target, &f.input, &options).unwrap().verified);
    let run: Box<dyn Fn()> = match mode.as_str() {
        "cold" | "warm" => Box::new(verify),
        "floor_chain" => Box::new(|| chain_ops.iter().for_each(|op| black_box(op).verify())),
        "floor" => Box::new(|| black_box(envelope_op).verify()),
        "floor_prepared" => Box::new(|| black_box(&prepared).verify()),
        "parse" => Box::new(|| drop(black_box(notaverify::Envelope::parse(&f.input.media_type, &f.input.envelope)))),
        "new_leaf" => Box::new(|| {
            verifier.clear_chain_cache();
            request.verify(&verifier, &f.input);
            request.verify(&verifier, &renewed.input);
        }),
        "new_leaf_setup" => Box::new(|| {
            verifier.clear_chain_cache();
            request.verify(&verifier, &f.input);
        }),
        "floor_new_leaf" => Box::new(|| new_leaf_ops.iter().for_each(|op| black_box(op).verify())),
        other => {
            eprintln!(
                "mode {other:?}: cold, warm, floor_chain, floor, floor_prepared, parse, new_leaf, new_leaf_setup or floor_new_leaf"
            );
            return ExitCode::from(2);
        }
    };
    if mode == "warm" {
        verify();
    }
    for _ in 0..n {
        run();
    }
    ExitCode::SUCCESS
}
