//! The generator as a pure function: endpoint files and configuration in, file contents out.
//!
//! ```text
//! schemas/*.json ─ frontend (parse, validate) ─ lower (dedup, name) ─ ir::Api
//!                                                                        │
//!                      render (prettyplease, header) ─ emit::{models, …} ┘
//! ```
//!
//! Nothing but the `write` module (behind the `write` feature) touches the filesystem: the
//! repository's xtask and the `codegen` command (feature `cli`) read input folders and write
//! output folders with it, and tests call [`generate`] in-process.
//!
//! The configuration is `codegen.toml` ([`parse_config`]) or the same built in code, in the style
//! of prost-build's `Config`:
//!
//! ```
//! use codegen::config::AuthChoice;
//!
//! let endpoint = br#"{"endpoint": "/v1/items/{id}", "methods": {"get": {
//!     "summary": "One item.",
//!     "parameters": [{"name": "id", "description": "Which item.", "required": true}],
//!     "responses": [{"code": "200", "description": "The item"}],
//!     "response_schema": {"description": "item", "type": "object", "required": ["id"],
//!         "properties": {"id": {"type": "string"}, "count": {"type": "integer"}}}
//! }}}"#;
//! let inputs = codegen::Inputs {
//!     schemas: vec![("items/item.json".to_owned(), endpoint.to_vec())],
//!     ..Default::default()
//! };
//! let mut config = codegen::Config::new("inventory");
//! config
//!     .auth(AuthChoice::Bearer)
//!     .derive("*", &["Eq", "Hash"])
//!     .field_type("Item", "count", "u32");
//! let output = codegen::generate_with_config(&inputs, &config)?;
//! let models = &output.files["inventory-models/src/lib.rs"];
//! assert!(models.contains("pub count: Option<u32>,"));
//! assert!(output.files.contains_key("inventory-client/src/runtime.rs"));
//!
//! // Bad input is a located error, never a panic.
//! config.field_type("Item", "colour", "u8");
//! let problems = codegen::generate_with_config(&inputs, &config).unwrap_err();
//! assert!(problems.to_string().contains("`Item` has no field `colour`"));
//! # Ok::<(), codegen::Diagnostics>(())
//! ```

#![deny(missing_docs)]

pub mod config;
mod corrections;
mod diagnostics;
pub mod dump;
mod emit;
mod frontend;
mod ident;
pub mod import;
pub mod ir;
mod lock;
mod lower;
pub mod modules;
mod parallel;
mod render;
pub mod surface;
#[cfg(feature = "write")]
pub mod write;

use std::collections::BTreeMap;

pub use config::{parse_config, Config, CONFIG_FILE};
pub use corrections::CORRECTIONS_FILE;
pub use diagnostics::{Diagnostic, Diagnostics, Location};
pub use emit::conformance::conformance_crate_name;
pub use lock::LOCK_FILE;
pub use render::is_generated;

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
    /// The text of `corrections.toml`, if there is one: patches to the endpoint files where the
    /// published pages describe the API wrongly.
    pub corrections: Option<String>,
    /// The command the generated files name as the one that regenerates them, unless the
    /// configuration's `regenerate` names one (the `codegen` command passes its command line).
    pub regenerate: Option<String>,
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
    generate_with_config(inputs, &resolve_config(inputs)?)
}

/// The configuration `inputs` give: their `codegen.toml`, with the caller's regenerate command
/// where it names none.
pub fn resolve_config(inputs: &Inputs) -> Result<Config, Diagnostics> {
    let mut config = match &inputs.config {
        Some(text) => parse_config(text)?,
        None => Config::default(),
    };
    if config.regenerate.is_none() {
        config.regenerate.clone_from(&inputs.regenerate);
    }
    Ok(config)
}

/// [`generate`] with an already resolved configuration; `inputs.config` is not read. One line
/// per phase; each stops the pipeline with every problem it found.
pub fn generate_with_config(inputs: &Inputs, config: &Config) -> Result<Output, Diagnostics> {
    let mut problems = Diagnostics::default();
    config::check(config, &mut problems);
    problems.finish(())?;
    let (api, new_lock) = model(inputs, config)?;
    let files = emit_and_render(&api)?;
    let lock = lock::render_lock(&new_lock, &api.regenerate);
    Ok(Output { files, api, lock })
}

