//! The generator never panics on input: random bytes, random JSON shaped like endpoint files, and
//! random mutations of the real schema files all end in output or diagnostics. A small seeded
//! generator (no dependency) keeps every run identical; a failing case prints its seed.

use std::panic::{catch_unwind, AssertUnwindSafe};

use integration_tests::repo_root;
use serde_json::{json, Map, Value};

/// xorshift64*: deterministic, good enough to explore shapes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, bound: usize) -> usize {
        usize::try_from(self.next() % bound.max(1) as u64).unwrap_or(0)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const KEYS: &[&str] = &[
    "type",
    "properties",
    "items",
    "enum",
    "description",
    "required",
    "format",
    "endpoint",
    "methods",
    "get",
    "post",
    "parameters",
    "responses",
    "request_schema",
    "response_schema",
    "name",
    "code",
    "summary",
    "category",
    "$ref",
    "",
    "type ",
    "日本",
];
const STRINGS: &[&str] = &[
    "object",
    "array",
    "string",
    "number",
    "integer",
    "boolean",
    "null",
    "/v1/x/{id}",
    "{id}",
    "id",
    "200",
    "202",
    "api_identity",
    "password",
    "self",
    "type",
    "",
    "*/",
    "{",
    "}",
    "/v1/{a}/{a}",
];

fn random_value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 6 { 5 } else { 8 }) {
        0 => Value::Null,
        1 => json!(rng.below(3) == 0),
        2 => json!(rng.below(1000) as i64 - 500),
        3 => json!(rng.next() as f64 / 7.0),
        4 => json!(rng.pick(STRINGS)),
        5 | 6 => {
            let mut object = Map::new();
            for _ in 0..rng.below(5) {
                let key = rng.pick(KEYS).to_owned();
                object.insert(key, random_value(rng, depth + 1));
            }
            Value::Object(object)
        }
        _ => Value::Array(
            (0..rng.below(4))
                .map(|_| random_value(rng, depth + 1))
                .collect(),
        ),
    }
}

fn mutate(rng: &mut Rng, value: &mut Value, depth: usize) {
    match value {
        Value::Object(object) if !object.is_empty() => {
            let keys: Vec<String> = object.keys().cloned().collect();
            let key = &keys[rng.below(keys.len())];
            match rng.below(4) {
                0 => {
                    object.remove(key);
                }
                1 => {
                    object.insert(key.clone(), random_value(rng, depth));
                }
                _ => {
                    if let Some(child) = object.get_mut(key) {
                        mutate(rng, child, depth + 1);
                    }
                }
            }
        }
        Value::Array(items) if !items.is_empty() => {
            let index = rng.below(items.len());
            mutate(rng, &mut items[index], depth + 1);
        }
        other => *other = random_value(rng, depth),
    }
}

fn survives(name: &str, bytes: Vec<u8>) -> bool {
    let inputs = codegen::Inputs {
        schemas: vec![(name.to_owned(), bytes)],
        ..Default::default()
    };
    catch_unwind(AssertUnwindSafe(|| {
        let _ = codegen::generate(&inputs);
    }))
    .is_ok()
}

#[test]
fn random_bytes_random_json_and_mutated_pages_never_panic() {
    let seeds = repo_root().join("schemas/access-tokens");
    let pages: Vec<Value> = ["auth_access-tokens.json", "auth_access-tokens_id.json"]
        .iter()
        .map(|name| serde_json::from_slice(&std::fs::read(seeds.join(name)).unwrap()).unwrap())
        .collect();
    let mut executions = 0;
    for seed in 1..=600u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let length = rng.below(64);
        let bytes: Vec<u8> = (0..length).map(|_| (rng.next() >> 24) as u8).collect();
        let random = serde_json::to_vec(&random_value(&mut rng, 0)).unwrap();
        let mut page = pages[rng.below(pages.len())].clone();
        for _ in 0..=rng.below(4) {
            mutate(&mut rng, &mut page, 0);
        }
        let mutated = serde_json::to_vec(&page).unwrap();
        for (kind, input) in [("bytes", bytes), ("json", random), ("mutated", mutated)] {
            executions += 1;
            assert!(
                survives("fuzz.json", input.clone()),
                "panic on {kind} input of seed {seed}: {}",
                String::from_utf8_lossy(&input)
            );
        }
    }
    println!("no_panic: {executions} inputs, no panic");
    assert_eq!(executions, 1800);
}
