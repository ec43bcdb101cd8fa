//! Reading inputs from folders and writing the output transactionally: what every user of the
//! generator needs around the pure [`crate::generate`] (the repository's xtask and the
//! `codegen` command are two of them). Enabled by the `write` feature.
//!
//! The writer touches only files that carry the generator's header: it creates and replaces
//! them through temporary files renamed into place under a journal ([`JOURNAL`]), removes the
//! ones the generator no longer makes, and refuses to overwrite anything else.
//!
//! ```no_run
//! let report = codegen::write::generate_into(
//!     "schemas".as_ref(),
//!     "generated".as_ref(),
//!     false,
//!     "codegen generate --input schemas --out generated",
//! )?;
//! println!("{} files written", report.plan.missing.len() + report.plan.stale.len());
//! # Ok::<(), anyhow::Error>(())
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate as codegen;

/// Reads every input file under `dir` (recursively): `*.json` endpoint files (one folder per
/// category) and OpenAPI documents (`*.json` with an `openapi` member, `*.yaml`, `*.yml`), and
/// its `codegen.toml`, `codegen.lock` and `corrections.toml`. Paths are relative to `dir`, with
/// `/` separators. `dir` may also be one file (an OpenAPI document): then the other files are
/// read from the folder it is in.
pub fn read_inputs(dir: &Path) -> Result<codegen::Inputs> {
    if dir.is_file() {
        let name = dir
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut inputs = read_side_files(input_folder(dir))?;
        inputs.schemas.push((name, read_limited(dir)?));
        return Ok(inputs);
    }
    let mut inputs = read_side_files(dir)?;
    // One walk of the folder for the three kinds of input file.
    let mut names = Vec::new();
    collect_files(dir, "", "", &mut names)?;
    names.retain(|name| {
        [".json", ".yaml", ".yml"]
            .iter()
            .any(|suffix| name.ends_with(suffix))
    });
    names.sort();
    let read = crate::parallel::map(&names, 32, |name| {
        read_limited(&dir.join(name)).with_context(|| format!("cannot read {name}"))
    });
    for (name, bytes) in names.into_iter().zip(read) {
        inputs.schemas.push((name, bytes?));
    }
    Ok(inputs)
}

/// The folder of the configuration and the lock: `input` itself, or the folder a file input is in.
pub fn input_folder(input: &Path) -> &Path {
    if input.is_file() {
        input.parent().unwrap_or(Path::new("."))
    } else {
        input
    }
}

/// A file, as far as the frontend reads: a larger file is read only as far as it takes to tell.
fn read_limited(path: &Path) -> Result<Vec<u8>> {
    let limit = codegen::frontend::MAX_FILE_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    fs::File::open(path)
        .and_then(|file| {
            // Sized to the file, so that it is read in one call rather than in doubling chunks.
            let size = file.metadata().map_or(0, |metadata| metadata.len());
            bytes.reserve_exact(size.min(limit) as usize + 1);
            std::io::Read::read_to_end(&mut std::io::Read::take(file, limit), &mut bytes)
        })
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(bytes)
}

/// `codegen.lock`, `corrections.toml` and `codegen.toml` of an input folder, where present.
fn read_side_files(dir: &Path) -> Result<codegen::Inputs> {
    let mut inputs = codegen::Inputs::default();
    let read = |name: &str| -> Result<Option<String>> {
        let path = dir.join(name);
        if !path.exists() {
            return Ok(None);
        }
        fs::read_to_string(&path)
            .map(Some)
            .with_context(|| format!("cannot read {}", path.display()))
    };
    inputs.lock = read(codegen::lock::LOCK_FILE)?;
    inputs.corrections = read(codegen::corrections::CORRECTIONS_FILE)?;
    inputs.config = read(codegen::CONFIG_FILE)?;
    Ok(inputs)
}

