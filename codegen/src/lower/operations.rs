//! Operations: names derived from the method and the shape of the path, parameters sorted into
//! path, query and header parameters, and request and response types.

use std::collections::BTreeMap;

use crate::frontend::{path_parameters, Method, ParameterSpec};
use crate::ident;

/// What the naming rule needs to know about an operation.
#[derive(Debug, Clone)]
pub struct NameInput<'a> {
    pub method: Method,
    pub path: &'a str,
    /// The operation's group (module) name, snake_case.
    pub group: &'a str,
    /// Whether the response is a list (an array, or an object with `entries`).
    pub is_list: bool,
}

/// The name rule. The last fixed path segment is the resource; a path ending in a parameter
/// addresses one item of it; `qualify` more segments before it are added when names clash. A
/// resource that is what the group is about (`access_tokens` in the `access_tokens` group) is
/// left out, as the Python SDK does: `access_tokens.list()`, `access_tokens.get(id)`.
///
/// | method | `/things/` | `/things/{id}` | `/things/action` |
/// |---|---|---|---|
/// | GET | `list_things` (`get_thing` unless a list) | `get_thing` | `get_action` |
/// | POST | `create_thing` | `create_thing` | `action` |
/// | PUT | `set_things` | `set_thing` | `set_action` |
/// | PATCH | `modify_things` | `modify_thing` | `modify_action` |
/// | DELETE | `delete_things` | `delete_thing` | `delete_action` |
pub fn derive_operation_name(input: &NameInput<'_>, qualify: usize) -> String {
    let segments: Vec<&str> = input
        .path
        .split('/')
        .filter(|segment| !segment.is_empty())
        .collect();
    let is_item = segments
        .last()
        .is_some_and(|segment| segment.starts_with('{'));
    let statics: Vec<String> = segments
        .iter()
        .filter(|segment| !segment.starts_with('{') && !is_version(segment))
        .map(|segment| ident::fn_name(segment))
        .collect();
    let resource = statics.last().cloned().unwrap_or_else(|| "root".to_owned());
    let singular = singular_last_word(&resource);
    let is_plural = singular != resource;
    let start = statics.len().saturating_sub(qualify + 1);
    let qualifier: Vec<&str> = statics[start..statics.len().saturating_sub(1)]
        .iter()
        .map(String::as_str)
        .collect();
    let is_main = qualify == 0 && same_thing(&singular, input.group);
    let verb = match (input.method, is_item) {
        (Method::Get, false) if input.is_list => "list",
        (Method::Get, _) => "get",
        // A POST to a singular name is an action: `/session/login` -> `login`.
        (Method::Post, false) if !is_plural => "",
        (Method::Post, _) => "create",
        (Method::Put, _) => "set",
        (Method::Patch, _) => "modify",
        (Method::Delete, _) => "delete",
    };
    let noun = if verb == "list" || (!is_item && verb != "create") {
        &resource
    } else {
        &singular
    };
    let mut words: Vec<&str> = Vec::new();
    if !verb.is_empty() {
        words.push(verb);
    }
    if !is_main || verb.is_empty() {
        words.extend(qualifier);
        words.push(noun);
    }
    ident::fn_name(&words.join("_"))
}

/// Whether `resource` (singular) names what `group` is about: the group's last words are it.
fn same_thing(resource_singular: &str, group: &str) -> bool {
    let group_singular = singular_last_word(group);
    group_singular == resource_singular
        || group_singular.ends_with(&format!("_{resource_singular}"))
}

/// The module an operation belongs to: its category without "Methods" and version words
/// (`SMB Shares Methods V2` -> `smb_shares`), or the first fixed path segment.
pub fn group_name(category: Option<&str>, path: &str) -> String {
    let from_category = category.map(|category| {
        let mut words: Vec<&str> = category.split_whitespace().collect();
        while words.last().is_some_and(|word| {
            is_version(&word.to_ascii_lowercase()) || word.eq_ignore_ascii_case("methods")
        }) {
            words.pop();
        }
        ident::fn_name(&words.join(" "))
    });
    let from_path = || {
        path.split('/')
            .find(|segment| {
                !segment.is_empty() && !segment.starts_with('{') && !is_version(segment)
            })
            .map_or_else(|| "root".to_owned(), ident::fn_name)
    };
    from_category
        .filter(|name| !name.is_empty() && !name.starts_with("r#"))
        .unwrap_or_else(from_path)
}

