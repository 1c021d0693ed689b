import ProcessModel

/// htop's incremental search (F3, /): the selection moves to the next match as the user types.
extension ViewState {
    mutating func search(from start: Int, step: Int) {
        let matcher = ProcessMatcher(search: searchText)
        guard !matcher.isEmpty, !rows.isEmpty else {
            searchFailed = false
            return
        }
        let n = rows.count
        for k in 0..<n {
            let i = ((start + step * k) % n + n) % n
            if matcher.matches(rows[i].entry) {
                searchFailed = false
                moveSelection(to: i)
                return
            }
        }
        searchFailed = true
    }

    mutating func searchNextMatch(step: Int) {
        guard !searchText.isEmpty else {
            say("Nothing to search for: press / or F3 and type")
            return
        }
        search(from: selectedIndex + step, step: step)
        if searchFailed { say("No process matches \"" + DisplayText.escaped(searchText) + "\"", error: true) }
    }
}