/// Parse and lower: the model of `inputs` and the new lock.
pub(crate) fn model(
    inputs: &Inputs,
    config: &Config,
) -> Result<(ir::Api, lock::Lock), Diagnostics> {
    // The lock is read on a thread of its own while the inputs are parsed.
    let (lock, parsed) = parallel::join(
        || match &inputs.lock {
            Some(text) => lock::parse_lock(text),
            None => Ok(lock::Lock::default()),
        },
        || parse_inputs(inputs),
    );
    let lock = lock?;
    lower_parsed(&parsed?, config, &lock)
}

/// Lower: the model of what the inputs describe, with what OpenAPI documents say beside their
/// operations (notes, credentials), and the new lock.
fn lower_parsed(
    parsed: &Parsed,
    config: &Config,
    lock: &lock::Lock,
) -> Result<(ir::Api, lock::Lock), Diagnostics> {
    let config = with_document_facts(config, &parsed.facts);
    let (mut api, lock) = lower::lower_api(&parsed.endpoints, &parsed.recursive, &config, lock)?;
    api.notes.extend(parsed.facts.notes.iter().cloned());
    api.conventions.credentials = credentials(&parsed.facts.schemes);
    api.conventions.server.clone_from(&parsed.facts.server);
    Ok((api, lock))
}

/// What the inputs describe: endpoints, and what OpenAPI documents say about auth and servers.
pub(crate) struct Parsed {
    endpoints: Vec<frontend::Endpoint>,
    facts: frontend::openapi::Facts,
    /// The recursive components of the OpenAPI documents, by name.
    recursive: BTreeMap<String, frontend::Schema>,
}

/// Parse: every input file in path order (an endpoint file with its corrections applied, or an
/// OpenAPI document), with all problems of all files at once.
fn parse_inputs(inputs: &Inputs) -> Result<Parsed, Diagnostics> {
    let corrections = match &inputs.corrections {
        Some(text) => corrections::parse_corrections(text)?,
        None => corrections::Corrections::default(),
    };
    let mut sorted: Vec<&(String, Vec<u8>)> = inputs.schemas.iter().collect();
    sorted.sort_by(|left, right| left.0.cmp(&right.0));
    let mut parsed = Parsed {
        endpoints: Vec::new(),
        facts: frontend::openapi::Facts::default(),
        recursive: BTreeMap::new(),
    };
    let mut problems = Diagnostics::default();
    corrections.check_files_exist(sorted.iter().map(|(path, _)| path.as_str()), &mut problems);
    // Each file is parsed on its own, on every core; the results are merged in path order.
    let files = parallel::map(&sorted, 32, |(path, text)| {
        if frontend::openapi::is_openapi(path, text) {
            ParsedFile::Document(frontend::openapi::parse_document(path, text))
        } else {
            ParsedFile::Endpoint(frontend::parse_corrected_endpoint(path, text, &corrections))
        }
    });
    for file in files {
        match file {
            ParsedFile::Document(result) => match result {
                Ok(document) => {
                    parsed.endpoints.extend(document.endpoints);
                    for (name, schema) in document.recursive {
                        parsed.recursive.entry(name).or_insert(schema);
                    }
                    parsed.facts.bearer |= document.facts.bearer;
                    for scheme in document.facts.schemes {
                        if !parsed
                            .facts
                            .schemes
                            .iter()
                            .any(|seen| seen.name == scheme.name)
                        {
                            parsed.facts.schemes.push(scheme);
                        }
                    }
                    parsed.facts.notes.extend(document.facts.notes);
                    if parsed.facts.error_fields.is_none() {
                        parsed.facts.error_fields = document.facts.error_fields;
                    }
                    if parsed.facts.title.is_none() {
                        parsed.facts.title = document.facts.title;
                    }
                    if parsed.facts.server.is_none() {
                        parsed.facts.server = document.facts.server;
                    }
                }
                Err(found) => problems.extend(found),
            },
            ParsedFile::Endpoint(result) => match result {
                Ok(endpoint) => parsed.endpoints.push(endpoint),
                Err(found) => problems.extend(found),
            },
        }
    }
    problems.finish(parsed)
}

/// One input file parsed: an OpenAPI document or an endpoint file.
enum ParsedFile {
    Document(Result<frontend::openapi::Document, Diagnostics>),
    Endpoint(Result<frontend::Endpoint, Diagnostics>),
}

