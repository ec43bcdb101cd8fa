//! Helpers shared by the integration tests: where the repository and the fixtures are, and how
//! a fixture (one endpoint file, or a folder of them with an optional `codegen.toml`) becomes
//! generator inputs.

use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo_root() -> PathBuf {
    xtask::project_root()
}

/// `tests/fixtures/<kind>/<name>`.
pub fn fixture(kind: &str, name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(kind).join(name)
}

/// The inputs of a fixture: a folder is read like `schemas/`, a single file stands alone.
pub fn load(path: &Path) -> codegen::Inputs {
    if path.is_dir() {
        return xtask::read_inputs(path)
            .unwrap_or_else(|error| panic!("cannot read {}: {error:#}", path.display()));
    }
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes = std::fs::read(path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    codegen::Inputs {
        schemas: vec![(name, bytes)],
        ..codegen::Inputs::default()
    }
}

/// The names in a fixture folder, sorted.
pub fn fixture_names(kind: &str) -> Vec<String> {
    let dir = repo_root().join("tests/fixtures").join(kind);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()))
        .map(|entry| entry.map(|entry| entry.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|error| panic!("cannot list {}: {error}", dir.display()));
    names.sort();
    names
}

/// A fresh, empty directory under the system temp directory, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let unique = format!(
            "codegen-{label}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let path = std::env::temp_dir().join(unique);
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path)
            .unwrap_or_else(|error| panic!("cannot create {}: {error}", path.display()));
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
