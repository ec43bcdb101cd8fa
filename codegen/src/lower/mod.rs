//! Lowering: validated endpoints in, the deduplicated, named [`ir::Api`] out.
//!
//! 1. operations are named (config override, else the path-shape rule) and checked for clashes;
//! 2. every request and response schema is interned into the structural [`shapes::ShapeTable`];
//! 3. shapes are named ([`naming`]);
//! 4. the IR is assembled, types sorted by name and operations by path and method.

mod conventions;
mod customize;
mod naming;
mod operations;
mod shapes;

use std::collections::{BTreeMap, BTreeSet};

use crate::config::{Config, CONFIG_FILE};
use crate::diagnostics::{Diagnostics, Location};
use crate::frontend::{Endpoint, MethodSpec, Schema};
use crate::ident;
use crate::ir::{
    self, Api, Field, Occurrences, Operation, Parameter, PathTemplate, Response, TypeDef, TypeId,
    TypeKind, TypeRef, Variant,
};
use crate::lock::Lock;
use operations::ParameterPlace;
use shapes::{
    description_identifier, split_enum_description, Candidate, ShapeKey, ShapeTable, Tier, TyKey,
};

/// An operation before its types are resolved.
struct PendingOperation<'a> {
    name: String,
    group: String,
    endpoint: &'a Endpoint,
    spec: &'a MethodSpec,
    request: Option<PendingBody>,
    response: Option<PendingBody>,
}

/// A body before its type is resolved.
enum PendingBody {
    Json(TyKey),
    Bytes,
}

/// Lowers endpoints (sorted by file) into the IR.
pub fn lower_api(
    endpoints: &[Endpoint],
    config: &Config,
    lock: &Lock,
) -> Result<(Api, Lock), Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let mut route_notes = Vec::new();
    let duplicates = check_unique_routes(&mut diagnostics, endpoints, &mut route_notes);
    let mut pending = name_operations(&mut diagnostics, endpoints, config, &duplicates, lock);
    let mut table = ShapeTable {
        overrides: config.types.clone(),
        locked: lock.legacy_types.clone(),
        ..ShapeTable::default()
    };
    for operation in &mut pending {
        // `access_tokens` + `list` -> `AccessTokensListResponse`, when nothing better offers.
        let context = format!("{}_{}", operation.group, operation.name);
        operation.request = lower_body(&mut table, &operation.spec.request, &context, "request");
        operation.response = lower_body(&mut table, &operation.spec.response, &context, "response");
    }
    check_type_overrides(&mut diagnostics, config, &table);
    let kept = naming::locked_names(&table.shapes, &lock.types);
    check_overrides_against_lock(&mut diagnostics, &table.shapes, &kept);
    for (shape, name) in table.shapes.iter_mut().zip(&kept) {
        if let Some(name) = name {
            shape.candidates.push(Candidate {
                tier: Tier::Locked,
                name: name.clone(),
            });
        }
    }
    let naming = naming::name_shapes(&mut diagnostics, &table.shapes);
    let diagnostics_so_far = std::mem::take(&mut diagnostics);
    diagnostics_so_far.finish(())?;
    let ids = assign_ids(&naming.names);
    let mut types = table
        .shapes
        .iter()
        .enumerate()
        .map(|(index, shape)| (ids[index], lower_type(shape, &naming.names[index], &ids)))
        .collect();
    let mut operations: Vec<Operation> = pending
        .iter()
        .map(|operation| lower_operation(&mut diagnostics, operation, &ids))
        .collect();
    operations.sort_by(|left, right| (&left.path, left.method).cmp(&(&right.path, right.method)));
    let groups = lower_groups(&pending);
    assign_features(&mut types, &operations, &groups);
    let occurrences = Occurrences {
        objects: table.object_occurrences,
        enums: table.enum_occurrences,
    };
    let mut api = Api {
        name: config.api.clone(),
        package: config.package.clone(),
        regenerate: config
            .regenerate
            .clone()
            .unwrap_or_else(|| crate::render::DEFAULT_REGENERATE.to_owned()),
        crates: ["models", "client", "server"]
            .into_iter()
            .filter_map(|part| match config.crates.get(part) {
                Some(None) => None,
                Some(Some(name)) => Some((part.to_owned(), name.clone())),
                None => Some((part.to_owned(), ident::crate_name(&config.api, part))),
            })
            .collect(),
        types,
        operations,
        groups,
        notes: route_notes.into_iter().chain(naming.notes).collect(),
        occurrences,
        conventions: conventions::conventions(&config.conventions),
        dependencies: config.dependencies.clone(),
    };
    conventions::decide_operation_facts(&mut api);
    customize::apply(&mut api, config, &mut diagnostics);
    let new_lock = Lock {
        types: table
            .shapes
            .iter()
            .zip(&naming.names)
            .map(|(shape, name)| {
                let places = shape
                    .occurrences
                    .iter()
                    .map(|occurrence| occurrence.location.to_string())
                    .collect();
                (name.clone(), places)
            })
            .collect(),
        legacy_types: BTreeMap::new(),
        operations: pending
            .iter()
            .map(|operation| {
                (
                    route_key(operation),
                    (operation.group.clone(), operation.name.clone()),
                )
            })
            .collect(),
    };
    diagnostics.finish((api, new_lock))
}

