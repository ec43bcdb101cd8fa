//! `cargo xtask codegen [--check]`: regenerate `generated/` from `schemas/`, or verify it is
//! current without writing. `cargo xtask check-fixtures`: generate every valid test fixture
//! into a scratch workspace and hold the crates to clippy and rustdoc with warnings denied.
//! `cargo xtask import [DIR] [--prune]`: convert published reference pages into `schemas/`.
//! `cargo xtask bench [--skip-cold]`: the performance table of BENCHMARKS.md.
//! `cargo xtask conformance [--max-examples N]`: schemathesis against the generated server and
//! Prism's mock through the generated client (see `xtask::conformance`).
//! `cargo xtask <command> --help` says more of each.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

/// The generator's allocator, as in the `codegen` command: allocating and freeing took 30 % of
/// a generation's instructions with the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Repository automation of the Qumulo code generator.
#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate `generated/` (and `schemas/codegen.lock`) from `schemas/`.
    Codegen {
        /// Write nothing; fail, listing every stale, missing or orphaned file, when `generated/`
        /// is not what the generator would write.
        #[arg(long)]
        check: bool,
        /// Read the endpoint files from this folder instead of `schemas/`.
        #[arg(long, value_name = "DIR")]
        schemas: Option<PathBuf>,
        /// Write the crates into this folder instead of `generated/`.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Convert published reference pages (Markdown with YAML front matter) into endpoint files
    /// under `schemas/`. Landing pages (`index.md`) are skipped.
    Import {
        /// The folder of pages, one folder per category.
        #[arg(default_value = xtask::REFERENCE_PAGES)]
        pages: PathBuf,
        /// Remove endpoint files of `schemas/` whose page is gone (they are listed either way).
        #[arg(long)]
        prune: bool,
    },
    /// Generate every valid test fixture into `target/fixture-crates/` and hold the crates to
    /// clippy and rustdoc with warnings denied; run their conformance crates' round trips.
    CheckFixtures,
    /// Every OpenAPI document of the corpus (`../shared/openapi-corpus/`) through the OpenAPI
    /// frontend: those that generate are held to clippy, rustdoc and their conformance round
    /// trips; the others must be refused as `xtask/src/corpus.rs` expects.
    OpenapiCorpus {
        /// The folder of documents.
        #[arg(default_value = "../shared/openapi-corpus")]
        dir: PathBuf,
    },
    /// The performance table of BENCHMARKS.md.
    Bench {
        /// Leave out the cold builds of the generated crates, which take minutes.
        #[arg(long)]
        skip_cold: bool,
        /// Only the side-by-side comparisons with progenitor, on the Qumulo API and on the
        /// corpus' nexus.json (generation, full recompile, decode and encode throughput).
        #[arg(long)]
        peers_only: bool,
    },
    /// The vendor's Python SDK (qumulo-api, installed in a venv under target/) as a client of the
    /// generated server (reference implementation, access-tokens example, file server) over TLS.
    SdkCheck,
    /// Scripted schema upgrades (a field added to every token schema, a value added to every
    /// domain list) on a copy under target/: no type renamed, only compatible API changes, the
    /// access-tokens example compiles unchanged.
    UpgradeCheck,
    /// schemathesis against the generated server and Prism's mock through the generated client.
    Conformance {
        /// Examples per operation in schemathesis' fuzzing phase.
        #[arg(long, value_name = "N")]
        max_examples: Option<u32>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // Diagnostics already open each of their lines with `error:`.
            let text = format!("{error:#}");
            if text.starts_with("error: ") {
                eprintln!("{text}");
            } else {
                eprintln!("error: {text}");
            }
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<()> {
    let root = xtask::project_root();
    match command {
        Command::Codegen {
            check,
            schemas,
            out,
        } => {
            // Not for the other commands: the setting passes to the builds they start.
            codegen::write::no_transparent_huge_pages();
            let stamp = match &out {
                None => root.join("target/codegen-stamp"),
                // One stamp per output folder.
                Some(out) => {
                    let mut hasher = std::collections::hash_map::DefaultHasher::new();
                    std::hash::Hash::hash(out, &mut hasher);
                    let hash = std::hash::Hasher::finish(&hasher);
                    root.join(format!("target/codegen-stamp-{hash:016x}"))
                }
            };
            let schemas = schemas.unwrap_or_else(|| root.join("schemas"));
            let generated = out.unwrap_or_else(|| root.join("generated"));
            // Nothing changed since the last run (inputs, generator, output): nothing to do.
            if !check && xtask::stamp::is_current(&stamp, &schemas, &generated) {
                println!("codegen: nothing changed since the last run; generated/ is up to date");
                return Ok(());
            }
            let report = xtask::codegen(&schemas, &generated, check)?;
            print!("{}", xtask::summary(&report, check));
            xtask::stamp::record(&stamp, &schemas, &generated, &report.output);
            Ok(())
        }
        Command::Import { pages, prune } => run_import(&root, &pages, prune),
        Command::CheckFixtures => xtask::check_fixtures(&root),
        Command::OpenapiCorpus { dir } => {
            print!("{}", xtask::corpus::openapi_corpus(&root, &dir)?);
            Ok(())
        }
        Command::UpgradeCheck => {
            print!("{}", xtask::upgrade_check::upgrade_check(&root)?);
            Ok(())
        }
        Command::SdkCheck => {
            print!("{}", xtask::sdk_check::sdk_check(&root)?);
            Ok(())
        }
        Command::Bench {
            skip_cold,
            peers_only,
        } => {
            let mut targets = Vec::new();
            let mut section = |(text, more): (String, Vec<xtask::bench::Target>)| {
                print!("\n{text}");
                targets.extend(more);
            };
            if !peers_only {
                section(xtask::bench::bench(&root, skip_cold)?);
            }
            for qumulo in [
                xtask::bench::qumulo_pages_subject(&root)?,
                xtask::bench::qumulo_subject(&root)?,
            ] {
                section(xtask::bench::side_by_side(&root, &qumulo)?);
                section(xtask::bench::qumulo_recompile(&root, &qumulo)?);
            }
            let nexus = xtask::bench::nexus_subject(&root);
            section(xtask::bench::side_by_side(&root, &nexus)?);
            section(xtask::bench::codec(&root)?);
            print!("\n{}", xtask::bench::targets_table(&targets));
            Ok(())
        }
        Command::Conformance { max_examples } => {
            let mut options = xtask::conformance::Options::default();
            if let Some(count) = max_examples {
                options.max_examples = count.to_string();
            }
            print!("{}", xtask::conformance::conformance(&root, &options)?);
            Ok(())
        }
    }
}

fn run_import(root: &std::path::Path, pages: &std::path::Path, prune: bool) -> Result<()> {
    // A relative folder is taken from where the command runs; the default from the repository.
    let pages = if pages.is_relative() && !pages.exists() {
        root.join(pages)
    } else {
        pages.to_owned()
    };
    let report = xtask::import(&pages, &root.join("schemas"), prune)?;
    println!(
        "import: {} pages converted, {} landing pages skipped, {} endpoint files written to schemas/",
        report.pages, report.landing, report.written
    );
    for orphan in &report.orphans {
        if prune {
            println!("import: removed schemas/{orphan} (its page is gone)");
        } else {
            println!("import: schemas/{orphan} has no page any more (`--prune` removes it)");
        }
    }
    if let Some(problems) = report.problems {
        anyhow::bail!("{problems}\nthe other pages were imported");
    }
    if report.written > 0 || (prune && !report.orphans.is_empty()) {
        let changes = xtask::preview_changes(&root.join("schemas"), &root.join("generated"))
            .map_err(|error| {
                anyhow::anyhow!("{error:#}\nthe pages were imported, but they do not generate")
            })?;
        if !changes.is_empty() {
            println!(
                "import: `cargo xtask codegen` will change the API: {}\n{}",
                codegen::surface::headline(&changes),
                codegen::surface::render(&changes).trim_end()
            );
        }
    }
    Ok(())
}
