//! The models' runtime: what the generated types' wire behaviour is made of. The same in
//! every models crate this generator makes.

// codegen: needs enums
/// A value an enum of this crate does not list, kept verbatim so that it is written back
/// unchanged. It is opaque on purpose: read the value with the enum's `as_str()`, which keeps
/// working when a later version lists the value as a variant of its own (a match on the text
/// inside the catch-all would then silently stop matching).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(pub(crate) String);

// codegen: needs enums
impl std::fmt::Debug for UnknownValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.0, f)
    }
}

// codegen: needs enums
/// Implements the wire behaviour of a string enum: `as_str`, `From<&str>`, `Display`, serde
/// (an unknown value is kept in the catch-all variant and written back unchanged) and, with the
/// `schemars` feature, `JsonSchema`. `string_enum!(Name, CatchAll, [Variant = "WIRE", ...]);`
macro_rules! string_enum {
    ($name:ident, $unknown:ident, [$($variant:ident = $wire:literal),* $(,)?]) => {
        impl $name {
            /// Every value the API description lists, in its order.
            pub const KNOWN_VALUES: &'static [&'static str] = &[$($wire),*];

            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::$unknown(value) => &value.0,
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::$unknown(runtime::UnknownValue(other.to_owned())),
                }
            }
        }

        /// Ordered by wire value, so that adding a value does not reorder the others.
        impl PartialOrd for $name {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl Ord for $name {
            fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                self.as_str().cmp(other.as_str())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <String as serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.as_str()))
            }
        }

        #[cfg(feature = "schemars")]
        impl schemars::JsonSchema for $name {
            #[inline]
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            #[inline]
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "string", "enum": Self::KNOWN_VALUES })
            }
        }
    };
}