/// Names every operation of one group, distinct within it. Operations whose names clash are
/// first told apart by more path segments (`get_status` -> `get_policies_status`); versions of
/// one endpoint keep the name at the lowest version and add `_v2`, `_v3` above it; anything
/// still equal gets a numeric suffix in path order.
pub fn name_group(inputs: &[NameInput<'_>]) -> Vec<String> {
    let versions: Vec<u32> = inputs
        .iter()
        .map(|input| version_number(input.path))
        .collect();
    let limits: Vec<usize> = inputs
        .iter()
        .map(|input| static_segments(input.path).saturating_sub(1))
        .collect();
    let mut qualify = vec![0usize; inputs.len()];
    loop {
        let names: Vec<String> = inputs
            .iter()
            .zip(&qualify)
            .map(|(input, &extra)| derive_operation_name(input, extra))
            .collect();
        let mut clashes: BTreeMap<(&str, u32), Vec<usize>> = BTreeMap::new();
        for (index, name) in names.iter().enumerate() {
            clashes
                .entry((name.as_str(), versions[index]))
                .or_default()
                .push(index);
        }
        let mut changed = false;
        for indices in clashes.values().filter(|indices| indices.len() > 1) {
            for &index in indices {
                if qualify[index] < limits[index] {
                    qualify[index] += 1;
                    changed = true;
                }
            }
        }
        if !changed {
            return finish_names(inputs, names, &versions);
        }
    }
}

/// Adds version and numeric suffixes to names that are still shared.
fn finish_names(inputs: &[NameInput<'_>], names: Vec<String>, versions: &[u32]) -> Vec<String> {
    let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, name) in names.iter().enumerate() {
        by_name.entry(name.as_str()).or_default().push(index);
    }
    let mut res = names.clone();
    for indices in by_name.values().filter(|indices| indices.len() > 1) {
        let lowest = indices
            .iter()
            .map(|&index| versions[index])
            .min()
            .unwrap_or(1);
        for &index in indices {
            if versions[index] > lowest {
                res[index] = format!("{}_v{}", names[index], versions[index]);
            }
        }
    }
    let mut by_final: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, name) in res.iter().enumerate() {
        by_final.entry(name.clone()).or_default().push(index);
    }
    for indices in by_final.values_mut().filter(|indices| indices.len() > 1) {
        indices.sort_by_key(|&index| (inputs[index].path, inputs[index].method));
        let base = res[indices[0]].clone();
        let mut taken: Vec<String> = vec![base.clone()];
        for &index in indices.iter().skip(1) {
            // Paths that differ only by parameters: name the extra one (`..._by_ref`).
            let others: Vec<&str> = indices
                .iter()
                .filter(|&&other| other != index)
                .flat_map(|&other| parameters(inputs[other].path))
                .collect();
            let extra = parameters(inputs[index].path)
                .into_iter()
                .find(|parameter| !others.contains(parameter));
            let mut name = match extra {
                Some(parameter) => format!(
                    "{base}_by_{}",
                    ident::fn_name(parameter).trim_start_matches("r#")
                ),
                None => format!("{base}_2"),
            };
            let mut number = 2;
            while taken.contains(&name) {
                number += 1;
                name = format!("{base}_{number}");
            }
            taken.push(name.clone());
            res[index] = name;
        }
    }
    res
}

/// The `{name}` parameters of a path.
fn parameters(path: &str) -> Vec<&str> {
    path_parameters(path).unwrap_or_default()
}

fn static_segments(path: &str) -> usize {
    path.split('/')
        .filter(|segment| !segment.is_empty() && !segment.starts_with('{') && !is_version(segment))
        .count()
}

