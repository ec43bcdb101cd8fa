//! Lowering: validated endpoints in, the deduplicated, named [`ir::Api`] out.
//!
//! 1. one description per route ([`routes`]);
//! 2. operations are named ([`operation_names`]: config override, lock, else the path-shape rule
//!    of [`operations`]) and checked for clashes;
//! 3. every request and response schema is interned into the structural [`shapes::ShapeTable`];
//! 4. shapes are named ([`naming`]) and become types ([`types`]);
//! 5. the IR is assembled (groups and features: [`features`]), types sorted by name and
//!    operations by path and method; the conventions are decided ([`conventions`]) and the
//!    configuration's changes applied ([`customize`]).

mod conventions;
mod customize;
mod features;
mod naming;
mod operation_names;
mod operations;
mod routes;
mod shapes;
mod types;

use std::collections::{BTreeMap, BTreeSet};

use crate::config::{Config, CONFIG_FILE};
use crate::diagnostics::{Diagnostics, Location};
use crate::frontend::{Endpoint, MethodSpec, ParameterSpec, Place, RequestKind, Schema, Untyped};
use crate::ident;
use crate::ir::{
    self, Api, Body, Field, Occurrences, Operation, Parameter, PathTemplate, Response, TypeDef,
    TypeId, TypeKind, TypeRef, Variant,
};
use crate::lock::Lock;
use features::*;
use operation_names::*;
use operations::ParameterPlace;
use routes::*;
use shapes::{
    description_identifier, enum_description_head, split_enum_description, Candidate, ShapeKey,
    ShapeTable, Tier, TyKey,
};
use types::*;

/// An operation before its types are resolved.
struct PendingOperation<'a> {
    name: String,
    group: String,
    endpoint: &'a Endpoint,
    spec: &'a MethodSpec,
    request: Option<PendingBody>,
    response: Option<PendingBody>,
    /// The success statuses whose body has its own type (`ResponseSpec::schema`).
    status_bodies: Vec<(u16, PendingBody)>,
    /// The error answers with a type of their own (`MethodSpec::errors`), in its order.
    error_bodies: Vec<(ir::ErrorStatus, Option<String>, TyKey)>,
    /// The type of each parameter the input types (query parameters of an OpenAPI document),
    /// in `spec.parameters` order; the others are strings.
    parameters: Vec<Option<TyKey>>,
}

/// A body before its type is resolved.
enum PendingBody {
    Json(TyKey),
    Form(TyKey),
    Text,
    Bytes,
}

/// Lowers endpoints (sorted by file) into the IR.
/// `recursive` holds the schemas of the components that contain themselves (OpenAPI input), which
/// a [`crate::frontend::SchemaKind::Recursive`] reference stands for.
pub fn lower_api(
    endpoints: &[Endpoint],
    recursive: &BTreeMap<String, Schema>,
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
        recursive: recursive.clone(),
        ..ShapeTable::default()
    };
    for operation in &mut pending {
        // `access_tokens` + `list` -> `AccessTokensListResponse`, when nothing better offers.
        let context = format!("{}_{}", operation.group, operation.name);
        operation.request = lower_body(
            &mut table,
            operation.spec.request.as_ref(),
            &context,
            "request",
        );
        match operation.spec.request_kind {
            RequestKind::Json => {}
            RequestKind::Form => {
                if let Some(PendingBody::Json(ty)) = operation.request.take() {
                    operation.request = Some(PendingBody::Form(ty));
                }
            }
            RequestKind::Text => operation.request = Some(PendingBody::Text),
        }
        operation.response = lower_body(
            &mut table,
            operation.spec.response.as_ref(),
            &context,
            "response",
        );
        for response in &operation.spec.responses {
            let role = format!("{}_response", response.code);
            if let Some(body) = lower_body(&mut table, response.schema.as_ref(), &context, &role) {
                operation.status_bodies.push((response.code, body));
            }
        }
        for error in &operation.spec.errors {
            let role = format!("{}_error", error.status);
            if let Some(PendingBody::Json(ty)) =
                lower_body(&mut table, Some(&error.schema), &context, &role)
            {
                operation
                    .error_bodies
                    .push((error.status, error.description.clone(), ty));
            }
        }
        operation.parameters = lower_parameter_types(&mut table, operation, &context);
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
    // The types (from the finished table and names) on one core, the operations and the new
    // lock on another.
    let (mut types, ((groups, lowered), new_lock)) = crate::parallel::join(
        || {
            table
                .shapes
                .iter()
                .enumerate()
                .map(|(index, shape)| (ids[index], lower_type(shape, &naming.names[index], &ids)))
                .collect()
        },
        || {
            (
                lower_operations(&pending, &ids),
                new_lock(&table.shapes, &naming.names, &pending),
            )
        },
    );
    // Types contain themselves only through a recursive component (finite schema trees intern
    // into finite, acyclic shapes).
    if !table.recursive_shapes.is_empty() {
        box_recursive_fields(&mut types);
    }
    let mut operations = Vec::with_capacity(lowered.len());
    for (operation, found) in lowered {
        diagnostics.extend(found);
        operations.push(operation);
    }
    operations.sort_by(|left, right| (&left.path, left.method).cmp(&(&right.path, right.method)));
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
    check_struct_widths(&api, &mut diagnostics);
    diagnostics.finish((api, new_lock))
}

