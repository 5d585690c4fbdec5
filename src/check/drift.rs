//! content-drift: the rendered and the on-disk YAML trees walked in
//! parallel. Mapping key order and formatting do not matter; values and
//! sequence order do. Each difference is one finding at the node on disk.

use std::collections::HashMap;

use yaml_serde::Value;

use super::speclabel::SpecIndex;
use super::walk::FileWalk;
use super::{Finding, Rule, SpecLabel, compact, short};
use crate::ypath::{Part, YPath};

/// Compares `expected` (rendered) with `found` (on disk) and adds a finding
/// per difference.
pub fn compare(
    file: &str,
    expected: &Value,
    found: &Value,
    disk_text: &str,
    labels: &SpecIndex,
    out: &mut Vec<Finding>,
) {
    if expected == found {
        return;
    }
    let mut ctx = FileWalk::new(file, disk_text, labels, out);
    walk(&mut ctx, &YPath::root(), expected, found);
    ctx.finish();
}

const HELP_EDIT: &str = "the workflows are generated: change the spec and run `wfgen generate`, \
                         or run `wfgen generate` to undo this edit";

fn walk(ctx: &mut FileWalk, path: &YPath, exp: &Value, got: &Value) {
    if exp == got {
        return;
    }
    match (exp, got) {
        (Value::Mapping(e), Value::Mapping(g)) => mappings(ctx, path, e, g),
        (Value::Sequence(e), Value::Sequence(g)) => sequences(ctx, path, e, g),
        (Value::String(e), Value::String(g)) if e.contains('\n') || g.contains('\n') => {
            super::script::compare(ctx, path, e, g)
        }
        (Value::String(e), Value::String(g)) if path.last_key() == Some("uses") => {
            super::pindrift::compare_uses(ctx, path, e, g)
        }
        _ => scalar(ctx, path, exp, got),
    }
}

/// A mapping key as a path segment.
pub fn key_text(k: &Value) -> String {
    match k {
        Value::String(s) => s.clone(),
        other => compact(other),
    }
}

fn spec_label_for(ctx: &FileWalk, v: &Value) -> Option<SpecLabel> {
    match v {
        Value::String(s) => ctx.labels.for_value(s),
        _ => None,
    }
}

fn scalar(ctx: &mut FileWalk, path: &YPath, exp: &Value, got: &Value) {
    let (e, g) = (compact(exp), compact(got));
    let span = ctx.span(path, Part::Value);
    let kind = |v: &Value| match v {
        Value::Mapping(_) => Some("a mapping"),
        Value::Sequence(_) => Some("a list"),
        _ => None,
    };
    let message = match (kind(exp), kind(got)) {
        (None, None) => {
            let (es, gs) = super::contrast(&e, &g);
            format!("`{path}`: expected `{es}`, found `{gs}`")
        }
        (ke, kg) => format!(
            "`{path}`: expected {} `{}`, found {} `{}`",
            ke.unwrap_or("the value"),
            short(&e),
            kg.unwrap_or("the value"),
            short(&g)
        ),
    };
    let label = format!("expected `{}`", short(&e));
    let spec_label = spec_label_for(ctx, exp);
    ctx.add(
        ctx.finding(Rule::ContentDrift, path)
            .message(message)
            .expected(e)
            .found(g)
            .span(span, label)
            .spec_label(spec_label)
            .help(HELP_EDIT),
    );
}

fn mappings(ctx: &mut FileWalk, path: &YPath, e: &yaml_serde::Mapping, g: &yaml_serde::Mapping) {
    for (k, ev) in e {
        let child = path.key(key_text(k));
        match g.get(k) {
            Some(gv) => walk(ctx, &child, ev, gv),
            None => {
                let key = key_text(k);
                // Point at the mapping that lacks the key: its own key, or
                // for the document, its first key.
                let span = if path.0.is_empty() {
                    match g.keys().next() {
                        Some(first) => ctx.span(&path.key(key_text(first)), Part::Key),
                        None => ctx.span(path, Part::Value),
                    }
                } else {
                    ctx.span(path, Part::Key)
                };
                let ev_c = compact(ev);
                let at = if path.0.is_empty() {
                    "the workflow".to_string()
                } else {
                    format!("`{path}`")
                };
                ctx.add(
                    ctx.finding(Rule::ContentDrift, &child)
                        .message(format!("{at}: missing key `{key}` (expected `{}`)", short(&ev_c)))
                        .expected(ev_c)
                        .span(span, format!("`{key}` missing here"))
                        .spec_label(spec_label_for(ctx, ev))
                        .help(HELP_EDIT),
                );
            }
        }
    }
    for (k, gv) in g {
        if e.contains_key(k) {
            continue;
        }
        let child = path.key(key_text(k));
        let span = ctx.span(&child, Part::Key);
        let gv_c = compact(gv);
        ctx.add(
            ctx.finding(Rule::ContentDrift, &child)
                .message(format!(
                    "`{child}`: unexpected key (found `{}`); wfgen does not generate it",
                    short(&gv_c)
                ))
                .found(gv_c)
                .span(span, "not generated by wfgen")
                .help(HELP_EDIT),
        );
    }
}

