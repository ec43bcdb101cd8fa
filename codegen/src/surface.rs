//! The public surface of generated crates, and what changed in it between two generations, in
//! API terms: types and methods added, removed and renamed, fields added, removed and retyped,
//! enum values added and removed, method signatures changed; each classified as breaking or not
//! under Rust's semver rules as they apply to the generated code (`#[non_exhaustive]` structs
//! and enums, constructors taking the required fields).
//!
//! The surface is read from the generated Rust source itself (with syn), so the report describes
//! what users compile against, whichever generator version wrote the older files.

use std::collections::{BTreeMap, BTreeSet};

/// The public types of a models crate and the methods of a client crate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Surface {
    /// Types by path within the models crate (`ApiIdentity`, `query::AccessTokensListQuery`).
    pub types: BTreeMap<String, TypeSurface>,
    /// Client methods by `group::Handle::method`, with their signatures as text.
    pub methods: BTreeMap<String, String>,
}

/// A public type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeSurface {
    /// A struct.
    Struct {
        /// Whether it is `#[non_exhaustive]`.
        non_exhaustive: bool,
        /// Field name -> type, as text.
        fields: BTreeMap<String, String>,
    },
    /// An enum.
    Enum {
        /// Whether it is `#[non_exhaustive]`.
        non_exhaustive: bool,
        /// Its variants.
        variants: BTreeSet<String>,
    },
}

/// One change, in API terms.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// Whether code that compiled against the old crates may stop compiling.
    pub breaking: bool,
    /// What changed, in API terms.
    pub text: String,
}

impl Surface {
    /// The surface of a generated models crate (`lib.rs`, and the client crate's `lib.rs` when
    /// given), each one file with its modules inline. Text that does not parse contributes
    /// nothing.
    pub fn read(models: Option<&str>, client: Option<&str>) -> Surface {
        let parse = |text: Option<&str>| text.and_then(|text| syn::parse_file(text).ok());
        Surface::read_files(parse(models), parse(client))
    }

    /// The surface of the generated crates whose source files `models` and `client` read, by
    /// name relative to `src/` (`lib.rs`, `files.rs`): modules declared in `lib.rs` (`pub mod
    /// files;`) are read from their own files.
    pub fn read_crates(
        models: &dyn Fn(&str) -> Option<String>,
        client: &dyn Fn(&str) -> Option<String>,
    ) -> Surface {
        Surface::read_files(read_crate(models), read_crate(client))
    }

    fn read_files(models: Option<syn::File>, client: Option<syn::File>) -> Surface {
        let mut surface = Surface::default();
        if let Some(file) = models {
            read_types(&file.items, "", &mut surface.types);
        }
        if let Some(file) = client {
            for item in &file.items {
                let syn::Item::Mod(module) = item else {
                    continue;
                };
                let Some((_, items)) = &module.content else {
                    continue;
                };
                let group = module.ident.to_string();
                for item in items {
                    let syn::Item::Impl(block) = item else {
                        continue;
                    };
                    let handle = type_name(&block.self_ty);
                    for member in &block.items {
                        let syn::ImplItem::Fn(function) = member else {
                            continue;
                        };
                        if matches!(function.vis, syn::Visibility::Public(_)) {
                            surface.methods.insert(
                                format!("{group}::{handle}::{}", function.sig.ident),
                                signature(&function.sig),
                            );
                        }
                    }
                }
            }
        }
        surface
    }
}

