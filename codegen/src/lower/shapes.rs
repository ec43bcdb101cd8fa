//! Structural deduplication. Every object and enum schema is reduced to a [`ShapeKey`]: for an
//! object its properties (name, description, requiredness and type, sorted by name), for an enum
//! its sorted value list. Equal keys are one shape, however many times and wherever they occur.
//! Children are interned before their parents, so a key refers to inner shapes by index.

use std::collections::BTreeMap;

use crate::diagnostics::Location;
use crate::frontend::{Schema, SchemaKind};
use crate::ident;

/// A type as the structural table sees it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TyKey {
    String,
    Number,
    Integer,
    /// An integer that may exceed `i64` (`uint64`): `u64`.
    Unsigned,
    Boolean,
    JsonObject,
    Any,
    Array(Box<TyKey>),
    Map(Box<TyKey>),
    Shape(usize),
}

/// The identity of a shape: two schemas with equal keys become one type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ShapeKey {
    Struct(Vec<FieldKey>),
    Enum(Vec<String>),
    /// A tagged union: the tag property (`None`: external tagging) and the variants, sorted by
    /// tag value.
    Union(crate::ir::UnionForm, Vec<VariantKey>),
}

/// A variant of a tagged union as far as identity goes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct VariantKey {
    pub value: String,
    pub description: Option<String>,
    /// The struct of its other properties, if it has any.
    pub ty: Option<TyKey>,
}

/// A property as far as identity goes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FieldKey {
    pub name: String,
    pub description: Option<String>,
    pub required: bool,
    pub secret: bool,
    /// `format: byte`: the string is base64 text.
    pub base64: bool,
    pub ty: TyKey,
    /// The string's `format` (`date-time`, `uuid`, ...), or its list items', which is not part of
    /// the identity.
    pub format: Unkeyed<Option<String>>,
    /// The string's `pattern`, or its list items', which is not part of the identity either.
    pub pattern: Unkeyed<Option<String>>,
}

/// A value carried along a key without being part of it: every two compare equal.
#[derive(Debug, Clone, Default)]
pub struct Unkeyed<T>(pub T);

impl<T> PartialEq for Unkeyed<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<T> Eq for Unkeyed<T> {}

impl<T> PartialOrd for Unkeyed<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<T> Ord for Unkeyed<T> {
    fn cmp(&self, _: &Self) -> std::cmp::Ordering {
        std::cmp::Ordering::Equal
    }
}

/// How good a name candidate is; lower is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    /// Named in `codegen.toml`.
    Override,
    /// The name the input gives the schema (an OpenAPI component's).
    Component,
    /// Named in an earlier run, as `codegen.lock` records.
    Locked,
    /// A request or response schema whose description is an identifier (`api_identity`).
    TopLevelIdentifier,
    /// An inline schema whose description is an identifier other than its property name.
    InlineIdentifier,
    /// The property name alone (`user`), or its singular for array elements.
    Property,
    /// The parent's name and the property name (`ApiAccessTokenMetadataUser`).
    Qualified,
}

/// A name a shape could take.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    pub tier: Tier,
    pub name: String,
}

impl Candidate {
    pub fn new(tier: Tier, hint: &str) -> Candidate {
        Candidate {
            tier,
            name: ident::type_name(hint),
        }
    }
}

/// One place a shape occurs.
#[derive(Debug, Clone)]
pub struct Occurrence {
    pub location: Location,
    pub description: Option<String>,
}

/// A deduplicated shape with everything its occurrences said about it.
#[derive(Debug, Clone)]
pub struct Shape {
    pub key: ShapeKey,
    /// A hash of the key that does not depend on the order shapes were found in (inner shapes
    /// enter by their own fingerprint), by which a `codegen.lock` written before names were kept
    /// by place names the shape in any input; 0 when the lock is not such a one.
    pub fingerprint: u64,
    /// Properties in the order of the first occurrence (for structs).
    pub fields: Vec<FieldKey>,
    /// Values in the order of the first occurrence (for enums).
    pub values: Vec<String>,
    pub occurrences: Vec<Occurrence>,
    pub candidates: Vec<Candidate>,
}