// codegen: needs structs
/// Implements serde for a struct from the table of its fields, in their order: each field's
/// kind, and the field (with its wire name where it is not the field's):
/// - `required`: always written; a missing member is an error (a nullable one reads as `None`);
/// - `optional`: an `Option`, written only when `Some`; a missing member or `null` reads as `None`;
/// - `number` and `optional_number`: the same for a [`serde_json::Number`], read from a number
///   or a string holding one (servers send both).
///
/// It reads JSON objects only (serde's derive also takes an array of the fields in order,
/// which the API never sends and the OpenAPI document forbids), ignores members it does not
/// list and refuses one that comes twice. The fields go to the runtime's generic code as one
/// value, a list of levels of up to four fields (`((first, second, third, fourth), ((fifth,),
/// ()))`): its type says what each field is, so each impl here is one call and rustc checks no
/// code per field (as serde's derive, or a statement per field, would have it do: that was most
/// of the models crate's build). Four to a level keeps the nesting a quarter of the fields deep:
/// rustc's recursion limit (128 levels), which binds here and in the crates that serialize a
/// struct, is why the generator refuses a struct of more than 448 fields.
/// `struct_serde!(Name, [required(field), optional(r#type = "type"), ...]);`
macro_rules! struct_serde {
    ($name:ident, [$($kind:ident($field:ident $(= $wire:literal)?)),* $(,)?]) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                runtime::structs::serialize_struct(
                    serializer,
                    stringify!($name),
                    struct_serde!(@values self, [$(($kind, $field, struct_serde!(@wire $field $($wire)?))),*]),
                )
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let mut slots = struct_serde!(@slots [$($kind),*]);
                runtime::structs::deserialize_struct(
                    deserializer,
                    concat!("struct ", stringify!($name)),
                    &[$(struct_serde!(@wire $field $($wire)?)),*],
                    &mut slots,
                )?;
                let struct_serde!(@taken [$($field),*]) = slots;
                Ok($name {
                    $($field: struct_serde!(@finish $kind, $field, struct_serde!(@wire $field $($wire)?)),)*
                })
            }
        }
    };
    (@wire $field:ident $wire:literal) => { $wire };
    (@wire $field:ident) => { stringify!($field) };
    // What serializes: each field by reference, with its wire name and whether it is an `Option`,
    // four to a level (see `runtime::structs`).
    (@values $this:expr, []) => { () };
    (@values $this:expr, [$a:tt, $b:tt, $c:tt, $d:tt $(, $rest:tt)*]) => {
        (
            (
                struct_serde!(@value $this, $a),
                struct_serde!(@value $this, $b),
                struct_serde!(@value $this, $c),
                struct_serde!(@value $this, $d),
            ),
            struct_serde!(@values $this, [$($rest),*]),
        )
    };
    (@values $this:expr, [$($last:tt),+]) => { (($(struct_serde!(@value $this, $last),)+), ()) };
    (@value $this:expr, (required, $field:ident, $wire:expr)) => {
        runtime::structs::Field::<_, false>($wire, &$this.$field)
    };
    (@value $this:expr, (number, $field:ident, $wire:expr)) => {
        runtime::structs::Field::<_, false>($wire, &$this.$field)
    };
    (@value $this:expr, ($optional:ident, $field:ident, $wire:expr)) => {
        runtime::structs::Field::<_, true>($wire, &$this.$field)
    };
    // Where a read value goes: an empty slot, with how to read it; four to a level.
    (@slots []) => { () };
    (@slots [$a:ident, $b:ident, $c:ident, $d:ident $(, $rest:ident)*]) => {
        (
            (
                (None, struct_serde!(@seed $a)),
                (None, struct_serde!(@seed $b)),
                (None, struct_serde!(@seed $c)),
                (None, struct_serde!(@seed $d)),
            ),
            struct_serde!(@slots [$($rest),*]),
        )
    };
    (@slots [$($last:ident),+]) => { (($((None, struct_serde!(@seed $last)),)+), ()) };
    (@taken []) => { () };
    (@taken [$a:ident, $b:ident, $c:ident, $d:ident $(, $rest:ident)*]) => {
        ((($a, _), ($b, _), ($c, _), ($d, _)), struct_serde!(@taken [$($rest),*]))
    };
    (@taken [$($last:ident),+]) => { (($(($last, _),)+), ()) };
    (@seed number) => { lenient::RequiredNumber };
    (@seed optional_number) => { lenient::OptionalNumber };
    (@seed $kind:ident) => { std::marker::PhantomData };
    (@finish required, $field:ident, $wire:expr) => { runtime::required($field, $wire)? };
    (@finish number, $field:ident, $wire:expr) => { runtime::required($field, $wire)? };
    (@finish $optional:ident, $field:ident, $wire:expr) => { $field.unwrap_or_default() };
}

// codegen: needs structs
/// What `struct_serde!`'s impls call: the fields as a list of levels, each a tuple of one to four
/// fields followed by the levels after it (`()` after the last), written and read by generic code
/// that is compiled where a struct is serialized or deserialized.
pub(crate) mod structs {
    /// A field to write: its wire name and value. An `OPTIONAL` one is an `Option`, written only
    /// when it is `Some`; the others are always written. (One type for both kinds, so that an
    /// API whose structs have fields of one kind only has no unused item.)
    pub(crate) struct Field<'a, T, const OPTIONAL: bool>(pub(crate) &'static str, pub(crate) &'a T);

    /// One field to write.
    pub(crate) trait WriteField {
        /// 1 if the field is written, else 0.
        fn len(&self) -> usize;

        /// Writes the field, if it is written.
        fn write<O: serde::ser::SerializeStruct>(&self, object: &mut O) -> Result<(), O::Error>;
    }

    impl<T: serde::Serialize> WriteField for Field<'_, T, false> {
        fn len(&self) -> usize {
            1
        }

