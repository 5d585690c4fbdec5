//! cli: the command line (clap). Thin: each command loads, plans, renders or
//! checks through the library and prints.

// The one layer that prints.
#![allow(clippy::print_stdout, clippy::print_stderr)]

/// `println!` for the commands' output: a reader that closed the pipe early
/// (`wfgen plan v1 | head -1`) ends wfgen quietly, not with a panic.
macro_rules! outln {
    () => { $crate::cli::out(format_args!("\n")) };
    ($($t:tt)*) => { $crate::cli::out(format_args!("{}\n", format_args!($($t)*))) };
}

/// `print!` for the commands' output; see [`outln!`].
macro_rules! out {
    ($($t:tt)*) => { $crate::cli::out(format_args!($($t)*)) };
}

mod check;
mod cut;
mod generate;
mod init;
mod pins;
mod plan_cmd;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use crate::spec::{self, LoadError, LoadedSpec};

/// Exit codes: 0 clean, 1 drift or rejected tag, 2 usage, 3 fatal.
pub use crate::exit;

/// Writes the commands' output to stdout. When the reader is gone (a broken
/// pipe) there is nobody to tell: wfgen ends at once with exit code 0, as
/// `grep` and `rg` do; another write error is fatal (exit 3).
pub fn out(args: std::fmt::Arguments) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_fmt(args).and_then(|()| stdout.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(exit::OK);
        }
        eprintln!("wfgen: cannot write to standard output: {e}");
        std::process::exit(exit::FATAL);
    }
}

