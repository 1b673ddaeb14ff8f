//! Reading the compiled template that crosses the host boundary, keeping
//! only what the passes read.
//!
//! A compiled template is mostly resources no pass looks inside: functions,
//! log groups, API Gateway paths, alarms, dashboards. Building each of them
//! as a tree of `Value`s, only to drop it, was most of a pass's cost. The
//! reader scans the text once; it builds in full only the resources whose
//! `Properties` a pass reads ([`reads_properties`]), and the others as a stub
//! that keeps their logical ID (in order) and their `Type`. Every other
//! top-level key is built in full.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// Decides from a resource's logical ID and `Type` whether to build it in full.
pub(crate) type Keep<'k> = &'k dyn Fn(&str, Option<&str>) -> bool;

/// The template as a pass sees it: `Resources` reduced to what it reads
/// (`keep` says which to build in full), `Outputs` to their logical IDs (only
/// counted), everything else as written.
pub(crate) fn read_template(text: &str, keep: Keep<'_>) -> serde_json::Result<Value> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = AnyOr(TemplateSeed { keep }).deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

/// Whether the canary pass may read more than the `Type` of a resource: the
/// execution role, the resources it moves onto an alias (versions,
/// permissions and event sources, see `canary::rewire`), the aliases (the
/// Framework's `provisioned` alias) and the sources it reports as unmovable.
///
/// The Framework's aliases (`provisioned`, `snapstart`) can be named by any
/// resource, so a template that has one is read in full
/// ([`has_provisioned_alias`]).
pub(crate) fn reads_properties(id: &str, kind: Option<&str>) -> bool {
    id == crate::naming::EXECUTION_ROLE_LOGICAL_ID
        || kind.is_some_and(|kind| {
            matches!(
                kind,
                "AWS::Lambda::Version"
                    | "AWS::Lambda::Permission"
                    | "AWS::Lambda::Alias"
                    | "AWS::CloudFront::Distribution"
                    | "Custom::S3"
                    | "Custom::CognitoUserPool"
                    | "Custom::EventBridge"
            ) || crate::canary::SOURCE_KINDS.contains(&kind)
        })
}

/// Whether a template read by [`reads_properties`] has one of the Framework's
/// aliases (`<Name>ProvConcLambdaAlias`, `<Name>SnapStartLambdaAlias`), which
/// the canary pass replaces everywhere it is named.
pub(crate) fn has_provisioned_alias(template: &Value) -> bool {
    template.get("Resources").and_then(Value::as_object).is_some_and(|resources| {
        resources.iter().any(|(id, resource)| {
            crate::canary::FRAMEWORK_ALIASES.iter().any(|(suffix, _)| id.ends_with(suffix))
                && resource.get("Type").and_then(Value::as_str) == Some("AWS::Lambda::Alias")
        })
    })
}

/// Builds every resource in full.
pub(crate) fn reads_everything(_id: &str, _kind: Option<&str>) -> bool {
    true
}

/// Whether `resource` may be a stub: an object with `Type` alone. (A
/// resource written that way reads the same either way.)
pub(crate) fn is_stub(resource: &Value) -> bool {
    resource.as_object().is_some_and(|r| r.len() <= 1 && r.keys().all(|k| k == "Type"))
}

/// Whether the canary checks (`canary::check`) read more than the `Type` of a
/// resource: they look up each function's version.
pub(crate) fn check_reads_properties(_id: &str, kind: Option<&str>) -> bool {
    kind == Some("AWS::Lambda::Version")
}

/// What a resource keeps when no pass reads its properties.
pub(crate) fn stub(resource: &Value) -> Value {
    let mut stub = Map::new();
    if let Some(kind) = resource.get("Type") {
        stub.insert("Type".into(), kind.clone());
    }
    Value::Object(stub)
}

/// `resource` as a pass needs it: itself when `keep` says it reads its
/// properties, else its stub.
pub(crate) fn reduced(id: &str, resource: &Value, keep: Keep<'_>) -> Value {
    if keep(id, resource.get("Type").and_then(Value::as_str)) { resource.clone() } else { stub(resource) }
}

struct TemplateSeed<'k> {
    keep: Keep<'k>,
}