/// What it takes to bring an output folder in line with the generator's output.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Files to create, relative to the output directory.
    pub missing: BTreeMap<String, String>,
    /// Generated files whose contents changed.
    pub stale: BTreeMap<String, String>,
    /// Generated files the generator no longer produces.
    pub orphaned: BTreeSet<String>,
    /// Files at paths the generator wants that it did not write; they are never overwritten.
    pub foreign: BTreeSet<String>,
    /// Files already up to date.
    pub unchanged: usize,
}

impl Plan {
    /// True when the folder already matches.
    pub fn is_clean(&self) -> bool {
        self.missing.is_empty()
            && self.stale.is_empty()
            && self.orphaned.is_empty()
            && self.foreign.is_empty()
    }

    /// One line per difference, for `--check`.
    pub fn describe(&self, out_dir: &str) -> String {
        let mut res = String::new();
        for path in self.stale.keys() {
            let _ = writeln!(res, "stale:    {out_dir}/{path}");
        }
        for path in self.missing.keys() {
            let _ = writeln!(res, "missing:  {out_dir}/{path}");
        }
        for path in &self.orphaned {
            let _ = writeln!(res, "orphaned: {out_dir}/{path}");
        }
        for path in &self.foreign {
            let _ = writeln!(
                res,
                "in the way (not generated, will not be overwritten): {out_dir}/{path}"
            );
        }
        res
    }
}

/// Compares the generator's output with what is in `out_dir`.
pub fn plan(out_dir: &Path, files: &BTreeMap<String, String>) -> Result<Plan> {
    let mut plan = Plan::default();
    let existing = generated_files(out_dir)?;
    for (path, contents) in files {
        let target = out_dir.join(path);
        match existing.get(path) {
            Some(current) if normalize(current) == *contents => plan.unchanged += 1,
            Some(_) => {
                plan.stale.insert(path.clone(), contents.clone());
            }
            None if target.exists() => {
                plan.foreign.insert(path.clone());
            }
            None => {
                plan.missing.insert(path.clone(), contents.clone());
            }
        }
    }
    plan.orphaned = existing
        .into_keys()
        .filter(|path| !files.contains_key(path))
        .collect();
    Ok(plan)
}

fn normalize(contents: &str) -> String {
    contents.replace("\r\n", "\n")
}

/// Every file under `dir` that carries the generator's header, keyed by relative path with `/`.
/// `target/` and hidden directories are skipped.
fn generated_files(dir: &Path) -> Result<BTreeMap<String, String>> {
    let mut paths = Vec::new();
    if dir.exists() {
        collect_files(dir, "", "", &mut paths)?;
    }
    let mut res = BTreeMap::new();
    for path in paths {
        if let Ok(contents) = fs::read_to_string(dir.join(&path)) {
            if codegen::render::is_generated(&contents) {
                res.insert(path, contents);
            }
        }
    }
    Ok(res)
}

/// Applies a plan: every new and changed file is written to a temporary file first (a folder
/// that is new as a whole, to a temporary folder) and renamed into place; orphans are removed
/// with any directory they leave empty. The renames and removals
/// are listed in a journal first (see [`JOURNAL`]), so that a run interrupted among them is
/// finished by the next one.
pub fn apply(out_dir: &Path, plan: &Plan) -> Result<()> {
    apply_interrupted(out_dir, plan, None)
}

/// [`apply`], stopping (with an error, as if the process had died) after `steps` renames or
/// removals when `steps` is given: for testing recovery.
#[doc(hidden)]
pub fn apply_interrupted(out_dir: &Path, plan: &Plan, steps: Option<usize>) -> Result<()> {
    recover(out_dir)?;
    if !plan.foreign.is_empty() {
        bail!(
            "refusing to overwrite files the generator did not write:\n{}  hint: move them away, or remove them if they are stale copies",
            plan.describe(&out_dir.display().to_string())
        );
    }
    let staged = stage(out_dir, plan.missing.iter().chain(&plan.stale))?;
    commit(out_dir, &staged, &plan.orphaned, steps)
}

