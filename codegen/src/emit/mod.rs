//! Emitters: each reads the [`crate::ir::Api`] and returns token streams or manifest text. They
//! never see JSON and never touch the filesystem.

pub mod client;
pub mod conformance;
pub mod docs;
pub mod groups;
pub mod models;
pub mod openapi;
mod pattern;
pub mod server;
pub mod template;
pub mod types;

/// What a crate emitter produces: `src/lib.rs` as tokens (declaring `mod runtime`), and the
/// runtime's text, written as it is as `src/runtime.rs`.
pub struct CrateSource {
    /// `src/lib.rs`.
    pub lib: proc_macro2::TokenStream,
    /// `src/runtime.rs`: hand-formatted, expanded from the crate's template.
    pub runtime: String,
}
