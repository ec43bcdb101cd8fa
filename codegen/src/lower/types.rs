//! Types: the named shapes as `ir::TypeDef`s (fields, enum variants, documentation), and the
//! checks of type-name overrides against the input and the lock.

use super::*;

/// An override may not take a name that `codegen.lock` keeps for another type (one without an
/// override of its own): that would silently rename the other type.
pub(super) fn check_overrides_against_lock(
    diagnostics: &mut Diagnostics,
    shapes: &[shapes::Shape],
    kept: &[Option<String>],
) {
    let overridden = |shape: &shapes::Shape| {
        shape
            .candidates
            .iter()
            .any(|candidate| candidate.tier == Tier::Override)
    };
    for shape in shapes {
        for candidate in shape
            .candidates
            .iter()
            .filter(|candidate| candidate.tier == Tier::Override)
        {
            let holder = shapes.iter().zip(kept).find(|(other, name)| {
                !std::ptr::eq(*other, shape)
                    && name.as_deref() == Some(candidate.name.as_str())
                    && !overridden(other)
            });
            if let Some((other, _)) = holder {
                diagnostics.error(
                    &shape.occurrences[0].location,
                    format!(
                        "codegen.toml names this type `{}`, which codegen.lock keeps for the type at {}",
                        candidate.name, other.occurrences[0].location
                    ),
                    "choose another name, or give the other type a name of its own in `[types]` first",
                );
            }
        }
    }
}

pub(super) fn check_type_overrides(
    diagnostics: &mut Diagnostics,
    config: &Config,
    table: &ShapeTable,
) {
    for (place, name) in &config.types {
        let at = Location::table_entry(CONFIG_FILE, "types", place);
        if !table.used_overrides.contains(place) {
            diagnostics.error(
                &at,
                format!("no object or enum schema at `{place}`"),
                "use a location the model dump lists for the type, `file.json#/json/pointer`",
            );
        }
        check_identifier(diagnostics, &at, name);
    }
}

/// Type ids in name order, so the IR's map iterates alphabetically.
pub(super) fn assign_ids(names: &[String]) -> Vec<TypeId> {
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|&left, &right| names[left].cmp(&names[right]));
    let mut ids = vec![TypeId(0); names.len()];
    for (rank, index) in order.into_iter().enumerate() {
        ids[index] = TypeId(u32::try_from(rank).unwrap_or(u32::MAX));
    }
    ids
}

pub(super) fn lower_type(shape: &shapes::Shape, name: &str, ids: &[TypeId]) -> TypeDef {
    let mut occurrences: Vec<Location> = shape
        .occurrences
        .iter()
        .map(|occurrence| occurrence.location.clone())
        .collect();
    occurrences.sort();
    let is_enum = matches!(shape.key, ShapeKey::Enum(_));
    let docs: BTreeSet<Option<String>> = shape
        .occurrences
        .iter()
        .map(|occurrence| type_doc(occurrence.description.as_deref(), is_enum))
        .collect();
    let doc = if docs.len() == 1 {
        docs.into_iter().next().flatten()
    } else {
        None
    };
    let kind = match &shape.key {
        ShapeKey::Enum(_) => lower_enum(shape),
        ShapeKey::Union(form, variants) => lower_union(shape, form, variants, ids),
        ShapeKey::Struct(_) => TypeKind::Struct {
            fields: lower_fields(shape, ids),
        },
    };
    TypeDef {
        features: Vec::new(),
        name: name.to_owned(),
        doc,
        kind,
        occurrences,
        extra_derives: Vec::new(),
        replacement: None,
    }
}

/// The documentation a description gives a type: none when it is only an identifier, and for
/// enums only the text before the value list.
pub(super) fn type_doc(description: Option<&str>, is_enum: bool) -> Option<String> {
    let description = description?.trim();
    let text = if is_enum {
        enum_description_head(description)
    } else {
        description
    };
    let is_name_only = ident::is_snake_identifier(text.trim_end_matches(':'));
    (!text.is_empty() && !is_name_only).then(|| text.to_owned())
}

/// A tagged union's variants in input order (`shape.values`), named after their tag values,
/// with a catch-all whose name no variant takes.
fn lower_union(
    shape: &shapes::Shape,
    form: &ir::UnionForm,
    variants: &[shapes::VariantKey],
    ids: &[TypeId],
) -> TypeKind {
    let mut used = BTreeSet::new();
    let variants: Vec<ir::UnionVariant> = shape
        .values
        .iter()
        .filter_map(|value| variants.iter().find(|variant| variant.value == *value))
        .map(|variant| ir::UnionVariant {
            wire_name: variant.value.clone(),
            rust_name: unique(ident::variant_name(&variant.value), &mut used),
            doc: variant
                .description
                .as_deref()
                .map(str::trim)
                .filter(|doc| !doc.is_empty())
                .map(str::to_owned),
            ty: variant.ty.as_ref().map(|ty| lower_ty(ty, ids)),
        })
        .collect();
    let catch_all = catch_all_name(["Unknown", "UnknownVariant", "Other"], &mut used);
    TypeKind::Union {
        form: form.clone(),
        variants,
        catch_all,
    }
}

