//! Routes: one description per route (`METHOD /path`), where two files that describe one route
//! identically keep the first.

use super::*;

pub(super) fn route_key(operation: &PendingOperation<'_>) -> String {
    format!(
        "{} {}",
        operation.spec.method.as_str(),
        operation.endpoint.path
    )
}

/// Two descriptions of one route are an error, unless they say the same thing (the published
/// reference lists a few endpoints under two categories); then the first in path order is kept
/// and the others are returned, to be skipped, with a note.
pub(super) fn check_unique_routes(
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
pub(super) fn same_description(left: &MethodSpec, right: &MethodSpec) -> bool {
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

pub(super) fn same_schema(left: &Schema, right: &Schema) -> bool {
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
pub(super) fn normalize_route(path: &str) -> String {
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
