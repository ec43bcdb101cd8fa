//! The up-to-date check of `cargo xtask codegen`: when the inputs, the generator binary and the
//! files it wrote are all as the last run left them, generating again would write nothing, so
//! the run stops early. The stamp (`target/codegen-stamp`) holds a hash of the inputs and of the
//! running binary, the paths written, and a hash of their contents. `--check` never uses it: it
//! always generates and compares.

use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::Hasher;
use std::path::Path;

/// Whether the stamp says nothing changed since the last run.
pub fn is_current(stamp: &Path, schemas: &Path, generated: &Path) -> bool {
    let Ok(text) = fs::read_to_string(stamp) else {
        return false;
    };
    let mut lines = text.lines();
    let (Some(inputs), Some(outputs)) = (lines.next(), lines.next()) else {
        return false;
    };
    let paths: Vec<&str> = lines.collect();
    inputs_hash(schemas).is_some_and(|hash| hash.to_string() == inputs)
        && outputs_hash(generated, &paths).is_some_and(|hash| hash.to_string() == outputs)
}

/// Records the run that just wrote `output` into `generated` from `schemas`. A stamp that cannot
/// be written only costs the next run its shortcut.
pub fn record(stamp: &Path, schemas: &Path, generated: &Path, output: &codegen::Output) {
    let paths: Vec<&str> = output.files.keys().map(String::as_str).collect();
    let (Some(inputs), Some(outputs)) = (inputs_hash(schemas), outputs_hash(generated, &paths))
    else {
        return;
    };
    let text = format!("{inputs}\n{outputs}\n{}\n", paths.join("\n"));
    let _ = fs::create_dir_all(stamp.parent().unwrap_or(Path::new(".")));
    let _ = fs::write(stamp, text);
}

/// The inputs as the generator reads them, and the identity of the running generator (its
/// size and modification time: a rebuilt generator may generate differently).
fn inputs_hash(schemas: &Path) -> Option<u64> {
    let inputs = crate::read_inputs(schemas).ok()?;
    let mut hasher = DefaultHasher::new();
    for (path, bytes) in &inputs.schemas {
        hasher.write(path.as_bytes());
        hasher.write(bytes);
    }
    for text in [&inputs.config, &inputs.lock, &inputs.corrections] {
        hasher.write(text.as_deref().unwrap_or("\0").as_bytes());
    }
    let binary = fs::metadata(std::env::current_exe().ok()?).ok()?;
    hasher.write_u64(binary.len());
    let modified = binary
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    hasher.write_u128(modified.as_nanos());
    Some(hasher.finish())
}

/// The contents of the files a run wrote, as they are now.
fn outputs_hash(generated: &Path, paths: &[&str]) -> Option<u64> {
    let mut hasher = DefaultHasher::new();
    for path in paths {
        hasher.write(path.as_bytes());
        hasher.write(&fs::read(generated.join(path)).ok()?);
    }
    Some(hasher.finish())
}