        fn write<O: serde::ser::SerializeStruct>(&self, object: &mut O) -> Result<(), O::Error> {
            object.serialize_field(self.0, self.1)
        }
    }

    impl<T: serde::Serialize> WriteField for Field<'_, Option<T>, true> {
        fn len(&self) -> usize {
            usize::from(self.1.is_some())
        }

        fn write<O: serde::ser::SerializeStruct>(&self, object: &mut O) -> Result<(), O::Error> {
            match self.1 {
                Some(value) => object.serialize_field(self.0, value),
                None => object.skip_field(self.0),
            }
        }
    }

    /// One empty slot to read a field into: the value read so far and the seed that reads it.
    pub(crate) trait ReadSlot<'de> {
        /// Reads the field's member (named `wire`), unless one was read before.
        fn read<A: serde::de::MapAccess<'de>>(
            &mut self,
            map: &mut A,
            wire: &'static str,
        ) -> Result<(), A::Error>;
    }

    impl<'de, S: serde::de::DeserializeSeed<'de> + Copy> ReadSlot<'de> for (Option<S::Value>, S) {
        #[inline(always)]
        fn read<A: serde::de::MapAccess<'de>>(
            &mut self,
            map: &mut A,
            wire: &'static str,
        ) -> Result<(), A::Error> {
            if self.0.is_some() {
                return Err(serde::de::Error::duplicate_field(wire));
            }
            self.0 = Some(map.next_value_seed(self.1)?);
            Ok(())
        }
    }

    /// A struct's fields as `struct_serde!` lists them for serializing.
    pub(crate) trait WriteFields {
        /// How many fields are written.
        fn len(&self) -> usize;

        /// Writes the fields, in their order.
        fn write<O: serde::ser::SerializeStruct>(&self, object: &mut O) -> Result<(), O::Error>;
    }

    /// A struct's slots as `struct_serde!` lists them for deserializing.
    pub(crate) trait ReadFields<'de> {
        /// Reads the member of the field at `index` (counted from this level; past the last, the
        /// member is ignored) into its slot. `wires` are the fields' wire names from this level on.
        fn read<A: serde::de::MapAccess<'de>>(
            &mut self,
            index: usize,
            map: &mut A,
            wires: &[&'static str],
        ) -> Result<(), A::Error>;
    }

    impl WriteFields for () {
        fn len(&self) -> usize {
            0
        }

        fn write<O: serde::ser::SerializeStruct>(&self, _: &mut O) -> Result<(), O::Error> {
            Ok(())
        }
    }

    impl<'de> ReadFields<'de> for () {
        fn read<A: serde::de::MapAccess<'de>>(
            &mut self,
            _: usize,
            map: &mut A,
            _: &[&'static str],
        ) -> Result<(), A::Error> {
            map.next_value::<serde::de::IgnoredAny>().map(drop)
        }
    }

    /// The impls for a level of `$len` fields (`$field` the type of the one at `$index`).
    macro_rules! level {
        ($len:literal: $($field:ident $index:tt),+) => {
            impl<$($field: WriteField,)+ R: WriteFields> WriteFields for (($($field,)+), R) {
                fn len(&self) -> usize {
                    $(self.0.$index.len() +)+ self.1.len()
                }

                fn write<O: serde::ser::SerializeStruct>(
                    &self,
                    object: &mut O,
                ) -> Result<(), O::Error> {
                    $(self.0.$index.write(object)?;)+
                    self.1.write(object)
                }
            }

            impl<'de, $($field, )+ R> ReadFields<'de> for (($($field,)+), R)
            where
                $($field: ReadSlot<'de>,)+
                R: ReadFields<'de>,
            {
                // Always inlined: the levels then make one chain of tests in the visitor. Left
                // to the optimiser, a struct of 12 fields decoded 5-10 % slower, a call per
                // level passed.
                #[inline(always)]
                fn read<A: serde::de::MapAccess<'de>>(
                    &mut self,
                    index: usize,
                    map: &mut A,
                    wires: &[&'static str],
                ) -> Result<(), A::Error> {
                    match index {
                        $($index => self.0.$index.read(map, wires[$index]),)+
                        _ => self.1.read(index - $len, map, &wires[$len..]),
                    }
                }
            }
        };
    }

    level!(1: F0 0);
    level!(2: F0 0, F1 1);
    level!(3: F0 0, F1 1, F2 2);
    level!(4: F0 0, F1 1, F2 2, F3 3);

    /// Serializes a struct, named `name`, as an object of its `fields`.
    pub(crate) fn serialize_struct<S: serde::Serializer, F: WriteFields>(
        serializer: S,
        name: &'static str,
        fields: F,
    ) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut object = serializer.serialize_struct(name, fields.len())?;
        fields.write(&mut object)?;
        object.end()
    }

    /// Reads a struct's members into its `slots`, from an object; `wires` are the fields' wire
    /// names, in the slots' order.
    pub(crate) fn deserialize_struct<'de, D, F>(
        deserializer: D,
        expecting: &'static str,
        wires: &'static [&'static str],
        slots: &mut F,
    ) -> Result<(), D::Error>
    where
        D: serde::Deserializer<'de>,
        F: ReadFields<'de>,
    {
        deserializer.deserialize_map(StructVisitor {
            expecting,
            wires,
            slots,
        })
    }

    /// What [`deserialize_struct`] reads an object with.
    struct StructVisitor<'a, F> {
        expecting: &'static str,
        wires: &'static [&'static str],
        slots: &'a mut F,
    }

    impl<'de, F: ReadFields<'de>> serde::de::Visitor<'de> for StructVisitor<'_, F> {
        type Value = ();

        fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            formatter.write_str(self.expecting)
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            // Members mostly come in the fields' order: the next field's name is tried first.
            let mut next = 0;
            while let Some(key) = map.next_key::<Key<'de>>()? {
                let key = key.as_str();
                let index = if self.wires.get(next) == Some(&key) {
                    Some(next)
                } else {
                    self.wires.iter().position(|wire| *wire == key)
                };
                match index {
                    Some(index) => {
                        self.slots.read(index, &mut map, self.wires)?;
                        next = index + 1;
                    }
                    None => map.next_value::<serde::de::IgnoredAny>().map(drop)?,
                }
            }
            Ok(())
        }
    }

    /// A member's name as a struct reads it: borrowed from the input where it can be.
    pub(crate) enum Key<'de> {
        Borrowed(&'de str),
        Owned(String),
    }

    impl Key<'_> {
        pub(crate) fn as_str(&self) -> &str {
            match self {
                Key::Borrowed(key) => key,
                Key::Owned(key) => key,
            }
        }
    }

    impl<'de> serde::Deserialize<'de> for Key<'de> {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct KeyVisitor;

            impl<'de> serde::de::Visitor<'de> for KeyVisitor {
                type Value = Key<'de>;

                fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    formatter.write_str("a member name")
                }

                fn visit_borrowed_str<E: serde::de::Error>(
                    self,
                    key: &'de str,
                ) -> Result<Key<'de>, E> {
                    Ok(Key::Borrowed(key))
                }

                fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                    Ok(Key::Owned(key.to_owned()))
                }

                fn visit_string<E: serde::de::Error>(self, key: String) -> Result<Key<'de>, E> {
                    Ok(Key::Owned(key))
                }
            }

            deserializer.deserialize_str(KeyVisitor)
        }
    }
}

