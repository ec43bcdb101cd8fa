//! The runtime templates (`templates/*_runtime.rs`): hand-formatted Rust that each crate carries
//! as its own `src/runtime.rs`, kept as written (comments and layout included) rather than
//! reprinted. Two kinds of directive, each a whole line comment, adapt a template to the API:
//!
//! - `// codegen: needs HELPER` before an item (and its documentation): the item is kept only
//!   when the API needs the helper, under the `cfg` of the features that do;
//! - `// codegen: if FLAG` (or `if !FLAG`) ... `// codegen: end`: the lines between are kept only
//!   when the flag holds (or does not).
//!
//! Directive lines never reach the output. An item under `needs` runs to its first line at
//! column 0 that ends in `}` or `;` (the templates keep to that layout).

use super::groups::{features_of, Helper};
use crate::ir::{Api, Auth, CredentialKind, Operation};

const DIRECTIVE: &str = "// codegen: ";

/// Expands `template`: `flag` says whether a flag holds; `needs` gives a helper's features
/// (`None`: no operation needs it; an empty list: kept without a `cfg`). A malformed directive
/// is a bug in the template, returned as an error.
pub fn expand(
    template: &str,
    flag: &dyn Fn(&str) -> Option<bool>,
    needs: &dyn Fn(&str) -> Option<Vec<String>>,
) -> Result<String, String> {
    let mut res = String::with_capacity(template.len());
    // Whether each enclosing `if` keeps its lines.
    let mut conditions: Vec<bool> = Vec::new();
    // Inside an item whose helper is not needed: skip up to its end.
    let mut skipping_item = false;
    let lines: Vec<&str> = template.lines().collect();
    for (index, line) in lines.iter().copied().enumerate() {
        let at = || format!("template line {}", index + 1);
        let trimmed = line.trim_start();
        if let Some(directive) = trimmed.strip_prefix(DIRECTIVE) {
            let mut words = directive.split_whitespace();
            match (words.next(), words.next(), words.next()) {
                (Some("if"), Some(name), None) => {
                    let (negated, name) = match name.strip_prefix('!') {
                        Some(name) => (true, name),
                        None => (false, name),
                    };
                    let Some(holds) = flag(name) else {
                        return Err(format!("{}: unknown flag `{name}`", at()));
                    };
                    conditions.push(holds != negated);
                }
                (Some("end"), None, None) => {
                    if conditions.pop().is_none() {
                        return Err(format!("{}: `end` without `if`", at()));
                    }
                }
                (Some("needs"), Some(name), None) => {
                    if conditions.iter().all(|keep| *keep) {
                        match needs(name) {
                            None => skipping_item = true,
                            Some(features) => {
                                let indent = &line[..line.len() - trimmed.len()];
                                let public = is_public_item(&lines[index + 1..]);
                                res.push_str(&gates(&features, indent, public));
                            }
                        }
                    }
                }
                _ => return Err(format!("{}: unknown directive `{trimmed}`", at())),
            }
            continue;
        }
        if skipping_item {
            let at_column_0 = !line.starts_with(char::is_whitespace);
            let inner = trimmed.starts_with("//") || trimmed.starts_with('#');
            if at_column_0 && !inner && (line.ends_with('}') || line.ends_with(';')) {
                skipping_item = false;
            }
            continue;
        }
        // Items dropped leave their blank lines behind: at most one blank line in a row.
        let extra_blank = line.trim().is_empty() && (res.is_empty() || res.ends_with("\n\n"));
        if conditions.iter().all(|keep| *keep) && !extra_blank {
            res.push_str(line);
            res.push('\n');
        }
    }
    if !conditions.is_empty() {
        return Err("an `if` has no `end`".to_owned());
    }
    if skipping_item {
        return Err("an item under `needs` has no end".to_owned());
    }
    // A dropped last item leaves the blank line before it.
    while res.ends_with("\n\n") {
        res.pop();
    }
    Ok(res)
}

/// Whether the item that starts at the first of `lines` (after its documentation and attributes)
/// is `pub`: only those show on docs.rs, so only those get `doc(cfg)`.
fn is_public_item(lines: &[&str]) -> bool {
    lines
        .iter()
        .map(|line| line.trim_start())
        .find(|line| !line.starts_with("///") && !line.starts_with("#[") && !line.starts_with("//"))
        .is_some_and(|line| line.starts_with("pub "))
}

/// `#[cfg(..)]` for an item the `features` use, and for a public item the `doc(cfg)` that shows
/// it on docs.rs, laid out as rustfmt would: one line when short, else one feature per line.
/// Nothing for no features.
fn gates(features: &[String], indent: &str, public: bool) -> String {
    let conditions: Vec<String> = features
        .iter()
        .map(|feature| format!("feature = {feature:?}"))
        .collect();
    let condition = match conditions.as_slice() {
        [] => return String::new(),
        [one] => one.clone(),
        many => {
            let one_line = format!("any({})", many.join(", "));
            if one_line.len() + indent.len() <= 80 {
                one_line
            } else {
                let inner = format!("{indent}    ");
                format!(
                    "any(\n{inner}{},\n{indent})",
                    many.join(&format!(",\n{inner}"))
                )
            }
        }
    };
    let cfg = format!("{indent}#[cfg({condition})]\n");
    if public {
        format!("{cfg}{indent}#[cfg_attr(docsrs, doc(cfg({condition})))]\n")
    } else {
        cfg
    }
}

