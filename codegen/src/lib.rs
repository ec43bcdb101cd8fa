//! The generator as a pure function: endpoint files and configuration in, file contents out.
//!
//! ```text
//! schemas/*.json ─ frontend (parse, validate) ─ lower (dedup, name) ─ ir::Api
//!                                                                        │
//!                      render (prettyplease, header) ─ emit::{models, …} ┘
//! ```
//!
//! Nothing in this crate touches the filesystem; the xtask reads `schemas/` and writes
//! `generated/`, and tests call [`generate`] in-process.

pub mod config;
pub mod diagnostics;
pub mod dump;
pub mod emit;
pub mod frontend;
pub mod ident;
pub mod import;
pub mod ir;
pub mod lock;
mod lower;
pub mod render;

use std::collections::BTreeMap;

pub use config::{parse_config, Config, CONFIG_FILE};
pub use diagnostics::{Diagnostic, Diagnostics, Location};

/// What the generator reads.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// Endpoint files: a path relative to the schema directory (used in diagnostics and
    /// locations) and the file's bytes, which must be UTF-8. Their order does not matter.
    pub schemas: Vec<(String, Vec<u8>)>,
    /// The text of `codegen.toml`, if there is one.
    pub config: Option<String>,
    /// The text of `codegen.lock`, if there is one.
    pub lock: Option<String>,
}

/// What the generator produces.
#[derive(Debug, Clone)]
pub struct Output {
    /// File contents keyed by path relative to the output directory (`generated/`).
    pub files: BTreeMap<String, String>,
    /// The model the files were emitted from.
    pub api: ir::Api,
    /// The new contents of `codegen.lock`: every name given in this run.
    pub lock: String,
}

/// Parses, lowers and emits. Each phase reports all of its problems; the next phase runs only on
/// a clean result.
pub fn generate(inputs: &Inputs) -> Result<Output, Diagnostics> {
    let config = match &inputs.config {
        Some(text) => parse_config(text)?,
        None => Config::default(),
    };
    generate_with_config(inputs, &config)
}

/// [`generate`] with an already resolved configuration; `inputs.config` is not read.
pub fn generate_with_config(inputs: &Inputs, config: &Config) -> Result<Output, Diagnostics> {
    let lock = match &inputs.lock {
        Some(text) => lock::parse_lock(text)?,
        None => lock::Lock::default(),
    };
    let (api, new_lock) = parse_and_lower(inputs, config, &lock)?;
    let files = emit_files(&api)?;
    Ok(Output {
        files,
        api,
        lock: lock::render_lock(&new_lock),
    })
}

/// Parses every endpoint file (all problems of all files at once) and lowers them to the model.
pub fn parse_and_lower(
    inputs: &Inputs,
    config: &Config,
    lock: &lock::Lock,
) -> Result<(ir::Api, lock::Lock), Diagnostics> {
    let mut sorted: Vec<&(String, Vec<u8>)> = inputs.schemas.iter().collect();
    sorted.sort_by(|left, right| left.0.cmp(&right.0));
    let mut endpoints = Vec::new();
    let mut problems = Diagnostics::default();
    for (path, text) in sorted {
        match frontend::parse_endpoint(path, text) {
            Ok(endpoint) => endpoints.push(endpoint),
            Err(found) => problems.extend(found),
        }
    }
    problems.finish(())?;
    lower::lower_api(&endpoints, config, lock)
}

/// Emits and renders every file of every generated crate: models, client and server.
pub fn emit_files(api: &ir::Api) -> Result<BTreeMap<String, String>, Diagnostics> {
    let mut files = BTreeMap::new();
    let mut problems = Diagnostics::default();
    let [models, client, server] =
        ["models", "client", "server"].map(|part| ident::crate_name(&api.name, part));
    files.insert(
        format!("{models}/Cargo.toml"),
        render::render_toml(&emit::models::emit_models_manifest(api, &models)),
    );
    files.insert(
        format!("{client}/Cargo.toml"),
        render::render_toml(&emit::client::emit_client_manifest(api)),
    );
    files.insert(
        format!("{server}/Cargo.toml"),
        render::render_toml(&emit::server::emit_server_manifest(api)),
    );
    files.insert("openapi.json".to_owned(), emit::openapi::emit_openapi(api));
    let rust_files = [
        (
            format!("{models}/src/lib.rs"),
            Ok(emit::models::emit_models(api)),
        ),
        (
            format!("{client}/src/lib.rs"),
            emit::client::emit_client(api),
        ),
        (
            format!("{server}/src/lib.rs"),
            emit::server::emit_server(api),
        ),
    ];
    for (path, tokens) in rust_files {
        match tokens.and_then(render::render_rust) {
            Ok(text) => {
                files.insert(path, text);
            }
            Err(error) => problems.error(
                &Location::root(&path),
                format!("internal error: the generator emitted invalid Rust: {error}"),
                "this is a bug in the generator; please report it with the input",
            ),
        }
    }
    problems.finish(files)
}