/// The journal of a run's last step, in the folder it changes: one line per step,
/// `rename\t<temporary>\t<target>` or `remove\t<path>`, paths relative to the folder. It is
/// written after every new file is staged and before anything is replaced, and
/// removed when every step is done. A run that finds one finishes it before anything else, so
/// an interruption leaves the folder either as it was (before the journal) or as the next run
/// makes it: never half of one run and half of another.
pub const JOURNAL: &str = ".codegen-journal";

/// Writes `files` under `dir`: all of them to temporary names first (`stage`), then renamed
/// into place under a journal.
pub fn write_all<'a>(
    dir: &Path,
    files: impl Iterator<Item = (&'a String, &'a String)>,
) -> Result<()> {
    recover(dir)?;
    let staged = stage(dir, files)?;
    commit(dir, &staged, &BTreeSet::new(), None)
}

/// Journals and performs the renames of `staged` and the removal of `orphaned`.
fn commit(
    dir: &Path,
    staged: &[(PathBuf, PathBuf)],
    orphaned: &BTreeSet<String>,
    steps: Option<usize>,
) -> Result<()> {
    if staged.is_empty() && orphaned.is_empty() {
        return Ok(());
    }
    let relative = |path: &Path| -> Result<String> {
        let inner = path
            .strip_prefix(dir)
            .with_context(|| format!("{} is outside {}", path.display(), dir.display()))?;
        Ok(inner.to_string_lossy().replace('\\', "/"))
    };
    let mut journal = String::new();
    for (temporary, target) in staged {
        let _ = writeln!(
            journal,
            "rename\t{}\t{}",
            relative(temporary)?,
            relative(target)?
        );
    }
    for path in orphaned {
        let _ = writeln!(journal, "remove\t{path}");
    }
    let journal_path = dir.join(JOURNAL);
    let journal_temporary = dir.join(format!("{JOURNAL}.tmp"));
    fs::create_dir_all(dir)?;
    {
        use std::io::Write as _;
        let mut file = fs::File::create(&journal_temporary)
            .with_context(|| format!("cannot write {}", journal_temporary.display()))?;
        // Not synced: the journal is for a run that stops midway (killed, interrupted, an
        // error), whose writes the system still has. Surviving a power cut would take syncing
        // every staged file as well, which sources regenerated from their inputs do not need;
        // the one sync cost up to a quarter of a second when other files were being written.
        file.write_all(journal.as_bytes())?;
    }
    fs::rename(&journal_temporary, &journal_path)
        .with_context(|| format!("cannot write {}", journal_path.display()))?;
    replay(dir, &journal, steps)
}

/// Performs the steps of a journal that are not done yet, then removes it. Every step can be
/// repeated: a rename whose temporary file is gone was done, a removal of a missing file too.
/// A journal with a line this tool does not write is refused before any step is taken; `steps`
/// (for testing) stops after that many steps.
fn replay(dir: &Path, journal: &str, steps: Option<usize>) -> Result<()> {
    enum Step<'a> {
        Rename(&'a str, &'a str),
        Remove(&'a str),
    }
    let parsed = journal
        .lines()
        .enumerate()
        .map(|(index, line)| match line.split('\t').collect::<Vec<_>>().as_slice() {
            ["rename", temporary, target] => Ok(Step::Rename(temporary, target)),
            ["remove", path] => Ok(Step::Remove(path)),
            _ => Err(anyhow::anyhow!(
                "{} line {}: {line:?} is not a step this tool writes; delete the file if you made it",
                dir.join(JOURNAL).display(),
                index + 1
            )),
        })
        .collect::<Result<Vec<Step<'_>>>>()?;
    let rename = |temporary: &str, target: &str| -> Result<()> {
        let target = dir.join(target);
        match fs::rename(dir.join(temporary), &target) {
            // Renamed by an earlier run (the temporary file or folder sits beside its target,
            // so it is the one missing).
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
            done => done.with_context(|| format!("cannot replace {}", target.display())),
        }
    };
    let remove = |path: &str| -> Result<()> {
        let target = dir.join(path);
        if target.exists() {
            fs::remove_file(&target)
                .with_context(|| format!("cannot remove {}", target.display()))?;
            remove_empty_parents(dir, &target);
        }
        Ok(())
    };
    for (done, step) in parsed.iter().enumerate() {
        if steps == Some(done) {
            bail!("interrupted after {done} steps (test)");
        }
        match step {
            Step::Rename(temporary, target) => rename(temporary, target)?,
            Step::Remove(path) => remove(path)?,
        }
    }
    let journal_path = dir.join(JOURNAL);
    fs::remove_file(&journal_path)
        .with_context(|| format!("cannot remove {}", journal_path.display()))
}