/// The credentials of the documents' security schemes, each with its client setter.
fn credentials(schemes: &[frontend::openapi::SecurityScheme]) -> Vec<ir::Credential> {
    let mut taken = Vec::new();
    schemes
        .iter()
        .map(|scheme| ir::Credential {
            scheme: scheme.name.clone(),
            setter: ident::credential_setter(&scheme.name, &mut taken),
            doc: scheme.description.clone(),
            kind: scheme.kind.clone(),
        })
        .collect()
}

/// The configuration with what an OpenAPI document says where the configuration says nothing
/// else: the API's name (from its title), bearer authentication, the error object its error
/// responses describe, and the first server as the examples' base URL.
fn with_document_facts(config: &Config, facts: &frontend::openapi::Facts) -> Config {
    let mut config = config.clone();
    // Crates named after the document (`swagger-petstore-models`) unless a name is configured.
    if config.api == Config::default().api {
        if let Some(name) = facts.title.as_deref().and_then(ident::api_name) {
            config.api = name;
        }
    }
    if facts.bearer {
        config.conventions.auth = config::AuthChoice::Bearer;
    }
    if config.conventions.error_fields.is_none() {
        config
            .conventions
            .error_fields
            .clone_from(&facts.error_fields);
    }
    if let Some(server) = &facts.server {
        if config.conventions.example_url == config::default_example_url() {
            config.conventions.example_url.clone_from(server);
        }
    }
    config
}

/// What the emitters produce: Rust token streams still to be formatted, and finished text files.
#[doc(hidden)]
pub struct Emitted {
    /// The command the files name as the one that regenerates them.
    pub regenerate: String,
    /// `src/lib.rs` of each crate, as tokens.
    pub rust: Vec<(String, proc_macro2::TokenStream)>,
    /// Manifests and the OpenAPI document, as text.
    pub text: BTreeMap<String, String>,
}

/// Emit: every crate of the model the configuration asks for, and the OpenAPI document.
fn emit_all(api: &ir::Api) -> Result<Emitted, Diagnostics> {
    let mut text = emit_all_text(api);
    let mut rust = Vec::new();
    let mut problems = Diagnostics::default();
    for (path, parts) in crate_parts(api) {
        match parts.whole() {
            Ok(source) => {
                let (runtime, contents) = runtime_file(&path, &source.runtime, &api.regenerate);
                text.insert(runtime, contents);
                rust.push((path, source.lib));
            }
            Err(error) => internal_error(&mut problems, &path, &error),
        }
    }
    problems.finish(Emitted {
        regenerate: api.regenerate.clone(),
        rust,
        text,
    })
}

/// The runtime file of the crate whose `src/lib.rs` is at `lib_path`: its path and contents.
fn runtime_file(lib_path: &str, runtime: &str, command: &str) -> (String, String) {
    (
        format!("{}runtime.rs", lib_path.trim_end_matches("lib.rs")),
        render::render_rust_text(runtime, command),
    )
}

/// The text files: each emitted crate's manifest and readme, and the OpenAPI document (in the
/// server crate, which serves it).
fn emit_all_text(api: &ir::Api) -> BTreeMap<String, String> {
    let [models, client, server] = ["models", "client", "server"].map(|part| api.crate_name(part));
    let mut text = BTreeMap::new();
    let manifests = [
        (
            &models,
            "models",
            emit::models::emit_models_manifest(api, &models),
        ),
        (&client, "client", emit::client::emit_client_manifest(api)),
        (&server, "server", emit::server::emit_server_manifest(api)),
    ];
    for (dir, part, manifest) in manifests {
        if !api.emits(part) {
            continue;
        }
        text.insert(
            format!("{dir}/Cargo.toml"),
            render::render_toml(&manifest, &api.regenerate),
        );
        text.insert(
            format!("{dir}/README.md"),
            render::render_markdown(&emit::groups::crate_readme(api, part), &api.regenerate),
        );
    }
    if api.emits("server") {
        text.insert(
            format!("{server}/openapi.json"),
            emit::openapi::emit_openapi(api),
        );
    }
    text
}

