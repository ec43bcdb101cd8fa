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
    /// The manifest fields of the generated crates, from the configuration's `[package]`.
    pub package: crate::config::Package,
    /// The command generated files name as the one that regenerates them.
    pub regenerate: String,
    /// The crates to emit (`models`, `client`, `server`), each with its name.
    pub crates: BTreeMap<String, String>,
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
    /// The API-wide conventions (auth, error object, paging, entity tags), decided once in
    /// `lower::conventions`; emitters render them and never spell a wire name of their own.
    pub conventions: Conventions,
    /// Dependencies the models crate's manifest adds (`[dependencies]`): name and TOML value.
    pub dependencies: BTreeMap<String, String>,
}

/// How the API works beyond its operations: what every emitter and the OpenAPI export render,
/// so that no emitter re-derives a convention from names.
#[derive(Debug, Clone, PartialEq)]
pub struct Conventions {
    /// How requests authenticate.
    pub auth: Auth,
    /// The object every error response carries.
    pub error: ErrorObject,
    /// The header a read returns its entity tag in (`ETag`), and the header a conditional write
    /// takes it back in (`If-Match`).
    pub etag: EtagHeaders,
    /// The base URL the generated documentation's examples connect to.
    pub example_url: String,
    /// The API's own base URL, when its description gives one (an OpenAPI document's first
    /// absolute server): the client's `DEFAULT_BASE_URL` and `Client::with_default_url`.
    pub server: Option<String>,
    /// The credentials of the API's other security schemes (OpenAPI's basic authentication and
    /// API keys), in document order: each a client method that sets it, sent with every request
    /// once set.
    pub credentials: Vec<Credential>,
}

/// A credential of a security scheme: the client's `setter` takes it, and every request
/// carries it once set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// The scheme's name in the document (`api_key`).
    pub scheme: String,
    /// The client method that sets it (`with_api_key`).
    pub setter: String,
    /// The scheme's description.
    pub doc: Option<String>,
    /// How requests carry it.
    pub kind: CredentialKind,
}

/// How requests carry a [`Credential`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialKind {
    /// HTTP basic authentication: `Authorization: Basic <user:password>`.
    Basic,
    /// An API key in this header.
    Header(String),
    /// An API key in this query parameter.
    Query(String),
}

/// How requests authenticate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// None: the client sends no credentials (set default headers on your own
    /// `reqwest::Client` where the API wants some).
    None,
}

/// The entity-tag headers of the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EtagHeaders {
    /// The response header of a read: `ETag`.
    pub response: String,
    /// The request header of a conditional write: `If-Match`.
    pub request: String,
}

/// The API's error object: a struct whose fields all default when absent.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorObject {
    /// The Rust name, `ApiError`.
    pub name: String,
    /// Its documentation.
    pub doc: String,
    /// Its fields, in wire order.
    pub fields: Vec<ErrorField>,
}

/// A field of the error object.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorField {
    /// The name on the wire, as the API spells it.
    pub wire_name: String,
    /// The Rust identifier (raw or suffixed where it is a keyword).
    pub rust_name: String,
    /// The field's documentation.
    pub doc: String,
    /// Its type.
    pub kind: ErrorFieldKind,
    /// What the field means to the runtimes, if anything.
    pub role: Option<ErrorRole>,
}

/// The type of an error object field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorFieldKind {
    /// A string.
    Text,
    /// A list of strings.
    TextList,
    /// A boolean.
    Flag,
    /// An integer (`i64`), such as an HTTP status echoed in the body.
    Integer,
    /// The error that caused this one: the error object again, optional.
    Cause,
}

/// What an error field is for: the runtimes read and fill these through generated accessors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorRole {
    /// A machine-readable class (`http_not_found_error`).
    Class,
    /// What went wrong, for people.
    Description,
    /// The part of the server that raised it.
    Module,
    /// Whether the description is meant for end users.
    UserVisible,
}

/// Counts of schema occurrences in the input, to compare with the number of types out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Occurrences {
    /// Inline object schemas.
    pub objects: usize,
    /// Inline enum schemas.
    pub enums: usize,
}

impl Api {
    /// The group `id` names. Ids come from this model, so the group exists.
    pub fn group(&self, id: GroupId) -> &Group {
        &self.groups[id.0 as usize]
    }

    /// The module of the group an operation belongs to: `access_tokens`.
    pub fn module_of(&self, operation: &Operation) -> &str {
        &self.group(operation.group).module
    }

