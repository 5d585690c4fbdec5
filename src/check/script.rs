//! content-drift inside multi-line strings (`run: |` scripts): compared line
//! by line, each difference pointing at the exact line of the script in the
//! file on disk (the block's first content line is the line after its `|`).

use similar::{Algorithm, DiffOp, capture_diff_slices};

use super::walk::FileWalk;
use super::{Rule, Span, block_line_span, short};
use crate::ypath::{Part, YPath};

/// Hunks longer than this are reported as one finding over their lines.
const PER_LINE_MAX: usize = 3;

/// Compares the script `exp` (rendered) with `got` (on disk) at `path`.
pub fn compare(ctx: &mut FileWalk, path: &YPath, exp: &str, got: &str) {
    let el: Vec<&str> = exp.lines().collect();
    let gl: Vec<&str> = got.lines().collect();
    let node = ctx.raw_span(path, Part::Value);
    let line_span = |ctx: &FileWalk, i: usize| -> Span {
        let span = node.and_then(|n| block_line_span(ctx.text, n, i));
        span.unwrap_or_else(|| ctx.span(path, Part::Value))
    };

    if el == gl {
        // Only the final newline differs (`|` against `|-`).
        let span = ctx.span(path, Part::Value);
        let (e_nl, g_nl) = (exp.ends_with('\n'), got.ends_with('\n'));
        ctx.add(
            ctx.finding(Rule::ContentDrift, path)
                .message(format!(
                    "`{path}`: the script {} a final newline, expected {}",
                    if g_nl { "ends with" } else { "lacks" },
                    if e_nl { "one (`|`)" } else { "none (`|-`)" }
                ))
                .expected(format!("{exp:?}"))
                .found(format!("{got:?}"))
                .span(span, "the final newline differs")
                .help(ctx.edit_help()),
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
                ctx.add(
                    ctx.finding(Rule::ContentDrift, path)
                        .message(format!(
                        "`{path}` script lines {}-{}: {new_len} lines differ from the {old_len} expected, from `{}`",
                        new_index + 1,
                        new_index + new_len,
                        short(el[old_index].trim())
                    ))
                        .expected(el[old_index..old_index + old_len].join("\n"))
                        .found(gl[new_index..new_index + new_len].join("\n"))
                        .span(span, format!("{new_len} lines differ"))
                        .spec_label(ctx.labels.for_script_line(el[old_index]))
                        .help(ctx.edit_help()),
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
                    ctx.add(
                        ctx.finding(Rule::ContentDrift, path)
                            .message(format!(
                                "`{path}` script line {}: expected `{es}`, found `{gs}`",
                                new_index + k + 1
                            ))
                            .expected(e.to_string())
                            .found(g.to_string())
                            .span(span, format!("expected `{}`", short(e.trim())))
                            .spec_label(ctx.labels.for_script_line(e))
                            .help(ctx.edit_help()),
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
    ctx: &mut FileWalk,
    path: &YPath,
    lines: &[&str],
    at: usize,
    gl: &[&str],
    line_span: &dyn Fn(&FileWalk, usize) -> Span,
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
    ctx.add(
        ctx.finding(Rule::ContentDrift, path)
            .message(format!(
                "`{path}` script line {}: missing `{}`{more}",
                at + 1,
                short(lines[0].trim())
            ))
            .expected(lines.join("\n"))
            .span(span, label)
            .spec_label(ctx.labels.for_script_line(lines[0]))
            .help(ctx.edit_help()),
    );
}

fn unexpected(ctx: &mut FileWalk, path: &YPath, line: &str, at: usize, line_span: &dyn Fn(&FileWalk, usize) -> Span) {
    let span = line_span(ctx, at);
    ctx.add(
        ctx.finding(Rule::ContentDrift, path)
            .message(format!(
                "`{path}` script line {}: unexpected `{}`; wfgen does not generate it",
                at + 1,
                short(line.trim())
            ))
            .found(line.to_string())
            .span(span, "not generated by wfgen")
            .help(ctx.edit_help()),
    );
}
