//! The API's conventions, decided once: how requests authenticate, what an error answer holds,
//! which bodies are JSON and which raw bytes, which lists are paged and how, and which
//! operations take part in optimistic concurrency. This is the only place in the generator that
//! knows the wire names of these conventions (`after`, `paging`, `next`, `ETag`, `If-Match`,
//! `error_class`, ...); the emitters render the facts recorded in the model.

use std::collections::BTreeSet;

use crate::config::{
    AuthChoice, ConventionsConfig, ErrorFieldConfig, ErrorFieldKindChoice, ErrorRoleChoice,
};
use crate::frontend::{Method, MethodSpec};
use crate::ir::{
    Api, Auth, Body, Conventions, ErrorField, ErrorFieldKind, ErrorObject, ErrorRole, EtagHeaders,
    EtagRole, Operation, PageField, Paging, TypeKind, TypeRef,
};

/// The query parameter a paged list takes the next page's cursor in.
const PAGE_CURSOR: &str = "after";
/// The response field that holds the paging object, and the paging object's link to the next
/// page.
const PAGING_FIELD: &str = "paging";
const NEXT_FIELD: &str = "next";
/// The items field preferred when a page has more than one array field.
const PREFERRED_ITEMS: &str = "entries";

/// The conventions of the API: paging, entity tags and JSON bodies as the Qumulo Core REST API
/// has them (every reference page follows them), authentication, the error object and the
/// examples' base URL as the configuration says.
pub fn conventions(config: &ConventionsConfig) -> Conventions {
    Conventions {
        auth: match config.auth {
            AuthChoice::Bearer => Auth::Bearer,
            AuthChoice::None => Auth::None,
        },
        example_url: config.example_url.clone(),
        server: None,
        credentials: Vec::new(),
        error: ErrorObject {
            name: "ApiError".to_owned(),
            doc: "The error object the API answers with on failure.".to_owned(),
            fields: match &config.error_fields {
                Some(fields) => fields.iter().map(error_field).collect(),
                None => problem_details().iter().map(error_field).collect(),
            },
        },
        etag: EtagHeaders {
            response: "ETag".to_owned(),
            request: "If-Match".to_owned(),
        },
    }
}

/// A configured error field.
fn error_field(field: &ErrorFieldConfig) -> ErrorField {
    ErrorField {
        wire_name: field.name.clone(),
        rust_name: crate::ident::field_name(&field.name),
        doc: field
            .doc
            .clone()
            .unwrap_or_else(|| format!("The `{}` member of the error object.", field.name)),
        kind: match field.kind {
            ErrorFieldKindChoice::Text => ErrorFieldKind::Text,
            ErrorFieldKindChoice::TextList => ErrorFieldKind::TextList,
            ErrorFieldKindChoice::Flag => ErrorFieldKind::Flag,
            ErrorFieldKindChoice::Integer => ErrorFieldKind::Integer,
            ErrorFieldKindChoice::Cause => ErrorFieldKind::Cause,
        },
        role: field.role.map(|role| match role {
            ErrorRoleChoice::Class => ErrorRole::Class,
            ErrorRoleChoice::Message => ErrorRole::Description,
            ErrorRoleChoice::Module => ErrorRole::Module,
            ErrorRoleChoice::UserVisible => ErrorRole::UserVisible,
        }),
    }
}

/// The error object when the configuration names none: the problem details of RFC 9457, as
/// `error-fields` would say it.
fn problem_details() -> Vec<ErrorFieldConfig> {
    let field = |name: &str, doc: &str, kind, role| ErrorFieldConfig {
        name: name.to_owned(),
        kind,
        role,
        doc: Some(doc.to_owned()),
    };
    vec![
        field(
            "type",
            "What kind of problem it is: a URI reference, machine-readable.",
            ErrorFieldKindChoice::Text,
            Some(ErrorRoleChoice::Class),
        ),
        field(
            "title",
            "A short summary of the kind of problem, for people.",
            ErrorFieldKindChoice::Text,
            None,
        ),
        field(
            "status",
            "The HTTP status code the server answered with.",
            ErrorFieldKindChoice::Integer,
            None,
        ),
        field(
            "detail",
            "What went wrong this time, for people.",
            ErrorFieldKindChoice::Text,
            Some(ErrorRoleChoice::Message),
        ),
        field(
            "instance",
            "A URI reference that identifies this occurrence.",
            ErrorFieldKindChoice::Text,
            None,
        ),
    ]
}

/// The body of a successful response that publishes no schema: a GET answers with JSON the
/// pages do not detail (kept as a value, never dropped); other methods answer without a body.
pub fn unschematized_response(method: Method) -> Option<Body> {
    (method == Method::Get).then_some(Body::UntypedJson)
}