    /// The type with this id. Ids come from this `Api`, so the lookup cannot fail.
    pub fn type_def(&self, id: TypeId) -> &TypeDef {
        &self.types[&id]
    }

    /// The name of the crate of `part` (`models`, `client`, `server`, `conformance`): as
    /// configured, else `<api>-<part>`.
    pub fn crate_name(&self, part: &str) -> String {
        self.crates
            .get(part)
            .cloned()
            .unwrap_or_else(|| crate::ident::crate_name(&self.name, part))
    }

    /// Whether the crate of `part` is emitted.
    pub fn emits(&self, part: &str) -> bool {
        self.crates.contains_key(part)
    }

    /// The error answers of every operation as one table, which the client reads an error's
    /// body by: each status (codes, then ranges, then `default`) with the types declared for
    /// it, in the order of the operations; no pair twice.
    pub fn declared_errors(&self) -> Vec<(ErrorStatus, TypeId)> {
        let mut res: Vec<(ErrorStatus, TypeId)> = Vec::new();
        for answer in self
            .operations
            .iter()
            .flat_map(|operation| &operation.errors)
        {
            if !res.contains(&(answer.status, answer.ty)) {
                res.push((answer.status, answer.ty));
            }
        }
        // Stable: within a status, the order of the operations.
        res.sort_by_key(|(status, _)| *status);
        res
    }

    /// The types of the declared error answers, by name.
    pub fn declared_error_types(&self) -> Vec<TypeId> {
        let types: BTreeMap<&str, TypeId> = self
            .operations
            .iter()
            .flat_map(|operation| &operation.errors)
            .map(|answer| (self.type_def(answer.ty).name.as_str(), answer.ty))
            .collect();
        types.into_values().collect()
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

/// Identifies a group within one [`Api`]: its index in [`Api::groups`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GroupId(pub u32);

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
    /// What the type is.
    pub kind: TypeKind,
    /// Every place in the input this shape occurs, sorted.
    pub occurrences: Vec<Location>,
    /// The features (groups) whose operations use this type, directly or inside another type.
    pub features: Vec<String>,
    /// Derives the configuration adds (`[derives]`), as Rust paths.
    pub extra_derives: Vec<String>,
    /// The user's type that stands for this one (`[replace]`): not emitted, every use of it
    /// names this Rust path instead.
    pub replacement: Option<String>,
}

/// What a named type is.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// A struct.
    Struct {
        /// Its fields, in input order.
        fields: Vec<Field>,
    },
    /// A string enum; `catch_all` names the variant that keeps values the schema does not list.
    Enum {
        /// The values the schema lists.
        variants: Vec<Variant>,
        /// The variant that keeps values not listed.
        catch_all: String,
    },
    /// One of several values told apart by a name (the tag). Internally tagged (`tag` is the
    /// property that holds the name): an OpenAPI `oneOf` whose object parts each fix the tag to
    /// one string, or that names a `discriminator`. Externally tagged (`tag` is `None`): each
    /// part is a one-member object whose key is the name, or a string that is the name alone
    /// (serde's default form of an enum). `catch_all` names the variant that keeps a value
    /// with a name not listed, as JSON.
    Union {
        /// How the JSON says which variant it is.
        form: UnionForm,
        /// The variants, in input order.
        variants: Vec<UnionVariant>,
        /// The variant that keeps a value whose name is not listed, as JSON.
        catch_all: String,
    },
}

/// How a union's JSON says which variant it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UnionForm {
    /// The string value of this property of the object (internally tagged: `"type": "disk"`).
    Internal(String),
    /// The key of a one-member object, or a string alone (externally tagged, serde's default).
    External,
    /// Nothing: a value is the first variant it reads as (untagged; each variant's wire name
    /// is only the name its Rust variant was made from).
    Untagged,
}

/// Where one type holds another: inline only (a field or a variant of that type, which needs a
/// `Box` to be finite), or also inside a list or a map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holding {
    /// A field or variant of the type itself.
    Inline,
    /// Also the items of a list or the values of a map.
    AnyDepth,
}

