//! All name mangling: wire names and schema hints in, Rust identifiers out. Nothing else in the
//! generator changes the case of a name.

use std::borrow::Cow;

/// Keywords that can be written as raw identifiers (`r#type`), sorted (looked up by binary
/// search).
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
    escape(upper_camel(&fold(hint)), "Type")
}

/// A hint's words as [`type_name`] capitalises them, before they are made an identifier: the
/// stems of `a` and `b` joined by [`joined_type_name`] are `type_name(&format!("{a}_{b}"))`,
/// without converting `a` again for every `b`.
pub fn type_name_stem(hint: &str) -> String {
    upper_camel(&fold(hint))
}

/// The type name of hints joined by `_`, from their [`type_name_stem`]s.
pub fn joined_type_name(stems: &[&str]) -> String {
    escape(stems.concat(), "Type")
}

/// A struct field name: `creationTime` -> `creation_time`, `type` -> `r#type`.
pub fn field_name(wire: &str) -> String {
    escape(snake(&fold(wire)), "field")
}

/// Names the generated client methods and server handlers use for their own arguments and
/// locals; a path or header parameter never takes one.
const ARGUMENT_NAMES: &[&str] = &[
    "answer", "api", "body", "client", "context", "headers", "path", "query", "request",
    "response", "result", "url",
];

/// A path or header parameter's name as a Rust argument: the field name, with `_param` after
/// it where it is one the generated code uses itself (`query` -> `query_param`).
pub fn argument_name(wire: &str) -> String {
    let name = field_name(wire);
    if ARGUMENT_NAMES.contains(&name.as_str()) {
        format!("{name}_param")
    } else {
        name
    }
}

/// An enum variant name: `API_NULL_DOMAIN` -> `ApiNullDomain`.
pub fn variant_name(wire: &str) -> String {
    escape(upper_camel(&fold(wire)), "Empty")
}

/// A function or method name: `get access token` -> `get_access_token`.
pub fn fn_name(hint: &str) -> String {
    escape(snake(&fold(hint)), "call")
}

/// An operation's name from the one the input gives it (OpenAPI's `operationId`), without its
/// group's name in front: `listPets` -> `list_pets`, `pets_list` in group `pets` -> `list`,
/// `Get a pet!` -> `get_a_pet`.
pub fn operation_name(id: &str, group: &str) -> String {
    let name = snake(&fold(id));
    let name = name
        .strip_prefix(group)
        .and_then(|rest| rest.strip_prefix('_'))
        .filter(|rest| !rest.is_empty())
        .unwrap_or(&name);
    fn_name(name)
}

