//! Arbitrary bytes as an endpoint file, through the whole pipeline (parse, lower, emit, render).
//! Any result is fine; a panic, a hang or an out-of-memory is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let inputs = codegen::Inputs {
        schemas: vec![("fuzz/endpoint.json".to_owned(), data.to_vec())],
        ..codegen::Inputs::default()
    };
    let _ = codegen::generate(&inputs);
});
