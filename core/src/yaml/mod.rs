//! serverless.yml text → the JSON value the Serverless Framework would see,
//! plus where each key and value was written.
//!
//! The Framework reads serverless.yml with js-yaml 4 and the CloudFormation
//! tags of `@serverless/utils/cloudformation-schema`. This module follows
//! that: YAML 1.2 core scalars plus timestamps (`yes` stays a string), the
//! seventeen short intrinsic tags (`!Ref`, `!GetAtt a.b`, `!Sub`, …), merge
//! keys (`<<`), no duplicate keys, one document, and nesting up to 100 deep.
//! Anchors and aliases are expanded, within a budget, so that an alias bomb
//! is refused instead of filling memory.
//!
//! The tokenizer is `saphyr-parser`; no saphyr type leaves this module.

mod emit;
mod scalar;

pub use emit::to_yaml;

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};
use serde_json::{Map, Value};

use crate::diagnostic::{self, Diagnostic, Location};

/// Bounds on what a document may cost to load.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Limits {
    /// Largest accepted input, in bytes.
    pub max_bytes: usize,
    /// Deepest nesting of mappings and sequences (js-yaml's `maxDepth`).
    pub max_depth: usize,
    /// Most nodes that aliases may copy in, in all.
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_bytes: 4 << 20, max_depth: 100, max_alias_nodes: 100_000 }
    }
}

/// A loaded document: the value, and where each path was written.
#[derive(Debug, Default)]
pub struct Source {
    /// The document as JSON.
    pub value: Value,
    spots: HashMap<String, Spot>,
}

#[derive(Debug, Clone, Copy)]
struct Spot {
    key: Option<Location>,
    value: Location,
}

impl Source {
    /// Where the value at `path` (e.g. `functions.hello.events[0]`) starts.
    pub fn value_location(&self, path: &str) -> Option<Location> {
        self.spots.get(path).map(|spot| spot.value)
    }

    /// Where the key of `path` is written (for an item of a list, where the
    /// item starts).
    pub fn key_location(&self, path: &str) -> Option<Location> {
        self.spots.get(path).map(|spot| spot.key.unwrap_or(spot.value))
    }

    /// The nearest location for `path` or, failing that, for its closest
    /// ancestor that was written.
    pub fn nearest_location(&self, mut path: &str) -> Option<Location> {
        loop {
            if let Some(location) = self.key_location(path) {
                return Some(location);
            }
            let cut = path.rfind(['.', '['])?;
            path = &path[..cut];
        }
    }
}

/// Loads serverless.yml text with the default [`Limits`].
pub fn load(text: &str) -> Result<Source, Diagnostic> {
    load_with(text, Limits::default())
}

/// Loads serverless.yml text within `limits`.
pub fn load_with(text: &str, limits: Limits) -> Result<Source, Diagnostic> {
    if text.len() > limits.max_bytes {
        return Err(diagnostic::yaml_too_large(text.len(), limits.max_bytes));
    }
    let mut builder = Builder { limits, ..Builder::default() };
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| {
            let at = within(text, location(e.marker().line(), e.marker().col()));
            // The tokenizer bounds flow nesting itself, a little deeper than js-yaml.
            match e.info() {
                "recursion limit exceeded" => diagnostic::yaml_too_deep(limits.max_depth).at(at),
                info => diagnostic::yaml_syntax(info).at(at),
            }
        })?;
        builder.event(event, span)?;
    }
    Ok(Source { value: builder.root.unwrap_or(Value::Null), spots: builder.spots })
}

/// `at`, or the end of the text when the tokenizer points past it (it does
/// for a flow collection left open at the end of the stream): a location is
/// always a place an editor can show.
fn within(text: &str, at: Location) -> Location {
    let end = end_of(text);
    if at.line <= end.line { at } else { end }
}

/// Where the text ends. Lines break as YAML (and editors) break them: at
/// `\r\n`, `\r` or `\n`.
pub fn end_of(text: &str) -> Location {
    let mut line = 1;
    let mut last_line_start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                i += 2;
            }
            b'\r' | b'\n' => i += 1,
            _ => {
                i += 1;
                continue;
            }
        }
        line += 1;
        last_line_start = i;
    }
    Location { line, column: text[last_line_start..].chars().count() + 1 }
}

fn location(line: usize, col: usize) -> Location {
    Location { line, column: col + 1 }
}

fn start(span: Span) -> Location {
    location(span.start.line(), span.start.col())
}

/// A mapping or sequence being built.
struct Frame {
    kind: Kind,
    path: String,
    anchor: usize,
    tag: Option<Tag>,
    start: Location,
    /// Nodes in this subtree, for the alias budget.
    nodes: usize,
}

enum Kind {
    Map {
        map: Map<String, Value>,
        /// Keys that came from `<<` and may still be overridden.
        merged: Vec<String>,
        /// The key whose value comes next.
        key: Option<Key>,
    },
    Seq(Vec<Value>),
}

struct Key {
    text: String,
    merge: bool,
}