/// Finishes a run that was interrupted after it journaled its steps (see [`JOURNAL`]).
pub fn recover(dir: &Path) -> Result<bool> {
    let journal_path = dir.join(JOURNAL);
    let journal = match fs::read_to_string(&journal_path) {
        Ok(journal) => journal,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(error) => {
            return Err(error).with_context(|| format!("cannot read {}", journal_path.display()))
        }
    };
    replay(dir, &journal, None)?;
    Ok(true)
}

/// An error when a run was interrupted in `dir` and not yet finished; `regenerate` is the
/// command that finishes it.
fn refuse_interrupted(dir: &Path, regenerate: &str) -> Result<()> {
    if dir.join(JOURNAL).exists() {
        bail!(
            "an earlier `{regenerate}` was interrupted while replacing files in {} ({} lists what is left to do); run `{regenerate}` to finish it",
            dir.display(),
            JOURNAL
        );
    }
    Ok(())
}

/// Writes `files` (relative to `out_dir`) under temporary names, returning each temporary path
/// with the path it is to be renamed to. A top-level folder that `out_dir` does not have yet
/// (a new crate, or every crate of an emptied folder) is written whole under a temporary name
/// beside it (`.name.codegen-tmp`) and renamed into place in one step; any other file is
/// written beside its target (`.file.codegen-tmp`). Half the folder operations of a file each,
/// which is what writing costs on a slow disk. Any failure removes everything staged.
fn stage<'a>(
    out_dir: &Path,
    files: impl Iterator<Item = (&'a String, &'a String)>,
) -> Result<Vec<(PathBuf, PathBuf)>> {
    let files: Vec<(&String, &String)> = files.collect();
    let hidden = |name: &str| format!(".{name}.codegen-tmp");
    let new_folders: BTreeSet<&str> = files
        .iter()
        .filter_map(|(path, _)| path.split_once('/').map(|(top, _)| top))
        .filter(|top| fs::symlink_metadata(out_dir.join(top)).is_err())
        .collect();
    // The rest of the path, under a new top-level folder.
    let in_new_folder = |path: &'a str| {
        path.split_once('/')
            .filter(|(top, _)| new_folders.contains(top))
    };
    let temporary_of = |path: &'a str| -> PathBuf {
        match in_new_folder(path) {
            Some((top, rest)) => out_dir.join(hidden(top)).join(rest),
            None => {
                let target = out_dir.join(path);
                let name = target
                    .file_name()
                    .map(|name| name.to_string_lossy().into_owned())
                    .unwrap_or_default();
                target.with_file_name(hidden(&name))
            }
        }
    };
    let mut staged: Vec<(PathBuf, PathBuf)> = new_folders
        .iter()
        .map(|top| (out_dir.join(hidden(top)), out_dir.join(top)))
        .collect();
    let undo = |staged: &[(PathBuf, PathBuf)]| {
        for (leftover, _) in staged {
            let _ = fs::remove_file(leftover).or_else(|_| fs::remove_dir_all(leftover));
        }
    };
    // A new folder's temporary twin left by a run that was stopped before it renamed it.
    for (twin, _) in &staged {
        let _ = fs::remove_dir_all(twin);
    }
    // The files by folder, each with its temporary path; each folder is made once, before the
    // files.
    let mut by_folder: BTreeMap<PathBuf, Vec<(&String, PathBuf, &String)>> = BTreeMap::new();
    for &(path, contents) in &files {
        let temporary = temporary_of(path);
        let folder = temporary
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        by_folder
            .entry(folder)
            .or_default()
            .push((path, temporary, contents));
    }
    for folder in by_folder.keys() {
        if let Err(error) = fs::create_dir_all(folder) {
            undo(&staged);
            return Err(error).with_context(|| format!("cannot create {}", folder.display()));
        }
    }
    // Written on every core, a folder at a time: files created in one folder at once wait for
    // each other (the kernel locks the folder for each), so each thread takes whole folders,
    // the fullest first.
    let mut by_folder: Vec<Vec<(&String, PathBuf, &String)>> = by_folder.into_values().collect();
    by_folder.sort_by_key(|files| std::cmp::Reverse(files.len()));
    let written = crate::parallel::pool(&by_folder, |files| {
        files
            .iter()
            .map(|(_, temporary, contents)| fs::write(temporary, contents))
            .collect::<Vec<_>>()
    });
    let mut failure = None;
    for (files, results) in by_folder.iter().zip(written) {
        // `None`: writing this folder panicked (the panic was printed), each of its files failed.
        let results = results.unwrap_or_else(|| {
            files
                .iter()
                .map(|_| Err(std::io::Error::other("the writing thread panicked")))
                .collect()
        });
        for ((path, temporary, _), result) in files.iter().zip(results) {
            match result {
                Ok(()) if in_new_folder(path).is_some() => {}
                Ok(()) => staged.push((temporary.clone(), out_dir.join(path))),
                Err(error) => {
                    let _ = fs::remove_file(temporary);
                    failure.get_or_insert((error, out_dir.join(path)));
                }
            }
        }
    }
    if let Some((error, target)) = failure {
        undo(&staged);
        return Err(error).with_context(|| format!("cannot write {}", target.display()));
    }
    Ok(staged)
}

