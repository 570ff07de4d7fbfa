package io.connectionmanager.core.transport;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
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

	/** This request to another URI (same headers and timeout). */
	public ConnectRequest withUri(URI uri) {
		return new ConnectRequest(uri, this.headers, this.connectTimeout);
	}

	/** This request with one header set (added, or replacing one of the same name). */
	public ConnectRequest withHeader(String name, String value) {
		Map<String, String> headers = new LinkedHashMap<>(this.headers);
		headers.put(name, value);
		return new ConnectRequest(this.uri, headers, this.connectTimeout);
	}

	/**
	 * Only scheme://host:port and the header names: paths and queries may carry tokens or
	 * listen keys, header values credentials.
	 */
	@Override
	public String toString() {
		return "ConnectRequest[uri=" + this.uri.getScheme() + "://" + this.uri.getHost()
				+ ((this.uri.getPort() != -1) ? ":" + this.uri.getPort() : "") + ", headers=" + this.headers.keySet()
				+ "]";
	}

}
