//! Generates from `schemas/` once and prints the time and the process's peak resident memory
//! (`VmHWM`), for `cargo xtask bench`.

// Shared with the benchmark, which also uses `scaled`.
#[allow(dead_code)]
#[path = "../benches/inputs.rs"]
mod inputs;

/// The allocator of the `codegen` command and the xtask, so that the figures are theirs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let inputs = inputs::schemas();
    let started = std::time::Instant::now();
    let output = codegen::generate(&inputs).expect("schemas/ generates");
    let elapsed = started.elapsed();
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .unwrap_or("VmHWM: unknown");
    println!(
        "files {} seconds {:.3} {peak}",
        output.files.len(),
        elapsed.as_secs_f64()
    );
}