impl Shape {
    /// A shape with no occurrence or name candidate yet.
    fn new(key: ShapeKey, fingerprint: u64, fields: Vec<FieldKey>, values: Vec<String>) -> Shape {
        Shape {
            key,
            fingerprint,
            fields,
            values,
            occurrences: Vec::new(),
            candidates: Vec::new(),
        }
    }
}

/// The table of shapes, in first-seen order.
#[derive(Debug, Default)]
pub struct ShapeTable {
    pub shapes: Vec<Shape>,
    pub index: BTreeMap<ShapeKey, usize>,
    /// Type name overrides from the configuration, keyed by `file#pointer`.
    pub overrides: BTreeMap<String, String>,
    /// Names from a `codegen.lock` written before names were kept by place, by fingerprint.
    pub locked: BTreeMap<u64, String>,
    /// The override keys that matched a schema.
    pub used_overrides: std::collections::BTreeSet<String>,
    pub object_occurrences: usize,
    pub enum_occurrences: usize,
    /// The schemas of the components that contain themselves, by name.
    pub recursive: BTreeMap<String, Schema>,
    /// Each recursive component's shape: reserved before its parts are lowered, so that a
    /// reference back to it inside them has an index to name.
    pub recursive_shapes: BTreeMap<String, usize>,
    /// Each component's type once lowered: a schema the input refers to from several places is
    /// lowered once, and is one occurrence, at its definition.
    pub components: BTreeMap<String, TyKey>,
}

/// The names a schema node could take, best first, decided by its context.
pub type Candidates = Vec<Candidate>;

impl ShapeTable {
    /// Lowers a schema and everything under it, returning its type. `candidates` makes the
    /// names the schema could take; it is called only when the schema is a shape to name (most
    /// nodes are strings and numbers, whose names would be thrown away).
    pub fn lower_schema(&mut self, schema: &Schema, candidates: &dyn Fn() -> Candidates) -> TyKey {
        if let Some(component) = &schema.component {
            if let Some(ty) = self.components.get(&component.name) {
                return ty.clone();
            }
        }
        let ty = self.lower_new_schema(schema, candidates);
        if let Some(component) = &schema.component {
            self.components.insert(component.name.clone(), ty.clone());
        }
        ty
    }

    fn lower_new_schema(&mut self, schema: &Schema, candidates: &dyn Fn() -> Candidates) -> TyKey {
        let mut reserved = None;
        if let Some(component) = schema
            .component
            .as_ref()
            .filter(|component| component.recursive)
        {
            // A recursive component is one shape however often it is reached: its index is
            // reserved before its parts, which refer back to it.
            if let Some(&index) = self.recursive_shapes.get(&component.name) {
                return TyKey::Shape(index);
            }
            let index = self.reserve();
            self.recursive_shapes.insert(component.name.clone(), index);
            reserved = Some(index);
        }
        self.lower_kind(schema, candidates, reserved)
    }

    /// A placeholder shape, filled in by `intern` once its parts are lowered.
    fn reserve(&mut self) -> usize {
        self.shapes.push(Shape::new(
            ShapeKey::Struct(Vec::new()),
            0,
            Vec::new(),
            Vec::new(),
        ));
        self.shapes.len() - 1
    }