/// An API name (the crates' prefix) from a document's title: `Swagger Petstore` ->
/// `swagger-petstore`; `None` when the title gives no name that starts with a letter.
pub fn api_name(title: &str) -> Option<String> {
    let words: Vec<String> = fold(title)
        .split(|character: char| !character.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let name = words.join("-");
    name.starts_with(|first: char| first.is_ascii_lowercase())
        .then_some(name)
}

/// The variant of an answer typed by status: the status's reason in UpperCamelCase (`201`:
/// `Created`), or `Status` and the number for one without a well-known reason.
pub fn status_variant(status: u16) -> String {
    match status {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritative",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        208 => "AlreadyReported",
        226 => "ImUsed",
        _ => return format!("Status{status}"),
    }
    .to_owned()
}

/// The client's own `with_` methods, which a credential setter never takes.
const CLIENT_SETTERS: &[&str] = &[
    "with_bearer_token",
    "with_default_url",
    "with_http_client",
    "with_retry",
    "with_timeout",
];

/// The client method that sets a security scheme's credential: `with_` and the scheme's name
/// (`ApiKeyAuth` -> `with_api_key_auth`); a name the client has already or an earlier scheme
/// took gets a number (`with_timeout_2`). Records the name in `taken`.
pub fn credential_setter(scheme: &str, taken: &mut Vec<String>) -> String {
    let snake = snake(&fold(scheme));
    let base = if snake.is_empty() {
        "with_credential".to_owned()
    } else {
        format!("with_{snake}")
    };
    let name = numbered(&base, |name| {
        CLIENT_SETTERS.contains(&name) || taken.iter().any(|seen| seen == name)
    });
    taken.push(name.clone());
    name
}

/// `base`, or when `taken` says it is, the first of `base_2`, `base_3`, ... that is not.
pub fn numbered(base: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut name = base.to_owned();
    let mut number = 2;
    while taken(&name) {
        name = format!("{base}_{number}");
        number += 1;
    }
    name
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

/// Latin letters with diacritics and their ASCII spelling (lowercase; an uppercase letter gets
/// the uppercase spelling): Latin-1 Supplement and Latin Extended-A, by code point range.
#[rustfmt::skip]
const LATIN: &[(u32, u32, &str)] = &[
    (0xC0, 0xC5, "a"), (0xC6, 0xC6, "ae"), (0xC7, 0xC7, "c"), (0xC8, 0xCB, "e"),
    (0xCC, 0xCF, "i"), (0xD0, 0xD0, "d"), (0xD1, 0xD1, "n"), (0xD2, 0xD6, "o"),
    (0xD8, 0xD8, "o"), (0xD9, 0xDC, "u"), (0xDD, 0xDD, "y"), (0xDE, 0xDE, "th"),
    (0xDF, 0xDF, "ss"), (0xE0, 0xE5, "a"), (0xE6, 0xE6, "ae"), (0xE7, 0xE7, "c"),
    (0xE8, 0xEB, "e"), (0xEC, 0xEF, "i"), (0xF0, 0xF0, "d"), (0xF1, 0xF1, "n"),
    (0xF2, 0xF6, "o"), (0xF8, 0xF8, "o"), (0xF9, 0xFC, "u"), (0xFD, 0xFD, "y"),
    (0xFE, 0xFE, "th"), (0xFF, 0xFF, "y"), (0x100, 0x105, "a"), (0x106, 0x10D, "c"),
    (0x10E, 0x111, "d"), (0x112, 0x11B, "e"), (0x11C, 0x123, "g"), (0x124, 0x127, "h"),
    (0x128, 0x131, "i"), (0x132, 0x133, "ij"), (0x134, 0x135, "j"), (0x136, 0x138, "k"),
    (0x139, 0x142, "l"), (0x143, 0x14B, "n"), (0x14C, 0x151, "o"), (0x152, 0x153, "oe"),
    (0x154, 0x159, "r"), (0x15A, 0x161, "s"), (0x162, 0x167, "t"), (0x168, 0x173, "u"),
    (0x174, 0x175, "w"), (0x176, 0x178, "y"), (0x179, 0x17E, "z"), (0x17F, 0x17F, "s"),
];

/// Spells a name in ASCII before its case is converted: accented Latin letters lose their
/// accents (`ünïcödé` -> `unicode`), and any other non-ASCII letter or digit becomes a word of
/// its own, its code point in hex (`日本` -> `u65e5 u672c`), so that names in other scripts stay
/// distinct and stable instead of vanishing.
fn fold(name: &str) -> Cow<'_, str> {
    if name.is_ascii() {
        return Cow::Borrowed(name);
    }
    let mut res = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii() {
            res.push(c);
        } else if let Some((_, _, ascii)) = LATIN
            .iter()
            .find(|(first, last, _)| (*first..=*last).contains(&u32::from(c)))
        {
            if c.is_uppercase() {
                res.push_str(&ascii.to_ascii_uppercase());
            } else {
                res.push_str(ascii);
            }
        } else if c.is_alphanumeric() {
            res.push_str(&format!(" u{:x} ", u32::from(c)));
        } else {
            res.push(' ');
        }
    }
    Cow::Owned(res)
}

/// UpperCamelCase: each of the [`words`] capitalised (`api_NULL domain` -> `ApiNullDomain`).
fn upper_camel(ascii: &str) -> String {
    let mut res = Vec::with_capacity(ascii.len());
    words(ascii, |byte, starts_word| {
        res.push(if starts_word {
            byte.to_ascii_uppercase()
        } else {
            byte.to_ascii_lowercase()
        });
    });
    ascii_string(res)
}

