//! Operations: names derived from the method and the shape of the path, parameters sorted into
//! path, query and header parameters, and request and response types.

use std::collections::{BTreeMap, BTreeSet};

use crate::frontend::{path_parameters, Method, ParameterSpec};
use crate::ident;

/// What the naming rule needs to know about an operation.
#[derive(Debug, Clone)]
pub struct NameInput<'a> {
    pub method: Method,
    pub path: &'a str,
    /// The operation's group (module) name, snake_case.
    pub group: &'a str,
    /// Whether the response is one page of a list (it carries the paging convention), so a GET
    /// of it lists even where the path does not end in `/`.
    pub is_list: bool,
}

/// How a path ends, which decides the verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// `/things/`: a collection (the reference spells collections with a trailing slash).
    Collection,
    /// `/things/{id}`: one item of a collection.
    Item,
    /// `/settings`, `/session/login`: one thing, or an action.
    Single,
}

/// A path read for naming: its fixed segments (versions left out) and how it ends.
#[derive(Debug, Clone)]
struct Route {
    /// Fixed segments as snake_case words; a segment followed by a parameter (`files/{ref}`)
    /// is singular (`file`), since it names one item.
    words: Vec<String>,
    /// The fixed segments as written (snake_case), unsingularised.
    statics: Vec<String>,
    /// Whether each fixed segment is followed directly by a parameter.
    before_parameter: Vec<bool>,
    ending: Ending,
}

impl Route {
    fn parse(path: &str) -> Route {
        let segments: Vec<&str> = path
            .split('/')
            .filter(|segment| !segment.is_empty() && !is_version(segment))
            .collect();
        let mut statics = Vec::new();
        let mut before_parameter = Vec::new();
        for (index, segment) in segments.iter().enumerate() {
            if segment.starts_with('{') {
                continue;
            }
            statics.push(ident::fn_name(segment));
            before_parameter.push(
                segments
                    .get(index + 1)
                    .is_some_and(|next| next.starts_with('{')),
            );
        }
        if statics.is_empty() {
            statics.push("root".to_owned());
            before_parameter.push(false);
        }
        let words = statics
            .iter()
            .zip(&before_parameter)
            .map(|(word, &item)| {
                if item {
                    singular_last_word(word)
                } else {
                    word.clone()
                }
            })
            .collect();
        let ending = if segments.last().is_some_and(|last| last.starts_with('{')) {
            Ending::Item
        } else if path.ends_with('/') {
            Ending::Collection
        } else {
            Ending::Single
        };
        Route {
            words,
            statics,
            before_parameter,
            ending,
        }
    }

    /// The last fixed segment: the resource the operation addresses, or its action.
    fn last(&self) -> &str {
        self.statics.last().map_or("root", String::as_str)
    }

    /// A POST that calls an action rather than creating: to a fixed segment that reads as a
    /// verb phrase, either one singular word (`session/login`, `snapshots/{id}/lock`, `dns/
    /// resolve/`, `jobs/restart/{id}`) or several words (`rotate-keys`, `punch-hole`).
    fn is_action(&self, method: Method) -> bool {
        let last = self.last();
        let one_singular_word = !last.contains('_') && singular_last_word(last) == last;
        method == Method::Post
            && match self.ending {
                Ending::Single => one_singular_word || last.contains('_'),
                Ending::Collection | Ending::Item => one_singular_word,
            }
    }

    /// Whether the action acts on one item: `snapshots/{id}/lock`, `jobs/restart/{id}`.
    fn acts_on_item(&self) -> bool {
        let count = self.statics.len();
        count >= 2 && (self.ending == Ending::Item || self.before_parameter[count - 2])
    }

    /// The thing an action acts on: the item (`snapshots/{id}/lock` -> `snapshot`), or the
    /// fixed segment before it unless that is the API area (`reboot/start` -> `reboot`, but
    /// `session/login` -> none).
    fn action_object(&self) -> Option<String> {
        let count = self.statics.len();
        if self.acts_on_item() {
            Some(singular_last_word(&self.statics[count - 2]))
        } else if count > 2 {
            Some(self.statics[count - 2].clone())
        } else {
            None
        }
    }

    /// What the operation is about, for deciding whether a group holds one resource or several:
    /// what an action acts on, the collection of an item, else the last fixed segment.
    fn resource(&self, method: Method) -> Option<String> {
        if self.is_action(method) {
            return self
                .action_object()
                .map(|object| singular_last_word(&object));
        }
        Some(singular_last_word(self.last()))
    }
}

