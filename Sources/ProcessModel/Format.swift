#if canImport(Glibc)
import Glibc
#endif

/// Number and time formats shared by the table, the JSON and the screen.
public enum Format {
    /// A fixed number of decimals, without Foundation. Non-finite values print as "-".
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "-" }
        var bytes: [UInt8] = []
        appendFixed(value, decimals: decimals, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `value` with `decimals` decimals (at most 18) to `bytes`: what `fixed` writes, for
    /// writers that build bytes (the JSON). A finite value only.
    public static func appendFixed(_ value: Double, decimals: Int, to bytes: inout [UInt8]) {
        let decimals = min(max(decimals, 0), 18)
        var scale: UInt64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * Double(scale)).rounded()
        guard scaled < 9.2e18 else {
            bytes.append(contentsOf: String(value).utf8)
            return
        }
        let n = UInt64(scaled)
        if value < 0, n != 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(n / scale, to: &bytes)
        if decimals > 0 {
            bytes.append(UInt8(ascii: "."))
            appendDigits(n % scale, minimumWidth: decimals, to: &bytes)
        }
    }

    /// Appends the decimal digits of `n`, with leading zeros up to `minimumWidth`.
    public static func appendDigits(_ n: UInt64, minimumWidth: Int = 1, to bytes: inout [UInt8]) {
        // 20 digits hold any UInt64; wider widths are zeros first.
        var pad = minimumWidth - 20
        while pad > 0 {
            bytes.append(UInt8(ascii: "0"))
            pad -= 1
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var i = 20
            var v = n
            repeat {
                i -= 1
                digits[i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            } while v > 0
            while 20 - i < minimumWidth {
                i -= 1
                digits[i] = UInt8(ascii: "0")
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[i..<20]))
        }
    }

    /// RFC 3339 in UTC: "2026-11-21T12:42:20Z", or with `fraction` digits of the second.
    /// Times outside the years 0001-9999 (a recorded tree's numbers are untrusted) are clamped
    /// to them, as RFC 3339 has no others and time_t(_:) would trap beyond Int64.
    public static func rfc3339(_ epochSeconds: Double, fractionDigits: Int = 0) -> String {
        guard epochSeconds.isFinite else { return "" }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        appendRFC3339(epochSeconds, fractionDigits: fractionDigits, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends what `rfc3339` returns (a finite time only).
    public static func appendRFC3339(_ epochSeconds: Double, fractionDigits: Int = 0, to bytes: inout [UInt8]) {
        let fractionDigits = min(max(fractionDigits, 0), 9)
        var whole = min(max(epochSeconds, -62_135_596_800), 253_402_300_799).rounded(.down)
        let fraction = min(max(epochSeconds - whole, 0), 0.999_999)
        var scale = 1.0
        for _ in 0..<fractionDigits { scale *= 10 }
        var fracUnits = (fraction * scale).rounded(.down)
        if fracUnits >= scale {
            whole += 1
            fracUnits = 0
        }
        var t = time_t(whole)
        var tm = tm()
        gmtime_r(&t, &tm)
        func put(_ n: Int32, _ width: Int, _ separator: UInt8?) {
            appendDigits(UInt64(max(n, 0)), minimumWidth: width, to: &bytes)
            if let separator { bytes.append(separator) }
        }
        put(tm.tm_year + 1900, 4, UInt8(ascii: "-"))
        put(tm.tm_mon + 1, 2, UInt8(ascii: "-"))
        put(tm.tm_mday, 2, UInt8(ascii: "T"))
        put(tm.tm_hour, 2, UInt8(ascii: ":"))
        put(tm.tm_min, 2, UInt8(ascii: ":"))
        put(tm.tm_sec, 2, nil)
        if fractionDigits > 0 {
            bytes.append(UInt8(ascii: "."))
            appendDigits(UInt64(fracUnits), minimumWidth: fractionDigits, to: &bytes)
        }
        bytes.append(UInt8(ascii: "Z"))
    }

    /// `n` with leading zeros to `width` digits.
    public static func pad(_ n: Int, _ width: Int) -> String {
        var bytes: [UInt8] = []
        if n < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(UInt64(n.magnitude), minimumWidth: width - (n < 0 ? 1 : 0), to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A size given in KiB, in at most 6 characters: "812K", "54.1M", "2.75G".
    public static func kib(_ kib: UInt64) -> String {
        if kib < 100_000 { return String(kib) + "K" }
        let mib = Double(kib) / 1024
        if mib < 100 { return fixed(mib, decimals: 1) + "M" }
        if mib < 10_000 { return String(Int(mib.rounded())) + "M" }
        let gib = mib / 1024
        if gib < 10 { return fixed(gib, decimals: 2) + "G" }
        if gib < 1000 { return fixed(gib, decimals: 1) + "G" }
        let tib = gib / 1024
        return fixed(tib, decimals: tib < 10 ? 2 : 1) + "T"
    }

    /// A size in bytes, in at most 6 characters: "512B", "812K", "54.1M".
    public static func bytes(_ n: UInt64) -> String {
        n < 1024 ? String(n) + "B" : kib(n / 1024)
    }

    /// Bytes a second: "0B/s", "812K/s", "54.1M/s".
    public static func rate(_ bytesPerSecond: Double) -> String {
        guard bytesPerSecond.isFinite, bytesPerSecond >= 0 else { return "-" }
        return bytes(bytesPerSecond < 1.8e19 ? UInt64(bytesPerSecond.rounded()) : .max) + "/s"
    }

    /// htop's TIME+ column: "3:07.25" under an hour, "12h05:33" under 100 hours, "523h" after.
    /// Any tick count prints (a recorded tree's are untrusted: 2^64-1 is "51240955760304h").
    public static func cpuTime(ticks: UInt64, ticksPerSecond: Double) -> String {
        let total = Double(ticks) / ticksPerSecond
        guard total.isFinite, total >= 0 else { return "-" }
        // 100 hours and more: whole hours, computed in Double, as hundredths of 2^64-1 ticks
        // do not fit a UInt64.
        if total >= 360_000 { return String(UInt64(min(total / 3600, 1e18).rounded(.down))) + "h" }
        let hundredths = UInt64((total * 100).rounded(.down))
        let totalSeconds = hundredths / 100
        let hours = totalSeconds / 3600
        let minutes = (totalSeconds / 60) % 60
        let seconds = totalSeconds % 60
        if hours > 0 { return String(hours) + "h" + pad(Int(minutes), 2) + ":" + pad(Int(seconds), 2) }
        return String(minutes) + ":" + pad(Int(seconds), 2) + "." + pad(Int(hundredths % 100), 2)
    }

    /// "3 days, 04:05" / "04:05:06", as top's summary line.
    public static func uptime(_ seconds: Double) -> String {
        let s = Int(max(0, seconds))
        let days = s / 86400
        let hms = pad((s / 3600) % 24, 2) + ":" + pad((s / 60) % 60, 2) + ":" + pad(s % 60, 2)
        if days == 0 { return hms }
        return String(days) + (days == 1 ? " day, " : " days, ") + hms
    }

    /// The controlling terminal from stat's tty_nr: "pts/3", "tty1", "ttyS0"; nil for none.
    public static func ttyName(_ ttyNr: Int32) -> String? {
        guard ttyNr != 0 else { return nil }
        let dev = UInt32(bitPattern: ttyNr)
        let major = (dev >> 8) & 0xFFF
        let minor = (dev & 0xFF) | ((dev >> 12) & 0xFFF00)
        switch major {
        case 136...143: return "pts/" + String((major - 136) * 256 + minor)
        case 4: return minor < 64 ? "tty" + String(minor) : "ttyS" + String(minor - 64)
        case 5: return minor == 0 ? "tty" : (minor == 1 ? "console" : "ptmx")
        default: return String(major) + ":" + String(minor)
        }
    }
}

extension Format {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// A start time in local time, as ps's START: "14:05" within a day of `now`, "Nov29" within
    /// a year, else "2025".
    public static func startTime(_ epochSeconds: Double, now: Double) -> String {
        guard epochSeconds.isFinite, abs(epochSeconds) < 1e15 else { return "-" }
        var t = time_t(epochSeconds.rounded(.down))
        var local = tm()
        guard localtime_r(&t, &local) != nil else { return "-" }
        let age = now - epochSeconds
        if age < 86_400 { return pad(Int(local.tm_hour), 2) + ":" + pad(Int(local.tm_min), 2) }
        if age < 365 * 86_400 {
            let month = Int(local.tm_mon)
            return (month >= 0 && month < 12 ? months[month] : "?") + pad(Int(local.tm_mday), 2)
        }
        return String(Int(local.tm_year) + 1900)
    }

    /// A time of day in local time, "12:03:04".
    public static func clock(_ epochSeconds: Double) -> String {
        guard epochSeconds.isFinite, abs(epochSeconds) < 1e15 else { return "--:--:--" }
        var t = time_t(epochSeconds.rounded(.down))
        var local = tm()
        guard localtime_r(&t, &local) != nil else { return "--:--:--" }
        // Written in place: a reader of the journal words a million lines with it.
        return String(unsafeUninitializedCapacity: 8) { out in
            func put(_ value: Int32, at i: Int) {
                let n = UInt8(truncatingIfNeeded: min(max(value, 0), 99))
                out[i] = UInt8(ascii: "0") + n / 10
                out[i + 1] = UInt8(ascii: "0") + n % 10
            }
            put(local.tm_hour, at: 0)
            out[2] = UInt8(ascii: ":")
            put(local.tm_min, at: 3)
            out[5] = UInt8(ascii: ":")
            put(local.tm_sec, at: 6)
            return 8
        }
    }

    /// A day in local time, "2026-12-06": what a clock time leaves out, where times span days.
    public static func localDate(_ epochSeconds: Double) -> String {
        guard epochSeconds.isFinite, abs(epochSeconds) < 1e15 else { return "----------" }
        var t = time_t(epochSeconds.rounded(.down))
        var local = tm()
        guard localtime_r(&t, &local) != nil else { return "----------" }
        return pad(Int(local.tm_year) + 1900, 4) + "-" + pad(Int(local.tm_mon) + 1, 2) + "-" + pad(Int(local.tm_mday), 2)
    }
}
