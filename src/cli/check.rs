//! `wfgen check`: render in memory, compare with .github/workflows, report.

use super::{ColorWhen, exit};
use crate::check::{self, Options};
use crate::report::{self, Format};
use crate::spec::LoadedSpec;

pub fn run(spec: &LoadedSpec, format: Format, diff: bool, strict: bool, color: ColorWhen) -> i32 {
    let outcome = match check::check(spec, Options { strict }) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::FATAL;
        }
    };
    let out = report::render(
        &outcome,
        report::Options {
            format,
            // Machine-readable stdout is never coloured.
            color: color.enabled(false) && matches!(format, Format::Plain | Format::Oneline),
            color_stderr: color.enabled(true),
            diff,
        },
    );
    eprint!("{}", out.stderr);
    out!("{}", out.stdout);
    outcome.exit_code()
}
