/// Typing a line at the bottom of the screen: the search, the filter and the prompts share it.
enum LineEditor {
    /// Applies a typed character or Backspace/Delete to `text`; true when the key was one of
    /// those (the text may be unchanged: Backspace on an empty line).
    static func edit(_ text: inout String, with key: Key) -> Bool {
        switch key {
        case .character(let c):
            text.unicodeScalars.append(c)
            return true
        case .backspace, .delete:
            if !text.isEmpty { text.removeLast() }
            return true
        default:
            return false
        }
    }
}