    fn lower_kind(
        &mut self,
        schema: &Schema,
        candidates: &dyn Fn() -> Candidates,
        reserved: Option<usize>,
    ) -> TyKey {
        let named = || {
            let mut candidates = candidates();
            if let Some(component) = &schema.component {
                candidates.insert(0, Candidate::new(Tier::Component, &component.name));
            }
            candidates
        };
        match &schema.kind {
            SchemaKind::Recursive { component } => {
                if let Some(&index) = self.recursive_shapes.get(component) {
                    return TyKey::Shape(index);
                }
                // Reached outside the component (through a part of it used on its own).
                match self.recursive.get(component).cloned() {
                    Some(schema) => self.lower_schema(&schema, &Vec::new),
                    None => TyKey::Any,
                }
            }
            SchemaKind::Object { properties } => {
                self.object_occurrences += 1;
                let candidates = named();
                // Each parent name's words once, for the names of all its properties.
                let parents: Vec<String> = candidates
                    .iter()
                    .map(|candidate| ident::type_name_stem(&candidate.name))
                    .collect();
                let fields = properties
                    .iter()
                    .map(|property| FieldKey {
                        name: property.name.clone(),
                        description: property.schema.description.clone(),
                        // A property that may be `null` is an `Option` (null reads as absent).
                        required: property.required && !property.schema.nullable,
                        secret: matches!(&property.schema.kind, SchemaKind::String { format: Some(format), .. } if format == "password"),
                        base64: matches!(&property.schema.kind, SchemaKind::String { format: Some(format), .. } if format == "byte"),
                        ty: self.lower_schema(&property.schema, &|| property_candidates(&parents, &property.name, &property.schema)),
                        format: Unkeyed(text_part(&property.schema).and_then(|text| match &text.kind {
                            SchemaKind::String { format, .. } => format.clone(),
                            _ => None,
                        })),
                        pattern: Unkeyed(text_part(&property.schema).and_then(|text| text.pattern.clone())),
                    })
                    .collect::<Vec<_>>();
                let mut sorted = fields.clone();
                sorted.sort_by(|left, right| left.name.cmp(&right.name));
                self.intern(
                    ShapeKey::Struct(sorted),
                    fields,
                    Vec::new(),
                    schema,
                    candidates,
                    reserved,
                )
            }
            SchemaKind::String {
                values: Some(values),
                ..
            } => {
                self.enum_occurrences += 1;
                let mut sorted = values.clone();
                sorted.sort();
                self.intern(
                    ShapeKey::Enum(sorted),
                    Vec::new(),
                    values.clone(),
                    schema,
                    named(),
                    reserved,
                )
            }
            SchemaKind::Array { items } => {
                let element = || element_candidates(&named(), items);
                TyKey::Array(Box::new(self.lower_schema(items, &element)))
            }
            SchemaKind::Map { values } => {
                let element = || element_candidates(&named(), values);
                TyKey::Map(Box::new(self.lower_schema(values, &element)))
            }
            SchemaKind::Union { form, variants } => {
                let candidates = named();
                // A variant's struct is named after the union and its tag value.
                let variant_keys: Vec<VariantKey> = variants
                    .iter()
                    .map(|variant| VariantKey {
                        value: variant.value.clone(),
                        description: variant.description.clone(),
                        ty: variant.schema.as_ref().map(|inner| {
                            let names = || {
                                candidates
                                    .iter()
                                    .map(|candidate| {
                                        Candidate::new(
                                            candidate.tier.max(Tier::Property),
                                            &format!("{}_{}", candidate.name, variant.value),
                                        )
                                    })
                                    .collect()
                            };
                            self.lower_schema(inner, &names)
                        }),
                    })
                    .collect();
                let order = variants
                    .iter()
                    .map(|variant| variant.value.clone())
                    .collect();
                let mut sorted = variant_keys;
                sorted.sort();
                self.intern(
                    ShapeKey::Union(form.clone(), sorted),
                    Vec::new(),
                    order,
                    schema,
                    candidates,
                    reserved,
                )
            }
            SchemaKind::FreeObject => TyKey::JsonObject,
            SchemaKind::Any => TyKey::Any,
            SchemaKind::String { values: None, .. } => TyKey::String,
            SchemaKind::Number => TyKey::Number,
            SchemaKind::Integer { unsigned: false } => TyKey::Integer,
            SchemaKind::Integer { unsigned: true } => TyKey::Unsigned,
            SchemaKind::Boolean => TyKey::Boolean,
        }
    }