/// A crate's runtime: `template` expanded for `api`, each helper kept for the features of the
/// groups whose operations need it ([`Helper`]), or for the features `needs` gives.
pub fn runtime(
    api: &Api,
    template: &str,
    helpers: &[Helper],
    needs: &dyn Fn(&str) -> Option<Option<Vec<String>>>,
) -> syn::Result<String> {
    let helper_needs = |name: &str| -> Option<Vec<String>> {
        if let Some(given) = needs(name) {
            return given;
        }
        let (_, needed) = helpers.iter().find(|(helper, _)| *helper == name)?;
        Some(features_of(api, *needed)).filter(|features| !features.is_empty())
    };
    expand(template, &|name| flag(api, name), &helper_needs)
        .map_err(|error| syn::Error::new(proc_macro2::Span::call_site(), error))
}

/// The flags templates test: `bearer` (requests carry a bearer token), `credentials` (the API
/// has other security schemes; `basic`, `header_keys`, `query_keys` for each kind), `redirects`
/// (some operation answers with a redirect, which the client must not follow),
/// `declared_errors` (some error answer has a type of its own, `errors::Declared`).
fn flag(api: &Api, name: &str) -> Option<bool> {
    match name {
        "bearer" => Some(api.conventions.auth == Auth::Bearer),
        "credentials" => Some(!api.conventions.credentials.is_empty()),
        "basic" => Some(credential(api, |kind| *kind == CredentialKind::Basic)),
        "header_keys" => Some(credential(api, |kind| {
            matches!(kind, CredentialKind::Header(_))
        })),
        "query_keys" => Some(credential(api, |kind| {
            matches!(kind, CredentialKind::Query(_))
        })),
        "redirects" => Some(api.operations.iter().any(Operation::redirects)),
        "declared_errors" => Some(
            api.operations
                .iter()
                .any(|operation| !operation.errors.is_empty()),
        ),
        _ => None,
    }
}

/// Whether some credential of the API is of a kind `wanted` accepts.
fn credential(api: &Api, wanted: impl Fn(&CredentialKind) -> bool) -> bool {
    api.conventions
        .credentials
        .iter()
        .any(|credential| wanted(&credential.kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "\
/// Always.
pub struct A;

// codegen: needs b
/// Only where needed.
pub fn b() {
    // a comment that stays
    let x = 1;
}

// codegen: needs c
fn c() {}

// codegen: needs e
fn e() {}

fn d() {
    // codegen: if bearer
    bearer();
    // codegen: end
    // codegen: if !bearer
    anonymous();
    // codegen: end
}
";

    fn expand_with(bearer: bool, b: Option<Vec<String>>) -> String {
        expand(
            TEMPLATE,
            &|flag| (flag == "bearer").then_some(bearer),
            &|helper| match helper {
                "b" => b.clone(),
                "e" => Some(vec!["one".to_owned()]),
                _ => None,
            },
        )
        .unwrap()
    }

    #[test]
    fn helpers_are_kept_under_their_features_or_dropped_and_flags_choose_lines() {
        let all = expand_with(true, Some(vec!["one".to_owned(), "two".to_owned()]));
        assert_eq!(
            all,
            "/// Always.\npub struct A;\n\n\
             #[cfg(any(feature = \"one\", feature = \"two\"))]\n\
             #[cfg_attr(docsrs, doc(cfg(any(feature = \"one\", feature = \"two\"))))]\n\
             /// Only where needed.\npub fn b() {\n    // a comment that stays\n    let x = 1;\n}\n\n\
             #[cfg(feature = \"one\")]\nfn e() {}\n\n\
             fn d() {\n    bearer();\n}\n"
        );
        let none = expand_with(false, None);
        assert_eq!(
            none,
            "/// Always.\npub struct A;\n\n#[cfg(feature = \"one\")]\nfn e() {}\n\nfn d() {\n    anonymous();\n}\n"
        );
        let many: Vec<String> = (1..=9).map(|index| format!("feature-{index}")).collect();
        let long = expand_with(false, Some(many));
        assert!(
            long.contains(
                "#[cfg(any(\n    feature = \"feature-1\",\n    feature = \"feature-2\",\n"
            ),
            "{long}"
        );
        assert!(
            long.contains("    feature = \"feature-9\",\n))))]\n/// Only where needed."),
            "{long}"
        );
        let ungated = expand_with(false, Some(Vec::new()));
        assert!(
            ungated.contains("\n/// Only where needed.\npub fn b() {"),
            "{ungated}"
        );
        assert!(
            syn::parse_str::<syn::File>(&all).is_ok() && syn::parse_str::<syn::File>(&none).is_ok()
        );
    }

    #[test]
    fn malformed_directives_are_errors() {
        let flag = |_: &str| Some(true);
        let needs = |_: &str| None;
        assert!(expand("// codegen: if a\n", &flag, &needs).is_err());
        assert!(expand("// codegen: end\n", &flag, &needs).is_err());
        assert!(expand("// codegen: frobnicate\n", &flag, &needs).is_err());
        assert!(expand("// codegen: if x\n// codegen: end\n", &|_| None, &needs).is_err());
        assert!(expand("// codegen: needs x\nfn x() {\n", &flag, &needs).is_err());
    }
}