#[derive(Default)]
struct Builder {
    limits: Limits,
    stack: Vec<Frame>,
    root: Option<Value>,
    documents: usize,
    anchors: HashMap<usize, (Value, usize)>,
    aliased_nodes: usize,
    spots: HashMap<String, Spot>,
}

impl Builder {
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), Diagnostic> {
        let at = start(span);
        let event_kind = match event {
            Event::MappingStart(..) => Some(true),
            Event::SequenceStart(..) => Some(false),
            _ => None,
        };
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(diagnostic::yaml_multiple_documents().at(at));
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                // js-yaml counts a scalar inside the deepest collection as a level too.
                if self.stack.len() >= self.limits.max_depth {
                    return Err(diagnostic::yaml_too_deep(self.limits.max_depth).at(at));
                }
                let (value, key_text) = scalar_value(&text, style, tag.as_deref(), at)?;
                if self.expecting_key() {
                    let merge = style == ScalarStyle::Plain && tag.is_none() && text == "<<";
                    return self.key(key_text, merge, at);
                }
                let path = self.child_path();
                self.record(&path, at);
                if anchor > 0 {
                    self.anchors.insert(anchor, (value.clone(), 1));
                }
                self.attach(value, 1, at)?;
            }
            Event::Alias(anchor) => {
                let (value, nodes) = self.anchors.get(&anchor).cloned().unwrap_or((Value::Null, 1));
                self.aliased_nodes += nodes;
                if self.aliased_nodes > self.limits.max_alias_nodes {
                    return Err(diagnostic::yaml_alias_budget(self.limits.max_alias_nodes).at(at));
                }
                if self.expecting_key() {
                    return Err(diagnostic::yaml_complex_key().at(at));
                }
                let path = self.child_path();
                self.record(&path, at);
                self.attach(value, nodes, at)?;
            }
            Event::MappingStart(anchor, tag) | Event::SequenceStart(anchor, tag) => {
                let is_map = matches!(event_kind, Some(true));
                if self.expecting_key() {
                    return Err(diagnostic::yaml_complex_key().at(at));
                }
                if self.stack.len() >= self.limits.max_depth {
                    return Err(diagnostic::yaml_too_deep(self.limits.max_depth).at(at));
                }
                let path = self.child_path();
                self.record(&path, at);
                let kind = if is_map {
                    Kind::Map { map: Map::new(), merged: Vec::new(), key: None }
                } else {
                    Kind::Seq(Vec::new())
                };
                self.stack.push(Frame { kind, path, anchor, tag: tag.map(|t| t.into_owned()), start: at, nodes: 1 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let Some(frame) = self.stack.pop() else { return Ok(()) };
                let value = match frame.kind {
                    Kind::Map { map, .. } => Value::Object(map),
                    Kind::Seq(items) => Value::Array(items),
                };
                let value = tagged(value, frame.tag.as_ref(), frame.start)?;
                if frame.anchor > 0 {
                    self.anchors.insert(frame.anchor, (value.clone(), frame.nodes));
                }
                self.attach(value, frame.nodes, frame.start)?;
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
        Ok(())
    }

    fn expecting_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame { kind: Kind::Map { key: None, .. }, .. }))
    }

    /// The path of the node that starts next.
    fn child_path(&self) -> String {
        match self.stack.last() {
            None => String::new(),
            Some(Frame { kind: Kind::Seq(items), path, .. }) => format!("{path}[{}]", items.len()),
            Some(Frame { kind: Kind::Map { key, .. }, path, .. }) => {
                let key = key.as_ref().map(|k| k.text.as_str()).unwrap_or_default();
                if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") }
            }
        }
    }

    fn record(&mut self, path: &str, at: Location) {
        self.spots.entry(path.to_owned()).and_modify(|spot| spot.value = at).or_insert(Spot { key: None, value: at });
    }

    fn key(&mut self, text: String, merge: bool, at: Location) -> Result<(), Diagnostic> {
        let Some(Frame { kind: Kind::Map { map, merged, key }, path, .. }) = self.stack.last_mut() else {
            return Ok(());
        };
        if !merge && map.contains_key(&text) && !merged.contains(&text) {
            return Err(diagnostic::yaml_duplicate_key(&text).at(at));
        }
        let child = if path.is_empty() { text.clone() } else { format!("{path}.{text}") };
        *key = Some(Key { text, merge });
        self.spots.insert(child, Spot { key: Some(at), value: at });
        Ok(())
    }

    /// Puts a finished node into its parent, or makes it the document.
    fn attach(&mut self, value: Value, nodes: usize, at: Location) -> Result<(), Diagnostic> {
        let Some(parent) = self.stack.last_mut() else {
            self.root = Some(value);
            return Ok(());
        };
        parent.nodes += nodes;
        match &mut parent.kind {
            Kind::Seq(items) => items.push(value),
            Kind::Map { map, merged, key } => {
                let Some(Key { text, merge }) = key.take() else { return Ok(()) };
                if merge {
                    merge_into(map, merged, value, at)?;
                } else {
                    merged.retain(|k| *k != text);
                    map.insert(text, value);
                }
            }
        }
        Ok(())
    }
}

