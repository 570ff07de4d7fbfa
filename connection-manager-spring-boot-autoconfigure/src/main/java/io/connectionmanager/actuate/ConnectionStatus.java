package io.connectionmanager.actuate;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.connectionmanager.core.state.ConnectionSnapshot;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.failure.Failure;

/**
 * How the actuator shows a connection's status: its {@link ConnectionSnapshot}, field by
 * field under the snapshot's own names, made JSON-friendly, plus where it connects to and
 * whether it is critical. The snapshot is the one model of a connection's status; this is
 * the one place it is rendered, so a field added to the snapshot shows up in the endpoint
 * with no second list to maintain.
 * <p>
 * Rendering: instants and durations as ISO-8601 text, enums by name, the last failure as
 * its description ({@code lastFailure}) and time ({@code lastFailureAt}), the breaker
 * state as {@code circuitBreaker}. The URL keeps scheme, host, port and path only: never
 * a query string (URLs can carry tokens), and no header ever appears.
 */
public final class ConnectionStatus {

	private static final List<RecordComponent> FIELDS = Arrays.asList(ConnectionSnapshot.class.getRecordComponents());

	/** Snapshot fields shown under another name. */
	private static final Map<String, String> RENAMED = Map.of("circuitBreakerState", "circuitBreaker");

	private ConnectionStatus() {
	}

	/**
	 * The connection's status now: {@code name}, {@code url}, every snapshot field, and
	 * {@code critical}, in that order. Absent values are {@code null}.
	 * @param connection the connection
	 * @param critical whether it takes health DOWN while not connected
	 * @return an unmodifiable, ordered view
	 */
	public static Map<String, Object> of(ManagedConnection connection, boolean critical) {
		return of(connection.snapshot(), connection.settings().url(), critical);
	}

	/**
	 * A status from a snapshot already taken.
	 * @param snapshot the snapshot
	 * @param url where the connection connects to
	 * @param critical whether it takes health DOWN while not connected
	 * @return an unmodifiable, ordered view
	 */
	public static Map<String, Object> of(ConnectionSnapshot snapshot, URI url, boolean critical) {
		Map<String, Object> status = new LinkedHashMap<>();
		status.put("name", snapshot.name());
		status.put("url", withoutSecrets(url));
		for (RecordComponent field : FIELDS) {
			String key = RENAMED.getOrDefault(field.getName(), field.getName());
			Object value = read(field, snapshot);
			if (field.getType() == Failure.class) {
				Failure failure = (Failure) value;
				status.put(key, (failure != null) ? failure.describe() : null);
				status.put(key + "At", (failure != null) ? failure.timestamp().toString() : null);
			}
			else {
				status.put(key, render(value));
			}
		}
		status.put("critical", critical);
		return Collections.unmodifiableMap(status);
	}

	/**
	 * The given keys of a status, in their order, leaving out absent values.
	 * @param status a status made by {@link #of}
	 * @param keys the keys to keep
	 * @return an ordered subset
	 */
	public static Map<String, Object> select(Map<String, Object> status, List<String> keys) {
		Map<String, Object> selected = new LinkedHashMap<>();
		for (String key : keys) {
			Object value = status.get(key);
			if (value != null) {
				selected.put(key, value);
			}
		}
		return selected;
	}

	private static Object render(Object value) {
		if (value instanceof Instant || value instanceof Duration) {
			return value.toString();
		}
		if (value instanceof Enum<?> constant) {
			return constant.name();
		}
		return value;
	}

	private static Object read(RecordComponent field, ConnectionSnapshot snapshot) {
		try {
			return field.getAccessor().invoke(snapshot);
		}
		catch (IllegalAccessException | InvocationTargetException ex) {
			throw new IllegalStateException("Cannot read " + field.getName() + " of a connection snapshot", ex);
		}
	}

	private static String withoutSecrets(URI url) {
		try {
			return new URI(url.getScheme(), null, url.getHost(), url.getPort(), url.getPath(), null, null).toString();
		}
		catch (URISyntaxException ex) {
			return url.getScheme() + "://" + url.getHost();
		}
	}

}