/// The conformance crate for `api`, keyed by path: a reference implementation of the server trait
/// that answers every operation with an example value, and a driver that calls every operation
/// through the client (`cargo xtask conformance`). It lives outside `generated/`, so `generated`
/// is the path from the crate's folder to the folder that holds the models, client and server
/// crates.
pub fn conformance_crate(
    api: &ir::Api,
    generated: &str,
) -> Result<BTreeMap<String, String>, Diagnostics> {
    let name = emit::conformance::conformance_crate_name(api);
    let mut text = BTreeMap::new();
    text.insert(
        format!("{name}/Cargo.toml"),
        render::render_toml(
            &emit::conformance::emit_conformance_manifest(api, generated),
            &api.regenerate,
        ),
    );
    render_all(Emitted {
        regenerate: api.regenerate.clone(),
        text,
        rust: vec![
            (
                format!("{name}/src/lib.rs"),
                emit::conformance::emit_conformance(api),
            ),
            (
                format!("{name}/src/main.rs"),
                emit::conformance::emit_conformance_main(api),
            ),
        ],
    })
}

/// Render: format the Rust files with prettyplease and stamp them.
fn render_all(emitted: Emitted) -> Result<BTreeMap<String, String>, Diagnostics> {
    let mut files = emitted.text;
    let mut problems = Diagnostics::default();
    for (path, tokens) in emitted.rust {
        match render_file(&path, tokens, &emitted.regenerate) {
            Ok(rendered) => files.extend(rendered),
            Err(error) => internal_error(&mut problems, &path, &error),
        }
    }
    problems.finish(files)
}

/// Rendered files: path and contents.
type RenderedFiles = Vec<(String, String)>;

/// One emitted Rust file: a crate's `src/lib.rs` is split into `lib.rs` and a file per
/// top-level module ([`render::render_crate`]); any other file is rendered whole.
fn render_file(
    path: &str,
    tokens: proc_macro2::TokenStream,
    command: &str,
) -> syn::Result<RenderedFiles> {
    match path.strip_suffix("lib.rs") {
        Some(dir) => Ok(render::render_crate(tokens, command)?
            .into_iter()
            .map(|(name, text)| (format!("{dir}{name}"), text))
            .collect()),
        None => Ok(vec![(
            path.to_owned(),
            render::render_rust(tokens, command)?,
        )]),
    }
}

/// A crate's emitter: its source in parts.
type PartsOf = fn(&ir::Api) -> emit::CrateParts<'_>;

/// Each crate the configuration asks for, in parts: the path of its `src/lib.rs` and its parts.
fn crate_parts(api: &ir::Api) -> Vec<(String, emit::CrateParts<'_>)> {
    let crates: [(&str, PartsOf); 3] = [
        ("models", emit::models::models_parts),
        ("client", emit::client::client_parts),
        ("server", emit::server::server_parts),
    ];
    crates
        .into_iter()
        .filter(|(part, _)| api.emits(part))
        .map(|(part, parts)| (format!("{}/src/lib.rs", api.crate_name(part)), parts(api)))
        .collect()
}

/// A piece of [`emit_and_render`]'s work.
enum Job {
    /// The manifests, readmes and the OpenAPI document.
    Text,
    /// A crate's head (by index), which also gives its runtime.
    Head(usize),
    /// A part of a crate: crate index, part index.
    Part(usize, usize),
}

/// What a [`Job`] made.
enum Done {
    Text(BTreeMap<String, String>),
    Head(Result<(render::FinishedPart, String), String>),
    Part(Result<render::FinishedPart, String>),
}