fn remove_empty_parents(out_dir: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(current) = dir {
        if current == out_dir || fs::remove_dir(current).is_err() {
            break;
        }
        dir = current.parent();
    }
}

/// What one run did, for the summary line.
pub struct Report {
    /// What the generator produced.
    pub output: codegen::Output,
    /// What the run changed (or, with `--check`, would change).
    pub plan: Plan,
    /// What changed in API terms since the files on disk (empty when nothing did).
    pub changes: Vec<codegen::surface::Change>,
}

/// What `cargo xtask codegen` would change in the API, without writing anything: generates from
/// `schema_dir` and compares with the crates in `out_dir`.
pub fn preview_changes(schema_dir: &Path, out_dir: &Path) -> Result<Vec<codegen::surface::Change>> {
    let inputs = read_inputs(schema_dir)?;
    let output = match codegen::generate(&inputs) {
        Ok(output) => output,
        Err(diagnostics) => bail!("{diagnostics}"),
    };
    let plan = plan(out_dir, &output.files)?;
    Ok(api_changes(out_dir, &output, inputs.lock.as_deref(), &plan))
}

/// The API changes from the generated crates in `out_dir` to `output`, with renames found through
/// the two locks. Only computed when some generated file differs.
pub fn api_changes(
    out_dir: &Path,
    output: &codegen::Output,
    old_lock: Option<&str>,
    plan: &Plan,
) -> Vec<codegen::surface::Change> {
    if plan.missing.is_empty() && plan.stale.is_empty() && plan.orphaned.is_empty() {
        return Vec::new();
    }
    let [models, client] =
        ["models", "client"].map(|part| format!("{}/src/", output.api.crate_name(part)));
    // A crate none of whose sources changes but in its documentation has the same surface
    // before and after: it is not read at all (parsing the crates is most of the report's
    // time, and an edited description changes only documentation).
    let changes = |dir: &str| {
        let changed = |path: &String| path.starts_with(dir);
        plan.missing.keys().any(changed)
            || plan.orphaned.iter().any(changed)
            || plan
                .stale
                .iter()
                .filter(|(path, _)| changed(path))
                .any(|(path, new)| {
                    let old = fs::read_to_string(out_dir.join(path)).unwrap_or_default();
                    !same_but_docs(&old, new)
                })
    };
    // A first generation has nothing to compare with (every type would be "added").
    let exists = |dir: &str| out_dir.join(dir).join("lib.rs").exists();
    if !exists(&models) && !exists(&client) {
        return Vec::new();
    }
    // Decided once per crate: it reads the changed files.
    let (models_read, client_read) = (changes(&models), changes(&client));
    let old_files = |dir: &str, read: bool| {
        let dir = out_dir.join(dir);
        move |name: &str| {
            read.then(|| fs::read_to_string(dir.join(name)).ok())
                .flatten()
        }
    };
    let new_files = |dir: &str, read: bool| {
        let dir = dir.to_owned();
        move |name: &str| {
            read.then(|| output.files.get(&format!("{dir}{name}")).cloned())
                .flatten()
        }
    };
    let old = codegen::surface::Surface::read_crates(
        &old_files(&models, models_read),
        &old_files(&client, client_read),
    );
    let new = codegen::surface::Surface::read_crates(
        &new_files(&models, models_read),
        &new_files(&client, client_read),
    );
    let renames = codegen::surface::renames(old_lock.unwrap_or_default(), &output.lock);
    codegen::surface::changes(&old, &new, &renames)
}

