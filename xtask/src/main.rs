//! `cargo xtask codegen [--check]`: regenerate `generated/` from `schemas/`, or verify it is
//! current without writing. `cargo xtask check-fixtures`: generate every valid test fixture
//! into a scratch workspace and hold the crates to clippy and rustdoc with warnings denied.
//! `cargo xtask import <DIR>`: convert published reference pages into `schemas/`.
//! `cargo xtask bench [--skip-cold]`: the performance table of BENCHMARKS.md.
//! `cargo xtask conformance [--max-examples N]`: schemathesis against the generated server and
//! Prism's mock through the generated client (see `xtask::conformance`).

use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Result};

fn main() -> ExitCode {
    match try_main() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn try_main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => run_codegen(false),
        ["codegen", "--check"] => run_codegen(true),
        ["check-fixtures"] => xtask::check_fixtures(&xtask::project_root()),
        ["import", pages] => run_import(Path::new(pages)),
        ["bench"] => run_bench(false),
        ["bench", "--skip-cold"] => run_bench(true),
        ["conformance"] => run_conformance(&xtask::conformance::Options::default()),
        ["conformance", "--max-examples", count] => {
            run_conformance(&xtask::conformance::Options {
                max_examples: (*count).to_owned(),
            })
        }
        _ => bail!(
            "usage: cargo xtask codegen [--check] | cargo xtask import <PAGES_DIR> | cargo xtask check-fixtures | cargo xtask bench [--skip-cold] | cargo xtask conformance [--max-examples N]"
        ),
    }
}

fn run_conformance(options: &xtask::conformance::Options) -> Result<()> {
    print!(
        "{}",
        xtask::conformance::conformance(&xtask::project_root(), options)?
    );
    Ok(())
}

fn run_bench(skip_cold: bool) -> Result<()> {
    print!(
        "{}",
        xtask::bench::bench(&xtask::project_root(), skip_cold)?
    );
    Ok(())
}

fn run_import(pages: &Path) -> Result<()> {
    let schemas = xtask::project_root().join("schemas");
    let report = xtask::import(pages, &schemas)?;
    println!(
        "import: {} pages converted, {} endpoint files written to schemas/",
        report.pages, report.written
    );
    match report.problems {
        Some(problems) => bail!("{problems}\nthe other pages were imported"),
        None => Ok(()),
    }
}

fn run_codegen(check: bool) -> Result<()> {
    let root = xtask::project_root();
    let report = xtask::codegen(&root.join("schemas"), &root.join("generated"), check)?;
    print!("{}", xtask::summary(&report, check));
    Ok(())
}