impl TypeKind {
    /// The named types this type holds, as `holding` counts them.
    pub fn held_types(&self, holding: Holding) -> Vec<TypeId> {
        fn named(ty: &TypeRef, holding: Holding, acc: &mut Vec<TypeId>) {
            match ty {
                TypeRef::Named(id) => acc.push(*id),
                TypeRef::Array(inner) | TypeRef::Map(inner) if holding == Holding::AnyDepth => {
                    named(inner, holding, acc);
                }
                _ => {}
            }
        }
        let mut acc = Vec::new();
        match self {
            TypeKind::Struct { fields } => {
                fields
                    .iter()
                    .for_each(|field| named(&field.ty, holding, &mut acc));
            }
            TypeKind::Union { variants, .. } => variants
                .iter()
                .filter_map(|variant| variant.ty.as_ref())
                .for_each(|ty| named(ty, holding, &mut acc)),
            TypeKind::Enum { .. } => {}
        }
        acc
    }
}

/// Whether type `from` holds type `to`, through one type or more (a type that holds itself is
/// recursive).
pub fn holds(
    types: &BTreeMap<TypeId, TypeDef>,
    from: TypeId,
    to: TypeId,
    holding: Holding,
) -> bool {
    let held = |id: TypeId| {
        types
            .get(&id)
            .map(|type_def| type_def.kind.held_types(holding))
            .unwrap_or_default()
    };
    let mut seen = std::collections::BTreeSet::new();
    let mut stack = held(from);
    while let Some(id) = stack.pop() {
        if id == to {
            return true;
        }
        if seen.insert(id) {
            stack.extend(held(id));
        }
    }
    false
}

/// A variant of a [`TypeKind::Union`].
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// The tag's value for this variant, as the API spells it.
    pub wire_name: String,
    /// The Rust variant name.
    pub rust_name: String,
    /// Documentation, from the variant schema's description, if any.
    pub doc: Option<String>,
    /// What the variant holds besides its name: the struct of its other properties
    /// (internally tagged) or the key's value (externally tagged); `None` when the name is all.
    pub ty: Option<TypeRef>,
}

/// The most fields a struct (or an operation's query parameters) may have. The models crate's
/// serde and schema code takes a struct's fields as one value nested four fields to a level, and
/// rustc stops at 128 levels (its default `recursion_limit`, which binds the crates that
/// serialize the struct as well as the models crate): 480 fields compiled, 500 did not. This
/// leaves 16 levels for whatever a downstream crate nests the struct in.
pub const MAX_STRUCT_FIELDS: usize = 448;

/// A struct field; both spellings travel together.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The name on the wire, as the API spells it.
    pub wire_name: String,
    /// The Rust identifier (raw or suffixed where it is a keyword).
    pub rust_name: String,
    /// Documentation, from the schema description, if any.
    pub doc: Option<String>,
    /// Its type (the value type: `Option` is added when not required).
    pub ty: TypeRef,
    /// Required fields are plain `T`; the others are `Option<T>`.
    pub required: bool,
    /// `format: password`: the value never appears in `Debug` output.
    pub secret: bool,
    /// `format: byte`: the string holds base64 text (the model keeps the text).
    pub base64: bool,
    /// The struct contains itself through this field (a recursive type): it holds a `Box`.
    pub boxed: bool,
    /// The string's `format` as the input gives it (`date-time`, `uuid`, ...), or its list
    /// items': the Rust type is `String` all the same; the conformance crate's examples follow
    /// it.
    pub format: Option<String>,
    /// The regular expression the string (or each list item) matches, as the input gives it:
    /// not enforced; the conformance crate's examples follow it.
    pub pattern: Option<String>,
}

/// An enum variant; the catch-all for unknown values is not listed here but always emitted.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// The name on the wire, as the API spells it.
    pub wire_name: String,
    /// The Rust identifier (raw or suffixed where it is a keyword).
    pub rust_name: String,
    /// Documentation, from the schema description, if any.
    pub doc: Option<String>,
}

/// A use of a type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    /// A JSON string.
    String,
    /// A JSON number, kept exactly as it arrived (integer or fraction).
    Number,
    /// A JSON integer (`i64`).
    Integer,
    /// A JSON boolean.
    Boolean,
    /// Any JSON object.
    JsonObject,
    /// Any JSON value (`serde_json::Value`): a schema without a type.
    Any,
    /// A JSON array of the item type.
    Array(Box<TypeRef>),
    /// A JSON object with any keys, each value of the given type (`BTreeMap<String, T>`).
    Map(Box<TypeRef>),
    /// A named type of the model.
    Named(TypeId),
    /// A Rust type the configuration chose for a field or a parameter (`[field-types]`,
    /// `[parameter-types]`); `wire` is what the input says, which the OpenAPI document keeps.
    Rust {
        /// The Rust type, as written.
        path: String,
        /// The type the input describes.
        wire: Box<TypeRef>,
    },
}

