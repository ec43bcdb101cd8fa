//! Line breaking for the items the emitters print themselves: Oppen's pretty-printing algorithm
//! (D. C. Oppen, "Prettyprinting", 1980) with the conventions prettyplease uses (the same
//! algorithm by way of rustc's `pp.rs`): a margin of 89 columns, consistent and inconsistent
//! boxes, breaks with an offset, and a box's size counted up to the next break after it. An
//! emitter that makes the same calls prettyplease makes for a piece of syntax gets the same
//! text, without building tokens, parsing them and walking a syntax tree; the tests hold the two
//! equal.

use std::collections::VecDeque;

/// Where prettyplease wraps.
const MARGIN: isize = 89;

/// The room every line gets, however deep it is indented.
const MIN_SPACE: isize = 60;

/// The size of a hard break: more than any line holds.
const INFINITY: isize = 0xffff;

/// How a box's breaks go when it does not fit on the line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Breaks {
    /// All of them break.
    Consistent,
    /// Only those whose text up to the next break does not fit.
    Inconsistent,
}

/// A place where a line may break.
#[derive(Clone, Copy, Default)]
struct Break {
    /// Added to the box's indentation on the new line.
    offset: isize,
    /// Spaces printed when it does not break.
    blank: usize,
    /// Printed before the line break when it breaks (a trailing comma).
    pre_break: Option<char>,
    /// Dropped when it ends its box.
    if_nonempty: bool,
    /// Never breaks.
    never_break: bool,
    /// Printed at the start of the new line when it breaks (a closing brace).
    post_break: &'static str,
}

/// What the emitter gave, waiting for its size.
enum Piece {
    /// Text, by its place in [`Layout::texts`].
    Text(std::ops::Range<usize>),
    Break(Break),
    Begin {
        offset: isize,
        breaks: Breaks,
    },
    End,
}

/// A buffered piece with its size, negative while not yet known.
struct Sized {
    piece: Piece,
    size: isize,
}

/// How an open box is printing.
#[derive(Clone, Copy)]
enum Frame {
    Fits,
    Broken { outer_indent: usize, breaks: Breaks },
}

/// Text laid out as prettyplease lays it out. Start every item at the beginning of a line
/// inside [`Layout::cbox`]`(0)`, as prettyplease prints a file's items, and end it with
/// [`Layout::hardbreak`].
pub struct Layout {
    out: String,
    /// Columns left on the current line.
    space: isize,
    /// Pieces given but not printed, the first at absolute index `first`.
    pending: VecDeque<Sized>,
    /// The text of the pending pieces, one after another (one buffer rather than a string
    /// each).
    texts: String,
    first: usize,
    /// The total size of the pieces printed, and of those given.
    left_total: isize,
    right_total: isize,
    /// Absolute indices of the pending begins, breaks and ends whose size is not known yet.
    open: VecDeque<usize>,
    frames: Vec<Frame>,
    indent: usize,
    /// Indentation owed to the current line, written before its first text.
    owed: usize,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            out: String::new(),
            space: MARGIN,
            pending: VecDeque::new(),
            texts: String::new(),
            first: 0,
            left_total: 0,
            right_total: 0,
            open: VecDeque::new(),
            frames: Vec::new(),
            indent: 0,
            owed: 0,
        }
    }
}

impl Layout {
    /// The text laid out so far, with everything still pending.
    pub fn finish(mut self) -> String {
        if !self.open.is_empty() {
            self.settle(0);
            self.flush();
        }
        self.out
    }

    /// Text that never breaks.
    pub fn word(&mut self, text: &str) {
        if self.open.is_empty() {
            self.print_text(text);
        } else {
            let size = text.len() as isize;
            let start = self.texts.len();
            self.texts.push_str(text);
            self.push(Piece::Text(start..self.texts.len()), size);
            self.right_total += size;
            self.overflow();
        }
    }

    /// A box whose breaks all break when it does not fit.
    pub fn cbox(&mut self, offset: isize) {
        self.begin(offset, Breaks::Consistent);
    }

    /// A box whose breaks break one by one, where the text up to the next does not fit.
    pub fn ibox(&mut self, offset: isize) {
        self.begin(offset, Breaks::Inconsistent);
    }