fn route_key(operation: &PendingOperation<'_>) -> String {
    format!(
        "{} {}",
        operation.spec.method.as_str(),
        operation.endpoint.path
    )
}

/// Two descriptions of one route are an error, unless they say the same thing (the published
/// reference lists a few endpoints under two categories); then the first in path order is kept
/// and the others are returned, to be skipped, with a note.
fn check_unique_routes(
    diagnostics: &mut Diagnostics,
    endpoints: &[Endpoint],
    notes: &mut Vec<String>,
) -> BTreeSet<Location> {
    let mut seen: BTreeMap<(String, ir::Method), &MethodSpec> = BTreeMap::new();
    let mut duplicates = BTreeSet::new();
    for endpoint in endpoints {
        for spec in &endpoint.methods {
            let route = (normalize_route(&endpoint.path), spec.method);
            let Some(first) = seen.get(&route) else {
                seen.insert(route, spec);
                continue;
            };
            let what = format!("{} {}", spec.method.as_str(), endpoint.path);
            if same_description(first, spec) {
                notes.push(format!(
                    "{what} is described identically at {} and {}; the first is used",
                    first.location, spec.location
                ));
                duplicates.insert(spec.location.clone());
            } else {
                diagnostics.error(
                    &spec.location,
                    format!(
                        "{what} is also described, differently, at {}",
                        first.location
                    ),
                    "keep one description per method and path",
                );
            }
        }
    }
    duplicates
}

/// Whether two method descriptions agree in everything but where they are written.
fn same_description(left: &MethodSpec, right: &MethodSpec) -> bool {
    let parameters = |spec: &MethodSpec| {
        spec.parameters
            .iter()
            .map(|parameter| {
                (
                    parameter.name.clone(),
                    parameter.description.clone(),
                    parameter.required,
                )
            })
            .collect::<Vec<_>>()
    };
    let same_schema = |left: &Option<Schema>, right: &Option<Schema>| match (left, right) {
        (Some(left), Some(right)) => same_schema(left, right),
        (None, None) => true,
        _ => false,
    };
    left.summary == right.summary
        && parameters(left) == parameters(right)
        && left.responses == right.responses
        && same_schema(&left.request, &right.request)
        && same_schema(&left.response, &right.response)
}

fn same_schema(left: &Schema, right: &Schema) -> bool {
    use crate::frontend::SchemaKind;
    left.description == right.description
        && match (&left.kind, &right.kind) {
            (SchemaKind::Object { properties: left }, SchemaKind::Object { properties: right }) => {
                left.len() == right.len()
                    && left.iter().zip(right).all(|(left, right)| {
                        left.name == right.name
                            && left.required == right.required
                            && same_schema(&left.schema, &right.schema)
                    })
            }
            (SchemaKind::Array { items: left }, SchemaKind::Array { items: right }) => {
                same_schema(left, right)
            }
            (left, right) => {
                !matches!(left, SchemaKind::Object { .. } | SchemaKind::Array { .. })
                    && left == right
            }
        }
}

/// Routes that differ only in parameter names or a trailing slash are the same route.
fn normalize_route(path: &str) -> String {
    let mut res = String::new();
    for segment in path.trim_end_matches('/').split('/') {
        res.push_str(if segment.starts_with('{') {
            "{}"
        } else {
            segment
        });
        res.push('/');
    }
    res
}

