fn main() {
    println!("hello from a builder stage");
}