/// A crate's `lib.rs` with its top-level modules' files read in, or `None` when `lib.rs` is
/// missing or does not parse (a module file that does not parse leaves its module empty).
fn read_crate(read: &dyn Fn(&str) -> Option<String>) -> Option<syn::File> {
    let mut file = syn::parse_file(&read("lib.rs")?).ok()?;
    for item in &mut file.items {
        if let syn::Item::Mod(module) = item {
            if module.content.is_none() {
                let items = read(&format!("{}.rs", module.ident))
                    .and_then(|text| syn::parse_file(&text).ok())
                    .map(|inner| inner.items)
                    .unwrap_or_default();
                module.content = Some((Default::default(), items));
            }
        }
    }
    // A private module's items are reached through the crate root's re-exports of them
    // (`mod runtime; pub use runtime::*;` or `pub use runtime::Name;`): they are read as items
    // of the root.
    let mut reexported: BTreeMap<String, Option<BTreeSet<String>>> = BTreeMap::new();
    for item in &file.items {
        let syn::Item::Use(import) = item else {
            continue;
        };
        let syn::UseTree::Path(path) = &import.tree else {
            continue;
        };
        if !matches!(import.vis, syn::Visibility::Public(_)) {
            continue;
        }
        let names = reexported
            .entry(path.ident.to_string())
            .or_insert_with(|| Some(BTreeSet::new()));
        match (&*path.tree, names) {
            (syn::UseTree::Glob(_), names) => *names = None,
            (syn::UseTree::Name(name), Some(names)) => {
                names.insert(name.ident.to_string());
            }
            _ => {}
        }
    }
    let mut flattened = Vec::new();
    for item in file.items {
        match item {
            syn::Item::Mod(module)
                if matches!(module.vis, syn::Visibility::Inherited)
                    && reexported.contains_key(&module.ident.to_string()) =>
            {
                let names = &reexported[&module.ident.to_string()];
                let items = module.content.map(|(_, items)| items).unwrap_or_default();
                flattened.extend(
                    items
                        .into_iter()
                        .filter(|item| match (names, item_name(item)) {
                            (None, _) => true,
                            (Some(names), Some(name)) => names.contains(&name),
                            (Some(_), None) => false,
                        }),
                );
            }
            other => flattened.push(other),
        }
    }
    file.items = flattened;
    Some(file)
}

/// The name an item is known by, for the items the surface reads.
fn item_name(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(definition) => Some(definition.ident.to_string()),
        syn::Item::Enum(definition) => Some(definition.ident.to_string()),
        syn::Item::Type(definition) => Some(definition.ident.to_string()),
        syn::Item::Fn(definition) => Some(definition.sig.ident.to_string()),
        _ => None,
    }
}

