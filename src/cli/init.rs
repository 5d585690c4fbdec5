//! `wfgen init`: writes (or prints) the starter spec that the init stage
//! proposes for the repository; never overwrites a spec without --force.

use std::path::Path;

use super::exit;
use crate::fsio;
use crate::init::starter_spec;

pub fn run(dir: &Path, spec_path: Option<&Path>, force: bool, stdout: bool) -> i32 {
    let target = spec_path
        .map(Path::to_path_buf)
        .unwrap_or_else(|| dir.join("wfgen.yaml"));
    let (root, name) = crate::spec::load::root_of(&target);
    if !stdout && target.exists() && !force {
        eprintln!(
            "error: {} exists; wfgen init does not overwrite it (pass --force, or --stdout to print the starter spec)",
            target.display()
        );
        return exit::FATAL;
    }
    let text = starter_spec(&root);
    if let Err(p) = crate::parse_spec(&name, &text) {
        eprintln!("error: the starter spec wfgen init made is invalid (a bug in wfgen):\n{p}");
        return exit::FATAL;
    }
    if stdout {
        out!("{text}");
        return exit::OK;
    }
    if let Err(e) = fsio::write_atomic(&root, &target, &text) {
        eprintln!("error: {e}");
        return exit::FATAL;
    }
    outln!("wrote {name}: review it, then run `wfgen generate`");
    exit::OK
}
