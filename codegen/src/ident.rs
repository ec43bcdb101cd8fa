//! All name mangling: wire names and schema hints in, Rust identifiers out. Nothing else in the
//! generator changes the case of a name.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords that can be written as raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "union", "unsafe", "unsized",
    "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a `_` suffix.
const SUFFIXED_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "_"];

/// A type name: `api_access_token_metadata` -> `ApiAccessTokenMetadata`.
pub fn type_name(hint: &str) -> String {
    escape(hint.to_upper_camel_case(), "Type")
}

/// A struct field name: `creationTime` -> `creation_time`, `type` -> `r#type`.
pub fn field_name(wire: &str) -> String {
    escape(wire.to_snake_case(), "field")
}

/// An enum variant name: `API_NULL_DOMAIN` -> `ApiNullDomain`.
pub fn variant_name(wire: &str) -> String {
    escape(wire.to_upper_camel_case(), "Empty")
}

/// A function or method name: `get access token` -> `get_access_token`.
pub fn fn_name(hint: &str) -> String {
    escape(hint.to_snake_case(), "call")
}

/// A crate name: `qumulo` + `models` -> `qumulo-models`.
pub fn crate_name(api: &str, part: &str) -> String {
    format!("{api}-{part}")
}

/// The identifier form of a crate name, as `use` paths spell it.
pub fn crate_ident(crate_name: &str) -> String {
    crate_name.replace('-', "_")
}

/// Whether `text` is a snake_case identifier such as `api_access_token_metadata`, the way the
/// reference pages name their top-level schemas.
pub fn is_snake_identifier(text: &str) -> bool {
    !text.is_empty()
        && text.starts_with(|first: char| first.is_ascii_lowercase())
        && text
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'_')
}

/// A naive English singular, for naming array elements: `entries` -> `entry`.
pub fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if word.ends_with("ss") || word.ends_with("us") || word.ends_with("is") {
        word.to_owned()
    } else if let Some(stem) = word
        .strip_suffix("ses")
        .or_else(|| word.strip_suffix("xes"))
    {
        format!("{stem}{}", &word[stem.len()..stem.len() + 1])
    } else if let Some(stem) = word.strip_suffix('s') {
        stem.to_owned()
    } else {
        word.to_owned()
    }
}

/// Makes a converted name a valid identifier: non-ASCII and punctuation dropped by heck are
/// already gone; a leading digit gets `_`, keywords are raw or suffixed, and an empty result
/// becomes `fallback`.
fn escape(converted: String, fallback: &str) -> String {
    let cleaned: String = converted
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let cleaned = if cleaned.is_empty() {
        fallback.to_owned()
    } else {
        cleaned
    };
    if cleaned.starts_with(|first: char| first.is_ascii_digit()) {
        format!("_{cleaned}")
    } else if SUFFIXED_KEYWORDS.contains(&cleaned.as_str()) {
        format!("{cleaned}_")
    } else if RAW_KEYWORDS.contains(&cleaned.as_str()) {
        format!("r#{cleaned}")
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_raw_keyword_becomes_raw() {
        for keyword in RAW_KEYWORDS {
            assert_eq!(field_name(keyword), format!("r#{keyword}"));
            syn::parse_str::<syn::Ident>(&field_name(keyword)).unwrap();
        }
    }

    #[test]
    fn keywords_that_cannot_be_raw_get_a_suffix() {
        assert_eq!(field_name("self"), "self_");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(field_name("super"), "super_");
        assert_eq!(field_name("crate"), "crate_");
        assert_eq!(field_name("_"), "field");
        for keyword in SUFFIXED_KEYWORDS {
            syn::parse_str::<syn::Ident>(&escape((*keyword).to_owned(), "x")).unwrap();
        }
    }

    #[test]
    fn names_convert_case() {
        assert_eq!(
            type_name("api_access_token_metadata"),
            "ApiAccessTokenMetadata"
        );
        assert_eq!(variant_name("API_NULL_DOMAIN"), "ApiNullDomain");
        assert_eq!(field_name("creationTime"), "creation_time");
        assert_eq!(field_name("2fa"), "_2fa");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(field_name("a-b.c d"), "a_b_c_d");
    }

    #[test]
    fn singular_forms() {
        assert_eq!(singular("entries"), "entry");
        assert_eq!(singular("tokens"), "token");
        assert_eq!(singular("addresses"), "address");
        assert_eq!(singular("status"), "status");
        assert_eq!(singular("boxes"), "box");
    }

    #[test]
    fn snake_identifiers() {
        assert!(is_snake_identifier("api_access_token_metadata"));
        assert!(!is_snake_identifier("The user"));
        assert!(!is_snake_identifier("domain:\n * `X`"));
    }
}