/// The name rule. The last fixed path segment is the resource; a path ending in a parameter
/// addresses one item of it, a path ending in `/` the collection; `qualify` more segments
/// before it are added when names clash (a segment followed by a parameter reads singular:
/// `files/{ref}/data` -> `file_data`). In a group that holds one resource only, the resource
/// is left out (`access_tokens::list`, `access_tokens::get`), as the Python SDK's resource
/// classes do; in a group of several, every name keeps it (`roles::create_role`,
/// `roles::list_privileges`).
///
/// | method | `/things/` | `/things/{id}` | `/thing` | `/things/{id}/lock`, `/rotate-keys` |
/// |---|---|---|---|---|
/// | GET | `list_things` | `get_thing` | `get_thing` (`list_...` when paged) | |
/// | POST | `create_thing` | `create_thing` | `create_thing` | `lock_thing`, `rotate_keys` |
/// | PUT | `set_things` | `set_thing` | `set_thing` | |
/// | PATCH | `modify_things` | `modify_thing` | `modify_thing` | |
/// | DELETE | `delete_things` | `delete_thing` | `delete_thing` | |
fn derive_operation_name(
    route: &Route,
    input: &NameInput<'_>,
    qualify: usize,
    one_resource: bool,
) -> String {
    let resource = route.last().to_owned();
    let singular = singular_last_word(&resource);
    let count = route.words.len();
    let start = count.saturating_sub(qualify + 1);
    let qualifier: Vec<&str> = route.words[start..count.saturating_sub(1)]
        .iter()
        .map(String::as_str)
        .collect();
    let drop_resource = qualify == 0 && one_resource;
    let mut words: Vec<String> = Vec::new();
    if route.is_action(input.method) {
        // The action first, then what it acts on: `lock_snapshot`, `create_cluster`.
        words.push(resource);
        if qualify > 0 {
            words.extend(qualifier.iter().map(|word| (*word).to_owned()));
        } else if !one_resource {
            words.extend(route.action_object());
        }
        return ident::fn_name(&words.join("_"));
    }
    let (verb, noun) = match (input.method, route.ending) {
        (Method::Get, Ending::Collection) => ("list", resource.as_str()),
        (Method::Get, Ending::Single) if input.is_list => ("list", resource.as_str()),
        (Method::Get, Ending::Item) => ("get", singular.as_str()),
        (Method::Get, Ending::Single) => ("get", resource.as_str()),
        (Method::Post, _) => ("create", singular.as_str()),
        (Method::Put, Ending::Item) => ("set", singular.as_str()),
        (Method::Put, _) => ("set", resource.as_str()),
        (Method::Patch, Ending::Item) => ("modify", singular.as_str()),
        (Method::Patch, _) => ("modify", resource.as_str()),
        (Method::Delete, Ending::Item) => ("delete", singular.as_str()),
        (Method::Delete, _) => ("delete", resource.as_str()),
    };
    words.push(verb.to_owned());
    if !drop_resource || !same_thing(&singular, input.group) {
        words.extend(qualifier.iter().map(|word| (*word).to_owned()));
        words.push(noun.to_owned());
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
                segment.starts_with(|first: char| first.is_ascii_alphabetic())
                    && !is_version(segment)
            })
            .map_or_else(|| "root".to_owned(), ident::fn_name)
    };
    from_category
        // A category that makes no module name of its own (`2.0`, `type`) leaves it to the path.
        .filter(|name| name.starts_with(|first: char| first.is_ascii_alphabetic()))
        .unwrap_or_else(from_path)
}

