#![forbid(unsafe_code)]

fn main() {
    std::process::exit(wfgen::cli::main());
}