/// Why a struct may have at most [`ir::MAX_STRUCT_FIELDS`] fields, for the hints.
const WIDTH_LIMIT: &str = "the models crate's serde code nests a struct's fields four to a \
                           level, and rustc stops at 128 levels";

/// Reports each struct the models crate would emit with more than [`ir::MAX_STRUCT_FIELDS`]
/// fields (a `[replace]`d one is not emitted), at the first place it occurs.
fn check_struct_widths(api: &Api, diagnostics: &mut Diagnostics) {
    for type_def in api.types.values() {
        let TypeKind::Struct { fields } = &type_def.kind else {
            continue;
        };
        if fields.len() <= ir::MAX_STRUCT_FIELDS || type_def.replacement.is_some() {
            continue;
        }
        let Some(at) = type_def.occurrences.first() else {
            continue;
        };
        diagnostics.error(
            at,
            format!(
                "`{}` has {} properties, more than the {} one generated struct can hold",
                type_def.name,
                fields.len(),
                ir::MAX_STRUCT_FIELDS
            ),
            format!(
                "{WIDTH_LIMIT}: put your own type in its place in codegen.toml (`[replace]` \
                 `\"{name}\" = \"my_types::{name}\"`, or `serde_json::Value`)",
                name = type_def.name
            ),
        );
    }
}

fn lower_body(
    table: &mut ShapeTable,
    schema: Option<&Schema>,
    operation: &str,
    role: &str,
) -> Option<PendingBody> {
    let schema = schema?;
    if schema.is_binary() {
        return Some(PendingBody::Bytes);
    }
    let candidates = || {
        let mut candidates = Vec::new();
        if let Some(identifier) = description_identifier(schema) {
            candidates.push(Candidate::new(Tier::TopLevelIdentifier, &identifier));
        }
        candidates.push(Candidate::new(
            Tier::Qualified,
            &format!("{operation}_{role}"),
        ));
        candidates
    };
    Some(PendingBody::Json(table.lower_schema(schema, &candidates)))
}

/// The types of the query parameters that have a schema, named like properties of the
/// operation's query struct.
fn lower_parameter_types(
    table: &mut ShapeTable,
    operation: &PendingOperation<'_>,
    context: &str,
) -> Vec<Option<TyKey>> {
    operation
        .spec
        .parameters
        .iter()
        .map(|parameter| {
            let schema = parameter.schema.as_ref()?;
            if place_of(operation.endpoint, parameter) != ParameterPlace::Query {
                return None;
            }
            let candidates = || {
                vec![
                    Candidate::new(Tier::Property, &parameter.name),
                    Candidate::new(Tier::Qualified, &format!("{context}_{}", parameter.name)),
                ]
            };
            Some(table.lower_schema(schema, &candidates))
        })
        .collect()
}

/// Where a parameter goes: where the input says, else inferred as the reference pages imply.
fn place_of(endpoint: &Endpoint, parameter: &ParameterSpec) -> ParameterPlace {
    match parameter.place {
        Some(Place::Path) => ParameterPlace::Path,
        Some(Place::Query) => ParameterPlace::Query,
        Some(Place::Header) => ParameterPlace::Header,
        Some(Place::Cookie) => ParameterPlace::Cookie,
        None => operations::parameter_place(&endpoint.path, parameter),
    }
}

