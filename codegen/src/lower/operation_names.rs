//! Operation names: the naming rules of `operations.rs` applied to every operation, then the
//! lock's names and the configuration's overrides.

use super::*;

pub(super) fn name_operations<'a>(
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
                status_bodies: Vec::new(),
                error_bodies: Vec::new(),
                parameters: Vec::new(),
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
        apply_operation_ids(&mut res, indices);
    }
    apply_locked_operation_names(&mut res, lock);
    apply_operation_overrides(diagnostics, config, &mut res);
    res
}

/// Operations the input names (OpenAPI's `operationId`) take that name, snake_case and without
/// their group's name in front (`pets_list` in group `pets` is `list`); a name two operations
/// of the group would share gets a numeric suffix on the later one.
fn apply_operation_ids(operations: &mut [PendingOperation<'_>], indices: &[usize]) {
    let mut held: BTreeSet<String> = indices
        .iter()
        .filter(|&&index| operations[index].spec.operation_id.is_none())
        .map(|&index| operations[index].name.clone())
        .collect();
    for &index in indices {
        let operation = &mut operations[index];
        let Some(id) = &operation.spec.operation_id else {
            continue;
        };
        let base = ident::operation_name(id, &operation.group);
        let name = ident::numbered(&base, |name| held.contains(name));
        held.insert(name.clone());
        operation.name = name;
    }
}

/// Operations named in `codegen.lock` keep their group and name; an operation whose derived
/// name a locked one holds in its group takes its version (`_v4`) or else a numeric suffix.
pub(super) fn apply_locked_operation_names(operations: &mut [PendingOperation<'_>], lock: &Lock) {
    let mut held: BTreeSet<(String, String)> = BTreeSet::new();
    // The input's own names (`operationId`) are not the lock's to keep.
    for operation in operations
        .iter_mut()
        .filter(|operation| operation.spec.operation_id.is_none())
    {
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

pub(super) fn name_input<'a>(operation: &'a PendingOperation<'_>) -> operations::NameInput<'a> {
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
pub(super) fn apply_operation_overrides(
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

pub(super) fn check_identifier(diagnostics: &mut Diagnostics, at: &Location, name: &str) {
    if syn::parse_str::<syn::Ident>(name).is_err() {
        diagnostics.error(
            at,
            format!("`{name}` is not a Rust identifier"),
            "use letters, digits and `_`, not starting with a digit",
        );
    }
}
