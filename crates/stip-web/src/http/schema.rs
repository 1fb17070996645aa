//! The JSON Schemas the OpenAPI document gives the API's codes, dates and page numbers: a code
//! field offers exactly the codes Stip knows, a query parameter also the empty "not set".

use stip_core::portfolio::*;
use utoipa::openapi::{Object, ObjectBuilder, Schema};

/// Whether a code field may be left empty, and how.
#[derive(Clone, Copy)]
pub enum Empty {
    No,
    /// `""` means "not set" (a query parameter).
    Text,
    /// `""` or `null` mean "not set" (a JSON field).
    TextOrNull,
}

/// A string that is one of `codes`, or empty where `empty` allows it.
pub fn code_schema(codes: impl IntoIterator<Item = String>, empty: Empty) -> Object {
    use utoipa::openapi::schema::{SchemaType, Type};
    let codes: Vec<String> = codes.into_iter().collect();
    if let Empty::Text = empty {
        // A query parameter is read trimmed, so blanks around a code (or only blanks) are fine.
        return ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(format!(r"^\s*({})?\s*$", codes.join("|"))))
            .build();
    }
    let mut values: Vec<serde_json::Value> = codes.into_iter().map(Into::into).collect();
    let mut builder = ObjectBuilder::new().schema_type(Type::String);
    match empty {
        Empty::No | Empty::Text => {}
        Empty::TextOrNull => {
            values.extend([serde_json::Value::from(""), serde_json::Value::Null]);
            builder = builder.schema_type(SchemaType::from_iter([Type::String, Type::Null]));
        }
    }
    builder.enum_values(Some(values)).build()
}

pub fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> impl Iterator<Item = String> {
    all.iter().map(move |c| code(*c).to_string())
}

pub fn phases() -> Object {
    code_schema(codes(Phase::ALL, Phase::code), Empty::No)
}
pub fn statuses() -> Object {
    code_schema(codes(Status::ALL, Status::code), Empty::TextOrNull)
}
pub fn effort_units() -> Object {
    code_schema(codes(EffortUnit::ALL, EffortUnit::code), Empty::TextOrNull)
}
pub fn horizons() -> Object {
    code_schema(codes(Horizon::ALL, Horizon::code), Empty::TextOrNull)
}
pub fn characters() -> Object {
    code_schema(codes(Character::ALL, Character::code), Empty::TextOrNull)
}
pub fn visibilities() -> Object {
    code_schema(codes(Visibility::ALL, Visibility::code), Empty::TextOrNull)
}
pub fn phase_filter() -> Object {
    code_schema(codes(Phase::ALL, Phase::code), Empty::Text)
}
pub fn status_filter() -> Object {
    code_schema(codes(Status::ALL, Status::code), Empty::Text)
}
pub fn horizon_filter() -> Object {
    code_schema(codes(Horizon::ALL, Horizon::code), Empty::Text)
}
pub fn character_filter() -> Object {
    code_schema(codes(Character::ALL, Character::code), Empty::Text)
}
pub fn perspective_filter() -> Object {
    code_schema(
        codes(PerspectivePole::ALL, PerspectivePole::code),
        Empty::Text,
    )
}
pub fn quadrant_filter() -> Object {
    code_schema(
        codes(
            stip_core::portfolio::Quadrant::ALL,
            stip_core::portfolio::Quadrant::code,
        ),
        Empty::Text,
    )
}
pub fn flag_filter() -> Object {
    code_schema(
        ["1", "0", "true", "false", "on"].map(String::from),
        Empty::Text,
    )
}
pub fn sorts() -> Object {
    let keys: Vec<String> = codes(SortKey::ALL, SortKey::code).collect();
    let descending = keys.iter().map(|k| format!("-{k}")).collect::<Vec<_>>();
    code_schema(keys.into_iter().chain(descending), Empty::Text)
}

/// A whole number from 1 to `max`, or empty for the default.
pub fn whole_or_empty(max: u32) -> Schema {
    use utoipa::openapi::schema::{AnyOfBuilder, Type};
    AnyOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1))
                .maximum(Some(max)),
        )
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(0)),
        )
        .build()
        .into()
}
pub fn page_numbers() -> Schema {
    whole_or_empty(1_000_000)
}
pub fn page_sizes() -> Schema {
    whole_or_empty(MAX_PER_PAGE)
}

/// A date as ISO `YYYY-MM-DD`; empty or `null` when not set.
pub fn optional_date() -> Schema {
    use utoipa::openapi::schema::{KnownFormat, OneOfBuilder, SchemaFormat, Type};
    OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date))),
        )
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(0)),
        )
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .build()
        .into()
}
