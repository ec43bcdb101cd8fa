//! Wire behaviour of the generated models: payloads round-trip exactly, absent and `null` fields
//! read as `None`, unknown fields are ignored, unknown enum values survive, integers stay
//! integers, and passwords stay out of `Debug`.

use qumulo_models::{
    ApiAccessTokenMetadata, ApiAccessTokenModifyMetadataPatch, ApiIdentity, Domain, Login,
};
use serde_json::{json, Value};

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(payload: &Value) -> (T, Value) {
    let parsed: T = serde_json::from_value(payload.clone()).expect("payload should deserialize");
    let back = serde_json::to_value(&parsed).expect("model should serialize");
    (parsed, back)
}

fn full_metadata() -> Value {
    json!({
        "id": "token-1",
        "user": {"domain": "LOCAL", "auth_id": "500", "uid": 1000, "gid": 1000, "sid": "S-1-5-21", "name": "admin"},
        "creator": {"domain": "ACTIVE_DIRECTORY", "auth_id": "501", "uid": 0, "gid": 0.5, "sid": "S-1", "name": "root"},
        "creation_time": "2026-11-27T00:00:00Z",
        "expiration_time": "2027-01-01T00:00:00Z",
        "enabled": true
    })
}

#[test]
fn every_field_present_round_trips_exactly() {
    let payload = full_metadata();
    let (metadata, back) = round_trip::<ApiAccessTokenMetadata>(&payload);
    assert_eq!(back, payload);
    let user = metadata.user.expect("user is present");
    assert_eq!(user.domain, Some(Domain::Local));
    assert_eq!(user.name.as_deref(), Some("admin"));
}

#[test]
fn every_field_absent_reads_as_none_and_writes_nothing() {
    let (metadata, back) = round_trip::<ApiAccessTokenMetadata>(&json!({}));
    assert_eq!(metadata, ApiAccessTokenMetadata::default());
    assert_eq!(back, json!({}));
}

#[test]
fn explicit_null_reads_as_absent() {
    let payload = json!({
        "id": null, "user": {"domain": null, "uid": null, "name": null}, "creator": null,
        "creation_time": null, "expiration_time": null, "enabled": null
    });
    let (metadata, back) = round_trip::<ApiAccessTokenMetadata>(&payload);
    assert_eq!(metadata.id, None);
    assert_eq!(metadata.user, Some(ApiIdentity::default()));
    assert_eq!(back, json!({"user": {}}));
}

#[test]
fn unknown_fields_are_ignored() {
    let mut payload = full_metadata();
    payload["added_in_a_later_release"] = json!({"nested": [1, 2, 3]});
    payload["user"]["extra"] = json!("x");
    let (_, back) = round_trip::<ApiAccessTokenMetadata>(&payload);
    assert_eq!(back, full_metadata());
}