    /// Records a shape (or finds the equal one) and one occurrence of it; a recursive
    /// component's shape fills the index `reserved` for it and is merged with no other.
    fn intern(
        &mut self,
        key: ShapeKey,
        fields: Vec<FieldKey>,
        values: Vec<String>,
        schema: &Schema,
        mut candidates: Candidates,
        reserved: Option<usize>,
    ) -> TyKey {
        // The place written out only when there are overrides to look it up in.
        if !self.overrides.is_empty() {
            let place = schema.location.to_string();
            if let Some(name) = self.overrides.get(&place) {
                candidates.push(Candidate {
                    tier: Tier::Override,
                    name: name.clone(),
                });
                self.used_overrides.insert(place);
            }
        }
        // A component is described by its own description, not by that of a use of it.
        let description = match &schema.component {
            Some(component) => component.description.clone(),
            None => schema.description.clone(),
        };
        let occurrence = Occurrence {
            location: schema.location.clone(),
            description,
        };
        let known = match reserved {
            Some(_) => None,
            None => self.index.get(&key).copied(),
        };
        // Fingerprints serve only to find names in a legacy lock: without one, none is made.
        let fingerprint = (!self.locked.is_empty()).then(|| self.fingerprint(&key));
        let index = match (known, reserved) {
            (Some(index), _) => index,
            (None, Some(index)) => {
                self.index.entry(key.clone()).or_insert(index);
                self.shapes[index] =
                    Shape::new(key, fingerprint.unwrap_or_default(), fields, values);
                index
            }
            (None, None) => {
                self.index.insert(key.clone(), self.shapes.len());
                self.shapes.push(Shape::new(
                    key,
                    fingerprint.unwrap_or_default(),
                    fields,
                    values,
                ));
                self.shapes.len() - 1
            }
        };
        if let Some(name) = fingerprint.and_then(|fingerprint| self.locked.get(&fingerprint)) {
            candidates.push(Candidate {
                tier: Tier::Locked,
                name: name.clone(),
            });
        }
        let shape = &mut self.shapes[index];
        shape.occurrences.push(occurrence);
        shape.candidates.extend(candidates);
        TyKey::Shape(index)
    }
}

impl ShapeTable {
    /// FNV-1a over a canonical text of the key, with inner shapes by fingerprint. The text is
    /// hashed as it is written, never held.
    fn fingerprint(&self, key: &ShapeKey) -> u64 {
        use std::fmt::Write as _;
        let mut text = Fnv::default();
        // Writing to the hash cannot fail.
        let _ = match key {
            ShapeKey::Enum(values) => {
                text.push_str("enum");
                values
                    .iter()
                    .try_for_each(|value| write!(text, "\u{1}{value:?}"))
            }
            ShapeKey::Union(form, variants) => {
                // As the tag was written before untagged unions: fingerprints stay.
                let _ = match form {
                    crate::ir::UnionForm::Internal(tag) => {
                        write!(text, "union\u{1}{:?}", Some(tag))
                    }
                    crate::ir::UnionForm::External => write!(text, "union\u{1}None"),
                    crate::ir::UnionForm::Untagged => write!(text, "union\u{1}Untagged"),
                };
                variants.iter().try_for_each(|variant| {
                    write!(
                        text,
                        "\u{1}{:?}\u{2}{:?}\u{2}",
                        variant.value, variant.description
                    )?;
                    match &variant.ty {
                        Some(ty) => self.canonical_ty(ty, &mut text),
                        None => Ok(()),
                    }
                })
            }
            ShapeKey::Struct(fields) => {
                text.push_str("struct");
                fields.iter().try_for_each(|field| {
                    write!(
                        text,
                        "\u{1}{:?}\u{2}{:?}\u{2}{}\u{2}{}\u{2}",
                        field.name, field.description, field.required, field.secret
                    )?;
                    self.canonical_ty(&field.ty, &mut text)?;
                    // Only when set, so that the fingerprints of every other shape stay as
                    // they were before the flag existed.
                    if field.base64 {
                        text.push_str("\u{2}base64");
                    }
                    Ok(())
                })
            }
        };
        text.0
    }

