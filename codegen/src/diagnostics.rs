//! Diagnostics: every problem the generator finds in its input, with the file, the place in it
//! (a JSON pointer or a line:column) and a hint. Each phase collects all of its problems before
//! the pipeline stops, so a user sees every mistake in one run.

use std::fmt;

/// Where in the input a node sits: the file (relative to the schema directory) and a JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The input file, as given to [`crate::generate`].
    pub file: String,
    /// A JSON pointer into that file (RFC 6901), or `line L, column C` for syntax errors.
    pub pointer: String,
}

impl Location {
    /// The root of `file`.
    pub fn root(file: &str) -> Location {
        Location {
            file: file.to_owned(),
            pointer: String::new(),
        }
    }

    /// The location of a child member or index, with `~` and `/` escaped as RFC 6901 says.
    pub fn child(&self, segment: impl fmt::Display) -> Location {
        use fmt::Write as _;
        let mut pointer = String::with_capacity(self.pointer.len() + 24);
        pointer.push_str(&self.pointer);
        pointer.push('/');
        let start = pointer.len();
        let _ = write!(pointer, "{segment}");
        if pointer[start..].contains(['~', '/']) {
            let escaped = pointer[start..].replace('~', "~0").replace('/', "~1");
            pointer.truncate(start);
            pointer.push_str(&escaped);
        }
        Location {
            file: self.file.clone(),
            pointer,
        }
    }
}

impl Location {
    /// A position in a text file, 1-based.
    pub fn line_column(file: &str, line: usize, column: usize) -> Location {
        Location {
            file: file.to_owned(),
            pointer: format!("line {line}:{column}"),
        }
    }

    /// The line and column (1-based, in bytes) of byte `offset` of `bytes`: where a file stops
    /// being UTF-8, for instance.
    pub fn at_byte(file: &str, bytes: &[u8], offset: usize) -> Location {
        let before = &bytes[..offset.min(bytes.len())];
        let line = before.iter().filter(|byte| **byte == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|byte| *byte == b'\n')
            .map_or(0, |newline| newline + 1);
        Location::line_column(file, line, before.len() - line_start + 1)
    }

    /// Whether the location is written `file#pointer` (a JSON pointer into the file), as
    /// `codegen.lock` and the configuration's overrides name places; else it is written as a
    /// line and column, a table entry, or the file alone.
    pub fn is_json_pointer(&self) -> bool {
        !self.pointer.is_empty()
            && !self.pointer.starts_with("line ")
            && !self.pointer.starts_with('[')
    }

    /// An entry of a TOML table, as in `codegen.toml [types] "key"`.
    pub fn table_entry(file: &str, table: &str, key: &str) -> Location {
        Location {
            file: file.to_owned(),
            pointer: format!("[{table}] {key:?}"),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_json_pointer() {
            write!(f, "{}#{}", self.file, self.pointer)
        } else if let Some(position) = self.pointer.strip_prefix("line ") {
            write!(f, "{}:{position}", self.file)
        } else if self.pointer.starts_with('[') {
            write!(f, "{} {}", self.file, self.pointer)
        } else {
            write!(f, "{}", self.file)
        }
    }
}

/// One problem in the input.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Where the problem is.
    pub location: Location,
    /// What is wrong, lowercase, no trailing period.
    pub message: String,
    /// What to do about it.
    pub hint: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "error: {}: {}\n  hint: {}",
            self.location, self.message, self.hint
        )
    }
}

/// The problems one phase found. The pipeline stops after a phase that found any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records a problem.
    pub fn error(
        &mut self,
        location: &Location,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.items.push(Diagnostic {
            location: location.clone(),
            message: message.into(),
            hint: hint.into(),
        });
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The recorded problems, sorted by file and place so output does not depend on input order.
    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }

    /// Ends a phase: `Ok(value)` when nothing was recorded, otherwise every problem, sorted.
    pub fn finish<T>(mut self, value: T) -> Result<T, Diagnostics> {
        if self.items.is_empty() {
            Ok(value)
        } else {
            self.items.sort();
            self.items.dedup();
            Err(self)
        }
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.items {
            writeln!(f, "{diagnostic}")?;
        }
        write!(f, "{} error(s)", self.items.len())
    }
}

impl std::error::Error for Diagnostics {}

impl Diagnostics {
    /// Takes over every problem of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }
}

#[cfg(test)]
mod tests {
    use super::Location;

    #[test]
    fn a_child_pointer_escapes_tilde_and_slash() {
        let location = Location::root("a.json")
            .child("methods")
            .child("a/b~c")
            .child(3);
        assert_eq!(location.pointer, "/methods/a~1b~0c/3");
        assert_eq!(location.file, "a.json");
    }
}