    /// The end of the last box opened.
    pub fn end(&mut self) {
        if self.open.is_empty() {
            self.print_end();
            return;
        }
        if let Some(Sized {
            piece: Piece::Break(last),
            ..
        }) = self.pending.back()
        {
            let last = *last;
            let len = self.pending.len();
            if len >= 2 && matches!(self.pending[len - 2].piece, Piece::Begin { .. }) {
                // A box holding only a break is no box.
                self.pending.truncate(len - 2);
                self.open.pop_back();
                self.open.pop_back();
                self.right_total -= last.blank as isize;
                return;
            }
            if last.if_nonempty {
                self.pending.pop_back();
                self.open.pop_back();
                self.right_total -= last.blank as isize;
            }
        }
        let index = self.push(Piece::End, -1);
        self.open.push_back(index);
    }

    /// A break that prints nothing when it does not break.
    pub fn zerobreak(&mut self) {
        self.scan_break(Break::default());
    }

    /// A break that prints a space when it does not break.
    pub fn space(&mut self) {
        self.scan_break(Break {
            blank: 1,
            ..Break::default()
        });
    }

    /// A line break.
    pub fn hardbreak(&mut self) {
        self.scan_break(Break {
            blank: INFINITY as usize,
            ..Break::default()
        });
    }

    /// A line break, dropped when it ends its box.
    pub fn hardbreak_if_nonempty(&mut self) {
        self.scan_break(Break {
            blank: INFINITY as usize,
            if_nonempty: true,
            ..Break::default()
        });
    }

    /// A break that never breaks: it sizes what follows it on its own.
    pub fn neverbreak(&mut self) {
        self.scan_break(Break {
            never_break: true,
            ..Break::default()
        });
    }

    /// After an item of a list: `,` and a space or line break, or after the last, a comma only
    /// where the line breaks.
    pub fn trailing_comma(&mut self, is_last: bool) {
        if is_last {
            self.scan_break(Break {
                pre_break: Some(','),
                ..Break::default()
            });
        } else {
            self.word(",");
            self.space();
        }
    }

    /// A list's items between delimiters, as prettyplease prints call arguments, generic
    /// arguments and tuple types: on the line where they fit, else one per line four columns
    /// in, each with a comma, and the closing delimiter back on a line of its own.
    /// `item` lays out the item of each index below `count`.
    pub fn list(
        &mut self,
        open: &str,
        count: usize,
        mut item: impl FnMut(&mut Layout, usize),
        close: &str,
    ) {
        self.word(open);
        self.cbox(4);
        self.zerobreak();
        for index in 0..count {
            item(self, index);
            self.trailing_comma(index + 1 == count);
        }
        self.offset(-4);
        self.end();
        self.word(close);
    }

    /// A break that prints `pre` at the end of the line it breaks, `post` at the start of the
    /// next, and moves the new line by `offset`.
    pub fn wrapping_break(&mut self, pre: Option<char>, post: &'static str, offset: isize) {
        self.scan_break(Break {
            pre_break: pre,
            post_break: post,
            offset,
            ..Break::default()
        });
    }

    /// [`Layout::list`] of items that may fail to lay out: `None` when one does.
    pub fn try_list(
        &mut self,
        open: &str,
        count: usize,
        mut item: impl FnMut(&mut Layout, usize) -> Option<()>,
        close: &str,
    ) -> Option<()> {
        let mut laid_out = true;
        self.list(
            open,
            count,
            |layout, index| laid_out &= item(layout, index).is_some(),
            close,
        );
        laid_out.then_some(())
    }

    /// A tuple's elements between parentheses, as prettyplease prints tuple types, expressions
    /// and patterns: as [`Layout::list`] lays out its items, but a lone element keeps its comma
    /// (`(a,)`). `None` when an element fails to lay out.
    pub fn tuple(
        &mut self,
        count: usize,
        mut element: impl FnMut(&mut Layout, usize) -> Option<()>,
    ) -> Option<()> {
        self.word("(");
        self.cbox(4);
        self.zerobreak();
        for index in 0..count {
            element(self, index)?;
            if count == 1 {
                self.word(",");
                self.zerobreak();
            } else {
                self.trailing_comma(index + 1 == count);
            }
        }
        self.offset(-4);
        self.end();
        self.word(")");
        Some(())
    }

    /// Moves the last break (to where the box's closing delimiter goes).
    pub fn offset(&mut self, offset: isize) {
        if let Some(Sized {
            piece: Piece::Break(last),
            ..
        }) = self.pending.back_mut()
        {
            last.offset += offset;
        }
    }

    fn begin(&mut self, offset: isize, breaks: Breaks) {
        if self.open.is_empty() {
            self.restart();
        }
        let index = self.push(Piece::Begin { offset, breaks }, -self.right_total);
        self.open.push_back(index);
    }