/// Whether two renderings of a Rust file differ at most in their doc comments (`///`, `//!`,
/// which is how prettyplease prints documentation).
fn same_but_docs(old: &str, new: &str) -> bool {
    fn code(text: &str) -> impl Iterator<Item = &str> {
        text.lines().filter(|line| {
            let line = line.trim_start();
            !(line.starts_with("///") || line.starts_with("//!"))
        })
    }
    old == new || code(old).eq(code(new))
}

/// Generates from `schema_dir` (a folder of inputs, or one OpenAPI document) and, unless
/// `check`, writes `out_dir` (and the lock beside the schemas). In check mode it fails when anything differs, naming each file and `regenerate`,
/// the command that fixes it. Nothing is written when the input has errors.
pub fn generate_into(
    schema_dir: &Path,
    out_dir: &Path,
    check: bool,
    regenerate: &str,
) -> Result<Report> {
    let input = schema_dir;
    let schema_dir = input_folder(input);
    if check {
        refuse_interrupted(out_dir, regenerate)?;
        refuse_interrupted(schema_dir, regenerate)?;
    } else {
        recover(out_dir)?;
        recover(schema_dir)?;
    }
    let mut inputs = read_inputs(input)?;
    inputs.regenerate = Some(regenerate.to_owned());
    let output = match codegen::generate(&inputs) {
        Ok(output) => output,
        Err(diagnostics) => bail!("{diagnostics}\n{} was left unchanged", out_dir.display()),
    };
    let plan = plan(out_dir, &output.files)?;
    let changes = api_changes(out_dir, &output, inputs.lock.as_deref(), &plan);
    let lock_path = schema_dir.join(codegen::lock::LOCK_FILE);
    let lock_is_current = inputs.lock.as_deref().map(normalize) == Some(output.lock.clone());
    if check {
        if !plan.is_clean() || !lock_is_current {
            let lock_line = if lock_is_current {
                String::new()
            } else {
                format!("stale:    {}\n", lock_path.display())
            };
            let report = if changes.is_empty() {
                String::new()
            } else {
                format!(
                    "what regenerating changes in the API:\n{}",
                    codegen::surface::render(&changes)
                )
            };
            bail!(
                "generated code is out of date:\n{}{lock_line}{report}run `{regenerate}` and commit the result",
                plan.describe(&out_dir.display().to_string())
            );
        }
    } else {
        if let Some(existing) = inputs
            .lock
            .as_deref()
            .filter(|text| !text.starts_with("# @generated"))
        {
            bail!(
                "{} was not written by the generator (it starts {:?}); move it away",
                lock_path.display(),
                existing.lines().next().unwrap_or("")
            );
        }
        apply(out_dir, &plan)?;
        if !lock_is_current {
            write_all(
                schema_dir,
                std::iter::once((&codegen::lock::LOCK_FILE.to_owned(), &output.lock)),
            )?;
        }
    }
    Ok(Report {
        output,
        plan,
        changes,
    })
}