// codegen: needs required_fields
/// A required member's value: an error when it was missing, unless its type reads nothing as
/// a value (an `Option`, for a required member that may be `null`), as with serde's derive.
pub(crate) fn required<'de, T: serde::Deserialize<'de>, E: serde::de::Error>(
    slot: Option<T>,
    wire: &'static str,
) -> Result<T, E> {
    match slot {
        Some(value) => Ok(value),
        None => T::deserialize(Missing(wire, std::marker::PhantomData)),
    }
}

// codegen: needs required_fields
/// What a missing member reads as: `None` for an `Option`, an error for anything else.
struct Missing<E>(&'static str, std::marker::PhantomData<E>);

// codegen: needs required_fields
impl<'de, E: serde::de::Error> serde::Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(E::missing_field(self.0))
    }

    fn deserialize_option<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

// codegen: needs struct_schemas
/// `JsonSchema` for a struct (with the `schemars` feature): an object of the listed fields'
/// properties (under their wire name where it is not the field's), each the schema of the
/// field's type (an `Option` is its value or `null`) with its documentation; then the wire
/// names of the required ones. One table per struct compiles in a fraction of the time of
/// schemars' derive, and one closure that names every field (their types are what the schemas
/// are made of) in less than one per field. Every `JsonSchema` method here is `#[inline]`:
/// compiled in the crate that asks for the schema, not for every type in this one (1.2 s of
/// its 8 s build).
/// `struct_schema!(Name, "doc", [field => "doc", r#type = "type", ...], ["field", ...]);`
#[cfg(feature = "schemars")]
macro_rules! struct_schema {
    (
        $name:ident $(, $doc:literal)?,
        [$($field:ident $(= $wire:literal)? $(=> $field_doc:literal)?),* $(,)?],
        [$($required:literal),* $(,)?]
    ) => {
        impl schemars::JsonSchema for $name {
            #[inline]
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            #[inline]
            fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
                runtime::schemas::object_schema(
                    runtime::schemas::field_schemas(generator, |_value: $name| {
                        struct_schema!(@fields _value, [$($field),*])
                    }),
                    [$((struct_schema!(@wire $field $($wire)?), struct_schema!(@doc $($field_doc)?))),*],
                    struct_schema!(@doc $($doc)?),
                    &[$($required),*],
                )
            }
        }
    };
    (@wire $field:ident $wire:literal) => { $wire };
    (@wire $field:ident) => { stringify!($field) };
    (@doc $doc:literal) => { Some($doc) };
    (@doc) => { None };
    // The fields' values, four to a level as `struct_serde!` nests them: their types are what
    // the schema is made of (the closure that names them is never called).
    (@fields $value:ident, []) => { () };
    (@fields $value:ident, [$a:ident, $b:ident, $c:ident, $d:ident $(, $rest:ident)*]) => {
        (
            ($value.$a, $value.$b, $value.$c, $value.$d),
            struct_schema!(@fields $value, [$($rest),*]),
        )
    };
    (@fields $value:ident, [$($last:ident),+]) => { (($($value.$last,)+), ()) };
}