/// Whether every operation of a group addresses one resource (actions on no item aside).
fn holds_one_resource(inputs: &[NameInput<'_>], routes: &[Route]) -> bool {
    let resources: BTreeSet<String> = inputs
        .iter()
        .zip(routes)
        .filter_map(|(input, route)| route.resource(input.method))
        .collect();
    resources.len() <= 1
}

/// Names every operation of one group, distinct within it. Operations whose names clash are
/// told apart by more path segments (`get_status` -> `get_restriper_status`), except versions
/// of one endpoint (the same path but for its version segment and parameter names): the
/// newest keeps the name and the others add their version (`list_shares_v1`); anything still
/// equal gets a suffix naming its extra parameter, or a number, in path order.
pub fn name_group(inputs: &[NameInput<'_>]) -> Vec<String> {
    // Each path is read once; a round of the loop names again only the operations it
    // qualified further.
    let routes: Vec<Route> = inputs
        .iter()
        .map(|input| Route::parse(input.path))
        .collect();
    let one_resource = holds_one_resource(inputs, &routes);
    let endpoints: Vec<String> = inputs.iter().map(|input| unversioned(input.path)).collect();
    let limits: Vec<usize> = routes
        .iter()
        .map(|route| route.words.len().saturating_sub(1))
        .collect();
    let mut qualify = vec![0usize; inputs.len()];
    let mut names: Vec<String> = inputs
        .iter()
        .zip(&routes)
        .map(|(input, route)| derive_operation_name(route, input, 0, one_resource))
        .collect();
    loop {
        let mut clashes: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (index, name) in names.iter().enumerate() {
            clashes.entry(name.as_str()).or_default().push(index);
        }
        let mut qualified = Vec::new();
        for indices in clashes.values().filter(|indices| indices.len() > 1) {
            let distinct: BTreeSet<(&str, Method)> = indices
                .iter()
                .map(|&index| (endpoints[index].as_str(), inputs[index].method))
                .collect();
            if distinct.len() == 1 {
                // Versions of one endpoint: told apart by their versions below.
                continue;
            }
            for &index in indices {
                if qualify[index] < limits[index] {
                    qualify[index] += 1;
                    qualified.push(index);
                }
            }
        }
        if qualified.is_empty() {
            return finish_names(inputs, names, &endpoints);
        }
        for index in qualified {
            names[index] =
                derive_operation_name(&routes[index], &inputs[index], qualify[index], one_resource);
        }
    }
}

/// Adds version and parameter (or numeric) suffixes to names that are still shared.
fn finish_names(inputs: &[NameInput<'_>], names: Vec<String>, endpoints: &[String]) -> Vec<String> {
    let mut by_endpoint: BTreeMap<(&str, &str, Method), Vec<usize>> = BTreeMap::new();
    for (index, name) in names.iter().enumerate() {
        by_endpoint
            .entry((
                name.as_str(),
                endpoints[index].as_str(),
                inputs[index].method,
            ))
            .or_default()
            .push(index);
    }
    let mut res = names.clone();
    for indices in by_endpoint.values().filter(|indices| indices.len() > 1) {
        let newest = indices
            .iter()
            .map(|&index| version_number(inputs[index].path))
            .max()
            .unwrap_or(1);
        for &index in indices {
            let version = version_number(inputs[index].path);
            if version < newest {
                res[index] = format!("{}_v{version}", names[index]);
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
            let others: Vec<String> = indices
                .iter()
                .filter(|&&other| other != index)
                .flat_map(|&other| path_parameters(inputs[other].path))
                .collect();
            let extra = path_parameters(inputs[index].path)
                .into_iter()
                .find(|parameter| !others.contains(parameter));
            let mut name = match extra {
                Some(parameter) => format!(
                    "{base}_by_{}",
                    ident::fn_name(&parameter).trim_start_matches("r#")
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

/// A path without its version segment and with its parameters unnamed: versions of one
/// endpoint (`/v1/smb/shares/{id}`, `/v3/smb/shares/{share_id}`) read the same.
fn unversioned(path: &str) -> String {
    let segments: Vec<&str> = path
        .split('/')
        .filter(|segment| !is_version(segment))
        .map(|segment| {
            if segment.starts_with('{') {
                "{}"
            } else {
                segment
            }
        })
        .collect();
    segments.join("/")
}

/// `v2` in the path -> 2; no version segment -> 1.
pub fn version_number(path: &str) -> u32 {
    path.split('/')
        .find(|segment| is_version(segment))
        .and_then(|version| version[1..].parse().ok())
        .unwrap_or(1)
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
    Cookie,
}

/// The reference pages do not say where a parameter goes: a `{name}` in the path makes it a path
/// parameter, an HTTP header name (`If-Match`) a header, and anything else a query parameter.
pub fn parameter_place(path: &str, parameter: &ParameterSpec) -> ParameterPlace {
    if path_parameters(path).contains(&parameter.name) {
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

    /// A table row: a group, its operations (`(method, path, paged)`), the names they get.
    type Row = (
        &'static str,
        &'static [(Method, &'static str, bool)],
        &'static [&'static str],
    );

    /// Names a whole group: `(method, path, paged)` in, names out.
    fn names(group: &str, operations: &[(Method, &str, bool)]) -> Vec<String> {
        let inputs: Vec<NameInput<'_>> = operations
            .iter()
            .map(|&(method, path, is_list)| NameInput {
                method,
                path,
                group,
                is_list,
            })
            .collect();
        name_group(&inputs)
    }

    /// Each row: a group, its operations, and the names they get.
    #[test]
    fn names_follow_the_path_shape() {
        use Method::{Delete, Get, Patch, Post, Put};
        let table: &[Row] = &[
            // A group of one resource leaves the resource out, as the SDK's classes do.
            (
                "access_tokens",
                &[
                    (Get, "/v1/auth/access-tokens/", true),
                    (Post, "/v1/auth/access-tokens/", false),
                    (Get, "/v1/auth/access-tokens/{id}", false),
                    (Patch, "/v1/auth/access-tokens/{id}", false),
                    (Delete, "/v1/auth/access-tokens/{id}", false),
                ],
                &["list", "create", "get", "modify", "delete"],
            ),
            // Several resources: every name keeps its resource, actions name what they act on.
            (
                "roles",
                &[
                    (Get, "/v1/auth/roles/", false),
                    (Post, "/v1/auth/roles/", false),
                    (Get, "/v1/auth/roles/{role_name}", false),
                    (Delete, "/v1/auth/roles/{role_name}", false),
                    (Get, "/v1/auth/roles/{role_name}/members", true),
                    (Post, "/v1/auth/roles/{role_name}/members", false),
                    (Get, "/v1/auth/privileges/", false),
                ],
                &[
                    "list_roles",
                    "create_role",
                    "get_role",
                    "delete_role",
                    "list_members",
                    "create_member",
                    "list_privileges",
                ],
            ),
            (
                "snapshots",
                &[
                    (Get, "/v3/snapshots/{id}", false),
                    (Post, "/v3/snapshots/{id}/lock", false),
                    (Get, "/v3/snapshots/policies/{id}", false),
                ],
                &["get_snapshot", "lock_snapshot", "get_policy"],
            ),
            // Actions: a singular word or a phrase, not a collection.
            (
                "session_management",
                &[
                    (Post, "/v1/session/login", false),
                    (Get, "/v1/session/who-am-i", false),
                    (Post, "/v1/session/change-password", false),
                ],
                &["login", "get_who_am_i", "change_password"],
            ),
            (
                "shutdown",
                &[
                    (Post, "/v1/shutdown/reboot/start", false),
                    (Get, "/v1/shutdown/reboot/status", false),
                    (Post, "/v1/shutdown/halt", false),
                ],
                &["start_reboot", "get_status", "halt"],
            ),
            (
                "tree_delete",
                &[
                    (Post, "/v1/tree-delete/jobs/", false),
                    (Post, "/v1/tree-delete/jobs/restart/{id}", false),
                ],
                &["create_job", "restart"],
            ),
            // A GET lists a collection (`/` at the end) or a page; anything else it gets.
            (
                "object_storage",
                &[
                    (Get, "/v1/object-storage/uris", false),
                    (Get, "/v1/object-storage/buckets/", false),
                ],
                &["get_uris", "list_buckets"],
            ),
            (
                "cluster_settings",
                &[
                    (Get, "/v1/cluster/settings", false),
                    (Put, "/v1/cluster/settings", false),
                    (Get, "/v2/cluster/settings/ssl/ciphers", false),
                ],
                &["get_settings", "set_settings", "get_ciphers"],
            ),
        ];
        for (group, operations, expected) in table {
            assert_eq!(&names(group, operations), expected, "group {group}");
        }
    }

    /// Each row: clashing operations of one group, and how they are told apart.
    #[test]
    fn clashes_resolve_by_segments_then_versions_then_parameters() {
        use Method::{Get, Post};
        let table: &[Row] = &[
            // Different endpoints: more segments, an item segment read singular.
            (
                "files",
                &[
                    (Get, "/v1/files/{ref}/data", false),
                    (Get, "/v1/files/{ref}/streams/{stream_id}/data", false),
                ],
                &["get_file_data", "get_stream_data"],
            ),
            (
                "encryption_at_rest",
                &[
                    (Get, "/v1/encryption/status", false),
                    (Get, "/v2/encryption/key-store/status", false),
                ],
                &["get_encryption_status", "get_key_store_status"],
            ),
            // Versions of one endpoint (parameter names aside): the newest keeps the name.
            (
                "smb_shares",
                &[
                    (Get, "/v1/smb/shares/{id}", false),
                    (Get, "/v2/smb/shares/{ref}", false),
                    (Get, "/v3/smb/shares/{share_id}", false),
                    (Get, "/v3/smb/shares/", false),
                ],
                &["get_v1", "get_v2", "get", "list"],
            ),
            // Only one version: no suffix.
            (
                "nfs",
                &[
                    (Post, "/v3/nfs/exports/", false),
                    (Get, "/v2/nfs/settings", false),
                ],
                &["create_export", "get_settings"],
            ),
            // Versions and other endpoints at once.
            (
                "cluster_creation",
                &[
                    (Post, "/v2/cluster/create", false),
                    (Post, "/v4/cluster/object-backed/create", false),
                ],
                &["create_cluster", "create_object_backed"],
            ),
            // Paths that differ only by a parameter: the extra one is named.
            (
                "files",
                &[
                    (Get, "/v1/files/{ref}/user-metadata/{type}/", false),
                    (Get, "/v1/files/{ref}/user-metadata/{type}/{key}", false),
                ],
                &["get_file_user_metadata", "get_file_user_metadata_by_key"],
            ),
        ];
        for (group, operations, expected) in table {
            assert_eq!(&names(group, operations), expected, "group {group}");
        }
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