    fn scan_break(&mut self, token: Break) {
        if self.open.is_empty() {
            self.restart();
        } else {
            self.settle(0);
        }
        let index = self.push(Piece::Break(token), -self.right_total);
        self.open.push_back(index);
        self.right_total += token.blank as isize;
    }

    /// Nothing pending: the totals start again.
    fn restart(&mut self) {
        self.left_total = 1;
        self.right_total = 1;
        self.first += self.pending.len();
        self.pending.clear();
        self.texts.clear();
    }

    fn push(&mut self, piece: Piece, size: isize) -> usize {
        self.pending.push_back(Sized { piece, size });
        self.first + self.pending.len() - 1
    }

    fn at(&mut self, index: usize) -> &mut Sized {
        &mut self.pending[index - self.first]
    }

    /// While what is pending is longer than the line, the first pending piece cannot fit: it is
    /// printed as not fitting.
    fn overflow(&mut self) {
        while self.right_total - self.left_total > self.space {
            if self.open.front() == Some(&self.first) {
                self.open.pop_front();
                self.pending[0].size = INFINITY;
            }
            self.flush();
            if self.pending.is_empty() {
                break;
            }
        }
    }

    /// Prints the pending pieces whose size is known, in order.
    fn flush(&mut self) {
        while self.pending.front().is_some_and(|first| first.size >= 0) {
            let Some(Sized { piece, size }) = self.pending.pop_front() else {
                break;
            };
            self.first += 1;
            match piece {
                Piece::Text(range) => {
                    self.left_total += size;
                    self.pay_indent();
                    self.out.push_str(&self.texts[range]);
                    self.space -= size;
                }
                Piece::Break(token) => {
                    self.left_total += token.blank as isize;
                    self.print_break(token, size);
                }
                Piece::Begin { offset, breaks } => self.print_begin(offset, breaks, size),
                Piece::End => self.print_end(),
            }
        }
    }

    /// Sizes the pending pieces that the text given so far closes: the last break, and the
    /// boxes (with the breaks in them) that ended `depth` levels in.
    fn settle(&mut self, mut depth: usize) {
        while let Some(&index) = self.open.back() {
            let right_total = self.right_total;
            let entry = self.at(index);
            match entry.piece {
                Piece::Begin { .. } => {
                    if depth == 0 {
                        break;
                    }
                    entry.size += right_total;
                    self.open.pop_back();
                    depth -= 1;
                }
                Piece::End => {
                    entry.size = 1;
                    self.open.pop_back();
                    depth += 1;
                }
                Piece::Break(_) => {
                    entry.size += right_total;
                    self.open.pop_back();
                    if depth == 0 {
                        break;
                    }
                }
                Piece::Text(_) => break,
            }
        }
    }

    fn print_begin(&mut self, offset: isize, breaks: Breaks, size: isize) {
        if size > self.space {
            self.frames.push(Frame::Broken {
                outer_indent: self.indent,
                breaks,
            });
            self.indent = (self.indent as isize + offset).max(0) as usize;
        } else {
            self.frames.push(Frame::Fits);
        }
    }

    fn print_end(&mut self) {
        if let Some(Frame::Broken { outer_indent, .. }) = self.frames.pop() {
            self.indent = outer_indent;
        }
    }

    fn print_break(&mut self, token: Break, size: isize) {
        let top = self.frames.last().copied().unwrap_or(Frame::Broken {
            outer_indent: 0,
            breaks: Breaks::Inconsistent,
        });
        let fits = token.never_break
            || match top {
                Frame::Fits => true,
                Frame::Broken {
                    breaks: Breaks::Consistent,
                    ..
                } => false,
                Frame::Broken {
                    breaks: Breaks::Inconsistent,
                    ..
                } => size <= self.space,
            };
        if fits {
            self.owed += token.blank;
            self.space -= token.blank as isize;
        } else {
            if let Some(pre_break) = token.pre_break {
                self.pay_indent();
                self.out.push(pre_break);
            }
            self.out.push('\n');
            let indent = (self.indent as isize + token.offset).max(0);
            self.owed = indent as usize;
            self.space = (MARGIN - indent).max(MIN_SPACE);
            if !token.post_break.is_empty() {
                self.print_text(token.post_break);
            }
        }
    }

    fn print_text(&mut self, text: &str) {
        self.pay_indent();
        self.out.push_str(text);
        self.space -= text.len() as isize;
    }