fn name_operations<'a>(
    diagnostics: &mut Diagnostics,
    endpoints: &'a [Endpoint],
    config: &Config,
    skip: &BTreeSet<Location>,
    lock: &Lock,
) -> Vec<PendingOperation<'a>> {
    let mut res = Vec::new();
    for endpoint in endpoints {
        let mut specs: Vec<&MethodSpec> = endpoint
            .methods
            .iter()
            .filter(|spec| !skip.contains(&spec.location))
            .collect();
        specs.sort_by_key(|spec| spec.method);
        for spec in specs {
            let group = operations::group_name(endpoint.category.as_deref(), &endpoint.path);
            res.push(PendingOperation {
                name: String::new(),
                group,
                endpoint,
                spec,
                request: None,
                response: None,
            });
        }
    }
    let mut by_group: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, operation) in res.iter().enumerate() {
        by_group
            .entry(operation.group.clone())
            .or_default()
            .push(index);
    }
    for indices in by_group.values() {
        let names = {
            let inputs: Vec<operations::NameInput<'_>> = indices
                .iter()
                .map(|&index| name_input(&res[index]))
                .collect();
            operations::name_group(&inputs)
        };
        for (offset, name) in names.into_iter().enumerate() {
            res[indices[offset]].name = name;
        }
    }
    apply_locked_operation_names(&mut res, lock);
    apply_operation_overrides(diagnostics, config, &mut res);
    res
}