/// `<<: *base` or `<<: [*a, *b]`: keys of the merged mappings that the
/// mapping does not have yet, in order; later explicit keys override them.
fn merge_into(
    map: &mut Map<String, Value>,
    merged: &mut Vec<String>,
    source: Value,
    at: Location,
) -> Result<(), Diagnostic> {
    let sources = match source {
        Value::Object(one) => vec![one],
        Value::Array(many) => many
            .into_iter()
            .map(|v| match v {
                Value::Object(m) => Ok(m),
                _ => Err(()),
            })
            .collect::<Result<_, _>>()
            .map_err(|()| diagnostic::yaml_bad_merge().at(at))?,
        _ => return Err(diagnostic::yaml_bad_merge().at(at)),
    };
    for source in sources {
        for (key, value) in source {
            if !map.contains_key(&key) {
                merged.push(key.clone());
                map.insert(key, value);
            }
        }
    }
    Ok(())
}

/// The short intrinsic-function tags of the Framework's CloudFormation schema.
const INTRINSICS: [&str; 17] = [
    "And",
    "Base64",
    "Cidr",
    "Condition",
    "Equals",
    "FindInMap",
    "GetAtt",
    "GetAZs",
    "If",
    "ImportValue",
    "Join",
    "Not",
    "Or",
    "Ref",
    "Select",
    "Split",
    "Sub",
];

/// The value of a scalar, and its text as a mapping key.
fn scalar_value(
    text: &str,
    style: ScalarStyle,
    tag: Option<&Tag>,
    at: Location,
) -> Result<(Value, String), Diagnostic> {
    let value = match tag {
        None if style == ScalarStyle::Plain => scalar::resolve_plain(text),
        None => Value::String(text.to_owned()),
        Some(tag) => match core_tag(tag) {
            Some("str") => Value::String(text.to_owned()),
            Some("null") => Value::Null,
            Some("bool") => match text {
                "true" | "True" | "TRUE" => Value::Bool(true),
                "false" | "False" | "FALSE" => Value::Bool(false),
                _ => return Err(diagnostic::yaml_bad_tagged_scalar("!!bool", text).at(at)),
            },
            Some("int") => {
                scalar::integer(text).ok_or_else(|| diagnostic::yaml_bad_tagged_scalar("!!int", text).at(at))?
            }
            Some("float") => match scalar::resolve_plain(text) {
                number @ Value::Number(_) => number,
                _ => return Err(diagnostic::yaml_bad_tagged_scalar("!!float", text).at(at)),
            },
            _ => return tagged(Value::String(text.to_owned()), Some(tag), at).map(|v| (v, text.to_owned())),
        },
    };
    let key = match &value {
        Value::String(s) => s.clone(),
        Value::Number(n) => crate::js::to_js_string(Some(&Value::Number(n.clone()))),
        other => crate::js::to_js_string(Some(other)),
    };
    Ok((value, key))
}

/// The suffix of a `!!` tag (`tag:yaml.org,2002:`).
fn core_tag(tag: &Tag) -> Option<&str> {
    (tag.handle == "tag:yaml.org,2002:").then_some(tag.suffix.as_str())
}

/// Applies an explicit tag to a node: an intrinsic function, or a core tag
/// that agrees with the node's kind.
fn tagged(value: Value, tag: Option<&Tag>, at: Location) -> Result<Value, Diagnostic> {
    let Some(tag) = tag else { return Ok(value) };
    if let Some(core) = core_tag(tag) {
        return match (core, &value) {
            ("map", Value::Object(_)) | ("seq", Value::Array(_)) | ("str", Value::String(_)) => Ok(value),
            _ => Err(diagnostic::yaml_unknown_tag(&format!("!!{core}")).at(at)),
        };
    }
    let name = tag.suffix.as_str();
    if tag.handle != "!" || !INTRINSICS.contains(&name) {
        return Err(diagnostic::yaml_unknown_tag(&format!("{}{}", tag.handle, tag.suffix)).at(at));
    }
    let function = if matches!(name, "Ref" | "Condition") { name.to_owned() } else { format!("Fn::{name}") };
    let argument = match (name, value) {
        ("GetAtt", Value::String(dotted)) => {
            let (resource, attribute) = dotted.split_once('.').unwrap_or((&dotted, ""));
            Value::Array(vec![Value::String(resource.to_owned()), Value::String(attribute.to_owned())])
        }
        (_, value) => value,
    };
    let mut call = Map::new();
    call.insert(function, argument);
    Ok(Value::Object(call))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_past_the_size_limit_is_refused_before_parsing() {
        let limits = Limits { max_bytes: 16, ..Limits::default() };
        let error = load_with("service: a-service-name-longer-than-sixteen-bytes\n", limits).err();
        assert_eq!(error.map(|d| d.code), Some("yaml/too-large"));
        assert!(load_with("service: short\n", limits).is_ok());
    }
}