fn sequences(ctx: &mut FileWalk, path: &YPath, e: &[Value], g: &[Value]) {
    let (eids, gids) = intern(e, g);

    if eids.len() == gids.len() {
        let (mut a, mut b) = (eids.clone(), gids.clone());
        a.sort_unstable();
        b.sort_unstable();
        if a == b {
            // Same items, another order: one finding at the first item out of place.
            let i = (0..eids.len()).find(|&i| eids[i] != gids[i]).unwrap_or(0);
            let item = path.index(i);
            let span = ctx.span(&item, Part::Value);
            let (ec, gc) = (
                compact(&Value::Sequence(e.to_vec())),
                compact(&Value::Sequence(g.to_vec())),
            );
            ctx.add(
                ctx.finding(Rule::ContentDrift, &item)
                    .message(format!(
                    "`{path}`: the items are in another order: item {i} should be `{}`, found `{}`",
                    short(&compact(&e[i])),
                    short(&compact(&g[i]))
                ))
                    .expected(ec)
                    .found(gc)
                    .span(span, format!("expected `{}` here", short(&compact(&e[i]))))
                    .help("the order of a list matters (steps run in order; matrix entries and tags are listed as the spec gives them); \
                 run `wfgen generate` to restore it"
                    ),
            );
            return;
        }
    }

    use similar::{Algorithm, DiffOp, capture_diff_slices};
    for op in capture_diff_slices(Algorithm::Myers, &eids, &gids) {
        match op {
            DiffOp::Equal { .. } => {}
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => {
                for k in 0..old_len {
                    missing_item(ctx, path, e, old_index + k, g, new_index);
                }
            }
            DiffOp::Insert { new_index, new_len, .. } => {
                for k in 0..new_len {
                    unexpected_item(ctx, path, g, new_index + k);
                }
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                if old_len == new_len {
                    for k in 0..old_len {
                        walk(ctx, &path.index(new_index + k), &e[old_index + k], &g[new_index + k]);
                    }
                    continue;
                }
                // Pair each expected item with the next similar found item,
                // in order; the rest are missing or unexpected.
                let mut next = new_index;
                let mut paired = vec![false; new_len];
                for i in old_index..old_index + old_len {
                    let hit = (next..new_index + new_len).find(|&j| similarity(&e[i], &g[j]) >= 0.5);
                    match hit {
                        Some(j) => {
                            walk(ctx, &path.index(j), &e[i], &g[j]);
                            paired[j - new_index] = true;
                            next = j + 1;
                        }
                        None => missing_item(ctx, path, e, i, g, next),
                    }
                }
                for (k, done) in paired.iter().enumerate() {
                    if !done {
                        unexpected_item(ctx, path, g, new_index + k);
                    }
                }
            }
        }
    }
}

/// The items of both lists as integers, equal items equal integers, so that
/// the diff works on integers.
fn intern<'v>(e: &'v [Value], g: &'v [Value]) -> (Vec<usize>, Vec<usize>) {
    let mut ids: HashMap<&'v Value, usize> = HashMap::new();
    let mut id = |v: &'v Value| -> usize {
        let n = ids.len();
        *ids.entry(v).or_insert(n)
    };
    let eids = e.iter().map(&mut id).collect();
    let gids = g.iter().map(&mut id).collect();
    (eids, gids)
}

/// How alike two items are, 0..=1: shared entries of mappings, edit
/// distance of strings.
fn similarity(a: &Value, b: &Value) -> f64 {
    match (a, b) {
        (Value::Mapping(x), Value::Mapping(y)) => {
            let n = x.len().max(y.len());
            if n == 0 {
                return 1.0;
            }
            let same = x.iter().filter(|(k, v)| y.get(k) == Some(v)).count();
            same as f64 / n as f64
        }
        (Value::String(x), Value::String(y)) => strsim::normalized_levenshtein(x, y),
        (Value::Sequence(_), Value::Sequence(_)) => 0.5,
        _ => 0.0,
    }
}

fn missing_item(ctx: &mut FileWalk, path: &YPath, e: &[Value], i: usize, g: &[Value], at: usize) {
    let item = &e[i];
    let c = compact(item);
    let (span, label) = if at < g.len() {
        (
            ctx.span(&path.index(at), Part::Value),
            format!("expected `{}` before this item", short(&c)),
        )
    } else if !g.is_empty() {
        (
            ctx.span(&path.index(g.len() - 1), Part::Value),
            format!("expected `{}` after this item", short(&c)),
        )
    } else {
        (
            ctx.span(path, Part::Value),
            format!("expected `{}` in this list", short(&c)),
        )
    };
    let spec_label = spec_label_for(ctx, item);
    ctx.add(
        ctx.finding(Rule::ContentDrift, &path.index(i))
            .message(format!("`{path}`: item {i} is missing: `{}`", short(&c)))
            .expected(c)
            .span(span, label)
            .spec_label(spec_label)
            .help(HELP_EDIT),
    );
}

fn unexpected_item(ctx: &mut FileWalk, path: &YPath, g: &[Value], j: usize) {
    let item = path.index(j);
    let c = compact(&g[j]);
    let span = ctx.span(&item, Part::Value);
    ctx.add(
        ctx.finding(Rule::ContentDrift, &item)
            .message(format!(
                "`{item}`: unexpected item `{}`; wfgen does not generate it",
                short(&c)
            ))
            .found(c)
            .span(span, "not generated by wfgen")
            .help(HELP_EDIT),
    );
}