/// Operations named in `codegen.lock` keep their group and name; an operation whose derived
/// name a locked one holds in its group takes its version (`_v4`) or else a numeric suffix.
fn apply_locked_operation_names(operations: &mut [PendingOperation<'_>], lock: &Lock) {
    let mut held: BTreeSet<(String, String)> = BTreeSet::new();
    for operation in operations.iter_mut() {
        if let Some((group, name)) = lock.operations.get(&route_key(operation)) {
            operation.group = group.clone();
            operation.name = name.clone();
            held.insert((group.clone(), name.clone()));
        }
    }
    for operation in operations
        .iter_mut()
        .filter(|operation| !lock.operations.contains_key(&route_key(operation)))
    {
        let base = operation.name.clone();
        // A new version of a locked endpoint: the locked one keeps the name, this one says its
        // version.
        let version = operations::version_number(&operation.endpoint.path);
        if version > 1 && held.contains(&(operation.group.clone(), base.clone())) {
            operation.name = format!("{base}_v{version}");
        }
        let mut number = 2;
        while held.contains(&(operation.group.clone(), operation.name.clone())) {
            operation.name = format!("{base}_{number}");
            number += 1;
        }
        held.insert((operation.group.clone(), operation.name.clone()));
    }
}

fn name_input<'a>(operation: &'a PendingOperation<'_>) -> operations::NameInput<'a> {
    operations::NameInput {
        method: operation.spec.method,
        path: &operation.endpoint.path,
        group: &operation.group,
        is_list: conventions::takes_page_cursor(operation.spec),
    }
}

/// `[operations]` in the configuration: `METHOD /path` = `name` (within its group) or
/// `group::name` (moving it to another group). Afterwards no two operations of a group may
/// share a name.
fn apply_operation_overrides(
    diagnostics: &mut Diagnostics,
    config: &Config,
    operations: &mut [PendingOperation<'_>],
) {
    for (key, value) in &config.operations {
        let at = Location::table_entry(CONFIG_FILE, "operations", key);
        let Some(operation) = operations.iter_mut().find(|operation| {
            format!(
                "{} {}",
                operation.spec.method.as_str(),
                operation.endpoint.path
            ) == *key
        }) else {
            diagnostics.error(
                &at,
                format!("no operation `{key}` exists"),
                "write the key as `METHOD /path`, exactly as the endpoint file spells the path",
            );
            continue;
        };
        let (group, name) = match value.split_once("::") {
            Some((group, name)) => (Some(group), name),
            None => (None, value.as_str()),
        };
        check_identifier(diagnostics, &at, name);
        if let Some(group) = group {
            check_identifier(diagnostics, &at, group);
            operation.group = group.to_owned();
        }
        operation.name = name.to_owned();
    }
    let mut seen: BTreeMap<(String, String), String> = BTreeMap::new();
    for operation in operations.iter() {
        let route = format!(
            "{} {}",
            operation.spec.method.as_str(),
            operation.endpoint.path
        );
        if let Some(other) = seen.insert(
            (operation.group.clone(), operation.name.clone()),
            route.clone(),
        ) {
            diagnostics.error(
                &Location::table_entry(CONFIG_FILE, "operations", &route),
                format!(
                    "`{}::{}` would name both {other} and {route}",
                    operation.group, operation.name
                ),
                "give one of them another name in `[operations]`",
            );
        }
    }
}

fn check_identifier(diagnostics: &mut Diagnostics, at: &Location, name: &str) {
    if syn::parse_str::<syn::Ident>(name).is_err() {
        diagnostics.error(
            at,
            format!("`{name}` is not a Rust identifier"),
            "use letters, digits and `_`, not starting with a digit",
        );
    }
}

fn lower_body(
    table: &mut ShapeTable,
    schema: &Option<Schema>,
    operation: &str,
    role: &str,
) -> Option<PendingBody> {
    let schema = schema.as_ref()?;
    if conventions::is_binary(schema) {
        return Some(PendingBody::Bytes);
    }
    let mut candidates = Vec::new();
    if let Some(identifier) = description_identifier(schema) {
        candidates.push(Candidate::new(Tier::TopLevelIdentifier, &identifier));
    }
    candidates.push(Candidate::new(
        Tier::Qualified,
        &format!("{operation}_{role}"),
    ));
    Some(PendingBody::Json(table.lower_schema(schema, candidates)))
}

fn lower_pending_body(body: &PendingBody, ids: &[TypeId]) -> ir::Body {
    match body {
        PendingBody::Json(ty) => ir::Body::Json(lower_ty(ty, ids)),
        PendingBody::Bytes => ir::Body::Bytes,
    }
}

/// An override may not take a name that `codegen.lock` keeps for another type (one without an
/// override of its own): that would silently rename the other type.
fn check_overrides_against_lock(
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

fn check_type_overrides(diagnostics: &mut Diagnostics, config: &Config, table: &ShapeTable) {
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
fn assign_ids(names: &[String]) -> Vec<TypeId> {
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|&left, &right| names[left].cmp(&names[right]));
    let mut ids = vec![TypeId(0); names.len()];
    for (rank, index) in order.into_iter().enumerate() {
        ids[index] = TypeId(u32::try_from(rank).unwrap_or(u32::MAX));
    }
    ids
}

fn lower_type(shape: &shapes::Shape, name: &str, ids: &[TypeId]) -> TypeDef {
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
    let kind = if is_enum {
        lower_enum(shape)
    } else {
        TypeKind::Struct {
            fields: lower_fields(shape, ids),
        }
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
fn type_doc(description: Option<&str>, is_enum: bool) -> Option<String> {
    let description = description?.trim();
    let text = if is_enum {
        split_enum_description(description).0
    } else {
        description
    };
    let is_name_only = ident::is_snake_identifier(text.trim_end_matches(':'));
    (!text.is_empty() && !is_name_only).then(|| text.to_owned())
}

fn lower_enum(shape: &shapes::Shape) -> TypeKind {
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
    let catch_all = ["Unknown", "UnknownValue", "Other"]
        .iter()
        .map(|name| (*name).to_owned())
        .find(|name| !used.contains(name))
        .unwrap_or_else(|| unique("Unknown".to_owned(), &mut used));
    TypeKind::Enum {
        variants,
        catch_all,
    }
}

fn lower_fields(shape: &shapes::Shape, ids: &[TypeId]) -> Vec<Field> {
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
        })
        .collect()
}

/// A field's documentation is its property's description, unless that is only an identifier
/// (`auth_id`, or a type name such as `api_identity`); for enum-typed fields the value list is
/// left to the enum.
fn field_doc(field: &shapes::FieldKey) -> Option<String> {
    let description = field.description.as_deref()?.trim();
    let text = split_enum_description(description).0;
    let is_name_only = ident::is_snake_identifier(text.trim_end_matches(':'));
    (!text.is_empty() && !is_name_only).then(|| text.to_owned())
}

/// Makes `name` distinct from those in `used` with a numeric suffix, and records it. The suffix
/// keeps the name's case style: `Mixed` -> `Mixed2`, `foo_bar` -> `foo_bar_2`, `self_` ->
/// `self_2`, `r#type` -> `type_2`.
fn unique(name: String, used: &mut BTreeSet<String>) -> String {
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

fn lower_ty(ty: &TyKey, ids: &[TypeId]) -> TypeRef {
    match ty {
        TyKey::String => TypeRef::String,
        TyKey::Number => TypeRef::Number,
        TyKey::Integer => TypeRef::Integer,
        TyKey::Boolean => TypeRef::Boolean,
        TyKey::JsonObject => TypeRef::JsonObject,
        TyKey::Array(items) => TypeRef::Array(Box::new(lower_ty(items, ids))),
        TyKey::Shape(index) => TypeRef::Named(ids[*index]),
    }
}

fn lower_operation(
    diagnostics: &mut Diagnostics,
    pending: &PendingOperation<'_>,
    ids: &[TypeId],
) -> Operation {
    let (endpoint, spec) = (pending.endpoint, pending.spec);
    let mut path_params = Vec::new();
    let mut query_params = Vec::new();
    let mut header_params = Vec::new();
    for parameter in &spec.parameters {
        let lowered = Parameter {
            wire_name: parameter.name.clone(),
            rust_name: ident::field_name(&parameter.name),
            doc: parameter.description.clone(),
            required: parameter.required,
            ty: TypeRef::String,
        };
        match operations::parameter_place(&endpoint.path, parameter) {
            ParameterPlace::Path => path_params.push(lowered),
            ParameterPlace::Query => query_params.push(lowered),
            ParameterPlace::Header => header_params.push(lowered),
        }
    }
    let route = PathTemplate::parse(&endpoint.path).unwrap_or(PathTemplate {
        segments: Vec::new(),
    });
    let order: Vec<&str> = route.params().collect();
    path_params.sort_by_key(|parameter| order.iter().position(|name| *name == parameter.wire_name));
    let body = match &pending.response {
        Some(body) => Some(lower_pending_body(body, ids)),
        None => conventions::unschematized_response(spec.method),
    };
    let mut responses: Vec<Response> = spec
        .responses
        .iter()
        .map(|response| Response {
            status: response.code,
            doc: response.description.clone(),
            body: if (200..300).contains(&response.code) {
                body.clone()
            } else {
                None
            },
        })
        .collect();
    responses.sort_by_key(|response| response.status);
    if pending.response.is_some() && !responses.iter().any(Response::is_success) {
        diagnostics.error(
            &spec.location.child("responses"),
            "a response schema is given but no 2xx response code is listed",
            "add `{\"code\": \"200\", \"description\": \"...\"}` to `responses`",
        );
    }
    Operation {
        name: pending.name.clone(),
        group: pending.group.clone(),

        method: spec.method,
        path: endpoint.path.clone(),
        route,
        category: endpoint.category.clone(),
        summary: spec.summary.clone(),
        path_params,
        query_params,
        query_struct: ident::type_name(&format!("{}_{}_query", pending.group, pending.name)),
        header_params,
        request: pending
            .request
            .as_ref()
            .map(|body| lower_pending_body(body, ids)),
        responses,
        location: spec.location.clone(),
        paging: None,
        etag: ir::EtagRole::None,
    }
}

/// The groups, by module name, with the categories each was made from.
fn lower_groups(pending: &[PendingOperation<'_>]) -> Vec<ir::Group> {
    let mut titles: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for operation in pending {
        let entry = titles.entry(operation.group.as_str()).or_default();
        if let Some(category) = &operation.endpoint.category {
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
fn assign_features(
    types: &mut BTreeMap<TypeId, TypeDef>,
    operations: &[Operation],
    groups: &[ir::Group],
) {
    let mut features: BTreeMap<TypeId, BTreeSet<&str>> = BTreeMap::new();
    for operation in operations {
        let Some(group) = groups.iter().find(|group| group.module == operation.group) else {
            continue;
        };
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
            .collect();
        while let Some(ty) = stack.pop() {
            match ty {
                TypeRef::Array(items) => stack.push(items),
                // A type reached before by this group has had its fields visited already.
                TypeRef::Named(id)
                    if features
                        .entry(*id)
                        .or_default()
                        .insert(group.feature.as_str()) =>
                {
                    if let TypeKind::Struct { fields } = &types[id].kind {
                        stack.extend(fields.iter().map(|field| &field.ty));
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