/// Records each operation's paging and entity-tag role. Operations are sorted by path.
pub fn decide_operation_facts(api: &mut Api) {
    let conditional_paths: BTreeSet<String> = api
        .operations
        .iter()
        .filter(|operation| takes_etag(operation, &api.conventions.etag))
        .map(|operation| operation.path.clone())
        .collect();
    let facts: Vec<(Option<Paging>, EtagRole)> = api
        .operations
        .iter()
        .map(|operation| {
            // An answer typed by status is neither a page nor a value with its tag.
            if operation.typed_by_status() {
                return (None, EtagRole::None);
            }
            let role = if takes_etag(operation, &api.conventions.etag) {
                EtagRole::ConditionalWrite
            } else if operation.method == Method::Get && conditional_paths.contains(&operation.path)
            {
                EtagRole::Read
            } else if operation.method == Method::Post
                && conditional_paths
                    .iter()
                    .any(|item| is_item_of(item, &operation.path))
            {
                EtagRole::Create
            } else {
                EtagRole::None
            };
            (paging(api, operation), role)
        })
        .collect();
    for (operation, (paging, role)) in api.operations.iter_mut().zip(facts) {
        operation.paging = paging;
        operation.etag = role;
    }
}

/// Whether `item` is `collection` followed by one parameter segment: `/tenants/{id}` of
/// `/tenants/`.
fn is_item_of(item: &str, collection: &str) -> bool {
    let collection = collection.trim_end_matches('/');
    item.strip_prefix(collection)
        .and_then(|rest| rest.strip_prefix('/'))
        .map(|rest| rest.trim_end_matches('/'))
        .is_some_and(|segment| {
            segment.starts_with('{') && segment.ends_with('}') && !segment[1..].contains(['/', '{'])
        })
}

fn takes_etag(operation: &Operation, headers: &EtagHeaders) -> bool {
    operation
        .header_params
        .iter()
        .any(|header| header.wire_name.eq_ignore_ascii_case(&headers.request))
}

/// Whether an operation takes the page cursor: a GET of it reads one page of a list, which
/// operation naming calls `list_...` even where the path does not end in `/`.
pub fn takes_page_cursor(spec: &MethodSpec) -> bool {
    spec.parameters
        .iter()
        .any(|parameter| parameter.name == PAGE_CURSOR)
}

/// A paged list: a GET that takes the cursor parameter and answers with a struct holding a
/// paging object (with its link to the next page) and one array of items (or several, one of
/// them the preferred `entries`).
fn paging(api: &Api, operation: &Operation) -> Option<Paging> {
    let cursor = operation
        .query_params
        .iter()
        .find(|parameter| parameter.wire_name == PAGE_CURSOR)?;
    if operation.method != Method::Get {
        return None;
    }
    let Some(Body::Json(TypeRef::Named(id))) = operation.success_body() else {
        return None;
    };
    let TypeKind::Struct { fields } = &api.type_def(*id).kind else {
        return None;
    };
    let paging_field = fields
        .iter()
        .find(|field| field.wire_name == PAGING_FIELD)?;
    let TypeRef::Named(paging_id) = &paging_field.ty else {
        return None;
    };
    let TypeKind::Struct {
        fields: paging_fields,
    } = &api.type_def(*paging_id).kind
    else {
        return None;
    };
    let next = paging_fields
        .iter()
        .find(|field| field.wire_name == NEXT_FIELD && field.ty == TypeRef::String)?;
    let arrays: Vec<_> = fields
        .iter()
        .filter(|field| matches!(field.ty, TypeRef::Array(_)))
        .collect();
    let items = match arrays.as_slice() {
        [only] => *only,
        _ => arrays
            .iter()
            .find(|field| field.wire_name == PREFERRED_ITEMS)
            .copied()?,
    };
    let TypeRef::Array(item_type) = &items.ty else {
        return None;
    };
    let page_field = |field: &crate::ir::Field| PageField {
        wire_name: field.wire_name.clone(),
        rust_name: field.rust_name.clone(),
        required: field.required,
    };
    Some(Paging {
        cursor: cursor.wire_name.clone(),
        items: page_field(items),
        item_type: item_type.as_ref().clone(),
        paging: page_field(paging_field),
        next: page_field(next),
    })
}

#[cfg(test)]
mod tests {
    /// The emitters and runtime templates render the conventions from the model: none of them
    /// spells a wire name that this module decides.
    #[test]
    fn emitters_spell_no_convention_wire_names() {
        let sources = [
            ("emit/client.rs", include_str!("../emit/client.rs")),
            ("emit/server.rs", include_str!("../emit/server.rs")),
            ("emit/models.rs", include_str!("../emit/models.rs")),
            ("emit/openapi.rs", include_str!("../emit/openapi.rs")),
            (
                "emit/conformance.rs",
                include_str!("../emit/conformance.rs"),
            ),
            ("emit/groups.rs", include_str!("../emit/groups.rs")),
            ("emit/types.rs", include_str!("../emit/types.rs")),
            (
                "templates/client_runtime.rs",
                include_str!("../../templates/client_runtime.rs"),
            ),
            (
                "templates/server_runtime.rs",
                include_str!("../../templates/server_runtime.rs"),
            ),
            (
                "templates/models_runtime.rs",
                include_str!("../../templates/models_runtime.rs"),
            ),
        ];
        let wire_names = [
            "\"after\"",
            "\"entries\"",
            "\"paging\"",
            "\"next\"",
            "If-Match",
            "if-match",
            "\"ETag\"",
            "header::ETAG",
            "error_class",
            "user_visible",
        ];
        let mut found = Vec::new();
        for (file, text) in sources {
            for name in wire_names {
                for (number, line) in text.lines().enumerate() {
                    if line.contains(name) {
                        found.push(format!("{file}:{}: {name}", number + 1));
                    }
                }
            }
        }
        assert!(found.is_empty(), "{}", found.join("\n"));
    }
}