/// ASCII bytes as a `String` (they are always valid UTF-8).
fn ascii_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
}

/// snake_case: the [`words`] in lowercase, joined by `_` (`creationTime` -> `creation_time`).
fn snake(ascii: &str) -> String {
    let mut res = Vec::with_capacity(ascii.len() + ascii.len() / 4);
    words(ascii, |byte, starts_word| {
        if starts_word && !res.is_empty() {
            res.push(b'_');
        }
        res.push(byte.to_ascii_lowercase());
    });
    ascii_string(res)
}

/// Case of the last cased letter of the word being read, as [`words`] tracks it.
#[derive(Clone, Copy, PartialEq)]
enum Case {
    /// No letter since the word began.
    Boundary,
    Lower,
    Upper,
}

/// Calls `byte` with each byte of each word of an ASCII name (what [`fold`] makes), and whether
/// it starts its word, the words split as heck splits them, so that names stay what heck 0.5
/// made: at every character that is not a letter or a digit, between a lowercase letter (or a
/// digit after one) and an uppercase letter (`creationTime`), and before the last capital of a
/// run followed by a lowercase letter (`HTTPServer` -> `HTTP`, `Server`). Digits join the word
/// they are in. Every word is non-empty. Written here rather than calling heck because heck
/// formats character by character and was a third of lowering (the test
/// `words_split_as_heck_does` holds them equal).
fn words(ascii: &str, mut byte: impl FnMut(u8, bool)) {
    let bytes = ascii.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        // A run of letters and digits, split at case changes.
        let mut starts_word = true;
        let mut case = Case::Boundary;
        loop {
            let c = bytes[i];
            let Some(&next) = bytes.get(i + 1).filter(|next| next.is_ascii_alphanumeric()) else {
                byte(c, starts_word);
                i += 1;
                break;
            };
            let next_case = if c.is_ascii_lowercase() {
                Case::Lower
            } else if c.is_ascii_uppercase() {
                Case::Upper
            } else {
                case
            };
            if next_case == Case::Lower && next.is_ascii_uppercase() {
                // The word ends here.
                byte(c, starts_word);
                starts_word = true;
                case = Case::Boundary;
            } else if case == Case::Upper && c.is_ascii_uppercase() && next.is_ascii_lowercase() {
                // A word starts here.
                byte(c, true);
                starts_word = false;
                case = Case::Boundary;
            } else {
                byte(c, starts_word);
                starts_word = false;
                case = next_case;
            }
            i += 1;
        }
    }
}

