//! Groups and features: one group per reference category, and each type's features (the groups
//! whose operations use it, directly or inside another type).

use super::*;

/// The groups, by module name, with the categories each was made from.
pub(super) fn lower_groups(pending: &[PendingOperation<'_>]) -> Vec<ir::Group> {
    let mut titles: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for operation in pending {
        let entry = titles.entry(operation.group.as_str()).or_default();
        if !operation.endpoint.titles.is_empty() {
            entry.extend(operation.endpoint.titles.iter().cloned());
        } else if let Some(category) = &operation.endpoint.category {
            entry.insert(category.clone());
        }
    }
    titles
        .into_iter()
        .map(|(module, titles)| ir::Group {
            module: module.to_owned(),
            feature: module.trim_start_matches("r#").replace('_', "-"),
            type_name: ident::type_name(module),
            titles: titles.into_iter().collect(),
        })
        .collect()
}

/// Records on every type the features of the groups whose operations reach it.
pub(super) fn assign_features(
    types: &mut BTreeMap<TypeId, TypeDef>,
    operations: &[Operation],
    groups: &[ir::Group],
) {
    let mut features: BTreeMap<TypeId, BTreeSet<&str>> = BTreeMap::new();
    for operation in operations {
        let Some(group) = groups.get(operation.group.0 as usize) else {
            continue;
        };
        let errors: Vec<TypeRef> = operation
            .errors
            .iter()
            .map(|error| TypeRef::Named(error.ty))
            .collect();
        let mut stack: Vec<&TypeRef> = operation
            .request
            .iter()
            .chain(
                operation
                    .responses
                    .iter()
                    .filter_map(|response| response.body.as_ref()),
            )
            .filter_map(ir::Body::json)
            .chain(operation.query_params.iter().map(|parameter| &parameter.ty))
            .chain(&errors)
            .collect();
        while let Some(ty) = stack.pop() {
            match ty {
                TypeRef::Array(items) | TypeRef::Map(items) => stack.push(items),
                // A type reached before by this group has had its fields visited already.
                TypeRef::Named(id)
                    if features
                        .entry(*id)
                        .or_default()
                        .insert(group.feature.as_str()) =>
                {
                    match &types[id].kind {
                        TypeKind::Struct { fields } => {
                            stack.extend(fields.iter().map(|field| &field.ty));
                        }
                        TypeKind::Union { variants, .. } => {
                            stack.extend(variants.iter().filter_map(|variant| variant.ty.as_ref()));
                        }
                        TypeKind::Enum { .. } => {}
                    }
                }
                _ => {}
            }
        }
    }
    for (id, used_by) in features {
        if let Some(type_def) = types.get_mut(&id) {
            type_def.features = used_by.into_iter().map(str::to_owned).collect();
        }
    }
}
