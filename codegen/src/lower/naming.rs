//! Names for deduplicated shapes. Each shape has candidates from all of its occurrences; a shape
//! takes its best candidate unless another shape wants the same name at least as much, in which
//! case both move on to their next candidate. Exhausted shapes get a numeric suffix. Every
//! contested name is reported as a note, so collisions never pass silently.

use std::collections::{BTreeMap, BTreeSet};

use super::shapes::{Candidate, Shape, Tier};
use crate::diagnostics::{Diagnostics, Location};

/// Type names no shape may take: those the generated crates define themselves, and prelude and
/// derive names a type would shadow (a schema type called `Result` breaks every signature).
pub const RESERVED: &[&str] = &[
    "Api",
    "ApiError",
    "BearerToken",
    "JsonObject",
    "ObjectOnly",
    "Tagged",
    "UnknownValue",
    "Client",
    "Error",
    "ErrorBody",
    "RequestContext",
    "RetryPolicy",
    "ServerConfig",
    "ServerError",
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Deserialize",
    "Drop",
    "Eq",
    "Err",
    "Fn",
    "From",
    "Hash",
    "Into",
    "Iterator",
    "JsonSchema",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Serialize",
    "Sized",
    "Some",
    "String",
    "Sync",
    "Vec",
];

/// The name each shape keeps from `codegen.lock`, if any. A locked name belongs to the places
/// (`file#pointer`) it was given at; of those that still exist, the shape holding the most keeps
/// it, provided it holds at least half of them (ties: the shape holding the first of them in
/// order). A shape offered several names keeps the one whose places it holds most of (ties:
/// the one that ranks best among its own candidates, then the first alphabetically); the others
/// are free again. So a type keeps its name whatever changes inside it, the part of a split that
/// moved away gets a new name, and an edit made in two steps ends with the names of the same
/// edit made in one.
pub fn locked_names(
    shapes: &[Shape],
    locked: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<Option<String>> {
    // Each occurrence's shape by its place as the lock writes it, `file#pointer`, without
    // writing the places out: a place is looked up at each of its `#`s in turn. The few
    // locations written otherwise (`Location::is_json_pointer`) are written out.
    let mut owner: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut written: BTreeMap<String, usize> = BTreeMap::new();
    for (index, shape) in shapes.iter().enumerate() {
        for occurrence in &shape.occurrences {
            let location = &occurrence.location;
            if location.is_json_pointer() {
                owner.insert((&location.file, &location.pointer), index);
            } else {
                written.insert(location.to_string(), index);
            }
        }
    }
    let owner_of = |place: &str| {
        written.get(place).copied().or_else(|| {
            place
                .match_indices('#')
                .find_map(|(at, _)| owner.get(&(&place[..at], &place[at + 1..])).copied())
        })
    };
    // Every shape's offers: (name, places of it held).
    let mut offers: BTreeMap<usize, Vec<(&str, usize)>> = BTreeMap::new();
    for (name, places) in locked {
        let present: Vec<(&String, usize)> = places
            .iter()
            .filter_map(|place| owner_of(place).map(|index| (place, index)))
            .collect();
        let mut held: BTreeMap<usize, usize> = BTreeMap::new();
        for (_, index) in &present {
            *held.entry(*index).or_default() += 1;
        }
        // `present` is in place order, so the first maximum found holds the first place.
        let mut best: Option<(usize, usize)> = None;
        for (_, index) in &present {
            let count = held[index];
            if best.is_none_or(|(_, most)| count > most) {
                best = Some((*index, count));
            }
        }
        if let Some((index, count)) = best {
            if count * 2 >= present.len() {
                offers
                    .entry(index)
                    .or_default()
                    .push((name.as_str(), count));
            }
        }
    }
    let mut res = vec![None; shapes.len()];
    for (index, mut names) in offers {
        let own: Vec<Candidate> = rank_candidates(&shapes[index])
            .into_iter()
            .filter(|candidate| candidate.tier > Tier::Locked)
            .collect();
        let rank = |name: &str| {
            own.iter()
                .position(|candidate| candidate.name == name)
                .unwrap_or(own.len())
        };
        names.sort_by(|left, right| {
            right
                .1
                .cmp(&left.1)
                .then_with(|| rank(left.0).cmp(&rank(right.0)))
                .then_with(|| left.0.cmp(right.0))
        });
        res[index] = names.first().map(|(name, _)| (*name).to_owned());
    }
    res
}

/// Names, one per shape (same index), plus notes about contested names.
pub struct Naming {
    pub names: Vec<String>,
    pub notes: Vec<String>,
}

/// Assigns every shape a distinct name.
pub fn name_shapes(diagnostics: &mut Diagnostics, shapes: &[Shape]) -> Naming {
    let ranked: Vec<Vec<Candidate>> = shapes.iter().map(rank_candidates).collect();
    check_overrides(diagnostics, shapes, &ranked);
    let mut names: Vec<Option<String>> = vec![None; shapes.len()];
    let mut cursors = vec![0usize; shapes.len()];
    // Names the emitters use for types of their own.
    let mut taken: BTreeSet<String> = RESERVED.iter().map(|name| (*name).to_owned()).collect();
    let mut notes = Vec::new();
    while names.iter().any(Option::is_none) {
        let mut claims: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (index, candidates) in ranked.iter().enumerate() {
            if names[index].is_some() {
                continue;
            }
            while cursors[index] < candidates.len()
                && taken.contains(&candidates[cursors[index]].name)
            {
                cursors[index] += 1;
            }
            match candidates.get(cursors[index]) {
                Some(candidate) => claims
                    .entry(candidate.name.clone())
                    .or_default()
                    .push(index),
                None => {
                    let name = suffixed(&candidates[0].name, &taken);
                    notes.push(format!(
                        "every name of the shape at {} was taken; it is named `{name}` (override it in codegen.toml)",
                        first_location(&shapes[index])
                    ));
                    taken.insert(name.clone());
                    names[index] = Some(name);
                }
            }
        }
        for (name, claimants) in claims {
            let winner = settle(&ranked, &cursors, &claimants);
            if claimants.len() > 1 {
                notes.push(contest_note(&name, shapes, &claimants, winner));
            }
            for index in claimants {
                if Some(index) == winner {
                    taken.insert(name.clone());
                    names[index] = Some(name.clone());
                } else {
                    cursors[index] += 1;
                }
            }
        }
    }
    Naming {
        names: names.into_iter().map(Option::unwrap_or_default).collect(),
        notes,
    }
}

/// The candidates of a shape, each name once at its best tier, best first: by tier, then the
/// shorter name, then alphabetically.
fn rank_candidates(shape: &Shape) -> Vec<Candidate> {
    let mut best: BTreeMap<&str, Tier> = BTreeMap::new();
    for candidate in &shape.candidates {
        let tier = best.entry(&candidate.name).or_insert(candidate.tier);
        *tier = (*tier).min(candidate.tier);
    }
    let mut ranked: Vec<Candidate> = best
        .into_iter()
        .map(|(name, tier)| Candidate {
            tier,
            name: name.to_owned(),
        })
        .collect();
    ranked.sort_by(|left, right| {
        (left.tier, left.name.len(), &left.name).cmp(&(right.tier, right.name.len(), &right.name))
    });
    ranked
}

/// Which claimant of a name wins: the one with the strictly best tier, if there is one.
fn settle(ranked: &[Vec<Candidate>], cursors: &[usize], claimants: &[usize]) -> Option<usize> {
    let tier_of = |index: usize| ranked[index][cursors[index]].tier;
    let best = claimants.iter().map(|&index| tier_of(index)).min()?;
    let mut best_claimants = claimants.iter().filter(|&&index| tier_of(index) == best);
    let first = *best_claimants.next()?;
    best_claimants.next().is_none().then_some(first)
}

fn contest_note(
    name: &str,
    shapes: &[Shape],
    claimants: &[usize],
    winner: Option<usize>,
) -> String {
    let places: Vec<String> = claimants
        .iter()
        .map(|&index| first_location(&shapes[index]).to_string())
        .collect();
    match winner {
        Some(index) => format!(
            "`{name}` is wanted by {} different shapes ({}); the one at {} keeps it, the others take their next name",
            claimants.len(),
            places.join(", "),
            first_location(&shapes[index])
        ),
        None => format!(
            "`{name}` is wanted by {} different shapes ({}); none takes it, each takes its next name (override in codegen.toml)",
            claimants.len(),
            places.join(", ")
        ),
    }
}

fn suffixed(name: &str, taken: &BTreeSet<String>) -> String {
    (2..)
        .map(|number| format!("{name}{number}"))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_default()
}

fn first_location(shape: &Shape) -> &Location {
    &shape.occurrences[0].location
}

/// Overrides must not contradict each other: one name per shape, one shape per name.
fn check_overrides(diagnostics: &mut Diagnostics, shapes: &[Shape], ranked: &[Vec<Candidate>]) {
    let mut owners: BTreeMap<&str, usize> = BTreeMap::new();
    for (index, candidates) in ranked.iter().enumerate() {
        let overrides: Vec<&str> = candidates
            .iter()
            .filter(|candidate| candidate.tier == Tier::Override)
            .map(|candidate| candidate.name.as_str())
            .collect();
        if overrides.len() > 1 {
            diagnostics.error(
                first_location(&shapes[index]),
                format!(
                    "codegen.toml gives one type several names: {}",
                    overrides.join(", ")
                ),
                "these locations are one deduplicated type; keep one of the `[types]` entries",
            );
        }
        for name in overrides {
            if let Some(&other) = owners.get(name) {
                diagnostics.error(
                    first_location(&shapes[index]),
                    format!(
                        "codegen.toml names two different types `{name}` (the other is at {})",
                        first_location(&shapes[other])
                    ),
                    "give each a different name in `[types]`",
                );
            }
            owners.insert(name, index);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::shapes::ShapeKey;

    /// A shape with these candidates (tier, name), at `at.json`.
    fn shape(index: usize, candidates: &[(Tier, &str)]) -> Shape {
        Shape {
            key: ShapeKey::Enum(vec![format!("V{index}")]),
            fingerprint: index as u64,
            fields: Vec::new(),
            values: Vec::new(),
            occurrences: vec![crate::lower::shapes::Occurrence {
                location: Location::root(&format!("at{index}.json")),
                description: None,
            }],
            candidates: candidates
                .iter()
                .map(|(tier, name)| Candidate {
                    tier: *tier,
                    name: (*name).to_owned(),
                })
                .collect(),
        }
    }

    /// A case: what it shows, each shape's candidates, and the names the shapes end with.
    type Case<'a> = (&'a str, &'a [&'a [(Tier, &'a str)]], &'a [&'a str]);

    #[test]
    fn the_name_contest() {
        use Tier::*;
        let cases: &[Case<'_>] = &[
            (
                "uncontested names are taken as they are",
                &[&[(Property, "User")], &[(Property, "Group")]],
                &["User", "Group"],
            ),
            (
                "a better tier keeps a contested name; the other moves on",
                &[
                    &[(Property, "User"), (Qualified, "TokenUser")],
                    &[(TopLevelIdentifier, "User")],
                ],
                &["TokenUser", "User"],
            ),
            (
                "equal tiers: neither keeps it, both move on",
                &[
                    &[(Property, "User"), (Qualified, "TokenUser")],
                    &[(Property, "User"), (Qualified, "RoleUser")],
                ],
                &["TokenUser", "RoleUser"],
            ),
            (
                "a name the crates define is never given",
                &[&[(Property, "Client"), (Qualified, "NodeClient")]],
                &["NodeClient"],
            ),
            (
                "an override beats everything",
                &[&[(Property, "Thing")], &[(Override, "Thing")]],
                &["Thing2", "Thing"],
            ),
            (
                "a shape out of names takes its first one with a number",
                &[&[(Property, "Entry")], &[(Property, "Entry")]],
                &["Entry2", "Entry3"],
            ),
            (
                "the shorter name first within a tier",
                &[&[(Qualified, "VeryLongName"), (Qualified, "Short")]],
                &["Short"],
            ),
        ];
        for (case, candidates, expected) in cases {
            let shapes: Vec<Shape> = candidates
                .iter()
                .enumerate()
                .map(|(index, candidates)| shape(index, candidates))
                .collect();
            let mut diagnostics = Diagnostics::default();
            let naming = name_shapes(&mut diagnostics, &shapes);
            assert_eq!(naming.names, *expected, "{case}: {:?}", naming.notes);
            assert!(diagnostics.items().is_empty(), "{case}");
        }
    }
}
