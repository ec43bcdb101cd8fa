//! Each phase of the generator on `schemas/` and on synthetic inputs 2, 4 and 8 times its size:
//! parse, lower (deduplicate and name), emit (token streams), render (prettyplease), and the
//! whole `generate`. `cargo xtask bench` runs this and tabulates the medians.

mod inputs;

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};

/// The allocator of the `codegen` command and the xtask, so that the figures are theirs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const FACTORS: [usize; 4] = [1, 2, 4, 8];

fn phases(c: &mut Criterion) {
    let base = inputs::schemas();
    let config = codegen::parse_config(base.config.as_deref().unwrap_or("api = \"qumulo\""))
        .expect("valid config");
    for factor in FACTORS {
        let inputs = inputs::scaled(&base, factor);
        let parsed = codegen::phases::parse(&inputs).expect("valid input");
        let api = codegen::phases::lower(&parsed, &config).expect("valid input");
        let mut group = c.benchmark_group(format!("x{factor}"));
        group.sample_size(10);
        group.bench_function(BenchmarkId::new("parse", factor), |b| {
            b.iter(|| codegen::phases::parse(&inputs))
        });
        group.bench_function(BenchmarkId::new("lower", factor), |b| {
            b.iter(|| codegen::phases::lower(&parsed, &config))
        });
        group.bench_function(BenchmarkId::new("emit", factor), |b| {
            b.iter(|| codegen::phases::emit(&api))
        });
        group.bench_function(BenchmarkId::new("render", factor), |b| {
            b.iter_batched(
                || codegen::phases::emit(&api).expect("emits"),
                codegen::phases::render,
                BatchSize::LargeInput,
            )
        });
        group.bench_function(BenchmarkId::new("generate", factor), |b| {
            b.iter(|| codegen::generate_with_config(&inputs, &config))
        });
        group.finish();
    }
}

criterion_group!(benches, phases);
criterion_main!(benches);