#[derive(Parser, Debug)]
#[command(
    name = "wfgen",
    version,
    about = "Generate and drift-check GitHub Actions release workflows from one release spec"
)]
pub struct Cli {
    /// The spec [default: wfgen.yaml, then .github/wfgen.yaml].
    #[arg(long, global = true, value_name = "PATH")]
    pub spec: Option<PathBuf>,
    /// When to colour output; NO_COLOR is honoured by `auto`.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

impl ColorWhen {
    /// Whether to colour output written to stderr (`stderr: true`) or stdout.
    pub fn enabled(self, stderr: bool) -> bool {
        match self {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                let tty = if stderr {
                    std::io::stderr().is_terminal()
                } else {
                    std::io::stdout().is_terminal()
                };
                tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::env::var("TERM").map(|t| t != "dumb").unwrap_or(true)
            }
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Write a starter wfgen.yaml from what the repository holds.
    Init {
        /// Overwrite an existing spec.
        #[arg(long)]
        force: bool,
        /// Print the starter spec instead of writing it.
        #[arg(long)]
        stdout: bool,
    },
    /// Write the workflows of the spec to .github/workflows.
    Generate {
        /// Print what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Overwrite workflow files that wfgen did not write.
        #[arg(long)]
        force: bool,
    },
    /// Show what a release of TAG does; exit 1 when the release rejects the tag.
    Plan {
        /// The tag, e.g. v1.2.3.
        #[arg(required_unless_present = "cut", conflicts_with = "cut")]
        tag: Option<String>,
        /// Instead of TAG: the tag that `wfgen tag KIND` would make, the
        /// version files `wfgen bump` would change, then that tag's plan.
        #[arg(long, value_enum, value_name = "KIND")]
        cut: Option<cut::BumpKind>,
        #[command(flatten)]
        next: cut::NextArgs,
        /// Commit of the tag, for `{sha7}`: 7 to 40 hex digits [default: `git rev-parse TAG`, else zeros].
        #[arg(long, value_parser = parse_sha)]
        sha: Option<String>,
        /// The repository's tags, one per line, which decide where `latest`
        /// and the moving Docker tags go [default: `git tag --list` of the
        /// spec's repository].
        #[arg(long, value_name = "FILE")]
        tags: Option<std::path::PathBuf>,
        #[arg(long, value_enum, default_value_t = PlanFormat::Plain)]
        format: PlanFormat,
    },
    /// Print the next release tag, from the repository's tags and the spec's
    /// tag grammar; exit 1 when there is none (it exists already, say).
    Next {
        #[arg(value_enum)]
        kind: cut::BumpKind,
        #[command(flatten)]
        next: cut::NextArgs,
        /// The repository's tags, one per line [default: `git tag --list`].
        #[arg(long, value_name = "FILE")]
        tags: Option<std::path::PathBuf>,
    },
    /// Create the next release tag on HEAD (for `promote`, on the
    /// pre-release's commit) after checking the work tree, the branch and its
    /// upstream; with --push, push that tag only.
    Tag {
        #[arg(value_enum)]
        kind: cut::BumpKind,
        #[command(flatten)]
        next: cut::NextArgs,
        /// Push the tag (only the tag), which starts the release.
        #[arg(long)]
        push: bool,
        /// The remote to check against and push to.
        #[arg(long, default_value = "origin", value_name = "NAME")]
        remote: String,
    },
    /// Write VERSION (a version or a tag) into every file of
    /// versioning.version-files, each in its own format.
    Bump {
        version: String,
        /// Write nothing; exit 1 when a file does not read VERSION.
        #[arg(long)]
        check: bool,
    },
    /// Compare .github/workflows with what the spec renders; report drift.
    Check {
        #[arg(long, value_enum, default_value_t = CheckFormat::Plain)]
        format: CheckFormat,
        /// Also print a unified diff per drifted file.
        #[arg(long)]
        diff: bool,
        /// Fail on format-drift too.
        #[arg(long)]
        strict: bool,
    },
    /// The action pins: list them, or adopt the pins on disk into the spec.
    #[command(subcommand)]
    Pins(PinsCommand),
    /// Validate the spec only.
    Validate,
    /// Print the JSON Schema of the spec format (or, with --manifest, of
    /// the release manifest that `wfgen plan --format json` prints).
    Schema {
        /// The schema of the release manifest instead.
        #[arg(long)]
        manifest: bool,
    },
    /// Print a shell completion script.
    Completions { shell: clap_complete::Shell },
}

#[derive(Subcommand, Debug)]
pub enum PinsCommand {
    /// The pins the generated workflows use, and where each comes from.
    List {
        /// The whole pin table, used or not.
        #[arg(long)]
        all: bool,
        #[arg(long, value_enum, default_value_t = PlanFormat::Plain)]
        format: PlanFormat,
    },
    /// Write the pins found in the workflows on disk into the spec's `pins:`.
    Sync {
        /// Print what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// Output format of `wfgen check` on the command line; [`crate::report`]
/// has its own [`crate::report::Format`] and no clap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Reports with the source lines (miette).
    Plain,
    /// `path:line:col: message [rule-id]`, one finding a line.
    Oneline,
    /// Versioned JSON.
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

impl From<CheckFormat> for crate::report::Format {
    fn from(f: CheckFormat) -> Self {
        use crate::report::Format;
        match f {
            CheckFormat::Plain => Format::Plain,
            CheckFormat::Oneline => Format::Oneline,
            CheckFormat::Json => Format::Json,
            CheckFormat::Sarif => Format::Sarif,
            CheckFormat::Github => Format::Github,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    Plain,
    Json,
}

/// Runs the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { exit::USAGE } else { exit::OK };
            let _ = e.print();
            return code;
        }
    };
    run(cli)
}

pub fn run(cli: Cli) -> i32 {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    match &cli.command {
        Command::Init { force, stdout } => init::run(&cwd, cli.spec.as_deref(), *force, *stdout),
        Command::Generate { dry_run, force } => with_spec(&cli, &cwd, |s| generate::run(s, *dry_run, *force)),
        Command::Plan {
            tag,
            cut,
            next,
            sha,
            tags,
            format,
        } => with_spec(&cli, &cwd, |s| match (tag, cut) {
            (_, Some(kind)) => cut::plan_cut(s, *kind, next, tags.as_deref(), *format),
            (Some(_), None) if next.label.is_some() || next.from.is_some() => {
                eprintln!("error: --label and --from go with --cut");
                exit::USAGE
            }
            (Some(tag), None) => plan_cmd::run(s, tag, sha.as_deref(), tags.as_deref(), *format),
            (None, None) => exit::USAGE,
        }),
        Command::Next { kind, next, tags } => with_spec(&cli, &cwd, |s| cut::next_cmd(s, *kind, next, tags.as_deref())),
        Command::Tag {
            kind,
            next,
            push,
            remote,
        } => with_spec(&cli, &cwd, |s| cut::tag_cmd(s, *kind, next, *push, remote)),
        Command::Bump { version, check } => with_spec(&cli, &cwd, |s| cut::bump_cmd(s, version, *check)),
        Command::Check { format, diff, strict } => with_spec(&cli, &cwd, |s| {
            check::run(s, (*format).into(), *diff, *strict, cli.color)
        }),
        Command::Pins(PinsCommand::List { all, format }) => {
            with_spec(&cli, &cwd, |s| pins::list(s, *all, *format == PlanFormat::Json))
        }
        Command::Pins(PinsCommand::Sync { dry_run }) => {
            with_spec(&cli, &cwd, |s| pins::sync(s, *dry_run, cli.color.enabled(false)))
        }
        Command::Validate => with_spec(&cli, &cwd, |s| {
            outln!("{}: valid (spec format {})", s.name, s.spec.wfgen);
            // Versions the release would publish without checking them
            // against the tag: warnings, not errors.
            for (warning, help) in spec::versionsource::unchecked(&s.spec, &s.root) {
                eprintln!("warning: {warning}");
                eprintln!("  help: {help}");
            }
            exit::OK
        }),
        Command::Schema { manifest } => {
            if *manifest {
                outln!(
                    "{}",
                    serde_json::to_string_pretty(&crate::plan::manifest::schema_json()).expect("schema serializes")
                );
            } else {
                outln!("{}", schema_text());
            }
            exit::OK
        }
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(*shell, &mut cmd, "wfgen", &mut std::io::stdout());
            exit::OK
        }
    }
}

/// The JSON Schema of the spec, pretty-printed (as committed in schema/).
pub fn schema_text() -> String {
    serde_json::to_string_pretty(&spec::schema_json()).expect("schema serializes")
}

/// Loads the spec, reporting problems (exit 3), then runs `f`.
/// `--sha`: a commit, 7 to 40 hex digits, nothing else (no spaces, no
/// newlines: it goes into the Docker tags of the plan).
fn parse_sha(s: &str) -> Result<String, String> {
    if (7..=40).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(s.to_string())
    } else {
        Err("a commit is 7 to 40 hex digits (0-9, a-f), e.g. --sha $(git rev-parse HEAD)".into())
    }
}

fn with_spec(cli: &Cli, cwd: &Path, f: impl FnOnce(&LoadedSpec) -> i32) -> i32 {
    match spec::find_spec(cli.spec.as_deref(), cwd).and_then(|p| crate::load_spec(&p)) {
        Ok(s) => f(&s),
        Err(e) => {
            report_load_error(&e, cli.color.enabled(true));
            exit::FATAL
        }
    }
}

/// Prints a spec loading error to stderr.
pub fn report_load_error(e: &LoadError, color: bool) {
    match e {
        LoadError::Io(m) => anstream::eprintln!("error: {m}"),
        LoadError::Invalid(p) => {
            let text = p.render(color);
            if color {
                anstream::eprint!("{text}");
            } else {
                eprint!("{text}");
            }
        }
    }
}