/// Turns transparent huge pages off for this process and the processes it starts (Linux;
/// elsewhere it does nothing). For a binary that generates with mimalloc, which asks for huge
/// pages: call it first thing. On a machine whose memory other processes have just used (a
/// build, another generator), the kernel compacts memory to supply each huge page, which cost
/// 0.1-0.2 s of system time in a generation that otherwise takes 0.15 s; with ordinary pages a
/// generation takes 0.15-0.20 s either way (`BENCHMARKS.md`).
pub fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: `PR_SET_THP_DISABLE` takes integer arguments and reads or writes no memory of
    // this process; a failure (an old kernel) leaves the default, which is only slower.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Relative paths (with `/`) of the files under `dir` whose names end in `suffix`; hidden
/// folders and `target/` are skipped.
pub fn collect_files(dir: &Path, prefix: &str, suffix: &str, acc: &mut Vec<String>) -> Result<()> {
    let entries = fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let relative = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        let file_type = entry.file_type()?;
        if file_type.is_dir() && !name.starts_with('.') && name != "target" {
            collect_files(&entry.path(), &relative, suffix, acc)?;
        } else if file_type.is_file() && name.ends_with(suffix) {
            acc.push(relative);
        }
    }
    Ok(())
}

/// For `build.rs`: generates the models and the client from the endpoint files in `input` as
/// modules of one file, `$OUT_DIR/<api>.rs` (see [`crate::modules`]), and tells cargo to run the
/// build script again when anything in `input` changes. The lock in `input` is read, not
/// written (a build does not change its sources). Returns the file's path.
///
/// ```no_run
/// // build.rs
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
///     codegen::write::compile_modules("api")?;
///     Ok(())
/// }
/// ```
///
/// and in the crate, for an API named `inventory`:
///
/// ```text
/// include!(concat!(env!("OUT_DIR"), "/inventory.rs")); // `models` and `client`
/// ```
pub fn compile_modules(input: impl AsRef<Path>) -> Result<PathBuf> {
    let input = input.as_ref();
    let out_dir = std::env::var_os("OUT_DIR")
        .map(PathBuf::from)
        .context("OUT_DIR is not set: compile_modules runs in a build script")?;
    println!("cargo:rerun-if-changed={}", input.display());
    let mut inputs = read_inputs(input)?;
    inputs.regenerate = Some("cargo build (build.rs: codegen::write::compile_modules)".to_owned());
    let modules = match codegen::modules::generate_modules(&inputs) {
        Ok(modules) => modules,
        Err(diagnostics) => bail!("{diagnostics}"),
    };
    let path = out_dir.join(&modules.file_name);
    fs::write(&path, modules.source).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::same_but_docs;

    #[test]
    fn only_documentation_changes_are_told_apart_from_code_changes() {
        let old = "//! Crate.\n/// List tokens.\npub fn list() {}\n";
        assert!(same_but_docs(old, old));
        assert!(same_but_docs(
            old,
            "//! Crate, edited.\n/// List every token.\n///\n/// More.\npub fn list() {}\n"
        ));
        assert!(!same_but_docs(
            old,
            "//! Crate.\n/// List tokens.\npub fn list_all() {}\n"
        ));
        assert!(!same_but_docs(
            old,
            "//! Crate.\npub fn list() {}\npub fn more() {}\n"
        ));
    }
}