/// One HTTP method on one path.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The Rust function name within its group, snake_case.
    pub name: String,
    /// The group it belongs to ([`Api::group`]).
    pub group: GroupId,

    /// The HTTP method.
    pub method: Method,
    /// The path template as written (`/v1/things/{id}`): for keys, docs and the OpenAPI document.
    pub path: String,
    /// The same, parsed once into segments: what the client and server build routes from.
    pub route: PathTemplate,
    /// The reference's category, if any.
    pub category: Option<String>,
    /// The one-line summary.
    pub summary: Option<String>,
    /// Whether the input marks the operation deprecated: the client method is `#[deprecated]`.
    pub deprecated: bool,
    /// The path parameters, in path order.
    pub path_params: Vec<Parameter>,
    /// The query parameters.
    pub query_params: Vec<Parameter>,
    /// The name of the struct that carries the query parameters (in the models crate's `query`
    /// module), used when there are any.
    pub query_struct: String,
    /// The name of the enum of the answers by status (in the models crate's `answers` module),
    /// used when the successes answer with different types ([`Operation::typed_by_status`]).
    pub answer_enum: String,
    /// The header parameters.
    pub header_params: Vec<Parameter>,
    /// The cookie parameters (OpenAPI's `in: cookie`), sent in the `Cookie` header.
    pub cookie_params: Vec<Parameter>,
    /// The request body, if the operation takes one.
    pub request: Option<Body>,
    /// Whether the request body may be left out (an `Option` argument). Never for raw bytes,
    /// whose empty body is a zero-length upload.
    pub request_optional: bool,
    /// Documented responses, sorted by status code.
    pub responses: Vec<Response>,
    /// The error answers the input gives a type of their own (OpenAPI: an error response
    /// whose schema is not the API's error object), in document order; the client decodes
    /// them and the server sends them (the models crate's `errors::Declared`).
    pub errors: Vec<ErrorAnswer>,
    /// Where the operation is defined.
    pub location: Location,
    /// For a paged list, how to read one page and find the next.
    pub paging: Option<Paging>,
    /// The operation's part in optimistic concurrency.
    pub etag: EtagRole,
}

/// What a request or response body is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Body {
    /// JSON of a known type.
    Json(TypeRef),
    /// JSON the description does not detail (a GET that publishes no schema): any value.
    UntypedJson,
    /// The JSON `null`, the answer of an operation that has nothing to say (Dropshot's
    /// `{"enum": [null]}`): the server sends it, the client reads nothing.
    Null,
    /// A redirect's target: no body, the URL in the `Location` header (the answer of an
    /// operation whose success is a 301, 302, 303, 307 or 308).
    Location,
    /// Raw bytes, `application/octet-stream`.
    Bytes,
    /// A form of the type's fields, `application/x-www-form-urlencoded` (request bodies).
    Form(TypeRef),
    /// Text, `text/plain` (request bodies).
    Text,
}

impl Body {
    /// The JSON type, when the body is typed JSON.
    pub fn json(&self) -> Option<&TypeRef> {
        match self {
            Body::Json(ty) => Some(ty),
            Body::UntypedJson
            | Body::Null
            | Body::Location
            | Body::Bytes
            | Body::Form(_)
            | Body::Text => None,
        }
    }
}

/// How a paged list is read: the query parameter that carries the cursor, the response field
/// that holds the page's items, and the field of the paging object that links the next page.
#[derive(Debug, Clone, PartialEq)]
pub struct Paging {
    /// The query parameter the next page's link sets (`after`), as a wire name.
    pub cursor: String,
    /// The response struct's field with the items (`entries`, `grants`, ...).
    pub items: PageField,
    /// The type of one item.
    pub item_type: TypeRef,
    /// The response struct's field with the paging object (`paging`).
    pub paging: PageField,
    /// The paging object's field with the next page's link (`next`).
    pub next: PageField,
}

/// A field on the way to a page's items or link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageField {
    /// The name on the wire, as the API spells it.
    pub wire_name: String,
    /// The Rust identifier (raw or suffixed where it is a keyword).
    pub rust_name: String,
    /// Whether the field is required (`T`) rather than optional (`Option<T>`).
    pub required: bool,
}