impl<'de> ObjectVisitor<'de> for TemplateSeed<'_> {
    type Output = Value;

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut template = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = if key == "Resources" {
                map.next_value_seed(AnyOr(ResourcesSeed { keep: self.keep }))?
            } else if key == "Outputs" {
                map.next_value_seed(AnyOr(Counted))?
            } else {
                map.next_value::<Value>()?
            };
            template.insert(key, value);
        }
        Ok(Value::Object(template))
    }

    fn other(value: Value) -> Value {
        value
    }
}

struct ResourcesSeed<'k> {
    keep: Keep<'k>,
}

impl<'de> ObjectVisitor<'de> for ResourcesSeed<'_> {
    type Output = Value;

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut resources = Map::new();
        while let Some(id) = map.next_key::<String>()? {
            let resource = match map.next_value::<Lazy<'de>>()? {
                Lazy::Object(fields) => self.resource(&id, fields).map_err(de::Error::custom)?,
                Lazy::Other(value) => value,
            };
            resources.insert(id, resource);
        }
        Ok(Value::Object(resources))
    }

    fn other(value: Value) -> Value {
        value
    }
}

impl ResourcesSeed<'_> {
    /// Builds a scanned resource in full, or its stub.
    fn resource(&self, id: &str, fields: Vec<(Cow<'_, str>, &RawValue)>) -> serde_json::Result<Value> {
        // The last of repeated keys wins, as in `JSON.parse`.
        let kind = fields.iter().rev().find(|(key, _)| *key == "Type").map(|(_, raw)| raw.get());
        let kind: Option<Value> = kind.map(serde_json::from_str).transpose()?;
        let mut resource = Map::new();
        if (self.keep)(id, kind.as_ref().and_then(Value::as_str)) {
            for (key, raw) in fields {
                resource.insert(key.into_owned(), serde_json::from_str(raw.get())?);
            }
        } else if let Some(kind) = kind {
            resource.insert("Type".into(), kind);
        }
        Ok(Value::Object(resource))
    }
}

/// An object whose entries are only counted: each value reads as `{}`.
struct Counted;

impl<'de> ObjectVisitor<'de> for Counted {
    type Output = Value;

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            map.next_value::<de::IgnoredAny>()?;
            entries.insert(key, Value::Object(Map::new()));
        }
        Ok(Value::Object(entries))
    }

    fn other(value: Value) -> Value {
        value
    }
}

/// A resource as scanned: an object's fields left as unparsed text, or any
/// other value built in full.
enum Lazy<'de> {
    Object(Vec<(Cow<'de, str>, &'de RawValue)>),
    Other(Value),
}

impl<'de> de::Deserialize<'de> for Lazy<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AnyOr(Fields))
    }
}

/// Scans an object's fields without building them.
struct Fields;

impl<'de> ObjectVisitor<'de> for Fields {
    type Output = Lazy<'de>;

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Lazy<'de>, A::Error> {
        let mut fields = Vec::new();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            fields.push((key, map.next_value::<&'de RawValue>()?));
        }
        Ok(Lazy::Object(fields))
    }

    fn other(value: Value) -> Lazy<'de> {
        Lazy::Other(value)
    }
}

/// An object key, borrowed from the text unless it has escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Visits an object its own way; any other JSON value is built as a `Value`.
trait ObjectVisitor<'de>: Sized {
    type Output;
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Output, A::Error>;
    fn other(value: Value) -> Self::Output;
}

/// The [`Visitor`] of an [`ObjectVisitor`], and the seed that reads any JSON
/// value with it.
struct AnyOr<V>(V);

impl<'de, V: ObjectVisitor<'de>> DeserializeSeed<'de> for AnyOr<V> {
    type Value = V::Output;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Output, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, V: ObjectVisitor<'de>> Visitor<'de> for AnyOr<V> {
    type Value = V::Output;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Output, A::Error> {
        self.0.visit_map(map)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<V::Output, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Value>()? {
            items.push(item);
        }
        Ok(V::other(Value::Array(items)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Output, E> {
        Ok(V::other(Value::Null))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V::Output, E> {
        Ok(V::other(Value::Bool(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<V::Output, E> {
        Ok(V::other(Value::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<V::Output, E> {
        Ok(V::other(Value::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<V::Output, E> {
        Ok(V::other(Value::from(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Output, E> {
        Ok(V::other(Value::String(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Output, E> {
        Ok(V::other(Value::String(v)))
    }
}
