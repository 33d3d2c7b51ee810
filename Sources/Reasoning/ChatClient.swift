import Foundation
import ResultsSchema
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Settings of the OpenAI-compatible client (issue 5 §5).
public struct ClientSettings {
    public var endpoint: URL
    public var apiKey: String?
    public var timeout: TimeInterval = 120
    /// Retries after the first attempt on 429, 5xx, timeouts and connection failures.
    public var retries = 4
    /// First backoff delay in seconds; doubles on each retry.
    public var retryBaseDelay = 1.0

    public init(endpoint: URL, apiKey: String?) { self.endpoint = endpoint; self.apiKey = apiKey }
}

/// Synchronous `/chat/completions` calls (one per worker thread), with bounded retries and backoff. A failure
/// is returned, never thrown, so one bad sample cannot stop a run.
public final class ChatClient {
    let settings: ClientSettings
    let session: URLSession

    public init(_ settings: ClientSettings) {
        self.settings = settings
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = settings.timeout + 5
        config.timeoutIntervalForResource = settings.timeout + 5
        config.httpMaximumConnectionsPerHost = 64
        session = URLSession(configuration: config)
    }

    /// The reply text or the last failure, and the requests it took (recorded for failed samples too).
    public struct Reply { public let outcome: Result<String, ReasonError>; public let attempts: Int }

    public func complete(_ payload: Data) -> Reply {
        var attempt = 0
        while true {
            attempt += 1
            let (outcome, retryable) = once(payload)
            switch outcome {
            case .success(let text): return Reply(outcome: .success(text), attempts: attempt)
            case .failure(let e):
                if !retryable || attempt > settings.retries {
                    return Reply(outcome: .failure(ReasonError("\(e.message) (after \(attempt) attempt\(attempt == 1 ? "" : "s"))")),
                                 attempts: attempt)
                }
                Thread.sleep(forTimeInterval: settings.retryBaseDelay * pow(2, Double(attempt - 1)))
            }
        }
    }

    func once(_ payload: Data) -> (Result<String, ReasonError>, retryable: Bool) {
        var request = URLRequest(url: settings.endpoint.appendingPathComponent("chat/completions"))
        request.httpMethod = "POST"
        request.httpBody = payload
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let key = settings.apiKey { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        guard let box = perform(request, timeout: settings.timeout) else {
            return (.failure(ReasonError("request timed out after \(settings.timeout) s")), true)
        }
        let (body, response, failure) = (box.body, box.response, box.failure)
        if let failure { return (.failure(ReasonError("request failed: \(failure.localizedDescription)")), true) }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else {
            let snippet = String(decoding: (body ?? Data()).prefix(200), as: UTF8.self)
            return (.failure(ReasonError("HTTP \(status): \(snippet)")), status == 429 || status >= 500 || status == 0)
        }
        guard let obj = try? JSONSerialization.jsonObject(with: body ?? Data()) as? [String: Any],
              let choices = obj["choices"] as? [[String: Any]], let message = choices.first?["message"] as? [String: Any] else {
            return (.failure(ReasonError("malformed reply: no choices[0].message")), false)
        }
        return (.success(message["content"] as? String ?? ""), false)
    }
}

extension ChatClient {
    /// Readiness before the first sample: `GET <endpoint>/models` answers. Any answer below 500 counts (a server
    /// without the listing route is still up); 5xx (vLLM/TGI/llama.cpp answer 503 while loading) and connection
    /// failures throw.
    public func probe(timeout: Double) throws {
        var request = URLRequest(url: settings.endpoint.appendingPathComponent("models"))
        if let key = settings.apiKey { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        guard let box = perform(request, timeout: timeout) else { throw ReasonError("no answer within \(timeout) s") }
        if let failure = box.failure { throw ReasonError("\(failure.localizedDescription)") }
        let status = (box.response as? HTTPURLResponse)?.statusCode ?? 0
        guard (1..<500).contains(status) else { throw ReasonError("HTTP \(status) from \(request.url!.absoluteString)") }
    }

    /// Runs one request to completion within `timeout` (our own deadline: URLSession's timeout on Linux is coarse,
    /// whole seconds in libcurl); nil when it timed out.
    fileprivate func perform(_ request: URLRequest, timeout: Double) -> ReplyBox? {
        let done = DispatchSemaphore(value: 0)
        let box = ReplyBox()
        let task = session.dataTask(with: request) { d, r, e in box.body = d; box.response = r; box.failure = e; done.signal() }
        task.resume()
        if done.wait(timeout: .now() + timeout) == .timedOut {
            task.cancel()
            done.wait()
            return nil
        }
        return box
    }
}

/// Carries the completion handler's results to the waiting thread (the semaphore orders the accesses).
private final class ReplyBox: @unchecked Sendable {
    var body: Data?
    var response: URLResponse?
    var failure: Error?
}

/// Response cache (issue 5 §5): one file per key under a directory. Keys cover the model, server settings,
/// benchmark, sample id, request payload hash and generation parameters; only deterministic (temperature 0)
/// successful replies are stored.
public struct ResponseCache {
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    public static func key(model: String, serverSettings: [String: String], benchmark: String, sampleID: String,
                           requestHash: String, generation: [String: Any]) -> String {
        let parts: [String: Any] = ["model": model, "server": serverSettings, "benchmark": benchmark, "sample_id": sampleID,
                                    "request_hash": requestHash, "generation": generation]
        let data = (try? JSONSerialization.data(withJSONObject: parts, options: [.sortedKeys])) ?? Data()
        return SHA256.hex(data)
    }

    func url(_ key: String) -> URL {
        directory.appendingPathComponent(String(key.prefix(2))).appendingPathComponent("\(key).json")
    }

    public func lookup(_ key: String) -> String? {
        guard let d = try? Data(contentsOf: url(key)),
              let obj = try? JSONSerialization.jsonObject(with: d) as? [String: Any] else { return nil }
        return obj["response"] as? String
    }

    public func store(_ key: String, response: String) {
        let obj: [String: Any] = ["response": response]
        if let d = try? JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys]) { try? writeAtomically(d, to: url(key)) }
    }
}
