//! content-drift inside multi-line strings (`run: |` scripts): compared line
//! by line, each difference pointing at the exact line of the script in the
//! file on disk (the block's first content line is the line after its `|`).

use similar::{Algorithm, DiffOp, capture_diff_slices};

use super::tree::Ctx;
use super::{Rule, Span, short};
use crate::ypath::{Part, YPath};

/// Hunks longer than this are reported as one finding over their lines.
const PER_LINE_MAX: usize = 3;

const HELP: &str = "the workflows are generated: change the spec and run `wfgen generate`, \
                    or run `wfgen generate` to undo this edit";

/// Compares the script `exp` (rendered) with `got` (on disk) at `path`.
pub fn compare(ctx: &mut Ctx, path: &YPath, exp: &str, got: &str) {
    let el: Vec<&str> = exp.lines().collect();
    let gl: Vec<&str> = got.lines().collect();
    let node = ctx.raw_span(path, Part::Value);
    let line_span = |ctx: &Ctx, i: usize| -> Span {
        let span = node.and_then(|n| block_line_span(ctx.text, n, i));
        span.unwrap_or_else(|| ctx.span(path, Part::Value))
    };

    if el == gl {
        // Only the final newline differs (`|` against `|-`).
        let span = ctx.span(path, Part::Value);
        let (e_nl, g_nl) = (exp.ends_with('\n'), got.ends_with('\n'));
        ctx.push(
            Rule::ContentDrift,
            path,
            format!(
                "`{path}`: the script {} a final newline, expected {}",
                if g_nl { "ends with" } else { "lacks" },
                if e_nl { "one (`|`)" } else { "none (`|-`)" }
            ),
            Some(format!("{exp:?}")),
            Some(format!("{got:?}")),
            span,
            "the final newline differs".into(),
            None,
            HELP.into(),
        );
        return;
    }

    for op in capture_diff_slices(Algorithm::Myers, &el, &gl) {
        match op {
            DiffOp::Equal { .. } => {}
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } if old_len.max(new_len) > PER_LINE_MAX => {
                let first = line_span(ctx, new_index);
                let last = line_span(ctx, new_index + new_len - 1);
                let span = Span::new(ctx.text, first.start, last.end);
                ctx.push(
                    Rule::ContentDrift,
                    path,
                    format!(
                        "`{path}` script lines {}-{}: {new_len} lines differ from the {old_len} expected, from `{}`",
                        new_index + 1,
                        new_index + new_len,
                        short(el[old_index].trim())
                    ),
                    Some(el[old_index..old_index + old_len].join("\n")),
                    Some(gl[new_index..new_index + new_len].join("\n")),
                    span,
                    format!("{new_len} lines differ"),
                    ctx.labels.for_script_line(el[old_index]),
                    HELP.into(),
                );
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let pairs = old_len.min(new_len);
                for k in 0..pairs {
                    let (e, g) = (el[old_index + k], gl[new_index + k]);
                    let span = line_span(ctx, new_index + k);
                    let (es, gs) = super::contrast(e.trim(), g.trim());
                    ctx.push(
                        Rule::ContentDrift,
                        path,
                        format!(
                            "`{path}` script line {}: expected `{es}`, found `{gs}`",
                            new_index + k + 1
                        ),
                        Some(e.to_string()),
                        Some(g.to_string()),
                        span,
                        format!("expected `{}`", short(e.trim())),
                        ctx.labels.for_script_line(e),
                        HELP.into(),
                    );
                }
                if old_len > pairs {
                    missing(
                        ctx,
                        path,
                        &el[old_index + pairs..old_index + old_len],
                        new_index + pairs,
                        &gl,
                        &line_span,
                    );
                }
                for k in pairs..new_len {
                    unexpected(ctx, path, gl[new_index + k], new_index + k, &line_span);
                }
            }
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => missing(
                ctx,
                path,
                &el[old_index..old_index + old_len],
                new_index,
                &gl,
                &line_span,
            ),
            DiffOp::Insert { new_index, new_len, .. } => {
                for k in 0..new_len {
                    unexpected(ctx, path, gl[new_index + k], new_index + k, &line_span);
                }
            }
        }
    }
}

/// Lines `lines` are missing before found line `at` (0-based).
fn missing(
    ctx: &mut Ctx,
    path: &YPath,
    lines: &[&str],
    at: usize,
    gl: &[&str],
    line_span: &dyn Fn(&Ctx, usize) -> Span,
) {
    let (span, label) = if at < gl.len() {
        (line_span(ctx, at), "expected before this line")
    } else if !gl.is_empty() {
        (line_span(ctx, gl.len() - 1), "expected after this line")
    } else {
        (ctx.span(path, Part::Value), "expected in this script")
    };
    let more = if lines.len() > 1 {
        format!(
            " and {} more line{}",
            lines.len() - 1,
            if lines.len() > 2 { "s" } else { "" }
        )
    } else {
        String::new()
    };
    ctx.push(
        Rule::ContentDrift,
        path,
        format!(
            "`{path}` script line {}: missing `{}`{more}",
            at + 1,
            short(lines[0].trim())
        ),
        Some(lines.join("\n")),
        None,
        span,
        label.into(),
        ctx.labels.for_script_line(lines[0]),
        HELP.into(),
    );
}

fn unexpected(ctx: &mut Ctx, path: &YPath, line: &str, at: usize, line_span: &dyn Fn(&Ctx, usize) -> Span) {
    let span = line_span(ctx, at);
    ctx.push(
        Rule::ContentDrift,
        path,
        format!(
            "`{path}` script line {}: unexpected `{}`; wfgen does not generate it",
            at + 1,
            short(line.trim())
        ),
        None,
        Some(line.to_string()),
        span,
        "not generated by wfgen".into(),
        None,
        HELP.into(),
    );
}

/// The span of content line `i` (0-based) of the literal block scalar whose
/// node spans `node` in `text`: the block's first content line is the line
/// after the `|` header. `None` when the node is not a literal block (a
/// quoted, plain or folded string has no line-for-line layout).
pub fn block_line_span(text: &str, node: (usize, usize), i: usize) -> Option<Span> {
    let (s, e) = node;
    if !text.get(s..)?.starts_with('|') {
        return None;
    }
    let (header_line, _) = crate::ypath::line_col(text, s);
    let line = header_line + 1 + i;
    let (ls, _) = super::line_bounds(text, line);
    if ls > e.max(s) || ls >= text.len() {
        return None;
    }
    Some(Span::line(text, line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_lines_map_one_to_one() {
        let t = "jobs:\n  a:\n    run: |\n      echo one\n\n      echo three\n    x: 1\n";
        let s = t.find('|').unwrap();
        let e = t.find("    x:").unwrap();
        let l = block_line_span(t, (s, e), 0).unwrap();
        assert_eq!((l.line, l.col), (4, 7));
        assert_eq!(&t[l.start..l.end], "echo one");
        let l = block_line_span(t, (s, e), 2).unwrap();
        assert_eq!((l.line, &t[l.start..l.end]), (6, "echo three"));
        assert!(block_line_span(t, (t.find("one").unwrap(), e), 0).is_none());
    }
}
