//! A little Rust syntax for the functions the emitters write: built once, then turned into
//! tokens (for prettyplease, and for module mode, which reworks the syntax tree) or laid out
//! directly as prettyplease lays out those tokens ([`super::layout`]), so that the two cannot
//! say different things. It holds what the server's handlers and routes are made of; anything
//! else is [`Expr::Tokens`], which only tokens can spell, and a function holding any is left to
//! prettyplease.

use std::borrow::Cow;

use proc_macro2::TokenStream;
use quote::quote;

use super::layout::{string_literal, Layout, Ty};
use super::types::ident;

/// An expression.
#[derive(Clone)]
pub enum Expr<'a> {
    /// A path (`api`, `super::respond`, `StatusCode::OK`).
    Path(Cow<'a, str>),
    /// A path with generic arguments (`handle_get::<A>`).
    Turbofish(Cow<'a, str>, Vec<Ty<'a>>),
    /// A string literal, by its value.
    Str(Cow<'a, str>),
    /// `function(arguments)`.
    Call(Box<Expr<'a>>, Vec<Expr<'a>>),
    /// `receiver.method(arguments)`.
    Method(Box<Expr<'a>>, Cow<'a, str>, Vec<Expr<'a>>),
    /// `base.member` (`query.0`).
    Field(Box<Expr<'a>>, Cow<'a, str>),
    /// `expression?`.
    Try(Box<Expr<'a>>),
    /// `expression.await`.
    Await(Box<Expr<'a>>),
    /// `&expression`.
    Ref(Box<Expr<'a>>),
    /// `(expressions)`.
    Tuple(Vec<Expr<'a>>),
    /// `|patterns| body`.
    Closure(Vec<Pat<'a>>, Box<Expr<'a>>),
    /// Anything else, as tokens.
    Tokens(TokenStream),
}

/// A pattern.
#[derive(Clone)]
pub enum Pat<'a> {
    /// A binding.
    Ident(Cow<'a, str>),
    /// `Path(patterns)`.
    TupleStruct(Cow<'a, str>, Vec<Pat<'a>>),
    /// `(patterns,)`, written with a trailing comma.
    Tuple(Vec<Pat<'a>>),
    /// `pattern: Type`.
    Typed(Box<Pat<'a>>, Ty<'a>),
}

/// A statement of a function's body.
pub enum Stmt<'a> {
    /// `let pattern = expression;`.
    Let(Pat<'a>, Expr<'a>),
    /// The expression the body ends with.
    Tail(Expr<'a>),
}

/// A function item.
pub struct Function<'a> {
    /// Documentation lines, each the value of its `#[doc]`.
    pub doc: Vec<Cow<'a, str>>,
    /// Other outer attributes, each as its text (`#[allow(clippy::type_complexity)]`).
    pub attrs: Vec<&'static str>,
    /// `pub(crate) ` or nothing.
    pub vis: &'static str,
    pub is_async: bool,
    /// Whether it takes `&self` first.
    pub receiver: bool,
    pub name: Cow<'a, str>,
    /// One type parameter and its bound (`A: Group`).
    pub generic: Option<(&'static str, Cow<'a, str>)>,
    pub params: Vec<(Pat<'a>, Ty<'a>)>,
    pub output: Ty<'a>,
    pub body: Vec<Stmt<'a>>,
}

/// A path's tokens.
fn path_tokens(path: &str) -> TokenStream {
    let segments = path.split("::").map(ident);
    quote! { #(#segments)::* }
}

/// Shorthands for building expressions.
pub fn path<'a>(text: impl Into<Cow<'a, str>>) -> Expr<'a> {
    Expr::Path(text.into())
}

/// `function(arguments)` of a path.
pub fn call<'a>(function: impl Into<Cow<'a, str>>, arguments: Vec<Expr<'a>>) -> Expr<'a> {
    Expr::Call(Box::new(path(function)), arguments)
}

/// `receiver.method(arguments)`.
pub fn method<'a>(
    receiver: Expr<'a>,
    name: impl Into<Cow<'a, str>>,
    arguments: Vec<Expr<'a>>,
) -> Expr<'a> {
    Expr::Method(Box::new(receiver), name.into(), arguments)
}

impl Expr<'_> {
    /// As tokens.
    pub fn to_tokens(&self) -> TokenStream {
        match self {
            Expr::Path(text) => path_tokens(text),
            Expr::Turbofish(text, arguments) => {
                let head = path_tokens(text);
                let arguments = arguments.iter().map(Ty::to_tokens);
                quote! { #head::<#(#arguments),*> }
            }
            Expr::Str(value) => {
                let literal = proc_macro2::Literal::string(value);
                quote! { #literal }
            }
            Expr::Call(function, arguments) => {
                let function = function.to_tokens();
                let arguments = arguments.iter().map(Expr::to_tokens);
                quote! { #function(#(#arguments),*) }
            }
            Expr::Method(receiver, name, arguments) => {
                let receiver = receiver.to_tokens();
                let name = ident(name);
                let arguments = arguments.iter().map(Expr::to_tokens);
                quote! { #receiver.#name(#(#arguments),*) }
            }
            Expr::Field(base, member) => {
                let base = base.to_tokens();
                match member.parse::<usize>() {
                    Ok(index) => {
                        let index = proc_macro2::Literal::usize_unsuffixed(index);
                        quote! { #base.#index }
                    }
                    Err(_) => {
                        let member = ident(member);
                        quote! { #base.#member }
                    }
                }
            }
            Expr::Try(inner) => {
                let inner = inner.to_tokens();
                quote! { #inner? }
            }
            Expr::Await(inner) => {
                let inner = inner.to_tokens();
                quote! { #inner.await }
            }
            Expr::Ref(inner) => {
                let inner = inner.to_tokens();
                quote! { &#inner }
            }
            Expr::Tuple(elements) => {
                let one = (elements.len() == 1).then(|| quote! { , });
                let elements = elements.iter().map(Expr::to_tokens);
                quote! { (#(#elements),* #one) }
            }
            Expr::Closure(patterns, body) => {
                let patterns = patterns.iter().map(Pat::to_tokens);
                let body = body.to_tokens();
                quote! { |#(#patterns),*| #body }
            }
            Expr::Tokens(tokens) => tokens.clone(),
        }
    }

    /// Laid out as prettyplease lays out the expression inside another (`expr`).
    fn lay_out(&self, layout: &mut Layout) -> Option<()> {
        match self {
            Expr::Path(text) => layout.word(text),
            Expr::Turbofish(text, arguments) => {
                layout.word(text);
                layout.word("::");
                layout.try_list(
                    "<",
                    arguments.len(),
                    |layout, index| arguments[index].lay_out(layout),
                    ">",
                )?;
            }
            Expr::Str(value) => layout.word(&string_literal(value)?),
            Expr::Call(function, arguments) => {
                function.lay_out_at_start(layout, false)?;
                call_arguments(layout, arguments)?;
            }
            Expr::Ref(inner) => {
                layout.word("&");
                inner.lay_out(layout)?;
            }
            Expr::Method(..) | Expr::Field(..) | Expr::Try(_) | Expr::Await(_) => {
                self.lay_out_at_start(layout, false)?;
            }
            Expr::Tuple(elements) => {
                layout.tuple(elements.len(), |layout, index| {
                    elements[index].lay_out(layout)
                })?;
            }
            Expr::Closure(patterns, body) => {
                layout.ibox(0);
                layout.cbox(4);
                layout.word("|");
                for (index, pattern) in patterns.iter().enumerate() {
                    if index == 0 {
                        layout.zerobreak();
                    }
                    pattern.lay_out(layout)?;
                    if index + 1 < patterns.len() {
                        layout.word(",");
                        layout.space();
                    }
                }
                layout.word("|");
                layout.space();
                layout.offset(-4);
                layout.end();
                layout.neverbreak();
                if body.is_blocklike() {
                    body.lay_out(layout)?;
                } else {
                    // Every body here can be a statement: braces where it wraps.
                    layout.cbox(4);
                    layout.wrapping_break(Some('{'), "", 0);
                    body.lay_out(layout)?;
                    layout.wrapping_break(None, "}", -4);
                    layout.end();
                }
                layout.end();
            }
            Expr::Tokens(_) => return None,
        }
        Some(())
    }

    /// prettyplease's `expr_beginning_of_line`: a chain of calls, fields, `?` and `.await`
    /// boxed so that it breaks before its dots.
    fn lay_out_at_start(&self, layout: &mut Layout, start: bool) -> Option<()> {
        match self {
            Expr::Method(receiver, ..) => {
                layout.cbox(4);
                self.chain_link(layout, start, start && receiver.is_short())?;
                layout.end();
            }
            Expr::Field(..) | Expr::Await(_) => {
                layout.cbox(4);
                self.chain_link(layout, start, false)?;
                layout.end();
            }
            Expr::Try(inner) => {
                inner.lay_out_at_start(layout, start)?;
                layout.word("?");
            }
            _ => self.lay_out(layout)?,
        }
        Some(())
    }

    /// prettyplease's `prefix_subexpr` (and its `prefix_subexpr_*` for links of a chain).
    fn chain_link(&self, layout: &mut Layout, start: bool, unindent: bool) -> Option<()> {
        match self {
            Expr::Method(receiver, name, arguments) => {
                receiver.prefix(layout, start)?;
                if !(start && receiver.is_short()) {
                    layout.zerobreak();
                }
                layout.word(".");
                layout.word(name);
                layout.cbox(if unindent { -4 } else { 0 });
                call_arguments(layout, arguments)?;
                layout.end();
            }
            Expr::Field(base, member) => {
                base.prefix(layout, start)?;
                if !(start && base.is_short()) {
                    layout.zerobreak();
                }
                layout.word(".");
                layout.word(member);
            }
            Expr::Await(base) => {
                base.prefix(layout, start)?;
                if !(start && base.is_short()) {
                    layout.zerobreak();
                }
                layout.word(".await");
            }
            Expr::Try(inner) => {
                inner.prefix(layout, start)?;
                layout.word("?");
            }
            Expr::Call(function, arguments) => {
                function.prefix(layout, false)?;
                call_arguments(layout, arguments)?;
            }
            _ => {
                layout.cbox(-4);
                self.lay_out(layout)?;
                layout.end();
            }
        }
        Some(())
    }

    /// The receiver of a link of a chain.
    fn prefix(&self, layout: &mut Layout, start: bool) -> Option<()> {
        self.chain_link(layout, start, false)
    }

    /// Whether a call taking it alone lays it out without a box of its own (prettyplease's
    /// `is_blocklike`, for these expressions).
    fn is_blocklike(&self) -> bool {
        matches!(self, Expr::Tuple(_) | Expr::Closure(..))
    }

    /// A path of one identifier of at most four characters (`api`, `self`), which a chain at the
    /// start of a line does not break after.
    fn is_short(&self) -> bool {
        matches!(self, Expr::Path(text) if !text.contains("::") && text.len() <= 4)
    }
}

/// `(arguments)` of a call, as prettyplease's `call_args` lays them out (none of these
/// expressions is block-like).
fn call_arguments(layout: &mut Layout, arguments: &[Expr<'_>]) -> Option<()> {
    if let [argument] = arguments {
        if argument.is_blocklike() {
            layout.word("(");
            argument.lay_out(layout)?;
            layout.word(")");
            return Some(());
        }
    }
    layout.try_list(
        "(",
        arguments.len(),
        |layout, index| arguments[index].lay_out(layout),
        ")",
    )
}

impl Pat<'_> {
    fn to_tokens(&self) -> TokenStream {
        match self {
            Pat::Ident(name) => {
                let name = ident(name);
                quote! { #name }
            }
            Pat::TupleStruct(text, elements) => {
                let head = path_tokens(text);
                let elements = elements.iter().map(Pat::to_tokens);
                quote! { #head(#(#elements),*) }
            }
            Pat::Tuple(elements) => {
                let elements = elements.iter().map(Pat::to_tokens);
                quote! { (#(#elements,)*) }
            }
            Pat::Typed(pattern, ty) => {
                let pattern = pattern.to_tokens();
                let ty = ty.to_tokens();
                quote! { #pattern: #ty }
            }
        }
    }

    fn lay_out(&self, layout: &mut Layout) -> Option<()> {
        match self {
            Pat::Ident(name) => layout.word(name),
            Pat::TupleStruct(text, elements) => {
                layout.word(text);
                layout.try_list(
                    "(",
                    elements.len(),
                    |layout, index| elements[index].lay_out(layout),
                    ")",
                )?;
            }
            // Written with a trailing comma, which a lone element keeps.
            Pat::Tuple(elements) => {
                layout.tuple(elements.len(), |layout, index| {
                    elements[index].lay_out(layout)
                })?;
            }
            Pat::Typed(pattern, ty) => {
                pattern.lay_out(layout)?;
                layout.word(": ");
                ty.lay_out(layout)?;
            }
        }
        Some(())
    }
}

impl Function<'_> {
    /// As tokens.
    pub fn to_tokens(&self) -> TokenStream {
        let doc = self.doc.iter().map(|line| super::docs::literal(line));
        let attrs = self
            .attrs
            .iter()
            .map(|attr| attr.parse::<TokenStream>().unwrap_or_default());
        let vis = self.vis.parse::<TokenStream>().unwrap_or_default();
        let asyncness = self.is_async.then(|| quote! { async });
        let name = ident(&self.name);
        let generic = self.generic.as_ref().map(|(parameter, bound)| {
            let parameter = ident(parameter);
            let bound = path_tokens(bound);
            quote! { <#parameter: #bound> }
        });
        let receiver = self.receiver.then(|| quote! { &self, });
        let params = self.params.iter().map(|(pattern, ty)| {
            let pattern = pattern.to_tokens();
            let ty = ty.to_tokens();
            quote! { #pattern: #ty }
        });
        let output = self.output.to_tokens();
        let body = self.body.iter().map(|stmt| match stmt {
            Stmt::Let(pattern, init) => {
                let pattern = pattern.to_tokens();
                let init = init.to_tokens();
                quote! { let #pattern = #init; }
            }
            Stmt::Tail(expr) => expr.to_tokens(),
        });
        quote! {
            #( #[doc = #doc] )*
            #(#attrs)*
            #vis #asyncness fn #name #generic(#receiver #(#params),*) -> #output {
                #(#body)*
            }
        }
    }

    /// Printed as an item at the start of a line as prettyplease prints [`Self::to_tokens`];
    /// `None` where it holds tokens or a line prettyplease would print otherwise.
    pub fn print(&self) -> Option<String> {
        let mut layout = Layout::default();
        layout.cbox(0);
        self.lay_out(&mut layout)?;
        layout.end();
        Some(layout.finish())
    }

    /// Laid out as prettyplease lays out an item or an `impl`'s method.
    pub fn lay_out(&self, layout: &mut Layout) -> Option<()> {
        for line in &self.doc {
            if line.starts_with('/') || line.contains(|c: char| c.is_control() && c != '\t') {
                return None;
            }
            layout.word("///");
            layout.word(line.trim_end_matches(' '));
            layout.hardbreak();
        }
        for attr in &self.attrs {
            layout.word(attr);
            layout.space();
        }
        layout.cbox(4);
        layout.word(self.vis);
        if self.is_async {
            layout.word("async ");
        }
        layout.word("fn ");
        layout.word(&self.name);
        if let Some((parameter, bound)) = &self.generic {
            layout.word("<");
            layout.cbox(0);
            layout.zerobreak();
            layout.word(parameter);
            layout.ibox(4);
            layout.word(": ");
            layout.word(bound);
            layout.end();
            layout.trailing_comma(true);
            layout.offset(-4);
            layout.end();
            layout.word(">");
        }
        layout.word("(");
        layout.neverbreak();
        layout.cbox(0);
        layout.zerobreak();
        if self.receiver {
            layout.word("&self");
            layout.trailing_comma(self.params.is_empty());
        }
        for (index, (pattern, ty)) in self.params.iter().enumerate() {
            pattern.lay_out(layout)?;
            layout.word(": ");
            ty.lay_out(layout)?;
            layout.trailing_comma(index + 1 == self.params.len());
        }
        layout.offset(-4);
        layout.end();
        layout.word(")");
        layout.cbox(-4);
        layout.word(" -> ");
        self.output.lay_out(layout)?;
        layout.end();
        layout.word(" {");
        layout.hardbreak_if_nonempty();
        for stmt in &self.body {
            match stmt {
                Stmt::Let(pattern, init) => {
                    layout.ibox(0);
                    layout.word("let ");
                    pattern.lay_out(layout)?;
                    layout.word(" = ");
                    layout.neverbreak();
                    init.lay_out(layout)?;
                    layout.end();
                    layout.word(";");
                    layout.hardbreak();
                }
                Stmt::Tail(expr) => {
                    layout.ibox(0);
                    expr.lay_out_at_start(layout, true)?;
                    layout.end();
                    layout.hardbreak();
                }
            }
        }
        layout.offset(-4);
        layout.end();
        layout.word("}");
        layout.hardbreak();
        Some(())
    }
}
