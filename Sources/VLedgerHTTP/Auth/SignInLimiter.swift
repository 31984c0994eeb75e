import Foundation

/// Failed sign-ins, counted per login and per client address over a sliding window; past the
/// limit, sign-in is refused (429) until the oldest failure leaves the window. In memory: one
/// `vledger serve` process is the deployment (a restart forgets, PostgreSQL's own
/// authentication delay and logs remain).
public actor SignInLimiter {
    public struct Limits: Sendable {
        public var perLogin: Int
        public var perAddress: Int
        public var window: TimeInterval

        public init(perLogin: Int = 5, perAddress: Int = 20, window: TimeInterval = 15 * 60) {
            self.perLogin = perLogin
            self.perAddress = perAddress
            self.window = window
        }
    }

    let limits: Limits
    private var byLogin: [String: [Date]] = [:]
    private var byAddress: [String: [Date]] = [:]

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Seconds to wait, or nil when a try is allowed now.
    public func waitBeforeTry(login: String, address: String?, now: Date = Date()) -> Int? {
        prune(now)
        var wait: TimeInterval?
        if let failures = byLogin[login], failures.count >= limits.perLogin {
            wait = failures[failures.count - limits.perLogin].addingTimeInterval(limits.window).timeIntervalSince(now)
        }
        if let address, let failures = byAddress[address], failures.count >= limits.perAddress {
            let until = failures[failures.count - limits.perAddress].addingTimeInterval(limits.window).timeIntervalSince(now)
            wait = max(wait ?? 0, until)
        }
        return wait.map { max(1, Int($0.rounded(.up))) }
    }

    public func failed(login: String, address: String?, now: Date = Date()) {
        byLogin[login, default: []].append(now)
        if let address { byAddress[address, default: []].append(now) }
    }

    public func succeeded(login: String) {
        byLogin[login] = nil
    }

    private func prune(_ now: Date) {
        let cutoff = now.addingTimeInterval(-limits.window)
        byLogin = byLogin.compactMapValues { dates in let kept = dates.filter { $0 > cutoff }; return kept.isEmpty ? nil : kept }
        byAddress = byAddress.compactMapValues { dates in let kept = dates.filter { $0 > cutoff }; return kept.isEmpty ? nil : kept }
    }
}
