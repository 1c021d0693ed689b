import ProcessModel

/// The bottom line: function keys and their labels as htop draws them ("F1Help  F2      F3Search"),
/// or, while typing a search or filter, the keys of that and the text typed so far.
public struct FunctionBar: Sendable {
    public var items: [(key: String, label: String)]
    /// Text after the keys: "Search: abc" while searching.
    public var prompt: String?
    public var promptIsError = false

    public init(items: [(key: String, label: String)], prompt: String? = nil, promptIsError: Bool = false) {
        self.items = items
        self.prompt = prompt
        self.promptIsError = promptIsError
    }

    public static func forState(_ state: ViewState) -> FunctionBar {
        switch state.mode {
        case .list:
            let control = !state.readonly
            return FunctionBar(items: [
                ("F1", "Help"), ("F2", "Setup"), ("F3", "Search"), ("F4", "Filter"), ("F5", state.tree ? "List" : "Tree"),
                ("F6", "SortBy"), ("F7", control ? "Nice -" : ""), ("F8", control ? "Nice +" : ""),
                ("F9", control ? "Kill" : ""), ("F10", "Quit"),
            ])
        case .search:
            return FunctionBar(items: [("F3", "Next"), ("Esc", "Done")], prompt: "Search: " + state.searchText, promptIsError: state.searchFailed)
        case .filter:
            return FunctionBar(items: [("Enter", "Done"), ("Esc", "Clear")], prompt: "Filter: " + state.filterText)
        case .picker(let picker):
            if case .signal = picker.kind { return FunctionBar(items: [("Enter", "Send"), ("Esc", "Cancel")]) }
            return FunctionBar(items: [("Enter", "Choose"), ("Esc", "Cancel")])
        case .prompt(let prompt):
            return FunctionBar(items: [("Enter", "Set"), ("Esc", "Cancel")], prompt: prompt.label + prompt.text)
        case .detail:
            return FunctionBar(items: [("Esc", "Back"), ("l", "Files"), ("e", "Environment"), ("F10", "Quit")])
        case .limits:
            return FunctionBar(items: state.readonly ? [("Esc", "Back")] : [("Enter", "Change"), ("Esc", "Back")])
        case .help:
            return FunctionBar(items: [("Any key", "Back")])
        case .events:
            return FunctionBar(items: [("Esc", "Back"), ("F10", "Quit")])
        case .setup(let setup):
            let columns = setup.panel == .columns
            return FunctionBar(items: [
                ("Space", "Toggle"), ("F7", columns ? "MoveUp" : ""), ("F8", columns ? "MoveDn" : ""), ("Tab", "Panel"), ("F10", "Done"),
            ])
        }
    }

    /// Where each item is drawn: its key's name and the columns of its key and label.
    func spans() -> [(key: String, keyText: String, label: String, start: Int, end: Int)] {
        var out: [(key: String, keyText: String, label: String, start: Int, end: Int)] = []
        var x = 0
        for item in items {
            // "F1Help" as htop; a named key gets a space: "Esc Done".
            let isFunctionKey = item.key.hasPrefix("F") && item.key.count <= 3
            let keyText = isFunctionKey ? item.key : item.key + " "
            // Six columns as htop; a named key's label of six or more gets two spaces before the next key.
            let room = isFunctionKey || item.label.count < 6 ? 6 : item.label.count + 2
            let label = item.label + String(repeating: " ", count: max(0, room - item.label.count))
            let end = x + CellWidth.of(keyText) + CellWidth.of(label)
            out.append((item.key, keyText, label, x, end))
            x = end
        }
        return out
    }

    public func draw(into grid: inout ScreenGrid, y: Int) {
        grid.fill(y: y, role: .functionLabel)
        var x = 0
        for item in spans() {
            x = grid.put(item.keyText, x: x, y: y, role: .functionKey)
            x = grid.put(item.label, x: x, y: y, role: .functionLabel)
        }
        if let prompt {
            x = grid.put(" ", x: x, y: y, role: .functionLabel)
            x = grid.put(DisplayText.escaped(prompt), x: x, y: y, role: promptIsError ? .statusError : .prompt)
            grid.put(" ", x: x, y: y, role: .prompt)
        }
    }
}