/// `v2` in the path -> 2; no version segment -> 1.
fn version_number(path: &str) -> u32 {
    path_version(path)
        .and_then(|version| version[1..].parse().ok())
        .unwrap_or(1)
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

    fn name(method: Method, path: &str, group: &str, is_list: bool) -> String {
        derive_operation_name(
            &NameInput {
                method,
                path,
                group,
                is_list,
            },
            0,
        )
    }

    #[test]
    fn names_follow_the_path_shape() {
        assert_eq!(
            name(
                Method::Get,
                "/v1/auth/access-tokens/{id}",
                "access_tokens",
                false
            ),
            "get"
        );
        assert_eq!(
            name(
                Method::Patch,
                "/v1/auth/access-tokens/{id}",
                "access_tokens",
                false
            ),
            "modify"
        );
        assert_eq!(
            name(
                Method::Delete,
                "/v1/auth/access-tokens/{id}",
                "access_tokens",
                false
            ),
            "delete"
        );
        assert_eq!(
            name(
                Method::Get,
                "/v1/auth/access-tokens/",
                "access_tokens",
                true
            ),
            "list"
        );
        assert_eq!(
            name(
                Method::Post,
                "/v1/auth/access-tokens/",
                "access_tokens",
                false
            ),
            "create"
        );
        assert_eq!(
            name(
                Method::Get,
                "/v1/session/who-am-i",
                "session_management",
                false
            ),
            "get_who_am_i"
        );
        assert_eq!(
            name(
                Method::Post,
                "/v1/session/login",
                "session_management",
                false
            ),
            "login"
        );
        assert_eq!(
            name(Method::Get, "/v2/snapshots/policies/", "snapshots", true),
            "list_policies"
        );
        assert_eq!(
            name(
                Method::Get,
                "/v2/snapshots/policies/{id}",
                "snapshots",
                false
            ),
            "get_policy"
        );
        assert_eq!(
            name(
                Method::Get,
                "/v1/cluster/settings",
                "cluster_settings",
                false
            ),
            "get"
        );
        assert_eq!(
            name(
                Method::Put,
                "/v1/cluster/settings",
                "cluster_settings",
                false
            ),
            "set"
        );
    }

    #[test]
    fn qualified_names_add_the_segments_before() {
        let input = NameInput {
            method: Method::Get,
            path: "/v2/snapshots/policies/status/",
            group: "snapshots",
            is_list: false,
        };
        assert_eq!(derive_operation_name(&input, 0), "get_status");
        assert_eq!(derive_operation_name(&input, 1), "get_policies_status");
    }

    #[test]
    fn clashes_resolve_by_segments_versions_then_parameters() {
        let input = |method, path| NameInput {
            method,
            path,
            group: "files",
            is_list: false,
        };
        let inputs = [
            input(Method::Get, "/v1/files/locks/smb/share-mode/"),
            input(Method::Get, "/v1/files/{ref}/locks/smb/share-mode/"),
            input(Method::Get, "/v1/snapshots/status/"),
            input(Method::Get, "/v1/snapshots/policies/status/"),
            input(Method::Post, "/v1/snapshots/policies/"),
            input(Method::Post, "/v2/snapshots/policies/"),
        ];
        assert_eq!(
            name_group(&inputs),
            [
                "get_files_locks_smb_share_mode",
                "get_files_locks_smb_share_mode_by_ref",
                "get_snapshots_status",
                "get_policies_status",
                "create_policy",
                "create_policy_v2",
            ]
        );
    }

    #[test]
    fn groups_drop_methods_and_versions() {
        assert_eq!(
            group_name(Some("SMB Shares Methods V2"), "/v2/smb/shares/"),
            "smb_shares"
        );
        assert_eq!(
            group_name(Some("Access Tokens"), "/v1/auth/access-tokens/"),
            "access_tokens"
        );
        assert_eq!(group_name(None, "/v1/auth/access-tokens/"), "auth");
    }

    #[test]
    fn headers_are_recognised_by_their_spelling() {
        assert!(is_header_name("If-Match"));
        assert!(!is_header_name("if-match"));
        assert!(!is_header_name("limit"));
    }
}