/// Boxes each struct field through which its struct contains itself, directly or through other
/// types held inline (a `Vec` or a map is on the heap already): the fields that make a
/// recursive type finite in size.
pub(super) fn box_recursive_fields(types: &mut BTreeMap<TypeId, TypeDef>) {
    let mut boxed = Vec::new();
    for (id, type_def) in types.iter() {
        if let TypeKind::Struct { fields } = &type_def.kind {
            for (index, field) in fields.iter().enumerate() {
                let holds_struct = |target: TypeId| {
                    target == *id || ir::holds(types, target, *id, ir::Holding::Inline)
                };
                if matches!(field.ty, TypeRef::Named(target) if holds_struct(target)) {
                    boxed.push((*id, index));
                }
            }
        }
    }
    for (id, index) in boxed {
        if let Some(TypeKind::Struct { fields }) =
            types.get_mut(&id).map(|type_def| &mut type_def.kind)
        {
            fields[index].boxed = true;
        }
    }
}

/// The name of the variant that keeps what a description does not list: the first of `choices`
/// no variant has, else the first with a number.
fn catch_all_name(choices: [&str; 3], used: &mut BTreeSet<String>) -> String {
    choices
        .iter()
        .map(|name| (*name).to_owned())
        .find(|name| !used.contains(name))
        .unwrap_or_else(|| unique(choices[0].to_owned(), used))
}

pub(super) fn lower_enum(shape: &shapes::Shape) -> TypeKind {
    let mut docs = BTreeMap::new();
    for occurrence in &shape.occurrences {
        for (value, doc) in
            split_enum_description(occurrence.description.as_deref().unwrap_or_default()).1
        {
            docs.entry(value).or_insert(doc);
        }
    }
    let mut used = BTreeSet::new();
    let variants: Vec<Variant> = shape
        .values
        .iter()
        .map(|value| Variant {
            wire_name: value.clone(),
            rust_name: unique(ident::variant_name(value), &mut used),
            doc: docs.get(value).filter(|doc| !doc.is_empty()).cloned(),
        })
        .collect();
    let catch_all = catch_all_name(["Unknown", "UnknownValue", "Other"], &mut used);
    TypeKind::Enum {
        variants,
        catch_all,
    }
}

pub(super) fn lower_fields(shape: &shapes::Shape, ids: &[TypeId]) -> Vec<Field> {
    let mut used = BTreeSet::new();
    shape
        .fields
        .iter()
        .map(|field| Field {
            wire_name: field.name.clone(),
            rust_name: unique(ident::field_name(&field.name), &mut used),
            doc: field_doc(field),
            ty: lower_ty(&field.ty, ids),
            required: field.required,
            secret: field.secret,
            base64: field.base64,
            boxed: false,
            format: field.format.0.clone(),
            pattern: field.pattern.0.clone(),
        })
        .collect()
}

/// A field's documentation is its property's description, unless that is only an identifier
/// (`auth_id`, or a type name such as `api_identity`); for enum-typed fields the value list is
/// left to the enum.
pub(super) fn field_doc(field: &shapes::FieldKey) -> Option<String> {
    let description = field.description.as_deref()?.trim();
    let text = enum_description_head(description);
    let is_name_only = ident::is_snake_identifier(text.trim_end_matches(':'));
    (!text.is_empty() && !is_name_only).then(|| text.to_owned())
}

/// Makes `name` distinct from those in `used` with a numeric suffix, and records it. The suffix
/// keeps the name's case style: `Mixed` -> `Mixed2`, `foo_bar` -> `foo_bar_2`, `self_` ->
/// `self_2`, `r#type` -> `type_2`.
pub(super) fn unique(name: String, used: &mut BTreeSet<String>) -> String {
    let bare = name.trim_start_matches("r#").trim_end_matches('_');
    let camel = bare.starts_with(|first: char| first.is_ascii_uppercase());
    let mut res = name.clone();
    let mut number = 2;
    while used.contains(&res) {
        res = if camel {
            format!("{bare}{number}")
        } else {
            format!("{bare}_{number}")
        };
        number += 1;
    }
    used.insert(res.clone());
    res
}

pub(super) fn lower_ty(ty: &TyKey, ids: &[TypeId]) -> TypeRef {
    match ty {
        TyKey::String => TypeRef::String,
        TyKey::Number => TypeRef::Number,
        TyKey::Integer => TypeRef::Integer,
        TyKey::Unsigned => TypeRef::Rust {
            path: "u64".to_owned(),
            wire: Box::new(TypeRef::Integer),
        },
        TyKey::Boolean => TypeRef::Boolean,
        TyKey::JsonObject => TypeRef::JsonObject,
        TyKey::Any => TypeRef::Any,
        TyKey::Array(items) => TypeRef::Array(Box::new(lower_ty(items, ids))),
        TyKey::Map(values) => TypeRef::Map(Box::new(lower_ty(values, ids))),
        TyKey::Shape(index) => TypeRef::Named(ids[*index]),
    }
}
