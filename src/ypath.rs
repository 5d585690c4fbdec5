//! Paths into YAML documents (`jobs.build.steps[2].run`) and their exact
//! spans in the source text, through `yamlpath`.
//!
//! Used by spec validation (every error points at the line in wfgen.yaml) and
//! by the drift check (every finding points at the node on disk).

use std::fmt;

/// One step of a path: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A path from the document root to a node.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct YPath(pub Vec<Seg>);

impl YPath {
    pub fn root() -> Self {
        YPath(Vec::new())
    }
    pub fn key(&self, k: impl Into<String>) -> Self {
        let mut v = self.0.clone();
        v.push(Seg::Key(k.into()));
        YPath(v)
    }
    pub fn index(&self, i: usize) -> Self {
        let mut v = self.0.clone();
        v.push(Seg::Index(i));
        YPath(v)
    }
    pub fn parent(&self) -> Option<Self> {
        if self.0.is_empty() {
            None
        } else {
            Some(YPath(self.0[..self.0.len() - 1].to_vec()))
        }
    }
    pub fn last_key(&self) -> Option<&str> {
        match self.0.last() {
            Some(Seg::Key(k)) => Some(k),
            _ => None,
        }
    }
    fn route(&self) -> yamlpath::Route<'_> {
        yamlpath::Route::from(
            self.0
                .iter()
                .map(|s| match s {
                    Seg::Key(k) => yamlpath::Component::Key(k.as_str().into()),
                    Seg::Index(i) => yamlpath::Component::Index(*i),
                })
                .collect::<Vec<_>>(),
        )
    }
}

/// Builds a path from literal segments: `ypath!["binaries", 0, "targets"]`.
#[macro_export]
macro_rules! ypath {
    ($($seg:expr),* $(,)?) => {{
        #[allow(unused_mut)]
        let mut p = $crate::ypath::YPath::root();
        $( p = $crate::ypath::IntoSeg::push_onto($seg, p); )*
        p
    }};
}

/// Helper trait of [`ypath!`].
pub trait IntoSeg {
    fn push_onto(self, p: YPath) -> YPath;
}
impl IntoSeg for &str {
    fn push_onto(self, p: YPath) -> YPath {
        p.key(self)
    }
}
impl IntoSeg for String {
    fn push_onto(self, p: YPath) -> YPath {
        p.key(self)
    }
}
impl IntoSeg for &String {
    fn push_onto(self, p: YPath) -> YPath {
        p.key(self.as_str())
    }
}
impl IntoSeg for usize {
    fn push_onto(self, p: YPath) -> YPath {
        p.index(self)
    }
}

impl fmt::Display for YPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(document)");
        }
        let mut first = true;
        for s in &self.0 {
            match s {
                Seg::Key(k) => {
                    if !first {
                        f.write_str(".")?;
                    }
                    if k.is_empty() || k.contains(['.', '[', ']', ' ']) {
                        write!(f, "{k:?}")?;
                    } else {
                        f.write_str(k)?;
                    }
                }
                Seg::Index(i) => write!(f, "[{i}]")?,
            }
            first = false;
        }
        Ok(())
    }
}

/// What part of a mapping entry a span should cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The key alone (for unknown or missing keys).
    Key,
    /// The value alone (for wrong values).
    Value,
    /// `key: value`.
    Entry,
}

/// A parsed YAML document that answers "where is this path?".
pub struct Located {
    doc: Option<yamlpath::Document>,
    text: String,
    /// Bytes of `text` before what the span index parsed (a leading BOM).
    shift: usize,
}

impl std::fmt::Debug for Located {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Located").field("len", &self.text.len()).finish()
    }
}

/// The text the span index parses: without a leading byte order mark, and
/// with every other U+FEFF (a zero-width no-break space in a value) replaced
/// by a private-use character of the same length in bytes and characters,
/// which tree-sitter's YAML grammar reads as an ordinary character (it
/// fails on U+FEFF, and then every span would be lost). Offsets into it plus
/// the returned shift are offsets into `text`.
fn index_text(text: &str) -> (String, usize) {
    let (body, shift) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, '\u{feff}'.len_utf8()),
        None => (text, 0),
    };
    (body.replace('\u{feff}', "\u{e000}"), shift)
}

impl Located {
    pub fn new(text: &str) -> Self {
        let (indexed, shift) = index_text(text);
        Located {
            // The span index (tree-sitter) aborts the process on some inputs
            // (too deep): it only sees texts that pass the prescan.
            doc: match crate::limits::prescan(&indexed) {
                Ok(()) => yamlpath::Document::new(&indexed).ok(),
                Err(_) => None,
            },
            text: text.to_string(),
            shift,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Byte span `(start, end)` of the node at `path`. When the path does not
    /// exist, the span of its nearest existing ancestor (so a missing key
    /// points at the mapping that lacks it). `None` only when not even the
    /// document parses.
    pub fn span(&self, path: &YPath, part: Part) -> Option<(usize, usize)> {
        let doc = self.doc.as_ref()?;
        let mut p = path.clone();
        let mut part = part;
        loop {
            if let Some((s, e)) = Self::query(doc, &p, part) {
                return Some((s + self.shift, e + self.shift));
            }
            p = p.parent()?;
            part = Part::Key;
        }
    }

    /// Like [`Located::span`], but only for the exact path.
    pub fn exact_span(&self, path: &YPath, part: Part) -> Option<(usize, usize)> {
        Self::query(self.doc.as_ref()?, path, part).map(|(s, e)| (s + self.shift, e + self.shift))
    }

    fn query(doc: &yamlpath::Document, path: &YPath, part: Part) -> Option<(usize, usize)> {
        if path.0.is_empty() {
            return doc.top_feature().ok().map(|f| f.location.byte_span);
        }
        let route = path.route();
        let key_last = matches!(path.0.last(), Some(Seg::Key(_)));
        let f = match part {
            Part::Key if key_last => doc.query_key_only(&route).ok()?,
            Part::Entry => doc.query_pretty(&route).ok()?,
            _ => match doc.query_exact(&route).ok()? {
                Some(f) => f,
                // `key:` with no value: point at the key.
                None if key_last => doc.query_key_only(&route).ok()?,
                None => return None,
            },
        };
        Some(f.location.byte_span)
    }

    /// 1-based (line, column) of a byte offset; columns count characters.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col(&self.text, offset)
    }
}

/// 1-based (line, column) of a byte offset in `text`; columns count characters.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "a:\n  b: [x, y]\n  c:\n    - d: 1\n      e: two\n";

    #[test]
    fn spans_point_at_nodes() {
        let l = Located::new(DOC);
        let (s, e) = l.span(&crate::ypath!["a", "c", 0, "e"], Part::Value).unwrap();
        assert_eq!(&DOC[s..e], "two");
        assert_eq!(l.line_col(s), (5, 10));
        let (s, e) = l.span(&crate::ypath!["a", "c", 0, "e"], Part::Key).unwrap();
        assert_eq!(&DOC[s..e], "e");
        let (s, e) = l.span(&crate::ypath!["a", "b", 1], Part::Value).unwrap();
        assert_eq!(&DOC[s..e], "y");
    }

    #[test]
    fn missing_path_falls_back_to_ancestor() {
        let l = Located::new(DOC);
        let (s, e) = l.span(&crate::ypath!["a", "zzz"], Part::Value).unwrap();
        assert_eq!(&DOC[s..e], "a");
    }

    #[test]
    fn display() {
        assert_eq!(
            crate::ypath!["jobs", "build", "steps", 2, "run"].to_string(),
            "jobs.build.steps[2].run"
        );
    }
}
