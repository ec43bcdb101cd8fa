//! Emitters: each reads the [`crate::ir::Api`] and returns token streams, Rust it printed
//! itself as prettyplease would print those tokens ([`Chunk`]), or manifest text. They never see
//! JSON and never touch the filesystem.

pub mod client;
pub mod conformance;
pub mod docs;
pub mod groups;
pub mod json;
mod layout;
pub mod models;
pub mod openapi;
mod pattern;
pub mod server;
mod syntax;
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
/// threads): its weight, a rough measure of its work to balance the threads, and its maker,
/// which makes it in the [`Form`] asked for.
pub type Part<'a> = (usize, Box<dyn Fn(Form) -> Vec<Chunk> + Send + Sync + 'a>);

/// How a part is wanted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// Items the emitter can print itself as prettyplease would (see [`Printed`]) come printed;
    /// the rest as tokens. What `generate` asks for.
    Printed,
    /// Every item as tokens: for callers that rework the syntax tree, and the test that holds
    /// the printed items to prettyplease's printing of their tokens.
    Tokens,
}

/// A run of a part's items: tokens, or printed.
pub enum Chunk {
    /// Items to parse and print with prettyplease.
    Tokens(proc_macro2::TokenStream),
    /// Items already printed.
    Printed(Printed),
    /// An inline module (`mod name { .. }`), which rendering turns into a file of its own: its
    /// attributes and inner documentation as tokens of the module with no items, and its
    /// items.
    Module {
        /// `#[cfg(..)] pub mod name { #![doc = ..] }`.
        head: proc_macro2::TokenStream,
        /// What goes in it.
        items: Vec<Chunk>,
    },
}

/// Items an emitter printed itself, byte for byte as prettyplease prints their tokens (with the
/// feature gate shown, as rendering adds it): through [`layout`], which breaks lines as
/// prettyplease does, or line by line where no line can reach the margin. An emitter prints
/// only the syntax whose printing it knows and gives tokens for the rest. Each item ends with a
/// line break and no blank line, as prettyplease ends it.
pub struct Printed {
    /// The items' text.
    pub text: String,
    /// Whether an item is gated by a cargo feature.
    pub gated: bool,
}

/// The longest line (its line break aside) an emitter writes without [`layout`]:
/// prettyplease's margin, within which prettyplease prints a line that holds no more than
/// one list unwrapped (the tests hold 89 and 90 columns to it).
const FITS: usize = 89;

/// `Some` when `line` (with or without its line break) is at most [`FITS`] long.
pub fn fits(line: &str) -> Option<()> {
    (line.trim_end_matches('\n').len() <= FITS).then_some(())
}

/// The chunks of a part, adjacent runs of the same kind joined.
#[derive(Default)]
pub struct Chunks(Vec<Chunk>);

impl Chunks {
    /// Items as tokens, after the others.
    pub fn tokens(&mut self, tokens: proc_macro2::TokenStream) {
        match self.0.last_mut() {
            Some(Chunk::Tokens(last)) => last.extend(tokens),
            _ => self.0.push(Chunk::Tokens(tokens)),
        }
    }

    /// Printed items, after the others.
    pub fn printed(&mut self, printed: Printed) {
        match self.0.last_mut() {
            Some(Chunk::Printed(last)) => {
                last.text.push_str(&printed.text);
                last.gated |= printed.gated;
            }
            _ => self.0.push(Chunk::Printed(printed)),
        }
    }

    /// The chunks, in order.
    pub fn into_vec(self) -> Vec<Chunk> {
        self.0
    }
}

impl Chunk {
    /// An inline module behind `cfg` (a `#[cfg(..)]` or nothing) named `module`, documented by
    /// `doc` (a `#![doc]` line's value), holding `items`.
    pub fn module(
        cfg: &proc_macro2::TokenStream,
        module: &proc_macro2::Ident,
        doc: &str,
        items: Chunks,
    ) -> Chunk {
        Chunk::Module {
            head: quote::quote! {
                #cfg
                pub mod #module {
                    #![doc = #doc]
                }
            },
            items: items.into_vec(),
        }
    }
}

/// The tokens of chunks made in [`Form::Tokens`] (which holds no printed chunk).
fn only_tokens(chunks: Vec<Chunk>) -> proc_macro2::TokenStream {
    let mut res = proc_macro2::TokenStream::new();
    for chunk in chunks {
        match chunk {
            Chunk::Tokens(tokens) => res.extend(tokens),
            // Made in the printed form only.
            Chunk::Printed(_) | Chunk::Module { .. } => {}
        }
    }
    res
}

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
    /// The whole crate's source as tokens: the head's, with every part after it.
    pub fn whole(&self) -> syn::Result<CrateSource> {
        let mut source = (self.head)()?;
        for (_, part) in &self.parts {
            source.lib.extend(only_tokens(part(Form::Tokens)));
        }
        Ok(source)
    }
}

/// A crate whose `lib.rs` is a head and then a module per group (the client, the server): the
/// head from `head`, each group's module from `module`, weighted by its operations.
pub fn grouped_parts<'a>(
    api: &'a crate::ir::Api,
    head: fn(&crate::ir::Api) -> syn::Result<CrateSource>,
    module: fn(&crate::ir::Api, &crate::ir::Group, &[&crate::ir::Operation], Form) -> Chunk,
    lines_per_operation: usize,
) -> CrateParts<'a> {
    CrateParts {
        head: Box::new(move || head(api)),
        parts: groups::groups_with_operations(api)
            .into_iter()
            .map(|(group, operations)| -> Part<'a> {
                (
                    operations.len() * lines_per_operation,
                    Box::new(move |form| vec![module(api, group, &operations, form)]),
                )
            })
            .collect(),
    }
}

/// What the emitters' tests share.
#[cfg(test)]
pub(crate) mod test_support {
    use crate::ir::{Api, Group, Operation};

    use super::{Chunk, Form};

    /// The model of endpoint files, each given by its path and contents.
    pub fn api_of(files: Vec<(String, Vec<u8>)>) -> Api {
        let inputs = crate::Inputs {
            schemas: files,
            ..crate::Inputs::default()
        };
        crate::generate(&inputs)
            .unwrap_or_else(|problems| panic!("{problems}"))
            .api
    }

    /// The first group's module file as `generate` renders it (`emit` in [`Form::Printed`])
    /// and as prettyplease prints its tokens, and whether any of its items was printed.
    pub fn module_both_ways(
        api: &Api,
        emit: fn(&Api, &Group, &[&Operation], Form) -> Chunk,
    ) -> (String, String, bool) {
        let (group, operations) = super::groups::groups_with_operations(api).remove(0);
        let render = |form| {
            let chunk = emit(api, group, &operations, form);
            let printed = match &chunk {
                Chunk::Module { items, .. } => {
                    items.iter().any(|item| matches!(item, Chunk::Printed(_)))
                }
                _ => false,
            };
            let part = crate::render::render_chunks(vec![chunk]).unwrap();
            (
                crate::render::assemble(vec![part], "test").remove(1).1,
                printed,
            )
        };
        let ((printed_text, printed), (tokens_text, _)) =
            (render(Form::Printed), render(Form::Tokens));
        (printed_text, tokens_text, printed)
    }
}
