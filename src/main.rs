fn main() {
    std::process::exit(wfgen::cli::main());
}