/// The name of a path type (`Things<'_>` -> `Things`), or empty.
pub(crate) fn type_name(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .map(|segment| segment.ident.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// Every `type <Name> <place>` line of a `codegen.lock` text, as place -> name.
pub fn names_by_place(lock: &str) -> BTreeMap<String, String> {
    lock.lines()
        .filter_map(|line| {
            let (name, place) = line.strip_prefix("type ")?.split_once(' ')?;
            Some((place.trim().to_owned(), name.to_owned()))
        })
        .collect()
}

fn read_types(items: &[syn::Item], prefix: &str, types: &mut BTreeMap<String, TypeSurface>) {
    let non_exhaustive = |attrs: &[syn::Attribute]| {
        attrs
            .iter()
            .any(|attr| attr.path().is_ident("non_exhaustive"))
    };
    for item in items {
        match item {
            syn::Item::Struct(definition)
                if matches!(definition.vis, syn::Visibility::Public(_)) =>
            {
                let fields = definition
                    .fields
                    .iter()
                    .filter(|field| matches!(field.vis, syn::Visibility::Public(_)))
                    .filter_map(|field| {
                        Some((field.ident.as_ref()?.to_string(), type_text(&field.ty)))
                    })
                    .collect();
                types.insert(
                    format!("{prefix}{}", definition.ident),
                    TypeSurface::Struct {
                        non_exhaustive: non_exhaustive(&definition.attrs),
                        fields,
                    },
                );
            }
            syn::Item::Enum(definition) if matches!(definition.vis, syn::Visibility::Public(_)) => {
                types.insert(
                    format!("{prefix}{}", definition.ident),
                    TypeSurface::Enum {
                        non_exhaustive: non_exhaustive(&definition.attrs),
                        variants: definition
                            .variants
                            .iter()
                            .map(|variant| variant.ident.to_string())
                            .collect(),
                    },
                );
            }
            syn::Item::Mod(module) if matches!(module.vis, syn::Visibility::Public(_)) => {
                if let Some((_, items)) = &module.content {
                    read_types(items, &format!("{prefix}{}::", module.ident), types);
                }
            }
            _ => {}
        }
    }
}

/// A signature as prettyplease writes it: `async fn get(&self, id: &str) -> Result<T, Error>`.
/// A method that returns `impl Future<Output = T>` reads as the `async fn` returning `T` it
/// stands for: a caller awaits either the same way (and the future that borrows only `self`
/// asks less of the caller than the `async fn`'s, which borrows every argument).
fn signature(sig: &syn::Signature) -> String {
    let mut sig = sig.clone();
    if let Some(output) = future_output(&sig.output) {
        sig.asyncness = Some(Default::default());
        sig.output = syn::ReturnType::Type(Default::default(), Box::new(output));
    }
    let function: syn::ItemFn = syn::parse_quote!(#sig {});
    let text = prettyplease::unparse(&syn::File {
        shebang: None,
        frontmatter: None,
        attrs: Vec::new(),
        items: vec![syn::Item::Fn(function)],
    });
    // A group's methods name the crate's own items from inside the group's module, as
    // `crate::X` or `super::X`: the same item either way.
    one_line(text.trim_end().trim_end_matches("{}"))
        .replace("crate::", "")
        .replace("super::", "")
}

/// `T` of a return type `impl Future<Output = T>` (with lifetime bounds or not).
fn future_output(output: &syn::ReturnType) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let syn::Type::ImplTrait(bounds) = ty.as_ref() else {
        return None;
    };
    let mut traits = bounds.bounds.iter().filter_map(|bound| match bound {
        syn::TypeParamBound::Trait(bound) => Some(bound),
        _ => None,
    });
    let (Some(bound), None) = (traits.next(), traits.next()) else {
        return None;
    };
    let last = bound.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    if last.ident != "Future" || arguments.args.len() != 1 {
        return None;
    }
    match arguments.args.first()? {
        syn::GenericArgument::AssocType(output) if output.ident == "Output" => {
            Some(output.ty.clone())
        }
        _ => None,
    }
}

/// A type as prettyplease writes it: `Option<Vec<String>>`.
fn type_text(ty: &syn::Type) -> String {
    let alias: syn::ItemType = syn::parse_quote!(type T = #ty;);
    let text = prettyplease::unparse(&syn::File {
        shebang: None,
        frontmatter: None,
        attrs: Vec::new(),
        items: vec![syn::Item::Type(alias)],
    });
    one_line(
        text.trim()
            .trim_start_matches("type T =")
            .trim_end_matches(';'),
    )
}

/// Text that prettyplease broke over lines, on one line.
fn one_line(text: &str) -> String {
    let joined: Vec<&str> = text.split_whitespace().collect();
    joined
        .join(" ")
        .replace("( ", "(")
        .replace(" )", ")")
        .replace(", )", ")")
        .replace(",)", ")")
        .replace("< ", "<")
        .replace(" >", ">")
}

/// The changes from `old` to `new`. `renames` maps old type names to new ones where a type kept
/// its places under another name (from the two lock files); such types are reported renamed
/// instead of removed and added.
pub fn changes(old: &Surface, new: &Surface, renames: &BTreeMap<String, String>) -> Vec<Change> {
    let mut res = BTreeSet::new();
    let mut push = |breaking: bool, text: String| {
        res.insert(Change { breaking, text });
    };
    let renamed_to: BTreeSet<&String> = renames
        .iter()
        .filter(|(old_name, new_name)| {
            old_name != new_name
                && !new.types.contains_key(*old_name)
                && old.types.contains_key(*old_name)
                && new.types.contains_key(*new_name)
        })
        .map(|(_, new_name)| new_name)
        .collect();
    for (name, old_type) in &old.types {
        let Some(new_type) = new.types.get(name) else {
            match renames
                .get(name)
                .filter(|target| renamed_to.contains(target))
            {
                Some(target) => push(true, format!("type `{name}` renamed to `{target}`")),
                None => push(true, format!("type `{name}` removed")),
            }
            continue;
        };
        compare_type(name, old_type, new_type, &mut push);
    }
    for name in new.types.keys() {
        if !old.types.contains_key(name) && !renamed_to.contains(name) {
            push(false, format!("type `{name}` added"));
        }
    }
    for (name, signature) in &old.methods {
        match new.methods.get(name) {
            None => push(true, format!("method `{name}` removed")),
            Some(now) if now != signature => push(
                true,
                format!("method `{name}` changed signature: `{signature}` -> `{now}`"),
            ),
            Some(_) => {}
        }
    }
    for name in new.methods.keys() {
        if !old.methods.contains_key(name) {
            push(false, format!("method `{name}` added"));
        }
    }
    res.into_iter().collect()
}

fn compare_type(
    name: &str,
    old: &TypeSurface,
    new: &TypeSurface,
    push: &mut impl FnMut(bool, String),
) {
    match (old, new) {
        (
            TypeSurface::Struct {
                non_exhaustive: was_open,
                fields: old_fields,
            },
            TypeSurface::Struct {
                non_exhaustive,
                fields,
            },
        ) => {
            if *non_exhaustive && !was_open {
                push(true, format!("struct `{name}` became `#[non_exhaustive]`"));
            }
            for (field, ty) in old_fields {
                match fields.get(field) {
                    None => push(true, format!("field `{name}::{field}` removed")),
                    Some(now) if now != ty => push(
                        true,
                        format!("field `{name}::{field}` changed type: `{ty}` -> `{now}`"),
                    ),
                    Some(_) => {}
                }
            }
            for (field, ty) in fields {
                if old_fields.contains_key(field) {
                    continue;
                }
                // A struct literal must name every field unless the struct is non-exhaustive;
                // a required field also changes `new`.
                let optional = ty.starts_with("Option<");
                let breaking = !*was_open || !optional;
                let what = if optional { "optional" } else { "required" };
                push(
                    breaking,
                    format!("field `{name}::{field}` added ({what}, `{ty}`)"),
                );
            }
        }
        (
            TypeSurface::Enum {
                non_exhaustive: was_open,
                variants: old_variants,
            },
            TypeSurface::Enum {
                non_exhaustive,
                variants,
            },
        ) => {
            if *non_exhaustive && !was_open {
                push(true, format!("enum `{name}` became `#[non_exhaustive]`"));
            }
            for variant in old_variants.difference(variants) {
                push(true, format!("enum value `{name}::{variant}` removed"));
            }
            for variant in variants.difference(old_variants) {
                push(!*was_open, format!("enum value `{name}::{variant}` added"));
            }
        }
        _ => push(true, format!("type `{name}` changed kind")),
    }
}

/// Old type names whose places now (mostly) carry another name: from the old and new
/// `codegen.lock` texts (`type <Name> <place>` lines).
pub fn renames(old_lock: &str, new_lock: &str) -> BTreeMap<String, String> {
    let (old, new) = (names_by_place(old_lock), names_by_place(new_lock));
    let mut votes: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for (place, old_name) in &old {
        if let Some(new_name) = new.get(place) {
            *votes
                .entry(old_name.as_str())
                .or_default()
                .entry(new_name.as_str())
                .or_default() += 1;
        }
    }
    votes
        .into_iter()
        .filter_map(|(old_name, counts)| {
            let (new_name, _) = counts.into_iter().max_by_key(|(_, count)| *count)?;
            (new_name != old_name).then(|| (old_name.to_owned(), new_name.to_owned()))
        })
        .collect()
}

/// `N changes (M breaking)`.
pub fn headline(changes: &[Change]) -> String {
    let breaking = changes.iter().filter(|change| change.breaking).count();
    format!("{} changes ({breaking} breaking)", changes.len())
}

/// The report as lines: breaking changes first.
pub fn render(changes: &[Change]) -> String {
    let mut res = String::new();
    for change in changes.iter().filter(|change| change.breaking) {
        res.push_str(&format!("  breaking: {}\n", change.text));
    }
    for change in changes.iter().filter(|change| !change.breaking) {
        res.push_str(&format!("  compatible: {}\n", change.text));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = r#"
        #[non_exhaustive]
        pub struct Thing { pub name: Option<String>, pub size: Option<u64> }
        #[non_exhaustive]
        pub enum Colour { Red, Unknown(UnknownValue) }
        pub enum Closed { A }
        pub struct Gone { pub x: String }
        pub struct Old { pub y: String }
        pub mod query { #[non_exhaustive] pub struct ListQuery { pub after: Option<String> } }
    "#;
    const NEW: &str = r#"
        #[non_exhaustive]
        pub struct Thing { pub name: Option<String>, pub size: Option<String>, pub tag: Option<String>, pub id: String }
        #[non_exhaustive]
        pub enum Colour { Red, Blue, Unknown(UnknownValue) }
        pub enum Closed { A, B }
        pub struct Renamed { pub y: String }
        pub mod query { #[non_exhaustive] pub struct ListQuery { pub after: Option<String>, pub limit: Option<String> } }
        pub struct Fresh {}
    "#;
    const OLD_CLIENT: &str = r#"
        pub mod things { impl Things<'_> {
            pub async fn get(&self, id: &str) -> Result<models::Thing, Error> { todo!() }
            pub async fn list(&self) -> Result<Vec<models::Thing>, Error> { todo!() }
        } }
    "#;
    const NEW_CLIENT: &str = r#"
        pub mod things { impl Things<'_> {
            pub async fn get(&self, id: &str, query: &models::query::GetQuery) -> Result<models::Thing, Error> { todo!() }
            pub async fn create(&self) -> Result<(), Error> { todo!() }
        } }
    "#;

    #[test]
    fn changes_are_named_and_classified() {
        let old = Surface::read(Some(OLD), Some(OLD_CLIENT));
        let new = Surface::read(Some(NEW), Some(NEW_CLIENT));
        let renames = BTreeMap::from([("Old".to_owned(), "Renamed".to_owned())]);
        let report = render(&changes(&old, &new, &renames));
        let expected = "  \
breaking: enum value `Closed::B` added
  breaking: field `Thing::id` added (required, `String`)
  breaking: field `Thing::size` changed type: `Option<u64>` -> `Option<String>`
  breaking: method `things::Things::get` changed signature: `async fn get(&self, id: &str) -> Result<models::Thing, Error>` -> `async fn get(&self, id: &str, query: &models::query::GetQuery) -> Result<models::Thing, Error>`
  breaking: method `things::Things::list` removed
  breaking: type `Gone` removed
  breaking: type `Old` renamed to `Renamed`
  compatible: enum value `Colour::Blue` added
  compatible: field `Thing::tag` added (optional, `Option<String>`)
  compatible: field `query::ListQuery::limit` added (optional, `Option<String>`)
  compatible: method `things::Things::create` added
  compatible: type `Fresh` added
";
        assert_eq!(report, expected);
    }

    /// A group's methods name the crate root's items as `crate::X` or `super::X`: one item.
    #[test]
    fn paths_to_the_crate_root_read_alike() {
        let client = |root: &str| {
            format!(
                "pub mod things {{ impl Things<'_> {{ pub async fn get(&self) -> Result<{root}::Tagged<models::Thing>, Error> {{ todo!() }} }} }}"
            )
        };
        let old = Surface::read(None, Some(&client("crate")));
        let new = Surface::read(None, Some(&client("super")));
        assert_eq!(old.methods.len(), 1);
        assert!(changes(&old, &new, &BTreeMap::new()).is_empty());
    }

    /// A method returning `impl Future<Output = T>` is the `async fn` returning `T` to its
    /// callers; its output type still counts.
    #[test]
    fn a_method_returning_a_future_reads_as_async() {
        let client = |get: &str| format!("pub mod things {{ impl Things<'_> {{ {get} }} }}");
        let old = Surface::read(
            None,
            Some(&client(
                "pub async fn get(&self, id: &str) -> Result<models::Thing, Error> { todo!() }",
            )),
        );
        let same = Surface::read(
            None,
            Some(&client("pub fn get(&self, id: &str) -> impl Future<Output = Result<models::Thing, Error>> + '_ { todo!() }")),
        );
        let other = Surface::read(
            None,
            Some(&client("pub fn get(&self, id: &str) -> impl std::future::Future<Output = Result<models::Other, Error>> + '_ { todo!() }")),
        );
        assert!(changes(&old, &same, &BTreeMap::new()).is_empty());
        assert_eq!(
            render(&changes(&old, &other, &BTreeMap::new())),
            "  breaking: method `things::Things::get` changed signature: `async fn get(&self, id: &str) -> Result<models::Thing, Error>` -> `async fn get(&self, id: &str) -> Result<models::Other, Error>`\n"
        );
    }

    #[test]
    fn renames_follow_places() {
        let old = "type Old a.json#/x\ntype Old b.json#/x\ntype Same c.json#/x\n";
        let new = "type New a.json#/x\ntype New b.json#/x\ntype Same c.json#/x\n";
        assert_eq!(
            renames(old, new),
            BTreeMap::from([("Old".to_owned(), "New".to_owned())])
        );
    }
}
