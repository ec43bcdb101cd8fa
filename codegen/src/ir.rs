//! The intermediate model every emitter reads. It holds named, deduplicated types and operations,
//! sorted (types by name, operations by path then method) so emitters can iterate without sorting.
//! Nothing here refers to JSON.

use std::collections::BTreeMap;

use crate::diagnostics::Location;
pub use crate::frontend::Method;

/// The whole API.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// The API name from the configuration, kebab-case.
    pub name: String,
    /// Every named type, keyed by id; ids are assigned in name order.
    pub types: BTreeMap<TypeId, TypeDef>,
    /// Every operation, sorted by path then method.
    pub operations: Vec<Operation>,
    /// The groups operations are organised in (a module and a cargo feature each), by name.
    pub groups: Vec<Group>,
    /// Naming decisions a reviewer should know about (collisions and how they were resolved).
    pub notes: Vec<String>,
    /// How many inline object and enum schemas the input held, before deduplication.
    pub occurrences: Occurrences,
}

/// Counts of schema occurrences in the input, to compare with the number of types out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Occurrences {
    pub objects: usize,
    pub enums: usize,
}

impl Api {
    /// The type with this id. Ids come from this `Api`, so the lookup cannot fail.
    pub fn type_def(&self, id: TypeId) -> &TypeDef {
        &self.types[&id]
    }
}

/// A group of operations: one category of the reference.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Group {
    /// The module name, snake_case: `access_tokens`.
    pub module: String,
    /// The cargo feature that enables it: `access-tokens`.
    pub feature: String,
    /// The type name of its client handle and server trait: `AccessTokens`.
    pub type_name: String,
    /// The categories it was made from, as the reference writes them.
    pub titles: Vec<String>,
}

/// Identifies a named type within one [`Api`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub u32);

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust name.
    pub name: String,
    /// Documentation, when every occurrence agrees on it.
    pub doc: Option<String>,
    pub kind: TypeKind,
    /// Every place in the input this shape occurs, sorted.
    pub occurrences: Vec<Location>,
    /// The features (groups) whose operations use this type, directly or inside another type.
    pub features: Vec<String>,
}

/// What a named type is.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct {
        fields: Vec<Field>,
    },
    /// A string enum; `catch_all` names the variant that keeps values the schema does not list.
    Enum {
        variants: Vec<Variant>,
        catch_all: String,
    },
}

/// A struct field; both spellings travel together.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub wire_name: String,
    pub rust_name: String,
    pub doc: Option<String>,
    pub ty: TypeRef,
    /// Required fields are plain `T`; the others are `Option<T>`.
    pub required: bool,
    /// `format: password`: the value never appears in `Debug` output.
    pub secret: bool,
}

/// An enum variant; the catch-all for unknown values is not listed here but always emitted.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub wire_name: String,
    pub rust_name: String,
    pub doc: Option<String>,
}

/// A use of a type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    String,
    /// A JSON number, kept exactly as it arrived (integer or fraction).
    Number,
    Integer,
    Boolean,
    /// Any JSON object.
    JsonObject,
    Array(Box<TypeRef>),
    Named(TypeId),
}

/// One HTTP method on one path.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The Rust function name within its group, snake_case.
    pub name: String,
    /// The module of the group it belongs to.
    pub group: String,

    pub method: Method,
    pub path: String,
    pub category: Option<String>,
    pub summary: Option<String>,
    pub path_params: Vec<Parameter>,
    pub query_params: Vec<Parameter>,
    /// The name of the struct that carries the query parameters (in the models crate's `query`
    /// module), used when there are any.
    pub query_struct: String,
    pub header_params: Vec<Parameter>,
    pub request: Option<TypeRef>,
    /// Documented responses, sorted by status code.
    pub responses: Vec<Response>,
    /// Where the operation is defined.
    pub location: Location,
}

impl Operation {
    /// The status of a successful answer: the first 2xx listed, or 200.
    pub fn success_status(&self) -> u16 {
        self.responses
            .iter()
            .find(|response| response.is_success())
            .map_or(200, |response| response.status)
    }

    /// The body type of the success response, if it has one.
    pub fn success_body(&self) -> Option<&TypeRef> {
        self.responses
            .iter()
            .filter(|response| response.is_success())
            .find_map(|response| response.body.as_ref())
    }
}

/// A parameter with both spellings.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub wire_name: String,
    pub rust_name: String,
    pub doc: Option<String>,
    pub required: bool,
}

/// A documented response.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: u16,
    pub doc: Option<String>,
    pub body: Option<TypeRef>,
}

impl Response {
    /// 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}