    fn pay_indent(&mut self) {
        push_spaces(&mut self.out, self.owed);
        self.owed = 0;
    }
}

/// Appends `count` spaces, a run at a time.
pub fn push_spaces(out: &mut String, mut count: usize) {
    const SPACES: &str = "                                                                ";
    while count > 0 {
        let run = count.min(SPACES.len());
        out.push_str(&SPACES[..run]);
        count -= run;
    }
}

/// A Rust type as the emitters spell it: printed by them, or as tokens.
#[derive(Clone)]
pub enum Ty<'a> {
    /// A path without generic arguments, `::` and all (`models::query::Query`).
    Path(std::borrow::Cow<'a, str>),
    /// A path with generic arguments (`Vec<T>`).
    Generic(&'static str, Vec<Ty<'a>>),
    /// `()`.
    Unit,
    /// A tuple of types (`(String,)`).
    Tuple(Vec<Ty<'a>>),
    /// `&T`.
    Ref(Box<Ty<'a>>),
    /// `impl A + B` (a lifetime bound is a path such as `'_`).
    Impl(Vec<Ty<'a>>),
    /// An associated type binding of generic arguments (`Output = T`).
    Assoc(&'static str, Box<Ty<'a>>),
    /// A type the configuration names, as its tokens: only prettyplease prints it.
    Tokens(proc_macro2::TokenStream),
}

impl Ty<'_> {
    /// Laid out as prettyplease lays out the type; `None` for tokens.
    pub fn lay_out(&self, layout: &mut Layout) -> Option<()> {
        match self {
            Ty::Path(path) => layout.word(path),
            Ty::Generic(path, arguments) => {
                layout.word(path);
                layout.try_list(
                    "<",
                    arguments.len(),
                    |layout, index| arguments[index].lay_out(layout),
                    ">",
                )?;
            }
            Ty::Unit => layout.list("(", 0, |_, _| {}, ")"),
            Ty::Tuple(elements) => {
                layout.tuple(elements.len(), |layout, index| {
                    elements[index].lay_out(layout)
                })?;
            }
            Ty::Ref(inner) => {
                layout.word("&");
                inner.lay_out(layout)?;
            }
            Ty::Impl(bounds) => {
                layout.word("impl ");
                for (index, bound) in bounds.iter().enumerate() {
                    if index > 0 {
                        layout.word(" + ");
                    }
                    bound.lay_out(layout)?;
                }
            }
            Ty::Assoc(name, ty) => {
                layout.word(name);
                layout.word(" = ");
                ty.lay_out(layout)?;
            }
            Ty::Tokens(_) => return None,
        }
        Some(())
    }

    /// As tokens.
    pub fn to_tokens(&self) -> proc_macro2::TokenStream {
        let path = |path: &str| {
            if path.starts_with('\'') {
                // A lifetime.
                return path.parse().unwrap_or_default();
            }
            let segments = path.split("::").map(super::types::ident);
            quote::quote! { #(#segments)::* }
        };
        match self {
            Ty::Path(text) => path(text),
            Ty::Generic(head, arguments) => {
                let head = path(head);
                let arguments = arguments.iter().map(Ty::to_tokens);
                quote::quote! { #head<#(#arguments),*> }
            }
            Ty::Unit => quote::quote! { () },
            Ty::Tuple(elements) => {
                let elements = elements.iter().map(Ty::to_tokens);
                quote::quote! { (#(#elements,)*) }
            }
            Ty::Ref(inner) => {
                let inner = inner.to_tokens();
                quote::quote! { &#inner }
            }
            Ty::Impl(bounds) => {
                let bounds = bounds.iter().map(Ty::to_tokens);
                quote::quote! { impl #(#bounds)+* }
            }
            Ty::Assoc(name, ty) => {
                let name = super::types::ident(name);
                let ty = ty.to_tokens();
                quote::quote! { #name = #ty }
            }
            Ty::Tokens(tokens) => tokens.clone(),
        }
    }
}

/// A token of a macro's arguments, for [`macro_call`].
pub enum Tt<'a> {
    /// An identifier, as written (`r#type` for a raw one).
    Ident(&'a str),
    /// A punctuation character, joined to the next one (`=` of `=>`) or not.
    Punct(char, bool),
    /// A literal, as written (a string literal quoted and escaped).
    Literal(String),
    /// `[..]`.
    Brackets(Vec<Tt<'a>>),
    /// `(..)`.
    Parens(Vec<Tt<'a>>),
}

/// `name!(tokens);` as an item at the start of a line, as prettyplease prints a call of a macro
/// it does not know: on one line where it fits, else the tokens filled into lines four columns
/// in, between a line with `name!(` and one with `);`. Each line ends with a line break.
pub fn macro_call(name: &str, tokens: &[Tt<'_>], out: &mut String) {
    let mut layout = Layout::default();
    layout.cbox(0);
    layout.word(name);
    layout.word("!");
    layout.word("(");
    if !tokens.is_empty() {
        layout.cbox(4);
        layout.zerobreak();
        layout.ibox(0);
        macro_tokens(&mut layout, tokens);
        layout.end();
        layout.zerobreak();
        layout.offset(-4);
        layout.end();
    }
    layout.word(")");
    layout.word(";");
    layout.hardbreak();
    layout.end();
    out.push_str(&layout.finish());
}

/// What the last token was, for the spacing of the next.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    Start,
    Ident,
    Delimited,
    Other,
}

/// Macro tokens spaced as prettyplease spaces them: a space (where the line may break) before
/// each token but the first, a comma, a group right after an identifier, and what follows a
/// joined punctuation character.
fn macro_tokens(layout: &mut Layout, tokens: &[Tt<'_>]) {
    let mut last = Last::Start;
    let mut joined = true;
    for token in tokens {
        let (spaced, next) = match token {
            Tt::Brackets(_) | Tt::Parens(_) if last == Last::Ident => (false, Last::Delimited),
            Tt::Brackets(_) | Tt::Parens(_) => (true, Last::Delimited),
            Tt::Ident(ident) if !is_keyword(ident) => (true, Last::Ident),
            Tt::Literal(_) => (true, Last::Ident),
            Tt::Punct(',' | ';', _) => (false, Last::Other),
            Tt::Ident(_) | Tt::Punct(..) => (true, Last::Other),
        };
        if !joined && spaced {
            layout.space();
        }
        joined = matches!(token, Tt::Punct(_, true));
        match token {
            Tt::Ident(text) => layout.word(text),
            Tt::Punct(ch, _) => layout.word(ch.encode_utf8(&mut [0; 4])),
            Tt::Literal(text) => layout.word(text),
            Tt::Brackets(inner) | Tt::Parens(inner) => {
                let (open, close) = match token {
                    Tt::Brackets(_) => ("[", "]"),
                    _ => ("(", ")"),
                };
                layout.word(open);
                macro_tokens(layout, inner);
                layout.word(close);
            }
        }
        last = next;
    }
}

/// The keywords prettyplease spaces as punctuation in a macro's tokens.
fn is_keyword(ident: &str) -> bool {
    matches!(
        ident,
        "as" | "async"
            | "await"
            | "box"
            | "break"
            | "const"
            | "continue"
            | "crate"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "macro"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "static"
            | "struct"
            | "trait"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "yield"
    )
}

/// A string literal as `proc_macro2::Literal::string` writes it (what `quote!` makes of a
/// `&str`); `None` for a string holding a NUL, which it writes in two ways.
pub fn string_literal(value: &str) -> Option<String> {
    if value.contains('\0') {
        return None;
    }
    let mut res = String::with_capacity(value.len() + 2);
    res.push('"');
    // Most strings are printable ASCII with nothing to escape.
    if value
        .bytes()
        .all(|byte| (b' '..=b'~').contains(&byte) && byte != b'"' && byte != b'\\')
    {
        res.push_str(value);
        res.push('"');
        return Some(res);
    }
    for ch in value.chars() {
        if ch == '\'' {
            res.push(ch);
        } else {
            res.extend(ch.escape_debug());
        }
    }
    res.push('"');
    Some(res)
}

#[cfg(test)]
mod tests {
    #[test]
    fn string_literals_are_written_as_proc_macro2_writes_them() {
        for value in [
            "",
            "plain ASCII, with 'quotes' and punctuation: {}[]#!~",
            "a \"quoted\" word and a back\\slash",
            "tab\tnewline\ncarriage\rreturn",
            "bell\u{7} escape\u{1b} delete\u{7f}",
            "ünïcödé, 日本, and a zero-width joiner \u{200d} and combining \u{301}",
        ] {
            assert_eq!(
                super::string_literal(value),
                Some(proc_macro2::Literal::string(value).to_string()),
                "{value:?}"
            );
        }
        assert_eq!(super::string_literal("nul \0"), None);
    }
}