    fn canonical_ty(&self, ty: &TyKey, text: &mut Fnv) -> std::fmt::Result {
        use std::fmt::Write as _;
        match ty {
            TyKey::Array(items) => {
                text.push_str("[");
                self.canonical_ty(items, text)?;
                text.push_str("]");
                Ok(())
            }
            TyKey::Map(values) => {
                text.push_str("{");
                self.canonical_ty(values, text)?;
                text.push_str("}");
                Ok(())
            }
            TyKey::Shape(index) => write!(text, "#{:016x}", self.shapes[*index].fingerprint),
            other => write!(text, "{other:?}"),
        }
    }
}

/// An FNV-1a hash that text is written to.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn push_str(&mut self, text: &str) {
        self.0 = text.bytes().fold(self.0, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        });
    }
}

impl std::fmt::Write for Fnv {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        self.push_str(text);
        Ok(())
    }
}

/// Candidates for an inline schema under property `name` of a parent that could be named any of
/// `parents` (each as its [`ident::type_name_stem`]): an identifier its description gives, the
/// property name, and the property name qualified by each parent name.
fn property_candidates(parents: &[String], name: &str, schema: &Schema) -> Candidates {
    let stem = ident::type_name_stem(name);
    let mut candidates = Vec::new();
    let is_array = matches!(schema.kind, SchemaKind::Array { .. });
    // An array's element takes its names from these; see `element_candidates`.
    if let Some(identifier) =
        description_identifier(schema).filter(|identifier| identifier != name && !is_array)
    {
        candidates.push(Candidate::new(Tier::InlineIdentifier, &identifier));
    }
    candidates.push(Candidate {
        tier: Tier::Property,
        name: ident::joined_type_name(&[&stem]),
    });
    for parent in parents {
        candidates.push(Candidate {
            tier: Tier::Qualified,
            name: ident::joined_type_name(&[parent, &stem]),
        });
    }
    candidates
}

/// Candidates for the elements of an array whose own candidates are given: singular forms.
fn element_candidates(array: &Candidates, items: &Schema) -> Candidates {
    let mut candidates = Vec::new();
    for candidate in array {
        let words = snake_words(&candidate.name);
        let singular = ident::singular(&words);
        let name = if singular == words {
            format!("{words}_item")
        } else {
            singular
        };
        candidates.push(Candidate::new(candidate.tier, &name));
    }
    if let Some(identifier) = description_identifier(items) {
        let is_property_name = array
            .iter()
            .any(|candidate| candidate.name == ident::type_name(&identifier));
        if !is_property_name {
            candidates.push(Candidate::new(Tier::InlineIdentifier, &identifier));
        }
    }
    candidates
}

/// `ApiAccessTokens` -> `api_access_tokens`, so singular forms apply to the last word.
fn snake_words(type_name: &str) -> String {
    ident::fn_name(type_name)
}

/// The snake_case identifier a schema's description gives, if that is all the description is:
/// `api_identity`, or the `name:` head of an enum's value list.
pub fn description_identifier(schema: &Schema) -> Option<String> {
    let description = schema.description.as_deref()?.trim();
    if ident::is_snake_identifier(description) {
        return Some(description.to_owned());
    }
    let head = enum_description_head(description);
    head.strip_suffix(':')
        .filter(|head| ident::is_snake_identifier(head))
        .map(str::to_owned)
}

/// Splits an enum description into its head and its ` * `VALUE` - doc` list.
pub fn split_enum_description(description: &str) -> (&str, BTreeMap<String, String>) {
    let docs = description
        .split_inclusive('\n')
        .filter_map(value_line)
        .map(|(value, doc)| (value.to_owned(), doc.to_owned()))
        .collect();
    (enum_description_head(description), docs)
}

