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

/// A part of a crate's `lib.rs`, made where it is rendered (token streams cannot move between
/// threads): its weight, a rough measure of its work to balance the threads, and its maker.
pub type Part<'a> = (
    usize,
    Box<dyn Fn() -> proc_macro2::TokenStream + Send + Sync + 'a>,
);

/// A crate's source in parts, so that its rendering spreads over the cores: the head (the
/// crate's attributes and first items, and the runtime), then runs of items or modules, in the
/// order they follow the head in `lib.rs`.
pub struct CrateParts<'a> {
    /// The crate's attributes and first items, and its runtime.
    pub head: Box<dyn Fn() -> syn::Result<CrateSource> + Send + Sync + 'a>,
    /// The rest of `lib.rs`, in order.
    pub parts: Vec<Part<'a>>,
}

impl CrateParts<'_> {
    /// The whole crate's source: the head's, with every part after it.
    pub fn whole(&self) -> syn::Result<CrateSource> {
        let mut source = (self.head)()?;
        for (_, part) in &self.parts {
            source.lib.extend(part());
        }
        Ok(source)
    }
}

/// A crate whose `lib.rs` is a head and then a module per group (the client, the server): the
/// head from `head`, each group's module from `module`, weighted by its operations.
pub fn grouped_parts<'a>(
    api: &'a crate::ir::Api,
    head: fn(&crate::ir::Api) -> syn::Result<CrateSource>,
    module: fn(
        &crate::ir::Api,
        &crate::ir::Group,
        &[&crate::ir::Operation],
    ) -> proc_macro2::TokenStream,
    lines_per_operation: usize,
) -> CrateParts<'a> {
    CrateParts {
        head: Box::new(move || head(api)),
        parts: groups::groups_with_operations(api)
            .into_iter()
            .map(|(group, operations)| -> Part<'a> {
                (
                    operations.len() * lines_per_operation,
                    Box::new(move || module(api, group, &operations)),
                )
            })
            .collect(),
    }
}
