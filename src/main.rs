// The rules of the library (src/lib.rs) that hold here too (this file
// prints nothing: src/cli does).
#![warn(clippy::unwrap_used, clippy::too_many_lines)]

fn main() {
    std::process::exit(wfgen::cli::main());
}