/// An operation's part in optimistic concurrency. Reads, creations and conditional writes
/// that answer with the value also answer with its entity tag (see [`Operation::returns_etag`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EtagRole {
    /// Takes no part.
    None,
    /// A read of a value that a conditional write on the same path changes.
    Read,
    /// A creation (POST to a collection) of an item whose writes are conditional.
    Create,
    /// A write that takes the entity tag back in the request header of [`EtagHeaders`].
    ConditionalWrite,
}

impl Operation {
    /// The status of a successful answer: the first 2xx listed, else the first redirect, else
    /// 200.
    pub fn success_status(&self) -> u16 {
        self.successes()
            .next()
            .map_or(200, |response| response.status)
    }

    /// The responses a successful call ends with: the 2xx ones, or the redirects when there is
    /// no 2xx (a login that sends the caller on).
    pub fn successes(&self) -> impl Iterator<Item = &Response> {
        let redirects = !self.responses.iter().any(Response::is_success);
        self.responses
            .iter()
            .filter(move |response| response.is_success() || (redirects && response.is_redirect()))
    }

    /// Whether a successful answer carries the value's entity tag in the response header of
    /// [`EtagHeaders`]: reads, creations and conditional writes that answer with JSON.
    pub fn returns_etag(&self) -> bool {
        self.etag != EtagRole::None && matches!(self.success_body(), Some(Body::Json(_)))
    }

    /// Whether the successes answer with different bodies by status (OpenAPI: `201` the new
    /// value, `202` a job): the methods then return the `answers` enum, one variant per status.
    pub fn typed_by_status(&self) -> bool {
        let mut bodies = self.successes().map(|response| response.body.as_ref());
        match bodies.next() {
            Some(first) => bodies.any(|body| body != first),
            None => false,
        }
    }

    /// Whether the operation answers with a redirect, whose target it returns.
    pub fn redirects(&self) -> bool {
        self.success_body() == Some(&Body::Location)
    }

    /// The body of the success response, if it has one.
    pub fn success_body(&self) -> Option<&Body> {
        self.successes().find_map(|response| response.body.as_ref())
    }

    /// Whether a query parameter is a list (`?tag=a&tag=b`, OpenAPI's form style).
    pub fn has_query_list(&self) -> bool {
        self.query_params
            .iter()
            .any(|parameter| matches!(parameter.ty, TypeRef::Array(_)))
    }

    /// What a call of the operation takes, in the one order every emitter uses: each path
    /// parameter in path order, the query struct (when there are query parameters), each
    /// header, then the request body. Each emitter only chooses the Rust type of each.
    pub fn arguments(&self) -> Vec<Argument<'_>> {
        let mut res: Vec<Argument<'_>> = self.path_params.iter().map(Argument::Path).collect();
        if !self.query_params.is_empty() {
            res.push(Argument::Query(&self.query_struct));
        }
        res.extend(self.header_params.iter().map(Argument::Header));
        res.extend(self.cookie_params.iter().map(Argument::Cookie));
        if let Some(body) = &self.request {
            res.push(Argument::Body(body));
        }
        res
    }
}

/// One argument of an operation call ([`Operation::arguments`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Argument<'a> {
    /// A path parameter: a string, encoded as one segment.
    Path(&'a Parameter),
    /// All query parameters, as the query struct of this name (`models::query::Name`).
    Query(&'a str),
    /// A header: a string, optional unless required.
    Header(&'a Parameter),
    /// A cookie: a string, optional unless required.
    Cookie(&'a Parameter),
    /// The request body.
    Body(&'a Body),
}

impl Argument<'_> {
    /// The Rust name of the argument: the parameter's, or `query` and `body`.
    pub fn rust_name(&self) -> &str {
        match self {
            Argument::Path(parameter)
            | Argument::Header(parameter)
            | Argument::Cookie(parameter) => &parameter.rust_name,
            Argument::Query(_) => "query",
            Argument::Body(_) => "body",
        }
    }
}

/// A parameter with both spellings.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// The name on the wire, as the API spells it.
    pub wire_name: String,
    /// The Rust identifier (raw or suffixed where it is a keyword).
    pub rust_name: String,
    /// Documentation, from the schema description, if any.
    pub doc: Option<String>,
    /// Whether it must be present.
    pub required: bool,
    /// Its type: a string, unless the configuration says otherwise (query parameters only).
    pub ty: TypeRef,
}

/// A documented response.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Its documentation.
    pub doc: Option<String>,
    /// Its body, if any.
    pub body: Option<Body>,
}

impl Response {
    /// 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// A redirect to another URL, given as `Location`: 301, 302, 303, 307 or 308.
    pub fn is_redirect(&self) -> bool {
        is_redirect(self.status)
    }

    /// This status's variant of an answers enum (an operation [typed by
    /// status](Operation::typed_by_status)): its name (`Created`).
    pub fn answer_variant(&self) -> String {
        crate::ident::status_variant(self.status)
    }

    /// The body that variant holds: JSON, typed or not; a status without one is a unit
    /// variant.
    pub fn answer_value(&self) -> Option<&Body> {
        self.body
            .as_ref()
            .filter(|body| matches!(body, Body::Json(_) | Body::UntypedJson))
    }
}

/// An error answer with a type of its own: for a status, a range or every other status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorAnswer {
    /// The statuses it answers with.
    pub status: ErrorStatus,
    /// Its documentation.
    pub doc: Option<String>,
    /// The JSON body's type: a named type, which is the variant of `errors::Declared`.
    pub ty: TypeId,
}