/// Makes a converted name (letters, digits and `_` only, as [`upper_camel`] and [`snake`] write
/// them) a valid identifier: a leading digit gets `_`, keywords are raw or suffixed, and an
/// empty name becomes `fallback`.
fn escape(cleaned: String, fallback: &str) -> String {
    // Every keyword is lowercase but `Self`: an UpperCamelCase name is never one.
    if cleaned.starts_with(|first: char| first.is_ascii_uppercase()) && cleaned != "Self" {
        return cleaned;
    }
    let cleaned = if cleaned.is_empty() {
        fallback.to_owned()
    } else {
        cleaned
    };
    if cleaned.starts_with(|first: char| first.is_ascii_digit()) {
        format!("_{cleaned}")
    } else if SUFFIXED_KEYWORDS.contains(&cleaned.as_str()) {
        format!("{cleaned}_")
    } else if RAW_KEYWORDS.binary_search(&cleaned.as_str()).is_ok() {
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
        assert!(RAW_KEYWORDS.windows(2).all(|pair| pair[0] < pair[1]));
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

    /// A qualified name made from the two names' stems is the name of the two joined by `_`.
    #[test]
    fn joined_stems_name_as_the_joined_hints_do() {
        let hints = [
            "",
            "a_b_cd",
            "ABCd",
            "HTTPServer",
            "api_access_token",
            "ApiAccessToken",
            "2fa",
            "type",
            "self",
            "Self",
            "_",
            "ünïcödé",
            "日本",
            "x-Qumulo-ETag",
            "ipv4Address",
        ];
        for first in hints {
            for second in hints {
                assert_eq!(
                    joined_type_name(&[&type_name_stem(first), &type_name_stem(second)]),
                    type_name(&format!("{first}_{second}")),
                    "{first:?} {second:?}"
                );
            }
            assert_eq!(
                joined_type_name(&[&type_name_stem(first)]),
                type_name(first)
            );
        }
    }

    /// Every string of up to five characters from letters of both cases, a digit and separators,
    /// and some longer names, split and cased as heck 0.5 does (the names the generator gave
    /// before it did the splitting itself).
    #[test]
    fn words_split_as_heck_does() {
        use heck::{ToSnakeCase, ToUpperCamelCase};
        let alphabet = ['a', 'b', 'A', 'B', '1', '_', '-', ' '];
        let mut names = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..5 {
            last = last
                .iter()
                .flat_map(|name| alphabet.iter().map(move |c| format!("{name}{c}")))
                .collect();
            names.extend(last.iter().cloned());
        }
        names.extend(
            [
                "HTTPServer",
                "api_NULL domain",
                "getV1AuthAccessTokens",
                "IPv4Address",
                "x-Qumulo-ETag",
                "smb2_ok",
                "ABC123def",
                "a1B2c3",
                "__init__",
                "  spaced  out  ",
            ]
            .map(str::to_owned),
        );
        for name in &names {
            assert_eq!(upper_camel(name), name.to_upper_camel_case(), "{name:?}");
            assert_eq!(snake(name), name.to_snake_case(), "{name:?}");
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
    fn non_ascii_names_are_spelled_in_ascii() {
        assert_eq!(field_name("ünïcödé"), "unicode");
        assert_eq!(type_name("Größe"), "Grosse");
        assert_eq!(variant_name("ÉTÉ"), "Ete");
        assert_eq!(field_name("łódź"), "lodz");
        assert_eq!(field_name("日本"), "u65e5_u672c");
        assert_eq!(type_name("日本"), "U65e5U672c");
        assert_eq!(field_name("naïve-π"), "naive_u3c0");
        assert_ne!(field_name("日"), field_name("本"));
        for name in ["ünïcödé", "日本", "Ωμέγα", "😀"] {
            syn::parse_str::<syn::Ident>(&field_name(name)).unwrap();
            syn::parse_str::<syn::Ident>(&type_name(name)).unwrap();
        }
    }

    #[test]
    fn operation_ids_become_names_within_their_group() {
        for (id, group, name) in [
            ("listPets", "pets", "list_pets"),
            ("pets_list", "pets", "list"),
            ("Get a pet!", "pets", "get_a_pet"),
            ("pets", "pets", "pets"),
            ("access_tokens_get", "access_tokens", "get"),
            ("type", "things", "r#type"),
        ] {
            assert_eq!(operation_name(id, group), name, "{id} in {group}");
        }
        assert_eq!(argument_name("query"), "query_param");
        assert_eq!(
            api_name("Swagger Petstore").as_deref(),
            Some("swagger-petstore")
        );
        assert_eq!(
            api_name("Oxide Region API").as_deref(),
            Some("oxide-region-api")
        );
        assert_eq!(api_name("2.0 API"), None);
        assert_eq!(api_name("  "), None);
        assert_eq!(argument_name("If-Match"), "if_match");
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

    #[test]
    fn credential_setters() {
        let mut taken = Vec::new();
        for (scheme, setter) in [
            ("ShopKey", "with_shop_key"),
            ("api_key", "with_api_key"),
            // The client's own method, and a name an earlier scheme took.
            ("timeout", "with_timeout_2"),
            ("ApiKey", "with_api_key_2"),
            ("", "with_credential"),
        ] {
            assert_eq!(credential_setter(scheme, &mut taken), setter, "{scheme}");
        }
    }
}
