import Foundation
import PolicyTransport

extension RemotePolicy {
    /// The server's description of itself, for the run manifest: openpi's metadata frame, read from a connection
    /// opened and closed for it. Nil for `http://` and `tcp://` servers, whose protocols have no such frame.
    public func serverMetadata() throws -> WireValue? {
        guard endpoint.scheme == .ws else { return nil }
        let client = try OpenPIClient(endpoint: endpoint, options: connection.options)
        defer { client.close() }
        return client.metadata
    }
}