/// Emit and render on every core: what [`emit_all`] then [`render_all`] do, with the crates cut
/// into parts (a crate's head, runs of models, each group's module) that idle threads take,
/// heaviest first, so that the cores finish together. A part is emitted where it is rendered,
/// since token streams cannot move between threads, and finished there (spaced, its module
/// files stamped), leaving only the joins to the end. Results are placed by job, so the order
/// in which threads finish cannot show in the output.
pub(crate) fn emit_and_render(api: &ir::Api) -> Result<BTreeMap<String, String>, Diagnostics> {
    let crates = crate_parts(api);
    let mut jobs: Vec<(usize, Job)> = vec![(api.operations.len() * 20, Job::Text)];
    for (index, (_, parts)) in crates.iter().enumerate() {
        jobs.push((0, Job::Head(index)));
        for (part, (weight, _)) in parts.parts.iter().enumerate() {
            jobs.push((*weight, Job::Part(index, part)));
        }
    }
    // Heaviest first (a stable sort: equal weights keep their order).
    jobs.sort_by_key(|(weight, _)| std::cmp::Reverse(*weight));
    let run = |job: &Job| -> Done {
        match job {
            Job::Text => Done::Text(emit_all_text(api)),
            Job::Head(index) => Done::Head(
                (crates[*index].1.head)()
                    .and_then(|source| {
                        let part = render::render_part(source.lib)?;
                        Ok((part.finish(&api.regenerate), source.runtime))
                    })
                    .map_err(|error| error.to_string()),
            ),
            Job::Part(index, part) => Done::Part(
                render::render_chunks((crates[*index].1.parts[*part].1)(emit::Form::Printed))
                    .map(|part| part.finish(&api.regenerate))
                    .map_err(|error| error.to_string()),
            ),
        }
    };
    let results = parallel::pool(&jobs, |(_, job)| run(job));
    let mut problems = Diagnostics::default();
    // Each crate's head and parts, in order, then joined.
    let mut files = BTreeMap::new();
    let mut heads: Vec<Option<(render::FinishedPart, String)>> =
        crates.iter().map(|_| None).collect();
    let mut parts: Vec<Vec<Option<render::FinishedPart>>> = crates
        .iter()
        .map(|(_, parts)| parts.parts.iter().map(|_| None).collect())
        .collect();
    for (job, result) in jobs.iter().zip(results) {
        let path = match job {
            (_, Job::Head(index) | Job::Part(index, _)) => crates[*index].0.as_str(),
            (_, Job::Text) => "",
        };
        match (&job.1, result) {
            (Job::Text, Some(Done::Text(text))) => files.extend(text),
            (Job::Head(index), Some(Done::Head(Ok(head)))) => heads[*index] = Some(head),
            (Job::Part(index, part), Some(Done::Part(Ok(rendered)))) => {
                parts[*index][*part] = Some(rendered);
            }
            (_, Some(Done::Head(Err(error)) | Done::Part(Err(error)))) => {
                internal_error(&mut problems, path, &error);
            }
            (_, None) => internal_error(&mut problems, path, &"the emitter panicked"),
            // A result of another kind than its job's: none is.
            _ => {}
        }
    }
    problems.finish(())?;
    for (((path, _), head), parts) in crates.iter().zip(heads).zip(parts) {
        let (Some((head, runtime)), Some(parts)) =
            (head, parts.into_iter().collect::<Option<Vec<_>>>())
        else {
            continue;
        };
        let dir = path.trim_end_matches("lib.rs");
        let rendered = render::join(
            std::iter::once(head).chain(parts).collect(),
            &api.regenerate,
        );
        files.extend(
            rendered
                .into_iter()
                .map(|(name, text)| (format!("{dir}{name}"), text)),
        );
        let (runtime_path, contents) = runtime_file(path, &runtime, &api.regenerate);
        files.insert(runtime_path, contents);
    }
    Ok(files)
}

/// The generator's phases one by one, for the benchmark (`benches/phases.rs`) that times each;
/// not part of the supported interface ([`generate`] runs them all).
#[doc(hidden)]
pub mod phases {
    use super::{ir, Config, Diagnostics, Emitted, Inputs};

    /// An opaque parse result.
    pub struct Parsed(super::Parsed);

    /// Parse every input file.
    pub fn parse(inputs: &Inputs) -> Result<Parsed, Diagnostics> {
        super::parse_inputs(inputs).map(Parsed)
    }

    /// Deduplicate and name, without a lock.
    pub fn lower(parsed: &Parsed, config: &Config) -> Result<ir::Api, Diagnostics> {
        super::lower_parsed(&parsed.0, config, &crate::lock::Lock::default()).map(|(api, _)| api)
    }

    /// Emit token streams and text.
    pub fn emit(api: &ir::Api) -> Result<Emitted, Diagnostics> {
        super::emit_all(api)
    }

    /// Format and stamp.
    pub fn render(
        emitted: Emitted,
    ) -> Result<std::collections::BTreeMap<String, String>, Diagnostics> {
        super::render_all(emitted)
    }
}

/// A template or an emitter produced tokens that do not parse: a bug of ours, reported.
pub(crate) fn internal_error(
    problems: &mut Diagnostics,
    path: &str,
    error: &dyn std::fmt::Display,
) {
    problems.error(
        &Location::root(path),
        format!("internal error: the generator emitted invalid Rust: {error}"),
        "this is a bug in the generator; please report it with the input",
    );
}