#[test]
fn an_unknown_enum_value_is_kept_and_written_back_unchanged() {
    let payload = json!({"domain": "API_FUTURE_DOMAIN", "name": "x"});
    let (identity, back) = round_trip::<ApiIdentity>(&payload);
    let domain = identity.domain.clone().unwrap();
    assert!(matches!(domain, Domain::Unknown(_)), "{domain:?}");
    // The unknown value is read through the enum, as a known one is.
    assert_eq!(domain.as_str(), "API_FUTURE_DOMAIN");
    assert_eq!(domain, Domain::from("API_FUTURE_DOMAIN"));
    assert_eq!(back, payload);
    assert_eq!(Domain::from("WORLD"), Domain::World);
    assert_eq!(Domain::PosixUser.to_string(), "POSIX_USER");
    assert_eq!(Domain::from("odd value").as_str(), "odd value");
    assert_eq!(format!("{:?}", Domain::from("odd")), r#"Unknown("odd")"#);
}

#[test]
fn integers_leave_as_integers_and_fractions_as_fractions() {
    let text = r#"{"uid":1000,"gid":0.25,"auth_id":"9007199254740993"}"#;
    let identity: ApiIdentity = serde_json::from_str(text).unwrap();
    let written = serde_json::to_string(&identity).unwrap();
    assert!(written.contains(r#""uid":1000,"#), "{written}");
    assert!(written.contains(r#""gid":0.25"#), "{written}");
    assert!(!written.contains("1000.0"), "{written}");
    let large: ApiIdentity = serde_json::from_str(r#"{"uid":9007199254740993}"#).unwrap();
    assert_eq!(
        serde_json::to_string(&large).unwrap(),
        r#"{"uid":9007199254740993}"#
    );
    assert_eq!(identity.uid.and_then(|uid| uid.as_u64()), Some(1000));
}

#[test]
fn only_the_fields_set_are_sent() {
    let mut patch = ApiAccessTokenModifyMetadataPatch::default();
    patch.enabled = Some(false);
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"enabled": false})
    );
}

#[test]
fn passwords_never_show_in_debug_output() {
    let login: Login =
        serde_json::from_value(json!({"username": "admin", "password": "hunter2-secret"})).unwrap();
    let debug = format!("{login:?} {login:#?}");
    assert!(!debug.contains("hunter2-secret"), "{debug}");
    assert!(
        debug.contains("admin") && debug.contains("<redacted>"),
        "{debug}"
    );
    assert_eq!(
        serde_json::to_value(&login).unwrap()["password"],
        "hunter2-secret",
        "the wire keeps the value"
    );
    let nobody: Login = serde_json::from_value(json!({})).unwrap();
    assert!(format!("{nobody:?}").contains("password: None"));
}

#[test]
fn the_models_describe_themselves_as_json_schema() {
    let schema = serde_json::to_value(schemars::schema_for!(ApiAccessTokenMetadata)).unwrap();
    assert_eq!(
        schema["properties"]["user"]["anyOf"][0]["$ref"], "#/$defs/ApiIdentity",
        "{schema:#}"
    );
    let domain = &schema["$defs"]["Domain"];
    assert_eq!(domain["type"], "string");
    assert!(domain["enum"]
        .as_array()
        .is_some_and(|values| values.contains(&json!("LOCAL"))));
}

#[test]
fn numbers_sent_as_strings_are_read_as_numbers() {
    let identity: ApiIdentity =
        serde_json::from_value(json!({"uid": "1000", "gid": "2.5"})).unwrap();
    assert_eq!(
        identity.uid.as_ref().and_then(serde_json::Number::as_u64),
        Some(1000)
    );
    assert_eq!(
        serde_json::to_value(&identity).unwrap(),
        json!({"uid": 1000, "gid": 2.5})
    );
    let error = serde_json::from_value::<ApiIdentity>(json!({"uid": "one thousand"})).unwrap_err();
    assert!(error.to_string().contains("one thousand"), "{error}");
    assert!(serde_json::from_value::<ApiIdentity>(json!({"uid": true})).is_err());
    // Exactly the text the OpenAPI document's pattern allows: JSON number syntax, at most 20
    // digits before and after the point, a two-digit exponent.
    for accepted in [
        "0",
        "-7",
        "18446744073709551615",
        "1.25",
        "2e10",
        "-3.5E-07",
    ] {
        assert!(
            serde_json::from_value::<ApiIdentity>(json!({ "uid": accepted })).is_ok(),
            "{accepted}"
        );
    }
    for refused in [
        " 2.5 ",
        "01",
        "1.",
        ".5",
        "+1",
        "1e100",
        "123456789012345678901",
        "1.123456789012345678901",
        "",
        "NaN",
    ] {
        assert!(
            serde_json::from_value::<ApiIdentity>(json!({ "uid": refused })).is_err(),
            "{refused:?} was accepted"
        );
    }
}

#[test]
fn structs_are_read_from_objects_only() {
    // serde's derive alone would read an array of the fields in order.
    assert!(serde_json::from_value::<ApiIdentity>(json!([])).is_err());
    assert!(serde_json::from_value::<ApiIdentity>(json!(["LOCAL", "500"])).is_err());
    let nested = json!({"id": "t", "user": ["LOCAL"]});
    let error = serde_json::from_value::<ApiAccessTokenMetadata>(nested).unwrap_err();
    assert!(
        error.to_string().contains("expected struct ApiIdentity"),
        "{error}"
    );
    let fine: ApiAccessTokenMetadata =
        serde_json::from_value(json!({"id": "t", "user": {"name": "alice"}})).unwrap();
    assert_eq!(
        fine.user.and_then(|user| user.name).as_deref(),
        Some("alice")
    );
}

#[test]
fn member_names_read_however_the_json_spells_them() {
    // An escaped name cannot be borrowed from the input, nor can any name from a reader.
    let text = r#"{"na\u006de": "alice", "auth_id": "500"}"#;
    let from_text: ApiIdentity = serde_json::from_str(text).unwrap();
    let from_reader: ApiIdentity = serde_json::from_reader(text.as_bytes()).unwrap();
    assert_eq!(from_text.name.as_deref(), Some("alice"));
    assert_eq!(from_text, from_reader);
}

#[test]
fn a_member_sent_twice_is_refused() {
    let text = r#"{"name": "alice", "name": "bob"}"#;
    let error = serde_json::from_str::<ApiIdentity>(text).unwrap_err();
    assert!(
        error.to_string().contains("duplicate field `name`"),
        "{error}"
    );
}

#[test]
fn members_read_in_any_order() {
    // The reader tries the next field's name first; members out of order, unknown members in
    // between and a repeat after others all take the slower path.
    let in_order =
        json!({"domain": "LOCAL", "auth_id": "500", "uid": 1, "gid": 2, "sid": "S", "name": "n"});
    let text = r#"{"name": "n", "unknown": [1, {"sid": "no"}], "gid": 2, "sid": "S", "domain": "LOCAL", "uid": "1", "auth_id": "500"}"#;
    let shuffled: ApiIdentity = serde_json::from_str(text).unwrap();
    assert_eq!(shuffled, serde_json::from_value(in_order).unwrap());
    let repeated = r#"{"domain": "LOCAL", "auth_id": "500", "uid": 1, "domain": "LOCAL"}"#;
    let error = serde_json::from_str::<ApiIdentity>(repeated).unwrap_err();
    assert!(
        error.to_string().contains("duplicate field `domain`"),
        "{error}"
    );
}

#[test]
fn a_required_member_that_is_missing_is_refused() {
    use qumulo_models::query::AnalyticsListCapacityHistoryQuery;
    let query: AnalyticsListCapacityHistoryQuery =
        serde_json::from_value(json!({"interval": "daily", "begin-time": "0"})).unwrap();
    assert_eq!(query.begin_time, "0");
    assert_eq!(query.interval.as_deref(), Some("daily"));
    assert_eq!(query.end_time, None);
    let error =
        serde_json::from_value::<AnalyticsListCapacityHistoryQuery>(json!({"interval": "daily"}))
            .unwrap_err();
    assert!(
        error.to_string().contains("missing field `begin-time`"),
        "{error}"
    );
}
