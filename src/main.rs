fn main() {
    println!("wfgen");
}