fn lower_pending_body(body: &PendingBody, ids: &[TypeId]) -> ir::Body {
    match body {
        PendingBody::Json(ty) => ir::Body::Json(lower_ty(ty, ids)),
        PendingBody::Form(ty) => ir::Body::Form(lower_ty(ty, ids)),
        PendingBody::Text => ir::Body::Text,
        PendingBody::Bytes => ir::Body::Bytes,
    }
}

/// The lock of this run: every shape's name with its places, every operation's group and name.
fn new_lock(shapes: &[shapes::Shape], names: &[String], pending: &[PendingOperation<'_>]) -> Lock {
    Lock {
        types: shapes
            .iter()
            .zip(names)
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
    }
}

/// The groups, and each operation with the problems found in it.
fn lower_operations(
    pending: &[PendingOperation<'_>],
    ids: &[TypeId],
) -> (Vec<ir::Group>, Vec<(Operation, Diagnostics)>) {
    let groups = lower_groups(pending);
    let group_ids: BTreeMap<&str, ir::GroupId> = groups
        .iter()
        .enumerate()
        .map(|(index, group)| (group.module.as_str(), ir::GroupId(index as u32)))
        .collect();
    let operations = pending
        .iter()
        .map(|operation| {
            let mut found = Diagnostics::default();
            let group = group_ids[operation.group.as_str()];
            let lowered = lower_operation(&mut found, operation, group, ids);
            (lowered, found)
        })
        .collect();
    (groups, operations)
}

fn lower_operation(
    diagnostics: &mut Diagnostics,
    pending: &PendingOperation<'_>,
    group: ir::GroupId,
    ids: &[TypeId],
) -> Operation {
    let (endpoint, spec) = (pending.endpoint, pending.spec);
    let mut path_params = Vec::new();
    let mut query_params = Vec::new();
    let mut header_params = Vec::new();
    let mut cookie_params = Vec::new();
    for (index, parameter) in spec.parameters.iter().enumerate() {
        // A parameter the input does not type (every one of an endpoint file) is a string.
        let ty = pending.parameters.get(index).and_then(Option::as_ref);
        let place = place_of(endpoint, parameter);
        let lowered = Parameter {
            wire_name: parameter.name.clone(),
            rust_name: match place {
                ParameterPlace::Query => ident::field_name(&parameter.name),
                ParameterPlace::Path | ParameterPlace::Header | ParameterPlace::Cookie => {
                    ident::argument_name(&parameter.name)
                }
            },
            doc: parameter.description.clone(),
            required: parameter.required,
            ty: ty.map_or(TypeRef::String, |ty| lower_ty(ty, ids)),
        };
        match place {
            ParameterPlace::Path => path_params.push(lowered),
            ParameterPlace::Query => query_params.push(lowered),
            ParameterPlace::Header => header_params.push(lowered),
            ParameterPlace::Cookie => cookie_params.push(lowered),
        }
    }
    let route = PathTemplate::parse(&endpoint.path).unwrap_or(PathTemplate {
        segments: Vec::new(),
    });
    let order: Vec<&str> = route.params().collect();
    path_params.sort_by_key(|parameter| order.iter().position(|name| *name == parameter.wire_name));
    let body = match &pending.response {
        Some(body) => Some(lower_pending_body(body, ids)),
        None => match spec.untyped_response {
            Some(Untyped::Nothing) => None,
            Some(Untyped::Null) => Some(Body::Null),
            Some(Untyped::Json) => Some(Body::UntypedJson),
            None => conventions::unschematized_response(spec.method),
        },
    };
    let mut responses: Vec<Response> = spec
        .responses
        .iter()
        .map(|response| Response {
            status: response.code,
            doc: response.description.clone(),
            body: if let Some((_, own)) = pending
                .status_bodies
                .iter()
                .find(|(code, _)| *code == response.code)
            {
                Some(lower_pending_body(own, ids))
            } else if (200..300).contains(&response.code) {
                body.clone()
            } else if ir::is_redirect(response.code) {
                Some(Body::Location)
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
    if query_params.len() > ir::MAX_STRUCT_FIELDS {
        diagnostics.error(
            &spec.location.child("parameters"),
            format!(
                "{} query parameters, more than the {} one operation's query struct can hold",
                query_params.len(),
                ir::MAX_STRUCT_FIELDS
            ),
            format!("{WIDTH_LIMIT}: describe fewer query parameters"),
        );
    }
    let request = pending
        .request
        .as_ref()
        .map(|body| lower_pending_body(body, ids));
    Operation {
        name: pending.name.clone(),
        group,

        method: spec.method,
        path: endpoint.path.clone(),
        route,
        category: endpoint.category.clone(),
        summary: spec.summary.clone(),
        deprecated: spec.deprecated,
        path_params,
        query_params,
        query_struct: ident::type_name(&format!("{}_{}_query", pending.group, pending.name)),
        answer_enum: ident::type_name(&format!("{}_{}_answer", pending.group, pending.name)),
        header_params,
        cookie_params,
        request_optional: spec.request_optional
            && matches!(&request, Some(body) if *body != Body::Bytes),
        request,
        responses,
        // A body that is not a named type (a string, a list) is read as text.
        errors: pending
            .error_bodies
            .iter()
            .filter_map(|(status, doc, ty)| match lower_ty(ty, ids) {
                TypeRef::Named(id) => Some(ir::ErrorAnswer {
                    status: *status,
                    doc: doc.clone(),
                    ty: id,
                }),
                _ => None,
            })
            .collect(),
        location: spec.location.clone(),
        paging: None,
        etag: ir::EtagRole::None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Map, Value};

    use crate::ir::MAX_STRUCT_FIELDS;
    use crate::{generate_with_config, Config, Inputs};

    /// An endpoint file whose GET answers an object of `properties` string properties and takes
    /// `parameters` query parameters.
    fn wide(properties: usize, parameters: usize) -> Inputs {
        let properties: Map<String, Value> = (0..properties)
            .map(|index| (format!("p{index}"), json!({"type": "string"})))
            .collect();
        let parameters: Vec<Value> = (0..parameters)
            .map(|index| json!({"name": format!("q{index}"), "required": false}))
            .collect();
        let file = json!({
            "endpoint": "/v1/wide",
            "methods": {"get": {
                "parameters": parameters,
                "responses": [{"code": "200", "description": "ok"}],
                "response_schema": {
                    "description": "wide", "type": "object", "properties": properties,
                },
            }},
        });
        Inputs {
            schemas: vec![("wide.json".to_owned(), file.to_string().into_bytes())],
            ..Default::default()
        }
    }

    #[test]
    fn a_struct_wider_than_the_models_can_hold_is_an_error_at_its_schema() {
        let config = Config::default();
        let at_limit = wide(MAX_STRUCT_FIELDS, MAX_STRUCT_FIELDS);
        let api = generate_with_config(&at_limit, &config).unwrap().api;
        assert_eq!(api.operations[0].query_params.len(), MAX_STRUCT_FIELDS);

        let problems = generate_with_config(&wide(MAX_STRUCT_FIELDS + 1, 3), &config)
            .unwrap_err()
            .to_string();
        assert!(
            problems.starts_with(
                "error: wide.json#/methods/get/response_schema: `Wide` has 449 properties, more \
                 than the 448 one generated struct can hold\n  hint: "
            ),
            "{problems}"
        );
        assert!(problems.contains("`[replace]` `\"Wide\" = "), "{problems}");
        assert!(problems.ends_with("1 error(s)"), "{problems}");

        let problems = generate_with_config(&wide(3, MAX_STRUCT_FIELDS + 1), &config)
            .unwrap_err()
            .to_string();
        assert!(
            problems.starts_with(
                "error: wide.json#/methods/get/parameters: 449 query parameters, more than the \
                 448 one operation's query struct can hold\n"
            ),
            "{problems}"
        );

        // A struct the configuration replaces with the user's own type is not emitted.
        let mut config = Config::default();
        config
            .replace
            .insert("Wide".to_owned(), "serde_json::Value".to_owned());
        generate_with_config(&wide(MAX_STRUCT_FIELDS + 1, 3), &config).unwrap();
    }
}
