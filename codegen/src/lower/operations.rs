//! Operations: names derived from the method and the shape of the path, parameters sorted into
//! path, query and header parameters, and request and response types.

use crate::frontend::{path_parameters, Method, ParameterSpec};
use crate::ident;

/// The name rule: the last fixed path segment is the resource; a path ending in a parameter
/// addresses one item of it.
///
/// | method | `/things/` | `/things/{id}` |
/// |---|---|---|
/// | GET | `list_things` (`get_thing` when singular) | `get_thing` |
/// | POST | `create_thing` (the action, `login`, when singular) | `create_thing` |
/// | PUT | `set_things` | `set_thing` |
/// | PATCH | `modify_things` | `modify_thing` |
/// | DELETE | `delete_things` | `delete_thing` |
pub fn derive_operation_name(method: Method, path: &str) -> String {
    let segments: Vec<&str> = path
        .split('/')
        .filter(|segment| !segment.is_empty())
        .collect();
    let is_item = segments
        .last()
        .is_some_and(|segment| segment.starts_with('{'));
    let resource = segments
        .iter()
        .rev()
        .find(|segment| !segment.starts_with('{') && !is_version(segment))
        .map_or_else(|| "root".to_owned(), |segment| ident::fn_name(segment));
    let singular = singular_last_word(&resource);
    let is_plural = singular != resource;
    let (verb, noun) = match (method, is_item) {
        (Method::Get, false) if is_plural => ("list", resource.clone()),
        (Method::Get, _) => ("get", singular),
        // A POST to a singular name is an action: `/session/login` -> `login`.
        (Method::Post, false) if !is_plural => return resource,
        (Method::Post, _) => ("create", singular),
        (Method::Put, true) => ("set", singular),
        (Method::Put, false) => ("set", resource.clone()),
        (Method::Patch, true) => ("modify", singular),
        (Method::Patch, false) => ("modify", resource.clone()),
        (Method::Delete, true) => ("delete", singular),
        (Method::Delete, false) => ("delete", resource.clone()),
    };
    ident::fn_name(&format!("{verb}_{noun}"))
}

/// The API version segment of a path (`v1`), if it has one.
pub fn path_version(path: &str) -> Option<&str> {
    path.split('/').find(|segment| is_version(segment))
}

fn is_version(segment: &str) -> bool {
    segment
        .strip_prefix('v')
        .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|byte| byte.is_ascii_digit()))
}

fn singular_last_word(snake: &str) -> String {
    match snake.rsplit_once('_') {
        Some((head, last)) => format!("{head}_{}", ident::singular(last)),
        None => ident::singular(snake),
    }
}

/// Where a parameter goes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterPlace {
    Path,
    Query,
    Header,
}

/// The reference pages do not say where a parameter goes: a `{name}` in the path makes it a path
/// parameter, an HTTP header name (`If-Match`) a header, and anything else a query parameter.
pub fn parameter_place(path: &str, parameter: &ParameterSpec) -> ParameterPlace {
    if path_parameters(path)
        .unwrap_or_default()
        .contains(&parameter.name.as_str())
    {
        ParameterPlace::Path
    } else if is_header_name(&parameter.name) {
        ParameterPlace::Header
    } else {
        ParameterPlace::Query
    }
}

/// `If-Match`, `X-Request-Id`: capitalised words joined by `-`.
fn is_header_name(name: &str) -> bool {
    name.contains('-')
        && name.split('-').all(|word| {
            word.starts_with(|first: char| first.is_ascii_uppercase())
                && word.bytes().all(|byte| byte.is_ascii_alphanumeric())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_path_shape() {
        let name = |method, path| derive_operation_name(method, path);
        assert_eq!(
            name(Method::Get, "/v1/auth/access-tokens/{id}"),
            "get_access_token"
        );
        assert_eq!(
            name(Method::Patch, "/v1/auth/access-tokens/{id}"),
            "modify_access_token"
        );
        assert_eq!(
            name(Method::Delete, "/v1/auth/access-tokens/{id}"),
            "delete_access_token"
        );
        assert_eq!(
            name(Method::Get, "/v1/auth/access-tokens/"),
            "list_access_tokens"
        );
        assert_eq!(
            name(Method::Post, "/v1/auth/access-tokens/"),
            "create_access_token"
        );
        assert_eq!(name(Method::Get, "/v1/session/who-am-i"), "get_who_am_i");
        assert_eq!(name(Method::Post, "/v1/session/login"), "login");
    }

    #[test]
    fn headers_are_recognised_by_their_spelling() {
        assert!(is_header_name("If-Match"));
        assert!(!is_header_name("if-match"));
        assert!(!is_header_name("limit"));
    }
}