// codegen: needs struct_schemas
/// What `struct_schema!`'s impls call.
#[cfg(feature = "schemars")]
pub(crate) mod schemas {
    /// The types of a struct's fields as `struct_schema!` nests them: levels of one to four
    /// types, each followed by the levels after it (`()` after the last).
    pub(crate) trait SchemaFields {
        /// Appends each type's schema, in order.
        fn schemas(generator: &mut schemars::SchemaGenerator, schemas: &mut Vec<schemars::Schema>);
    }

    impl SchemaFields for () {
        fn schemas(_: &mut schemars::SchemaGenerator, _: &mut Vec<schemars::Schema>) {}
    }

    /// The impl for a level of the types `$field`.
    macro_rules! level {
        ($($field:ident),+) => {
            impl<$($field, )+ R> SchemaFields for (($($field,)+), R)
            where
                $($field: schemars::JsonSchema,)+
                R: SchemaFields,
            {
                fn schemas(
                    generator: &mut schemars::SchemaGenerator,
                    schemas: &mut Vec<schemars::Schema>,
                ) {
                    $(schemas.push(generator.subschema_for::<$field>());)+
                    R::schemas(generator, schemas);
                }
            }
        };
    }

    level!(F0);
    level!(F0, F1);
    level!(F0, F1, F2);
    level!(F0, F1, F2, F3);

