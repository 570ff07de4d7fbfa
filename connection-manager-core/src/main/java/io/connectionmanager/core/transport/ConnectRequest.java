package io.connectionmanager.core.transport;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * What one connect attempt should open. Built per attempt, so that a resume position can
 * be carried in the URL or a header.
 *
 * @param uri where to connect
 * @param headers handshake headers (may hold credentials)
 * @param connectTimeout the transport-level connect timeout (the engine also enforces it
 * end to end)
 */
public record ConnectRequest(URI uri, Map<String, String> headers, Duration connectTimeout) {

	public ConnectRequest {
		headers = Map.copyOf(headers);
	}

	@Override
	public String toString() {
		return "ConnectRequest[uri=" + this.uri + ", headers=" + this.headers.keySet() + "]";
	}

}
