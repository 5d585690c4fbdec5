//! The second label of a finding: where in wfgen.yaml the expected value
//! comes from. Only exact answers are given:
//! - a pin set in the spec's `pins:` (pin-drift);
//! - the spec section that produces a workflow file (missing-workflow);
//! - a string that the spec sets and that the rendered workflow carries
//!   verbatim (a gate's `run`, a runner label, an image name, a package
//!   path, ...), or a line of a multi-line spec string (a gate's script):
//!   only when exactly one place in the spec holds that value, so that the
//!   label never guesses between two.

use std::collections::HashMap;

use yaml_serde::Value;

use super::{Span, SpecLabel};
use crate::plan::pins::Pins;
use crate::spec::LoadedSpec;
use crate::ypath::{Part, YPath};

/// Every string leaf of the spec, for the value search.
pub struct SpecIndex<'a> {
    spec: &'a LoadedSpec,
    leaves: Vec<(YPath, String)>,
    by_value: HashMap<String, Vec<usize>>,
    pins: Pins,
}

impl<'a> SpecIndex<'a> {
    pub fn new(spec: &'a LoadedSpec) -> Self {
        let mut leaves = Vec::new();
        if let Ok(v) = yaml_serde::from_str::<Value>(&spec.text) {
            collect(&v, &YPath::root(), &mut leaves);
        }
        let mut by_value: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, (_, s)) in leaves.iter().enumerate() {
            by_value.entry(s.clone()).or_default().push(i);
        }
        SpecIndex {
            spec,
            leaves,
            by_value,
            pins: crate::plan::pins::resolve(&spec.spec),
        }
    }

    /// The pins in force: built-in, overridden by the spec's.
    pub fn pins(&self) -> &Pins {
        &self.pins
    }

    /// The spec's name relative to the repository root.
    pub fn spec_name(&self) -> &str {
        &self.spec.name
    }

    fn label(&self, path: &YPath, part: Part, text: String) -> Option<SpecLabel> {
        let (s, e) = self.spec.located.exact_span(path, part)?;
        Some(SpecLabel {
            file: self.spec.name.clone(),
            ypath: path.clone(),
            span: Span::new(&self.spec.text, s, e),
            text,
        })
    }

    /// The one place in the spec that sets exactly `value`, if there is one.
    pub fn for_value(&self, value: &str) -> Option<SpecLabel> {
        if !distinctive(value) {
            return None;
        }
        match self.by_value.get(value).map(Vec::as_slice) {
            Some([i]) => {
                let (path, _) = &self.leaves[*i];
                self.label(path, Part::Value, format!("{} sets this value", self.spec.name))
            }
            _ => None,
        }
    }

    /// The one place in the spec that holds `line` of a script: a string
    /// equal to the line, or one line of a multi-line string (then the label
    /// points at that line inside a `|` block).
    pub fn for_script_line(&self, line: &str) -> Option<SpecLabel> {
        let line = line.trim();
        if !distinctive(line) {
            return None;
        }
        if let Some(l) = self.for_value(line) {
            return Some(l);
        }
        let mut hits = self.leaves.iter().filter_map(|(path, s)| {
            if !s.contains('\n') {
                return None;
            }
            let mut idx = s.lines().enumerate().filter(|(_, l)| l.trim() == line).map(|(i, _)| i);
            match (idx.next(), idx.next()) {
                (Some(i), None) => Some((path, i)),
                _ => None,
            }
        });
        let (path, i) = match (hits.next(), hits.next()) {
            (Some(h), None) => h,
            _ => return None,
        };
        let (s, e) = self.spec.located.exact_span(path, Part::Value)?;
        let text = &self.spec.text;
        let span = match super::text::block_line_span(text, (s, e), i) {
            Some(sp) => sp,
            None => Span::new(text, s, e),
        };
        Some(SpecLabel {
            file: self.spec.name.clone(),
            ypath: path.clone(),
            span,
            text: format!("{} sets this line", self.spec.name),
        })
    }

    /// The spec's own pin of `action`, if `pins:` sets one.
    pub fn for_pin(&self, action: &str) -> Option<SpecLabel> {
        let p = self.spec.spec.pins.get(action)?;
        let path = YPath::root().key("pins").key(action);
        self.label(
            &path,
            Part::Entry,
            format!("{} pins {action} to {} here", self.spec.name, p.version),
        )
    }

    /// The spec section that produces the workflow `file`
    /// (`.github/workflows/x.yml`).
    pub fn for_file(&self, file: &str) -> Option<SpecLabel> {
        let name = file.rsplit('/').next().unwrap_or(file);
        let spec = &self.spec.spec;
        let (path, what) = match name {
            "build-assets.yml" if !spec.binaries.is_empty() => (YPath::root().key("binaries"), "binaries"),
            "docker.yml" if !spec.docker.is_empty() => (YPath::root().key("docker"), "docker images"),
            "helm-publish.yml" if !spec.helm.is_empty() => (YPath::root().key("helm"), "helm charts"),
            "release.yml" => (YPath::root().key("release"), "the release"),
            _ => {
                let stem = name.strip_suffix(".yml")?;
                let i = spec
                    .python
                    .iter()
                    .position(|p| p.workflow.clone().unwrap_or_else(|| format!("release-{}", p.name)) == stem)?;
                let base = YPath::root().key("python").index(i);
                let path = if spec.python[i].workflow.is_some() {
                    base.key("workflow")
                } else {
                    base.key("name")
                };
                return self.label(&path, Part::Entry, format!("{} asks for {name} here", self.spec.name));
            }
        };
        self.label(&path, Part::Key, format!("{what} in {} produce {name}", self.spec.name))
    }
}

/// A value specific enough that finding it in the spec says where it comes
/// from: not a boolean, number or one- or two-character word.
fn distinctive(v: &str) -> bool {
    v.chars().count() >= 3
        && v.parse::<f64>().is_err()
        && !matches!(v, "true" | "false" | "null" | "yes" | "no" | "on" | "off")
}

fn collect(v: &Value, path: &YPath, out: &mut Vec<(YPath, String)>) {
    match v {
        Value::String(s) => out.push((path.clone(), s.clone())),
        Value::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                collect(item, &path.index(i), out);
            }
        }
        Value::Mapping(m) => {
            for (k, item) in m {
                if let Value::String(k) = k {
                    collect(item, &path.key(k.as_str()), out);
                }
            }
        }
        Value::Tagged(t) => collect(&t.value, path, out),
        _ => {}
    }
}