    /// The schemas of a struct's field types, which `fields` names (it is never called).
    pub(crate) fn field_schemas<S, F: SchemaFields>(
        generator: &mut schemars::SchemaGenerator,
        _fields: impl FnOnce(S) -> F,
    ) -> Vec<schemars::Schema> {
        let mut schemas = Vec::new();
        F::schemas(generator, &mut schemas);
        schemas
    }

    /// An object schema: its properties' schemas and (in the same order) their wire names and
    /// documentation, its documentation and the wire names of its required properties.
    pub(crate) fn object_schema<const N: usize>(
        schemas: Vec<schemars::Schema>,
        properties: [(&str, Option<&str>); N],
        doc: Option<&str>,
        required: &[&str],
    ) -> schemars::Schema {
        let mut object = serde_json::Map::new();
        for (mut schema, (wire, doc)) in schemas.into_iter().zip(properties) {
            if let Some(doc) = doc {
                schema.insert("description".to_owned(), doc.into());
            }
            object.insert(wire.to_owned(), schema.into());
        }
        let mut schema = schemars::json_schema!({ "type": "object", "properties": object });
        if let Some(doc) = doc {
            schema.insert("description".to_owned(), doc.into());
        }
        if !required.is_empty() {
            schema.insert("required".to_owned(), required.into());
        }
        schema
    }
}

// codegen: needs unions
/// Implements the wire behaviour of a tagged union: `tag()`, serde (the tag property beside the
/// variant's own properties; an object whose tag is not listed is kept in the catch-all variant
/// and written back unchanged) and, with the `schemars` feature, `JsonSchema`.
/// `tagged_union!(Name, "tag", CatchAll, [Variant(Struct) = "wire", ...], [Unit = "wire", ...]);`
macro_rules! tagged_union {
    (
        $name:ident, $tag:literal, $unknown:ident,
        [$($variant:ident($ty:ty) = $wire:literal),* $(,)?],
        [$($unit:ident = $unit_wire:literal),* $(,)?]
    ) => {
        impl $name {
            /// The name of the property that tells the variants apart.
            pub const TAG: &'static str = $tag;

            /// The value of the tag: which variant this is, as the wire says it.
            pub fn tag(&self) -> &str {
                match self {
                    $(Self::$variant(_) => $wire,)*
                    $(Self::$unit => $unit_wire,)*
                    Self::$unknown(object) => object
                        .get($tag)
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or_default(),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let inner = match self {
                    $(Self::$variant(inner) => {
                        serde_json::to_value(inner).map_err(serde::ser::Error::custom)?
                    })*
                    $(Self::$unit => serde_json::Value::Null,)*
                    Self::$unknown(object) => return object.serialize(serializer),
                };
                let mut object = serde_json::Map::new();
                object.insert($tag.to_owned(), serde_json::Value::from(self.tag()));
                if let serde_json::Value::Object(fields) = inner {
                    object.extend(fields);
                }
                object.serialize(serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let object = serde_json::Map::<String, serde_json::Value>::deserialize(deserializer)?;
                let tag = match object.get($tag) {
                    Some(serde_json::Value::String(tag)) => tag.clone(),
                    Some(_) => return Err(serde::de::Error::custom(concat!("`", $tag, "` is not a string"))),
                    None => return Err(serde::de::Error::missing_field($tag)),
                };
                match tag.as_str() {
                    $($wire => serde_json::from_value(serde_json::Value::Object(object))
                        .map(Self::$variant)
                        .map_err(serde::de::Error::custom),)*
                    $($unit_wire => Ok(Self::$unit),)*
                    _ => Ok(Self::$unknown(object)),
                }
            }
        }

        #[cfg(feature = "schemars")]
        impl schemars::JsonSchema for $name {
            #[inline]
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            #[inline]
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "type": "object",
                    "properties": { $tag: { "type": "string" } },
                    "required": [$tag],
                })
            }
        }
    };
}