/// The statuses an [`ErrorAnswer`] is for, most specific first in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ErrorStatus {
    /// One status code (`409`).
    Code(u16),
    /// A class of them, by its first digit (`4XX` is 4).
    Range(u8),
    /// Every status the operation does not list (OpenAPI's `default`).
    Default,
}

impl ErrorStatus {
    /// Whether `status` is one of these.
    pub fn matches(self, status: u16) -> bool {
        match self {
            ErrorStatus::Code(code) => code == status,
            ErrorStatus::Range(class) => status / 100 == u16::from(class),
            ErrorStatus::Default => true,
        }
    }
}

impl std::fmt::Display for ErrorStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ErrorStatus::Code(code) => write!(f, "{code}"),
            ErrorStatus::Range(class) => write!(f, "{class}XX"),
            ErrorStatus::Default => f.write_str("default"),
        }
    }
}

/// Whether `status` redirects to the URL its `Location` header gives: 301, 302, 303, 307, 308.
pub fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// A path template, parsed once: `/v1/things/{id}/` is the segments `v1`, `things`, `{id}` and
/// an empty last one (the trailing slash). A parameter is always a whole segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathTemplate {
    /// The segments after the leading `/`, in order.
    pub segments: Vec<Segment>,
}

/// One segment of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Text sent as it is (empty for a trailing slash).
    Literal(String),
    /// A parameter, by its wire name: `{id}`.
    Param(String),
}

impl PathTemplate {
    /// Parses a path template: it starts with `/`, and each `{name}` is a whole segment. The
    /// error says what is wrong.
    pub fn parse(path: &str) -> Result<PathTemplate, String> {
        let Some(rest) = path.strip_prefix('/') else {
            return Err("a path starts with `/`".to_owned());
        };
        let segments = rest
            .split('/')
            .map(|segment| {
                let inner = segment
                    .strip_prefix('{')
                    .and_then(|inner| inner.strip_suffix('}'));
                match inner {
                    Some(name) if !name.is_empty() && !name.contains(['{', '}']) => {
                        Ok(Segment::Param(name.to_owned()))
                    }
                    _ if segment.contains(['{', '}']) => Err(format!(
                        "segment `{segment}`: a parameter is a whole segment, written `{{name}}`"
                    )),
                    _ => Ok(Segment::Literal(segment.to_owned())),
                }
            })
            .collect::<Result<_, String>>()?;
        Ok(PathTemplate { segments })
    }

    /// The parameters' wire names, in path order.
    pub fn params(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|segment| match segment {
            Segment::Param(name) => Some(name.as_str()),
            Segment::Literal(_) => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_templates_are_whole_segments() {
        let template = PathTemplate::parse("/v1/things/{id}/").unwrap();
        assert_eq!(
            template.segments,
            [
                Segment::Literal("v1".to_owned()),
                Segment::Literal("things".to_owned()),
                Segment::Param("id".to_owned()),
                Segment::Literal(String::new()),
            ]
        );
        assert_eq!(template.params().collect::<Vec<_>>(), ["id"]);
        assert_eq!(PathTemplate::parse("/").unwrap().params().count(), 0);
        for bad in [
            "v1/x",
            "/x/{id}.json",
            "/x/{}",
            "/x/{a}{b}",
            "/x/}",
            "/x/{a",
        ] {
            assert!(PathTemplate::parse(bad).is_err(), "{bad}");
        }
    }
}
