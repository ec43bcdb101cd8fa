//! A short string a `pattern` matches, for the conformance crate's examples: a string field
//! whose schema gives a pattern (Dropshot's `Name`, a semantic version, an IP network) gets an
//! example the pattern accepts instead of the plain `"1"`.
//!
//! The pattern is read by `regex-syntax` (OpenAPI writes ECMAScript patterns; the common subset
//! is the same, `\d` and `\w` are ASCII as in ECMAScript) and the example is built from its
//! parts: each literal, the first alternative, a repetition's minimum, a class's plainest member.
//! Look-around, which `regex-syntax` does not read, is left out before parsing: the example
//! matches the rest of the pattern and is short enough that the usual look-ahead (Dropshot's
//! "not a UUID") holds for it.

use regex_syntax::hir::{Class, Hir, HirKind};

/// The longest example built; a pattern that asks for more gets none.
const MAX_LENGTH: usize = 256;

/// A short string `pattern` matches, or `None` when the pattern cannot be read or asks for a
/// long string.
pub fn pattern_example(pattern: &str) -> Option<String> {
    let pattern = without_lookaround(pattern)?;
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(&pattern)
        .ok()?;
    let mut text = Vec::new();
    write(&hir, &mut text)?;
    String::from_utf8(text).ok()
}

/// Appends the shortest plain string `hir` matches; `None` past [`MAX_LENGTH`].
fn write(hir: &Hir, text: &mut Vec<u8>) -> Option<()> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(literal) => text.extend_from_slice(&literal.0),
        HirKind::Class(Class::Unicode(class)) => {
            let ranges = class
                .ranges()
                .iter()
                .map(|range| (u32::from(range.start()), u32::from(range.end())));
            let member = plainest(ranges)?;
            let mut buffer = [0; 4];
            text.extend_from_slice(char::from_u32(member)?.encode_utf8(&mut buffer).as_bytes());
        }
        HirKind::Class(Class::Bytes(class)) => {
            let ranges = class
                .ranges()
                .iter()
                .map(|range| (u32::from(range.start()), u32::from(range.end())));
            let member = plainest(ranges)?;
            // A byte past ASCII alone is no text.
            text.push(u8::try_from(member).ok().filter(u8::is_ascii)?);
        }
        HirKind::Repetition(repetition) => {
            for _ in 0..repetition.min {
                write(&repetition.sub, text)?;
                if text.len() > MAX_LENGTH {
                    return None;
                }
            }
        }
        HirKind::Capture(capture) => write(&capture.sub, text)?,
        HirKind::Concat(parts) => {
            for part in parts {
                write(part, text)?;
            }
        }
        HirKind::Alternation(parts) => write(parts.first()?, text)?,
    }
    (text.len() <= MAX_LENGTH).then_some(())
}

/// The member of a class an example uses: `a`, `0` or `A` when the class has it, else its first
/// printable ASCII character, else its first member.
fn plainest(ranges: impl Iterator<Item = (u32, u32)> + Clone) -> Option<u32> {
    let has = |wanted: u32| {
        ranges
            .clone()
            .any(|(start, end)| (start..=end).contains(&wanted))
    };
    if let Some(plain) = ['a', '0', 'A'].into_iter().map(u32::from).find(|&c| has(c)) {
        return Some(plain);
    }
    let printable = ranges.clone().find_map(|(start, end)| {
        let start = start.max(0x21);
        (start <= end.min(0x7e)).then_some(start)
    });
    printable.or_else(|| ranges.clone().next().map(|(start, _)| start))
}

/// `pattern` without its look-around groups (`(?=`, `(?!`, `(?<=`, `(?<!`); `None` when one is
/// not closed.
fn without_lookaround(pattern: &str) -> Option<String> {
    let bytes = pattern.as_bytes();
    let mut kept = String::with_capacity(pattern.len());
    let mut index = 0;
    while index < bytes.len() {
        let rest = &pattern[index..];
        let lookaround = ["(?=", "(?!", "(?<=", "(?<!"]
            .iter()
            .find(|opening| rest.starts_with(**opening));
        match lookaround {
            Some(opening) => index = group_end(pattern, index + opening.len())?,
            None => {
                let next = next_token(pattern, index)?;
                kept.push_str(&pattern[index..next]);
                index = next;
            }
        }
    }
    Some(kept)
}

/// The index after the `)` that closes a group whose contents start at `index`.
fn group_end(pattern: &str, mut index: usize) -> Option<usize> {
    let mut depth = 1;
    while index < pattern.len() {
        match pattern.as_bytes()[index] {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(index + 1);
                }
            }
            _ => {}
        }
        index = next_token(pattern, index)?;
    }
    None
}

/// The index after the token at `index`: an escape (`\)`), a character class (`[)]`), or one
/// character.
fn next_token(pattern: &str, index: usize) -> Option<usize> {
    let bytes = pattern.as_bytes();
    match bytes[index] {
        b'\\' => {
            let escaped = pattern[index + 1..].chars().next()?;
            Some(index + 1 + escaped.len_utf8())
        }
        b'[' => {
            let mut at = index + 1;
            // A `]` first in the class (or after `^`) is a member.
            if bytes.get(at) == Some(&b'^') {
                at += 1;
            }
            if bytes.get(at) == Some(&b']') {
                at += 1;
            }
            while at < bytes.len() {
                match bytes[at] {
                    b'\\' => at += 2,
                    b']' => return Some(at + 1),
                    _ => at += 1,
                }
            }
            None
        }
        _ => Some(index + pattern[index..].chars().next()?.len_utf8()),
    }
}

#[cfg(test)]
mod tests {
    use super::pattern_example;

    #[test]
    fn examples_follow_the_patterns_real_documents_use() {
        for (pattern, example) in [
            // Dropshot's `Name`: not a UUID, lower case, no trailing hyphen.
            (
                "^(?![0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$)^[a-z][a-z0-9-]*[a-zA-Z0-9]$",
                "aa",
            ),
            (r"^\d+\.\d+\.\d+([\-\+].+)?$", "0.0.0"),
            (
                r"^(([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])\.){3}([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])/([8-9]|1[0-9]|2[0-9]|3[0-2])$",
                "0.0.0.0/8",
            ),
            (
                r"^([fF][dD])[0-9a-fA-F]{2}:(([0-9a-fA-F]{1,4}:){6}[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,6}:)\/([1-9]|[1-9][0-9]|1[0-1][0-9]|12[0-8])$",
                "FDaa:a:a:a:a:a:a:a/1",
            ),
            ("^[0-9]{1,5}(-[0-9]{1,5})?$", "0"),
            ("^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$", "aa:aa:aa:aa:aa:aa"),
            (r"[a-z-]+\.[a-z-]+", "a.a"),
            (
                "(([a-z]+[a-z0-9]*)(_([a-z0-9]+))*):(([a-z]+[a-z0-9]*)(_([a-z0-9]+))*)",
                "a:a",
            ),
            // Classes with a `]` or `)` inside, and a look-behind.
            (r"^[])]x(?<=x)\)$", ")x)"),
            ("^[^a-z]$", "0"),
        ] {
            assert_eq!(
                pattern_example(pattern).as_deref(),
                Some(example),
                "{pattern}"
            );
        }
    }

    #[test]
    fn unreadable_or_long_patterns_give_none() {
        for pattern in [
            "(unclosed",
            "(?!unclosed",
            "[unclosed",
            "a{1000}",
            r"\p{Greek}",
        ] {
            assert_eq!(pattern_example(pattern), None, "{pattern}");
        }
    }
}