// codegen: needs external_unions
/// Implements the wire behaviour of an externally tagged union (serde's default form of an
/// enum: a unit variant is its name, a variant with a value is an object whose one member is
/// named after it): `tag()`, serde (a name that is not listed is kept in the catch-all variant
/// and written back unchanged) and, with the `schemars` feature, `JsonSchema`.
/// `external_union!(Name, CatchAll, [Variant(Type) = "wire", ...], [Unit = "wire", ...]);`
macro_rules! external_union {
    (
        $name:ident, $unknown:ident,
        [$($variant:ident($ty:ty) = $wire:literal),* $(,)?],
        [$($unit:ident = $unit_wire:literal),* $(,)?]
    ) => {
        impl $name {
            /// The variant's name, as the wire says it.
            pub fn tag(&self) -> &str {
                match self {
                    $(Self::$variant(_) => $wire,)*
                    $(Self::$unit => $unit_wire,)*
                    Self::$unknown(value) => match value {
                        serde_json::Value::String(name) => name,
                        serde_json::Value::Object(object) => {
                            object.keys().next().map(String::as_str).unwrap_or_default()
                        }
                        _ => "",
                    },
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(inner) => {
                        use serde::ser::SerializeMap as _;
                        let mut map = serializer.serialize_map(Some(1))?;
                        map.serialize_entry($wire, inner)?;
                        map.end()
                    })*
                    $(Self::$unit => serializer.serialize_str($unit_wire),)*
                    Self::$unknown(value) => value.serialize(serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                match &value {
                    serde_json::Value::String(name) => match name.as_str() {
                        $($unit_wire => return Ok(Self::$unit),)*
                        _ => {}
                    },
                    serde_json::Value::Object(object) if object.len() == 1 => {
                        if let Some((name, inner)) = object.iter().next() {
                            match name.as_str() {
                                $($wire => {
                                    return serde_json::from_value(inner.clone())
                                        .map(Self::$variant)
                                        .map_err(serde::de::Error::custom);
                                })*
                                _ => {}
                            }
                        }
                    }
                    _ => {
                        return Err(serde::de::Error::custom(concat!(
                            "expected a ",
                            stringify!($name),
                            ": a name, or an object with one member"
                        )))
                    }
                }
                Ok(Self::$unknown(value))
            }
        }

        #[cfg(feature = "schemars")]
        impl schemars::JsonSchema for $name {
            #[inline]
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            #[inline]
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "anyOf": [
                        { "type": "string" },
                        { "type": "object", "minProperties": 1, "maxProperties": 1 }
                    ]
                })
            }
        }
    };
}

// codegen: needs untagged_unions
/// Implements the wire behaviour of an untagged union (OpenAPI's `oneOf` or `anyOf` whose JSON
/// says nothing of its variant): a value is the first variant it reads as, in the order the
/// description lists them, else kept verbatim in the catch-all variant and written back
/// unchanged; serde and, with the `schemars` feature, `JsonSchema`.
/// `untagged_union!(Name, CatchAll, [Variant(Type), ...]);`
macro_rules! untagged_union {
    ($name:ident, $unknown:ident, [$($variant:ident($ty:ty)),* $(,)?]) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(inner) => inner.serialize(serializer),)*
                    Self::$unknown(value) => value.serialize(serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                $(
                    if let Ok(inner) = <$ty as serde::Deserialize>::deserialize(&value) {
                        return Ok(Self::$variant(inner));
                    }
                )*
                Ok(Self::$unknown(value))
            }
        }

        #[cfg(feature = "schemars")]
        impl schemars::JsonSchema for $name {
            #[inline]
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            #[inline]
            fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
                let variants = vec![$(generator.subschema_for::<$ty>()),*];
                schemars::json_schema!({ "anyOf": variants })
            }
        }
    };
}
