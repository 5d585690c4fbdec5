//! `wfgen generate`: write the rendered workflows, atomically, refusing to
//! overwrite files that wfgen did not write.

use super::exit;
use crate::fsio;
use crate::render::{self, Rendered};
use crate::spec::LoadedSpec;

#[derive(Debug, PartialEq, Eq)]
enum Action {
    Create,
    Update,
    Unchanged,
    Remove,
}

pub fn run(spec: &LoadedSpec, dry_run: bool, force: bool) -> i32 {
    let rendered = crate::generate(spec);
    let on_disk = match fsio::workflow_files(&spec.root) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::FATAL;
        }
    };

    // Decide everything before writing anything: a refusal writes nothing.
    let mut actions: Vec<(Action, String, Option<&Rendered>)> = Vec::new();
    let mut refusals = Vec::new();
    for r in &rendered {
        let existing = on_disk.iter().find(|d| d.path == r.path);
        let action = match existing {
            None => Action::Create,
            Some(d) => match &d.text {
                Err(e) if !force => {
                    refusals.push(format!("{}: {e}", r.path));
                    continue;
                }
                Err(_) => Action::Update,
                Ok(_) if d.is_symlink && !force => {
                    refusals.push(format!(
                        "{} is a symlink; wfgen writes regular files only (--force replaces the link with a file)",
                        r.path
                    ));
                    continue;
                }
                Ok(t) if !render::has_header(t) && !force => {
                    refusals.push(format!("{} was not written by wfgen (it has no wfgen header); move it away, or pass --force to overwrite it", r.path));
                    continue;
                }
                Ok(t) if *t == r.text && !d.is_symlink => Action::Unchanged,
                Ok(_) => Action::Update,
            },
        };
        actions.push((action, r.path.clone(), Some(r)));
    }
    for d in &on_disk {
        if rendered.iter().any(|r| r.path == d.path) {
            continue;
        }
        if let Ok(t) = &d.text
            && render::parse_header(t).is_some_and(|h| crate::check::files::owns_leftover(spec, &h))
            && !d.is_symlink
        {
            actions.push((Action::Remove, d.path.clone(), None));
        }
    }
    if !refusals.is_empty() {
        for r in &refusals {
            eprintln!("error: {r}");
        }
        eprintln!("nothing was written");
        return exit::FATAL;
    }

    let mut counts = [0usize; 4];
    for (action, path, r) in &actions {
        let full = fsio::join(&spec.root, path);
        let (word, i) = match action {
            Action::Create => ("created", 0),
            Action::Update => ("updated", 1),
            Action::Unchanged => ("unchanged", 2),
            Action::Remove => ("removed", 3),
        };
        counts[i] += 1;
        if !dry_run {
            let result = match (action, r) {
                (Action::Create | Action::Update, Some(r)) => fsio::write_atomic(&spec.root, &full, &r.text),
                (Action::Remove, _) => fsio::remove(&full),
                _ => Ok(()),
            };
            if let Err(e) = result {
                eprintln!("error: {e}");
                return exit::FATAL;
            }
        }
        let word = if dry_run && *action != Action::Unchanged {
            format!("would be {word}")
        } else {
            word.to_string()
        };
        outln!("{word:>9} {path}");
    }
    outln!(
        "{}{} created, {} updated, {} unchanged, {} removed",
        if dry_run { "dry run: " } else { "" },
        counts[0],
        counts[1],
        counts[2],
        counts[3]
    );
    exit::OK
}
