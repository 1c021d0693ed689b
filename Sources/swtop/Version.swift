/// `swtop --version`. Scripts/build-deb.sh reads the number from here.
enum Version {
    static let number = "0.1.0"
    static let text = "swtop \(number)"
}
