//! Doc comments from schema descriptions: one `#[doc]` attribute per line (prettyplease prints
//! them as `///`), cleaned so rustdoc neither warns nor runs anything: brackets and angle
//! brackets are escaped, bare URLs are wrapped, and code fences become `text` blocks.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc]` attributes for `text`, or nothing.
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text else {
        return TokenStream::new();
    };
    let lines = sanitize(text)
        .into_iter()
        .map(|line| literal(&format!(" {line}")));
    quote! { #( #[doc = #lines] )* }
}

/// A `#[doc]` attribute for one line the generator writes itself (not sanitized): with the
/// space after `///` that people write.
pub fn doc_line(text: &str) -> TokenStream {
    let text = literal(&format!(" {text}"));
    quote! { #[doc = #text] }
}

/// Inner `#![doc]` attributes for a crate, from the generator's own Markdown (not sanitized).
pub fn inner_doc_attrs(text: &str) -> TokenStream {
    let lines = text
        .lines()
        .map(|line| literal(format!(" {line}").trim_end()));
    quote! { #( #![doc = #lines] )* }
}

/// Appends the lines of [`doc_attrs`]`(Some(text))` as prettyplease prints them, each after
/// `indent`; `None` where one would not print as a `///` comment.
pub fn print_doc(text: &str, indent: &str, out: &mut String) -> Option<()> {
    for line in sanitize(text) {
        print_line(&line, indent, out)?;
    }
    Some(())
}

/// Appends [`doc_line`]`(text)` as prettyplease prints it, after `indent`; `None` where it would
/// not print as a `///` comment.
pub fn print_doc_line(text: &str, indent: &str, out: &mut String) -> Option<()> {
    print_line(text, indent, out)
}

/// One line of documentation, written after a space (the literal is ` {line}`), as prettyplease
/// prints the `#[doc]` attribute of it: `///` and the literal's value without trailing spaces,
/// where the value holds no line break and does not start with `/` (it starts with the space);
/// [`literal`] makes it a raw literal then unless it holds a control character, which this
/// leaves to prettyplease.
fn print_line(line: &str, indent: &str, out: &mut String) -> Option<()> {
    if line.contains(|c: char| c.is_control() && c != '\t') {
        return None;
    }
    out.push_str(indent);
    out.push_str("/// ");
    out.push_str(line);
    let kept = out.trim_end_matches(' ').len();
    out.truncate(kept);
    out.push('\n');
    Some(())
}

/// The string literal of one line of a `#[doc]` attribute: raw (`r"..."`) where prettyplease
/// prints the attribute as a `///` or `//!` comment, which it does from the literal's value, so
/// the comment is the same either way; a raw literal is only copied where a quoted one is
/// escaped when made and unescaped character by character when printed (5 % of a
/// generation's instructions). A line prettyplease would print as an attribute, or that a raw
/// literal cannot hold, is quoted.
pub fn literal(line: &str) -> proc_macro2::Literal {
    let raw = !line.starts_with('/') && !line.contains(|c: char| c.is_control() && c != '\t');
    if raw {
        // As many `#` as the longest run after a `"` in the line, plus one; none without `"`.
        let hashes = line
            .match_indices('"')
            .map(|(at, _)| 1 + line[at + 1..].bytes().take_while(|&b| b == b'#').count())
            .max()
            .unwrap_or(0);
        let hashes = "#".repeat(hashes);
        if let Ok(literal) = format!("r{hashes}\"{line}\"{hashes}").parse() {
            return literal;
        }
    }
    proc_macro2::Literal::string(line)
}

/// The cleaned lines of a description.
pub fn sanitize(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut in_fence = false;
    for raw in text.trim().lines() {
        let line = raw.trim();
        if line.starts_with("```") {
            lines.push(if in_fence {
                "```".to_owned()
            } else {
                "```text".to_owned()
            });
            in_fence = !in_fence;
        } else if in_fence {
            lines.push(line.to_owned());
        } else {
            lines.push(escape_line(line));
        }
    }
    if in_fence {
        lines.push("```".to_owned());
    }
    lines
}

fn escape_line(line: &str) -> String {
    // Most lines hold nothing to escape or wrap.
    if !line.contains(['[', ']', '<', '>', '`']) && !line.contains("http") {
        return line.to_owned();
    }
    let mut res = String::with_capacity(line.len());
    let mut in_code = false;
    for word in line.split(' ') {
        if !res.is_empty() {
            res.push(' ');
        }
        // A URL, also inside a word (`[text](https://...)`), becomes an autolink.
        let start = ["http://", "https://"]
            .iter()
            .filter_map(|scheme| word.find(scheme))
            .min()
            .filter(|_| !in_code && !word[..].contains('`'));
        let (word, url_part) = match start {
            Some(start) => word.split_at(start),
            None => (word, ""),
        };
        for character in word.chars() {
            if character == '`' {
                in_code = !in_code;
            } else if !in_code && matches!(character, '[' | ']' | '<' | '>') {
                res.push('\\');
            }
            res.push(character);
        }
        if !url_part.is_empty() {
            let url = url_part.trim_end_matches(['.', ',', ')', ';']);
            res.push('<');
            res.push_str(&url.replace('>', "%3E"));
            res.push('>');
            res.push_str(&url_part[url.len()..]);
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_raw_doc_literal_prints_as_the_quoted_one_does() {
        let lines = [
            " plain words",
            " a \"quote\" and \"# a hash after one, \"## two",
            " \\ a backslash, a tab\tand unicode: é ✓",
            "",
            " trailing spaces   ",
            "/ starts with a slash",
            " a carriage\rreturn",
            " a line\nbreak",
        ];
        let print = |literal: proc_macro2::Literal| {
            let file = syn::parse2(quote! { #[doc = #literal] struct X; }).expect("parses");
            prettyplease::unparse(&file)
        };
        for line in lines {
            let literal = literal(line);
            let is_raw = literal.to_string().starts_with('r');
            assert_eq!(
                is_raw,
                !line.starts_with('/') && !line.contains(['\r', '\n']),
                "{line:?}"
            );
            assert_eq!(
                syn::parse2::<syn::LitStr>(quote! { #literal })
                    .expect("a string")
                    .value(),
                line
            );
            assert_eq!(
                print(literal),
                print(proc_macro2::Literal::string(line)),
                "{line:?}"
            );
        }
    }

    #[test]
    fn escapes_what_rustdoc_would_interpret() {
        assert_eq!(sanitize("see [x] and <b>"), vec![r"see \[x\] and \<b\>"]);
        assert_eq!(
            sanitize("go to https://example.com."),
            vec!["go to <https://example.com>."]
        );
        assert_eq!(
            sanitize("see [RFD-21](https://rfd.example/21) now"),
            vec![r"see \[RFD-21\](<https://rfd.example/21>) now"]
        );
        assert_eq!(sanitize(" * `A_B` - a_b"), vec!["* `A_B` - a_b"]);
        assert_eq!(sanitize("`[x]` [y]"), vec![r"`[x]` \[y\]"]);
        assert_eq!(
            sanitize("```\nfn x() {}\n```"),
            vec!["```text", "fn x() {}", "```"]
        );
        assert_eq!(sanitize("```\nopen"), vec!["```text", "open", "```"]);
    }
}
