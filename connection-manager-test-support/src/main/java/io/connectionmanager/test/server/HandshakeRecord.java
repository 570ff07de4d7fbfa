package io.connectionmanager.test.server;

import io.netty.handler.codec.http.HttpHeaders;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One WebSocket upgrade attempt as the server saw it, so tests can assert on what a
 * client sent (headers, path, subprotocols) and on timing between attempts (back-off,
 * jitter).
 *
 * @param nanoTime {@link System#nanoTime()} when the request was received; compare
 * attempts with it
 * @param time wall-clock time of receipt
 * @param uri request target: path and query
 * @param headers request headers; keys are case-insensitive
 * @param subprotocol the subprotocol the server selected, or {@code null}
 * @param status HTTP status answered (101 when upgraded), or {@link #NO_RESPONSE} when
 * stalled
 */
public record HandshakeRecord(long nanoTime, Instant time, String uri, Map<String, List<String>> headers,
		String subprotocol, int status) {

	/** Status of a handshake that was never answered ({@code stallHandshakes(true)}). */
	public static final int NO_RESPONSE = 0;

	/** First value of a header (case-insensitive name), or {@code null}. */
	public String header(String name) {
		List<String> values = headers.get(name);
		return values == null || values.isEmpty() ? null : values.get(0);
	}

	public boolean upgraded() {
		return status == 101;
	}

	static Map<String, List<String>> copyOf(HttpHeaders headers) {
		Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		for (Map.Entry<String, String> header : headers) {
			copy.computeIfAbsent(header.getKey(), k -> new ArrayList<>()).add(header.getValue());
		}
		copy.replaceAll((name, values) -> List.copyOf(values));
		return Collections.unmodifiableMap(copy);
	}
}
