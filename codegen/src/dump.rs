//! A readable dump of the model, for snapshots and review: which shapes were merged, where each
//! occurs, what it is named and why.

use std::fmt::Write;

use crate::ir::{Api, Field, Operation, TypeKind, TypeRef};

/// The whole model as text.
pub fn dump_api(api: &Api) -> String {
    let mut res = String::new();
    let _ = writeln!(
        res,
        "api {}: {} types from {} object and {} enum schemas; {} operations",
        api.name,
        api.types.len(),
        api.occurrences.objects,
        api.occurrences.enums,
        api.operations.len()
    );
    for type_def in api.types.values() {
        res.push('\n');
        match &type_def.kind {
            TypeKind::Struct { fields } => {
                let _ = writeln!(res, "struct {}", type_def.name);
                dump_occurrences(&mut res, &type_def.occurrences);
                for field in fields {
                    let _ = writeln!(res, "  {}", dump_field(api, field));
                }
            }
            TypeKind::Enum {
                variants,
                catch_all,
            } => {
                let _ = writeln!(res, "enum {}", type_def.name);
                dump_occurrences(&mut res, &type_def.occurrences);
                for variant in variants {
                    let _ = writeln!(res, "  {:?} => {}", variant.wire_name, variant.rust_name);
                }
                let _ = writeln!(res, "  _ => {catch_all}(String)");
            }
            TypeKind::Union {
                form,
                variants,
                catch_all,
            } => {
                let tagging = match form {
                    crate::ir::UnionForm::Internal(tag) => format!("tag {tag:?}"),
                    crate::ir::UnionForm::External => "externally tagged".to_owned(),
                    crate::ir::UnionForm::Untagged => "untagged".to_owned(),
                };
                let _ = writeln!(res, "union {} ({tagging})", type_def.name);
                dump_occurrences(&mut res, &type_def.occurrences);
                for variant in variants {
                    let inner = variant
                        .ty
                        .as_ref()
                        .map(|ty| format!("({})", dump_ty(api, ty)))
                        .unwrap_or_default();
                    let _ = writeln!(
                        res,
                        "  {:?} => {}{inner}",
                        variant.wire_name, variant.rust_name
                    );
                }
                let _ = writeln!(res, "  _ => {catch_all}(Value)");
            }
        }
        if let Some(doc) = &type_def.doc {
            let _ = writeln!(res, "  doc: {doc:?}");
        }
        if !type_def.features.is_empty() {
            let _ = writeln!(res, "  used by: {}", type_def.features.join(", "));
        }
    }
    for operation in &api.operations {
        res.push('\n');
        dump_operation(&mut res, api, operation);
    }
    if !api.notes.is_empty() {
        res.push_str("\nnotes:\n");
        for note in &api.notes {
            let _ = writeln!(res, "  {note}");
        }
    }
    res
}

fn dump_occurrences(res: &mut String, occurrences: &[crate::diagnostics::Location]) {
    for location in occurrences {
        let _ = writeln!(res, "  at {location}");
    }
}

fn dump_field(api: &Api, field: &Field) -> String {
    let mut ty = dump_ty(api, &field.ty);
    if field.boxed {
        ty = format!("Box<{ty}>");
    }
    let ty = if field.required {
        ty
    } else {
        format!("Option<{ty}>")
    };
    let mut res = format!("{}: {ty}", field.rust_name);
    if field.rust_name.trim_start_matches("r#") != field.wire_name {
        let _ = write!(res, " (wire {:?})", field.wire_name);
    }
    if field.base64 {
        res.push_str(" [base64]");
    }
    if field.secret {
        res.push_str(" [secret]");
    }
    if let Some(doc) = &field.doc {
        let _ = write!(res, " -- {doc:?}");
    }
    res
}

fn dump_ty(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::Number => "Number".to_owned(),
        TypeRef::Integer => "i64".to_owned(),
        TypeRef::Boolean => "bool".to_owned(),
        TypeRef::JsonObject => "JsonObject".to_owned(),
        TypeRef::Any => "Value".to_owned(),
        TypeRef::Array(items) => format!("Vec<{}>", dump_ty(api, items)),
        TypeRef::Map(values) => format!("BTreeMap<String, {}>", dump_ty(api, values)),
        TypeRef::Named(id) => api.type_def(*id).name.clone(),
        TypeRef::Rust { path, .. } => path.clone(),
    }
}

fn dump_operation(res: &mut String, api: &Api, operation: &Operation) {
    let _ = writeln!(
        res,
        "operation {}::{}: {} {}",
        api.module_of(operation),
        operation.name,
        operation.method.as_str(),
        operation.path
    );
    let groups = [
        ("path", &operation.path_params),
        ("query", &operation.query_params),
        ("header", &operation.header_params),
        ("cookie", &operation.cookie_params),
    ];
    for (place, parameters) in groups {
        for parameter in parameters {
            let required = if parameter.required {
                "required"
            } else {
                "optional"
            };
            let _ = writeln!(
                res,
                "  {place} {} ({required}, wire {:?})",
                parameter.rust_name, parameter.wire_name
            );
        }
    }
    if let Some(request) = &operation.request {
        let _ = writeln!(res, "  request: {}", dump_body(api, request));
    }
    for response in &operation.responses {
        let body = response
            .body
            .as_ref()
            .map_or_else(|| "no body".to_owned(), |body| dump_body(api, body));
        let _ = writeln!(res, "  {}: {body}", response.status);
    }
    for error in &operation.errors {
        let _ = writeln!(
            res,
            "  {} error: {}",
            error.status,
            api.type_def(error.ty).name
        );
    }
    if let Some(paging) = &operation.paging {
        let _ = writeln!(
            res,
            "  paged: cursor {}, items {}, next {}.{}",
            paging.cursor, paging.items.wire_name, paging.paging.wire_name, paging.next.wire_name
        );
    }
    match operation.etag {
        crate::ir::EtagRole::None => {}
        crate::ir::EtagRole::Read => {
            let _ = writeln!(res, "  entity tag: read");
        }
        crate::ir::EtagRole::Create => {
            let _ = writeln!(res, "  entity tag: create");
        }
        crate::ir::EtagRole::ConditionalWrite => {
            let _ = writeln!(res, "  entity tag: conditional write");
        }
    }
}

fn dump_body(api: &Api, body: &crate::ir::Body) -> String {
    match body {
        crate::ir::Body::Json(ty) => dump_ty(api, ty),
        crate::ir::Body::UntypedJson => "any JSON".to_owned(),
        crate::ir::Body::Null => "null".to_owned(),
        crate::ir::Body::Location => "redirect".to_owned(),
        crate::ir::Body::Bytes => "bytes".to_owned(),
        crate::ir::Body::Form(ty) => format!("form {}", dump_ty(api, ty)),
        crate::ir::Body::Text => "text".to_owned(),
    }
}