/// The head of an enum description: what comes before its first ` * `VALUE` - doc` line,
/// trimmed ([`split_enum_description`]'s head, without reading the list).
pub fn enum_description_head(description: &str) -> &str {
    let mut offset = 0;
    for line in description.split_inclusive('\n') {
        if value_line(line).is_some() {
            return description[..offset].trim();
        }
        offset += line.len();
    }
    description.trim()
}

/// A line of an enum description's value list, `* `VALUE` - doc`: the value and its doc.
fn value_line(line: &str) -> Option<(&str, &str)> {
    let rest = line.trim().strip_prefix("* `")?;
    let (value, rest) = rest.split_once('`')?;
    let doc = rest
        .trim_start()
        .strip_prefix('-')?
        .trim()
        .trim_end_matches(',')
        .trim();
    Some((value, doc))
}

/// The free text a property holds, whose `format` and `pattern` its examples follow: the
/// property itself when it is a string, or its items when it is a list of strings.
fn text_part(schema: &Schema) -> Option<&Schema> {
    match &schema.kind {
        SchemaKind::String { values: None, .. } => Some(schema),
        SchemaKind::Array { items } => {
            matches!(items.kind, SchemaKind::String { values: None, .. }).then_some(&**items)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The number of shapes two property schemas (`a` and `b` of one response) intern to.
    fn shapes_of(a: &str, b: &str) -> usize {
        let endpoint = format!(
            r#"{{"endpoint": "/v1/x", "methods": {{"get": {{"responses": [{{"code": "200"}}],
                "response_schema": {{"type": "object", "properties": {{"a": {a}, "b": {b}}}}}}}}}}}"#
        );
        let parsed = crate::frontend::parse_endpoint("x.json", endpoint.as_bytes())
            .unwrap_or_else(|problems| panic!("{problems}\n{endpoint}"));
        let response = parsed.methods[0]
            .response
            .as_ref()
            .expect("a response schema");
        let mut table = ShapeTable::default();
        table.lower_schema(response, &|| vec![Candidate::new(Tier::Qualified, "x")]);
        // Less the response object itself.
        table.shapes.len() - 1
    }

    #[test]
    fn structural_interning() {
        let user = r#"{"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}"#;
        // Each case: two schemas, and whether they are one type.
        let cases: &[(&str, &str, &str, bool)] = &[
            ("the same object twice", user, user, true),
            (
                "properties in another order",
                user,
                r#"{"type": "object", "properties": {"name": {"type": "string"}, "id": {"type": "string"}}}"#,
                true,
            ),
            (
                "another description of the object itself",
                r#"{"description": "the user", "type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}"#,
                user,
                true,
            ),
            (
                "a property of another type",
                user,
                r#"{"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}"#,
                false,
            ),
            (
                "a property required in one only",
                user,
                r#"{"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}"#,
                false,
            ),
            (
                "a property described differently",
                user,
                r#"{"type": "object", "properties": {"id": {"description": "Its id.", "type": "string"}, "name": {"type": "string"}}}"#,
                false,
            ),
            (
                "a password field is not a plain string field",
                user,
                r#"{"type": "object", "properties": {"id": {"type": "string", "format": "password"}, "name": {"type": "string"}}}"#,
                false,
            ),
            (
                "enums with the same values in another order",
                r#"{"type": "string", "enum": ["A", "B"]}"#,
                r#"{"type": "string", "enum": ["B", "A"]}"#,
                true,
            ),
            (
                "enums with other values",
                r#"{"type": "string", "enum": ["A", "B"]}"#,
                r#"{"type": "string", "enum": ["A", "C"]}"#,
                false,
            ),
            (
                "an object inside an array is the same object",
                user,
                &format!(
                    r#"{{"type": "object", "properties": {{"list": {{"type": "array", "items": {user}}}}}}}"#
                ),
                // `user` and the list's element are one shape (not three shapes in all); the
                // wrapper is the other.
                false,
            ),
        ];
        for (case, a, b, one) in cases {
            let expected = if *one { 1 } else { 2 };
            assert_eq!(shapes_of(a, b), expected, "{case}");
        }
    }
}
